"""The main content of an HTML page, its breadcrumb trail and its title.

Municipal pages and meeting portals wrap a decision, an agenda or a protokoll in
navigation, cookie banners, headers, footers and share buttons.  In order:

1. the breadcrumb trail is read first (it sits in the navigation that step 2
   removes), since it is sometimes the only place a page names its body and
   municipality (GENRE.md): ``Hem > Kommun och politik > Kommunstyrelsen``;
2. page furniture is removed by tag, ARIA role and class/id words
   (``patterns/html_boilerplate.yml``), and so is what is not shown (``hidden``,
   ``aria-hidden``, ``display: none``);
3. the content is the largest ``<main>``, else ``[role=main]``, else the largest
   ``<article>`` when it holds more than half of the articles' text (a list of
   items, each an article, is read whole), else the ``<body>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_yaml
from ..errors import PatternError

PATTERNS = Path(__file__).resolve().parent / "patterns"

_WORD_BREAK = re.compile(r"(?<=[a-zåäö0-9])(?=[A-ZÅÄÖ])")
_WORD_SPLIT = re.compile(r"[-_\s]+")
_SPACES = re.compile(r"\s+")
_NOT_SHOWN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SEPARATOR_CHARS = " \t>›»/|→·•"
_SEPARATOR = re.compile(r"\s*[>›»/|→·•]+\s*")
_CONTENT = "self::main or self::article or @role='main' or self::h1"


@dataclass(frozen=True)
class Rules:
    tags: frozenset[str]
    roles: frozenset[str]
    words: frozenset[str]
    prefixes: tuple[str, ...]
    crumb_labels: tuple[str, ...]
    crumb_prefixes: tuple[str, ...]
    not_items: re.Pattern[str]


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The rules of ``patterns/html_boilerplate.yml``."""
    path = PATTERNS / "html_boilerplate.yml"
    data = load_yaml(path)
    try:
        crumbs = data["breadcrumbs"]
        labels = "|".join(re.escape(x) for x in crumbs["not_items"])
        return Rules(
            tags=frozenset(data["tags"]),
            roles=frozenset(data["roles"]),
            words=frozenset(data["words"]),
            prefixes=tuple(data["prefixes"]),
            crumb_labels=tuple(crumbs["labels"]),
            crumb_prefixes=tuple(crumbs["class_prefixes"]),
            not_items=re.compile(rf"(?:{labels})\s*:?", re.IGNORECASE),
        )
    except (KeyError, TypeError) as exc:
        raise PatternError(f"{path}: missing or malformed key {exc}") from None


def collapse(text: str) -> str:
    """White space runs as one space, stripped."""
    return _SPACES.sub(" ", text).strip()


def class_words(element) -> list[str]:
    """The lower-case words of an element's class and id (``cookieBanner`` → cookie, banner)."""
    raw = f"{element.get('class') or ''} {element.get('id') or ''}"
    return [w.lower() for w in _WORD_SPLIT.split(_WORD_BREAK.sub(" ", raw)) if w]


def _furniture_by_class(element, r: Rules) -> bool:
    return any(w in r.words or w.startswith(r.prefixes) for w in class_words(element))


def _is_furniture(element, r: Rules) -> bool:
    tag = element.tag
    if tag in ("html", "body"):
        return False
    if element.get("hidden") is not None or element.get("aria-hidden", "").lower() == "true":
        return True
    if _NOT_SHOWN.search(element.get("style") or ""):
        return True
    if tag in r.tags:
        # an article's own header and footer (its title, its date) are content
        return not (tag in ("header", "footer") and element.xpath("ancestor::article or ancestor::main"))
    if (element.get("role") or "").lower() in r.roles:
        return True
    if _furniture_by_class(element, r):
        return not element.xpath(f"boolean(descendant::*[{_CONTENT}])")
    return False


def remove_furniture(root) -> None:
    """Remove the page furniture below ``root`` in place (tails are kept: they are content)."""
    r = rules()
    # comments and processing instructions go too; dropping an element inside one
    # already dropped only touches the detached subtree
    doomed = [e for e in root.iter() if not isinstance(e.tag, str) or _is_furniture(e, r)]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _is_trail(element, r: Rules) -> bool:
    label = (element.get("aria-label") or "").lower()
    if any(x in label for x in r.crumb_labels):
        return True
    if "breadcrumblist" in (element.get("itemtype") or "").lower():
        return True
    return any(w.startswith(r.crumb_prefixes) for w in class_words(element))


def _item(text: str, r: Rules) -> str:
    text = collapse(text)
    label = r.not_items.match(text)
    return text[label.end() if label else 0 :].strip(_SEPARATOR_CHARS)


def _trail_items(element, r: Rules) -> list[str]:
    lis = element.findall(".//li")
    inner = set(lis)
    items = [li for li in lis if not any(a in inner for a in li.iterancestors("li"))]
    if items:
        texts = [_item(li.text_content(), r) for li in items]
    else:
        texts = []

        def loose(text: str | None) -> None:
            texts.extend(_item(part, r) for part in _SEPARATOR.split(text or ""))

        def visit(node) -> None:
            loose(node.text)
            for child in node:
                if isinstance(child.tag, str):
                    if child.tag == "a" or len(child) == 0:
                        texts.append(_item(child.text_content(), r))
                    else:
                        visit(child)
                loose(child.tail)

        visit(element)
    return [t for t in texts if t]


def breadcrumb_trail(root) -> list[str]:
    """The items of the page's breadcrumb trail (the first with two items or more)."""
    r = rules()
    for element in root.iter():
        if isinstance(element.tag, str) and _is_trail(element, r):
            items = _trail_items(element, r)
            if len(items) >= 2:
                return items
    return []


def _text_length(element) -> int:
    return len(collapse(element.text_content()))


def main_content(body):
    """The element that holds the page's main content (see the module docstring)."""
    for path in ("//main", "//*[@role='main']"):
        found = [e for e in body.xpath(path) if _text_length(e)]
        if found:
            return max(found, key=_text_length)
    articles = [e for e in body.xpath("//article[not(ancestor::article)]") if _text_length(e)]
    if articles:
        largest = max(articles, key=_text_length)
        if 2 * _text_length(largest) > sum(map(_text_length, articles)):
            return largest
    return body
