"""Finding municipal bodies in any inflection and mapping them to canonical names.

Swedish body names are compounds ending in a head noun (``-nämnd``,
``-styrelse``, ``-fullmäktige``, ``-förvaltning``, ``-kontor``, ``-revision``),
inflected for definiteness, number and genitive, often coordinated
(``arbetsmarknads- och socialnämnden``) and sometimes owned by a district
(``Skärholmens stadsdelsnämnd``, ``stadsdelsnämnderna i A och B``).  The rules
here turn a mention into the canonical nominative definite singular
(``Arbetsmarknads- och socialnämnden``); vocabulary lives in
``patterns/bodies.yml``.  Plural and bare class nouns are generic (``nämnderna``)
and are not mentions of one body, except where a named district list follows or
an anaphor can be resolved to the document's own body.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_yaml
from ..model import BodyMention

PATTERNS = Path(__file__).resolve().parent / "patterns"

W = r"[A-Za-zÅÄÖåäöÉéÜü]"
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*(?:[-–•]\s*)?)$")


@dataclass(frozen=True)
class _Vocab:
    heads: dict
    head_re: re.Pattern[str]
    head_word_re: re.Pattern[str]
    owner_re: re.Pattern[str]
    district_list_re: re.Pattern[str]
    named_re: re.Pattern[str]
    named: dict[str, dict]
    sub_re: re.Pattern[str]
    sub_bodies: dict[str, str]
    prefixed: dict[str, frozenset[str]]
    not_bodies: frozenset[str]
    adjectives: frozenset[str]
    anaphoric: frozenset[str]
    serves: dict[str, str]
    abbreviations: dict
    districts: dict[str, dict[str, str]]
    local_names: dict[str, dict[str, str]]


def _alt(items) -> str:
    return "|".join(sorted((re.escape(i) for i in items), key=len, reverse=True))


def _starts(items) -> str:
    """A lookahead on the first characters of ``items``: put before an alternation of
    them, it lets the regex engine reject every other position at once (5x faster)."""
    return "(?=[" + "".join(sorted({re.escape(i[0]) for i in items if i})) + "])"


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    data = load_yaml(PATTERNS / "bodies.yml")
    heads = data["heads"]
    head_alts = []
    for head, spec in heads.items():
        suffixes = [s for s in spec["singular"] + spec["plural"] if s]
        head_alts.append(rf"{head}(?:{_alt(suffixes)})?" if suffixes else head)
    # anchored at a word start: unanchored, each position inside a word was tried too
    head_re = re.compile(
        rf"(?<!{W})(?P<mods>(?:{W}+-,?\s+)*{W}+-\s+(?:och|samt|eller)\s+)?"
        rf"(?P<word>{W}*?(?:{'|'.join(head_alts)}))(?!{W})"
    )
    head_word_re = re.compile("|".join(sorted(map(re.escape, heads), key=len, reverse=True)))
    districts = data.get("districts") or {}
    owner_re = re.compile(
        rf"(?P<owner>[A-ZÅÄÖ]{W}+(?:-[A-ZÅÄÖ]{W}+)*)\s+(?P<word>stadsdels(?:nämnd|förvaltning)(?:en|ens|s)?)(?!{W})"
    )
    district_list_re = re.compile(
        rf"(?P<word>[Ss]tadsdels(?:nämnd|förvaltning)(?:erna|en|arna)?)[ \t]+(?P<i>i\s+)?"
        rf"(?P<list>[A-ZÅÄÖ]{W}+(?:-[A-ZÅÄÖ]{W}+)*(?:(?:,\s+|\s+(?:och|samt)\s+)[A-ZÅÄÖ]{W}+(?:-[A-ZÅÄÖ]{W}+)*)*)"
    )
    named: dict[str, dict] = {}
    for spec in data["named"]:
        for alias in spec["aliases"]:
            named[alias.lower()] = spec
    named_re = re.compile(rf"{_starts(named)}(?<!{W})(?:{_alt(named)})(?!{W})", re.IGNORECASE)
    sub_bodies = data["sub_bodies"]
    sub_re = re.compile(rf"\s+(?P<sub>{_alt(sub_bodies)})(?P<suf>et|en|ets|ens|s)?(?!{W})")
    return _Vocab(
        heads=heads,
        head_re=head_re,
        head_word_re=head_word_re,
        owner_re=owner_re,
        district_list_re=district_list_re,
        named_re=named_re,
        named=named,
        sub_re=sub_re,
        sub_bodies=sub_bodies,
        prefixed={k: frozenset(v) for k, v in data["prefixed"].items()},
        not_bodies=frozenset(data["not_bodies"]),
        adjectives=frozenset(data["adjectives"]),
        anaphoric=frozenset(data["anaphoric"]),
        serves=data["serves"],
        abbreviations=data["abbreviations"],
        districts=districts,
        local_names=data.get("local_names") or {},
    )


def capitalize(name: str) -> str:
    return name[:1].upper() + name[1:]


def genitive(name: str) -> str:
    """Swedish genitive: add -s unless the name ends in s, x or z."""
    return name if name[-1:].lower() in "sxz" else name + "s"


def served_body(name: str) -> str | None:
    """The body an administration serves (``Fritidsförvaltningen`` → ``Fritidsnämnden``)."""
    v = vocab()
    if name in v.serves:
        return v.serves[name]
    if name.endswith("förvaltningen"):
        return name[: -len("förvaltningen")] + "nämnden"
    if name.endswith("stadsdelsförvaltning"):
        return name[: -len("förvaltning")] + "nämnd"
    return None


def _split_head(word: str) -> tuple[str, str, str, bool] | None:
    """(prefix, head, suffix, plural) of a body word, or None."""
    low = word.lower()
    v = vocab()
    for head, spec in v.heads.items():
        idx = low.rfind(head)
        if idx < 0:
            continue
        suffix = low[idx + len(head) :]
        if suffix in spec["singular"]:
            return word[:idx], head, suffix, False
        if suffix in spec["plural"]:
            return word[:idx], head, suffix, True
    return None


def _district_name(district: str, municipality: str | None) -> str:
    v = vocab()
    table = v.districts.get(municipality or "", {})
    for d, official in table.items():
        if d.lower() == district.lower():
            return official
    # any municipality's table, for documents whose municipality was not found
    for t in v.districts.values():
        for d, official in t.items():
            if d.lower() == district.lower():
                return official
    return f"{genitive(district)} stadsdelsnämnd"


def _is_known_district(district: str) -> bool:
    return any(d.lower() == district.lower() for t in vocab().districts.values() for d in t)


def _strip_genitive_district(owner: str, municipality: str | None) -> str:
    v = vocab()
    known = {d.lower() for t in v.districts.values() for d in t}
    if owner.lower() in known:
        return owner
    if owner.endswith("s") and owner[:-1].lower() in known:
        return owner[:-1]
    return owner.removesuffix("s")


def _mention(name, text, start, end, kind, municipality, derived=False, parent=None) -> BodyMention:
    serves = served_body(name) if kind == "förvaltning" else None
    return BodyMention(
        name=name, text=text, start=start, end=end, kind=kind, municipality=municipality,
        parent=parent, serves=serves, derived=derived,
    )


def _extend_sub_body(text: str, m: BodyMention) -> BodyMention:
    """``Kommunstyrelsens arbetsutskott``: a sub-body right after a (genitive) body."""
    v = vocab()
    sm = v.sub_re.match(text, m.end)
    if not sm:
        return m
    written = text[m.start : m.end]
    is_genitive = written.endswith("s") or written.isupper()
    if not is_genitive or m.kind not in ("nämnd", "styrelse", "fullmäktige"):
        return m
    sub = sm.group("sub")
    name = f"{genitive(m.name)} {sub}"
    end = sm.end()
    return replace(
        m, name=name, text=text[m.start : end], end=end, kind=v.sub_bodies[sub], parent=m.name, serves=None
    )


class _Taken:
    """Spans already claimed by a mention, kept sorted so that a check is a bisection
    (a list scanned whole made long documents quadratic in their mentions)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, s: int, e: int) -> bool:
        """Whether ``[s, e)`` overlaps no claimed span."""
        i = bisect.bisect_left(self.starts, e)  # spans starting before e
        # Claimed spans do not overlap one another, so their ends are sorted too: only
        # the last span starting before e can reach past s.
        return i == 0 or self.ends[i - 1] <= s

    def add(self, s: int, e: int) -> None:
        """Claim ``[s, e)``."""
        i = bisect.bisect_left(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)


