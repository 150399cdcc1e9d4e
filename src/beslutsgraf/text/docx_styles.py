"""What a DOCX paragraph's style says: heading level, bold, italic, list numbering.

Word keeps formatting in three places: on the paragraph or run itself, in its
style, and in the styles that style is based on (``w:basedOn``).  ``StyleBook``
resolves a property through that chain.  A heading is a paragraph whose style (or
an ancestor style) is named ``heading N``/``Rubrik N``/``Title``/``Rubrik``, or that
has an outline level.  ``Numbering`` counts list paragraphs the way Word shows them
(``1.``, ``a)``, a bullet), per list and level, from ``word/numbering.xml``.
"""

from __future__ import annotations

import re

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_HEADING_NAME = re.compile(r"(?:heading|rubrik)\s*([1-9])", re.IGNORECASE)
_TITLE_NAME = re.compile(r"title|titel|rubrik", re.IGNORECASE)
_SUBTITLE_NAME = re.compile(r"subtitle|underrubrik", re.IGNORECASE)
_MAX_CHAIN = 20  # basedOn chains are short; a longer one is a loop


def val(element, path: str) -> str | None:
    """The ``w:val`` attribute of the element at ``path`` (``w:``-prefixed steps) below ``element``."""
    found = element.find(path.replace("w:", W)) if element is not None else None
    return None if found is None else found.get(f"{W}val")


def on(element, path: str) -> bool | None:
    """A Word on/off property (``<w:b/>``, ``<w:b w:val="0"/>``): True, False, or None when absent."""
    found = element.find(path.replace("w:", W)) if element is not None else None
    if found is None:
        return None
    return found.get(f"{W}val", "true").lower() not in ("0", "false", "off", "none")


class StyleBook:
    """The document's styles, by id, with properties resolved through ``w:basedOn``."""

    def __init__(self, styles_element) -> None:
        self._styles = {}
        self._default_paragraph = None
        for style in styles_element.iter(f"{W}style") if styles_element is not None else ():
            style_id = style.get(f"{W}styleId")
            self._styles[style_id] = style
            default = style.get(f"{W}default") in ("1", "true")
            if default and style.get(f"{W}type") == "paragraph":
                self._default_paragraph = style_id

    def paragraph_style(self, p) -> str | None:
        """The id of a paragraph's style (the default paragraph style when it names none)."""
        return val(p, "w:pPr/w:pStyle") or self._default_paragraph

    def chain(self, style_id: str | None) -> list:
        """The style and the styles it is based on, nearest first."""
        out = []
        while style_id in self._styles and len(out) < _MAX_CHAIN:
            style = self._styles[style_id]
            if any(s is style for s in out):
                break
            out.append(style)
            style_id = val(style, "w:basedOn")
        return out

    def heading_level(self, p) -> int | None:
        """1 for ``Heading 1``/``Title``, 2 for ``Heading 2``, …, None for body text."""
        level = _outline_level(p)
        if level is not None:
            return level
        style_id = self.paragraph_style(p)
        if style_id is not None and style_id not in self._styles:
            return _named_level(style_id)  # a style the package does not define: its id says it
        for style in self.chain(style_id):
            for name in (val(style, "w:name") or "", style.get(f"{W}styleId") or ""):
                level = _named_level(name)
                if level is not None:
                    return level
            level = _outline_level(style)
            if level is not None:
                return level
        return None

    def run_flag(self, run, p_style: str | None, tag: str) -> bool:
        """Whether a run is bold (``tag="b"``) or italic (``"i"``): its own formatting,
        else its character style, else its paragraph's style."""
        own = on(run, f"w:rPr/w:{tag}")
        if own is not None:
            return own
        for style_id in (val(run, "w:rPr/w:rStyle"), p_style):
            for style in self.chain(style_id):
                flag = on(style, f"w:rPr/w:{tag}")
                if flag is not None:
                    return flag
        return False

    def numbering(self, p) -> tuple[str, int] | None:
        """(numId, level) of a list paragraph, from the paragraph or its style; None otherwise."""
        num_id, level = val(p, "w:pPr/w:numPr/w:numId"), val(p, "w:pPr/w:numPr/w:ilvl")
        if num_id is None:
            for style in self.chain(self.paragraph_style(p)):
                num_id = val(style, "w:pPr/w:numPr/w:numId")
                if num_id is not None:
                    level = level or val(style, "w:pPr/w:numPr/w:ilvl")
                    break
        if num_id in (None, "0"):
            return None
        return num_id, _int(level, 0)


def _named_level(name: str) -> int | None:
    """The heading level a style name or id stands for (``Heading 2``, ``Rubrik2``, ``Title``)."""
    if m := _HEADING_NAME.fullmatch(name):
        return int(m.group(1))
    if _TITLE_NAME.fullmatch(name):
        return 1
    if _SUBTITLE_NAME.fullmatch(name):
        return 2
    return None


def _outline_level(element) -> int | None:
    level = _int(val(element, "w:pPr/w:outlineLvl"), None)
    return level + 1 if level is not None and 0 <= level < 9 else None


def _int(text: str | None, default: int | None) -> int | None:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter past z: a … z, aa … zz
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str:
    """A list counter in a Word number format (``decimal``, ``lowerLetter``, ``upperRoman``, …)."""
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    """Counters of a document's numbered lists, advanced paragraph by paragraph."""

    def __init__(self, numbering_element) -> None:
        root = numbering_element
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId -> level -> (fmt, text, start)
        for abstract in root.iter(f"{W}abstractNum") if root is not None else ():
            self._levels[abstract.get(f"{W}abstractNumId")] = _levels(abstract)
        self._nums: dict[str, dict[int, tuple[str, str, int]]] = {}
        for num in root.iter(f"{W}num") if root is not None else ():
            levels = dict(self._levels.get(val(num, "w:abstractNumId"), {}))
            for override in num.iter(f"{W}lvlOverride"):
                level = _int(override.get(f"{W}ilvl"), 0)
                redefined = override.find(f"{W}lvl")
                if redefined is not None:
                    levels.update(_levels(override))
                start = _int(val(override, "w:startOverride"), None)
                if start is not None and level in levels:
                    fmt, text, _ = levels[level]
                    levels[level] = (fmt, text, start)
            self._nums[num.get(f"{W}numId")] = levels
        self._counters: dict[str, dict[int, int]] = {}

    def label(self, num_id: str, level: int) -> str:
        """The label Word shows before the next paragraph of this list at this level:
        ``1.``, ``2.1``, ``a)``; ``-`` for a bullet; ``""`` for a level shown without one."""
        levels = self._nums.get(num_id, {})
        counters = self._counters.setdefault(num_id, {})
        fmt, text, start = levels.get(level, ("decimal", f"%{level + 1}.", 1))
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""

        def number(m: re.Match[str]) -> str:
            at = int(m.group(1)) - 1
            at_fmt, _, at_start = levels.get(at, ("decimal", "", 1))
            return format_number(counters.get(at, at_start), at_fmt)

        return re.sub(r"%([1-9])", number, text).strip()


def _levels(parent) -> dict[int, tuple[str, str, int]]:
    out = {}
    for lvl in parent.findall(f"{W}lvl"):
        level = _int(lvl.get(f"{W}ilvl"), 0)
        out[level] = (val(lvl, "w:numFmt") or "decimal", val(lvl, "w:lvlText") or "", _int(val(lvl, "w:start"), 1))
    return out