_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÅÄÖåäöÉéÜü")  # W
_COORDINATORS = ("och", "samt", "eller")
_COORDINATION_REACH = 1000


def _head_matches(text: str) -> Iterator[re.Match[str]]:
    """``head_re.finditer(text)``, tried only at the words that hold a head noun.

    ``head_re`` opens with a lookbehind and reads every word letter by letter for a head;
    here the heads are found first (a literal scan) and the pattern is tried at the start
    of their words, or, after "och"/"samt"/"eller" (a coordination, ``barn- och
    utbildningsnämnden``), searched from up to ``_COORDINATION_REACH`` characters back.
    Every match holds a head, so no match is missed (a fifth of the time)."""
    v = vocab()
    end, tried = 0, -1
    for hit in v.head_word_re.finditer(text):
        if hit.start() < end:
            continue
        start = hit.start()
        while start > 0 and text[start - 1] in _LETTERS:
            start -= 1
        if start == tried:
            continue
        tried = start
        gap = start
        while gap > 0 and text[gap - 1].isspace():
            gap -= 1
        if gap < start and text.endswith(_COORDINATORS, 0, gap):
            m = v.head_re.search(text, max(end, start - _COORDINATION_REACH))
        else:
            m = v.head_re.match(text, start)
        if m is not None:
            end = m.end()
            yield m


def _starts_sentence(text: str, pos: int) -> bool:
    """Whether ``pos`` opens a sentence, a line or a list item; only the text just
    before it is read (a search over the whole prefix made this quadratic)."""
    return bool(_SENTENCE_START.search(text, max(0, pos - 200), pos))


def find_bodies(
    text: str, *, municipality: str | None = None, own_body: str | None = None
) -> list[BodyMention]:
    """Every body mention in ``text``, canonical names, in text order."""
    v = vocab()
    found: list[BodyMention] = []
    taken = _Taken()

    def free(s: int, e: int) -> bool:
        return taken.free(s, e)

    def add(m: BodyMention) -> None:
        found.append(m)
        taken.add(m.start, m.end)

    # 1. district lists: "stadsdelsnämnderna i Enskede-Årsta-Vantör och Spånga-Tensta" is two
    #    bodies; the whole phrase is the evidence for each
    for m in v.district_list_re.finditer(text) if "tadsdels" in text else ():
        districts = [d.group() for d in re.finditer(rf"[A-ZÅÄÖ]{W}+(?:-[A-ZÅÄÖ]{W}+)*", m.group("list"))]
        if not m.group("i") and not all(_is_known_district(d) for d in districts):
            continue  # "stadsdelsförvaltning Avdelning …" is not a district
        for district in districts:
            name = _district_name(district, municipality)
            kind = "nämnd"
            if "förvaltning" in m.group("word"):
                name, kind = name.replace("nämnd", "förvaltning"), "förvaltning"
            found.append(_mention(name, m.group(), m.start(), m.end(), kind, municipality))
        taken.add(m.start(), m.end())
    # 2. owned district bodies: "Skärholmens stadsdelsnämnd"
    for m in v.owner_re.finditer(text) if "stadsdels" in text else ():
        if not free(m.start(), m.end()) or _starts_sentence(text, m.start()) and not m.group("owner").endswith("s"):
            continue
        district = _strip_genitive_district(m.group("owner"), municipality)
        name = _district_name(district, municipality)
        kind = "nämnd"
        if "förvaltning" in m.group("word"):
            name, kind = name.replace("nämnd", "förvaltning"), "förvaltning"
        add(_mention(name, m.group(), m.start(), m.end(), kind, municipality))
    # 3. named bodies and forums
    for m in v.named_re.finditer(text):
        if free(m.start(), m.end()):
            spec = v.named[m.group().lower()]
            add(_extend_sub_body(text, _mention(spec["name"], m.group(), m.start(), m.end(), spec["kind"], municipality)))
    # 4. abbreviations; one the text defines ("Barn- och ungdomsnämnden (BUN)") wins
    abbr = dict(v.abbreviations.get("generic") or {})
    abbr.update((v.abbreviations.get("municipalities") or {}).get(municipality or "", {}))
    heads = list(_head_matches(text))
    abbr.update(_defined_abbreviations(text, found, heads, municipality))
    if abbr:
        for m in _abbreviation_re(tuple(sorted(abbr))).finditer(text):
            if free(m.start(), m.end()):
                name = abbr[m.group()]
                kind = _kind_of(name)
                mention = _mention(name, m.group(), m.start(), m.end(), kind, municipality, derived=True)
                if kind == "utskott":
                    mention = replace(mention, parent=name.split("s ", 1)[0] if "s " in name else None)
                add(_extend_sub_body(text, mention))
    # 5. compounds on a head noun (their definitions, found now, are applied in a second pass)
    anaphors: list[tuple[int, int, str, str]] = []
    for m in heads:
        word = m.group("word")
        s, e = m.start(), m.end()
        mods = m.group("mods") or ""
        if not free(s, e):
            continue
        parts = _split_head(word)
        if parts is None:
            continue
        prefix, head, _suffix, plural = parts
        spec = v.heads[head]
        pre = prefix.lower()
        if plural:
            continue
        if (prefix + head).lower() in v.anaphoric and not mods:
            anaphors.append((s, e, (prefix + head).lower(), word))
            continue
        adj = None
        if head in ("nämnd", "förvaltning") and not mods:
            adj = _adjective_before().search(text[max(0, s - 20) : s])
        if adj:
            s = s - len(adj.group(0))
            name = capitalize(adj.group(1).lower() + " " + pre + spec["definite"])
            add(_extend_sub_body(text, _mention(name, text[s:e], s, e, spec["kind"], municipality)))
            continue
        if not pre:
            continue
        if pre in v.not_bodies and not mods:
            continue
        if spec.get("needs_prefix") and pre not in v.prefixed.get(head, ()):
            continue
        if mods:
            mods_clean = re.sub(r"\s+", " ", mods)
            name = capitalize(mods_clean.lower() + pre + spec["definite"])
        else:
            name = capitalize(pre + spec["definite"])
        kind = spec["kind"]
        if name.lower().startswith("kommunstyrelse") and head == "förvaltning":
            kind = "förvaltning"
        add(_extend_sub_body(text, _mention(name, text[s:e], s, e, kind, municipality)))
    # 6. anaphors: a bare "stadsdelsnämnden" is the document's own such body, or the only one
    named = sorted({b.name for b in found})  # the distinct names, not every mention
    for s, e, cls, word in anaphors:
        target = _resolve_anaphor(cls, named, own_body)
        if target:
            add(_mention(target, word, s, e, _kind_of(target), municipality, derived=True))
    found = [_localise(text, b, municipality, found) for b in found]
    found.sort(key=lambda b: (b.start, b.end))
    return found


@lru_cache(maxsize=64)
def _abbreviation_re(abbreviations: tuple[str, ...]) -> re.Pattern[str]:
    """The abbreviations as whole words, compiled once per set (a document's text is
    read for bodies a dozen times: its headings, its addressee, its whole text)."""
    return re.compile(rf"{_starts(abbreviations)}(?<![\w-])(?:{_alt(abbreviations)})(?![\w-])")


@lru_cache(maxsize=1)
def _adjective_before() -> re.Pattern[str]:
    """An adjective of ``bodies.yml`` ending a text: "… sociala " before "nämnden"."""
    return re.compile(rf"(?<!{W})({_alt(vocab().adjectives)})\s+$", re.IGNORECASE)


_IN_PLACE = re.compile(r"[ \t]+i[ \t]+(?P<place>[A-ZÅÄÖ][\wåäö-]+(?:[ \t][A-ZÅÄÖ][\wåäö-]+)?)")
_PLACE_BEFORE = re.compile(r"(?P<place>[A-ZÅÄÖ][\wåäö-]+(?:[ \t][A-ZÅÄÖ][\wåäö-]+)?)[ \t]+$")


def _localise(text: str, b: BodyMention, municipality: str | None, found: list[BodyMention]) -> BodyMention:
    """Municipality-specific names, the audit behind "revisorerna", and "… i Stockholm"."""
    v = vocab()
    local = (v.local_names.get(municipality or "") or {}).get(b.name)
    if local:
        b = replace(b, name=local, kind=_kind_of(local), serves=served_body(local), derived=True)
    if b.name == "Revisorerna":
        audits = {f.name for f in found if f.kind == "revision" and f.name not in ("Revisorerna", "Revisorskollegiet")}
        if len(audits) == 1:
            b = replace(b, name=audits.pop(), derived=True)
    m = _IN_PLACE.match(text[b.end : b.end + 40]) if text.startswith((" ", "\t"), b.end) else None
    if m and m.group("place") in municipality_names():
        b = replace(b, text=text[b.start : b.end + m.end()], end=b.end + m.end())
    # "Malmö stadsrevision": the municipality's name before the body belongs to the mention
    p = _PLACE_BEFORE.search(text[max(0, b.start - 40) : b.start]) if b.text[:1].islower() else None
    if p and p.group("place") in municipality_names():
        start = b.start - (len(p.group(0)))
        b = replace(b, text=text[start : b.end], start=start)
    return b


@lru_cache(maxsize=1)
def municipality_names() -> frozenset[str]:
    from ..datafiles import load_tsv

    return frozenset(row["name"] for row in load_tsv(PATTERNS / "municipalities.tsv"))


_DEFINITION = re.compile(r"\((?P<abbr>[A-ZÅÄÖ]{2,6})\)")


def _defined_abbreviations(
    text: str, found: list[BodyMention], heads: list[re.Match[str]], municipality: str | None
) -> dict[str, str]:
    """Abbreviations the text defines right after a body: ``Utbildningsnämnden (UBN)``
    (``heads``: the matches of ``head_re`` in ``text``)."""
    defined = {m.start(): m.group("abbr") for m in _DEFINITION.finditer(text)}
    if not defined:
        return {}

    def definition(end: int) -> str | None:
        while end < len(text) and text[end].isspace():
            end += 1
        return defined.get(end)

    out: dict[str, str] = {}
    for b in found:
        abbr = definition(b.end)
        if abbr:
            out[abbr] = b.name
    # compounds read plainly (no abbreviations, no anaphors), only where a definition follows
    for m in heads:
        abbr = definition(m.end())
        if abbr:
            plain = _plain_body(m, municipality)
            if plain is not None:
                out[abbr] = plain.name
    return out


def _plain_body(m: re.Match[str], municipality: str | None) -> BodyMention | None:
    """The body a ``head_re`` match names read as a compound only, or None."""
    v = vocab()
    parts = _split_head(m.group("word"))
    if not parts or parts[3] or not parts[0]:
        return None
    prefix, head, _suffix, _plural = parts
    spec = v.heads[head]
    mods = re.sub(r"\s+", " ", m.group("mods") or "")
    name = capitalize(mods.lower() + prefix.lower() + spec["definite"])
    return _mention(name, m.group(), m.start(), m.end(), spec["kind"], municipality)


def _kind_of(name: str) -> str:
    low = name.lower()
    if " " in low and low.split()[-1] in vocab().sub_bodies:
        return "utskott"
    parts = _split_head(low.split()[-1]) if low else None
    if parts:
        return vocab().heads[parts[1]]["kind"]
    for spec in vocab().named.values():
        if spec["name"] == name:
            return spec["kind"]
    return "nämnd"


def _resolve_anaphor(cls: str, named: list[str], own_body: str | None) -> str | None:
    head = "förvaltning" if cls.endswith("förvaltning") else "nämnd"
    stem = cls[: -len(head)]
    if own_body and stem in own_body.lower() and own_body.lower().endswith(head):
        return own_body
    names = {n for n in named if stem in n.lower() and n.lower().endswith(head)}
    return names.pop() if len(names) == 1 else None


def abbreviation_body(abbr: str, municipality: str | None) -> str | None:
    """The body an abbreviation (``KSAU``) stands for."""
    v = vocab()
    local = (v.abbreviations.get("municipalities") or {}).get(municipality or "", {})
    return local.get(abbr) or (v.abbreviations.get("generic") or {}).get(abbr)
