"""Finding and normalising case numbers (diarienummer).

The formats are data (``patterns/case_numbers.yml``): one regex per scheme with
a ``num`` group for the evidence span and a template for the canonical form.
Matching here is pure (text in, ``CaseNumber`` facts out); deciding which
number is the document's own is left to ``metadata``, which knows the title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_yaml
from ..errors import PatternError
from ..model import CaseNumber
from ..text.regex import matches_at

PATTERNS = Path(__file__).resolve().parent / "patterns"

_DASH = re.compile(r"\s*[-–]\s*")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Scheme:
    name: str
    regex: re.Pattern[str]
    template: str
    needs_prefix: bool


@lru_cache(maxsize=1)
def _label() -> re.Pattern[str]:
    """The Dnr/Diarienummer label alone: where the ``needs_prefix`` schemes can match."""
    return re.compile(load_yaml(PATTERNS / "case_numbers.yml")["prefix_label"])


def _label_starts(text: str) -> list[int]:
    """Every position where a label starts (overlapping ones included)."""
    label, out, pos = _label(), [], 0
    while (m := label.search(text, pos)) is not None:
        out.append(m.start())
        pos = m.start() + 1
    return out


def _matches(scheme: Scheme, text: str, label_starts: list[int]) -> Iterator[re.Match[str]]:
    """``scheme.regex.finditer(text)``; a scheme that needs a label opens with one, so it
    is tried only where a label starts (three scans of the text become one)."""
    if not scheme.needs_prefix:
        return scheme.regex.finditer(text)
    return matches_at(scheme.regex, text, label_starts)


@lru_cache(maxsize=1)
def _config() -> tuple[tuple[Scheme, ...], re.Pattern[str], frozenset[str], frozenset[str], frozenset[str]]:
    data = load_yaml(PATTERNS / "case_numbers.yml")
    prefix = data["prefix_label"]
    schemes = []
    for spec in data["schemes"]:
        body = spec["regex"]
        if spec.get("needs_prefix"):
            body = prefix + body
        try:
            schemes.append(Scheme(spec["name"], re.compile(body), spec["normalized"], bool(spec.get("needs_prefix"))))
        except re.error as exc:
            raise PatternError(f"case_numbers.yml: scheme {spec['name']}: {exc}") from None
    return (
        tuple(schemes),
        re.compile(prefix + r"$"),
        frozenset(data["not_registries"]),
        frozenset(data.get("not_registries_before_serial") or ()),
        frozenset(data.get("not_registries_after_label") or ()),
    )


@lru_cache(maxsize=1)
def _registries() -> dict:
    return load_yaml(PATTERNS / "registries.yml")


def registry_body(registry: str | None, municipality: str | None) -> str | None:
    """The body keeping a registry prefix, municipality-specific first."""
    if not registry:
        return None
    reg = _registries()
    local = (reg.get("municipalities") or {}).get(municipality or "", {})
    return local.get(registry) or reg["generic"].get(registry)


def registry_municipality(registry: str | None) -> str | None:
    """The municipality a registry prefix is unique to, if any."""
    return (_registries().get("unique_to") or {}).get(registry or "")


_AROUND = re.compile(r"\s*([/:-])\s*")


def num_between(m: re.Match[str]) -> str:
    """The characters between a match's registry and serial ("-" in KS-0152/2021)."""
    if "registry" not in m.groupdict() or "serial" not in m.groupdict() or m.group("registry") is None:
        return ""
    return m.string[m.end("registry") : m.start("serial")]


def normalize_number(scheme: Scheme, m: re.Match[str]) -> str:
    parts = {k: (v or "") for k, v in m.groupdict().items()}
    registry = _SPACE.sub(" ", parts.get("registry", "")).upper()
    parts["registry"] = _DASH.sub("-", registry) if "-" in registry or "–" in registry else registry
    parts["class_sp"] = f" {parts['class']}" if parts.get("class") and scheme.name == "year-registry-serial" else ""
    parts["class_dash"] = f"-{parts['class']}" if parts.get("class") else ""
    parts["dash_or_space"] = "-" if "-" in num_between(m) else " "
    parts["sub_dot"] = f"-{parts['sub']}" if parts.get("sub") else ""
    num = m.group("num")
    sep = "." if "." in num[4:6] else "-"
    parts["sep"] = sep
    # the labelled catch-all: the token as written, upper case, one kind of dash, no
    # spaces around / : - and one space elsewhere ("Tn 1256/2022" -> "TN 1256/2022")
    parts["token"] = _AROUND.sub(r"\1", _DASH.sub("-", _SPACE.sub(" ", num.strip()))).upper()
    return scheme.template.format(**parts)


def find_case_numbers(text: str, *, municipality: str | None = None) -> list[CaseNumber]:
    """All case numbers in ``text``, in text order, overlapping matches resolved."""
    schemes, _prefix_end, not_registries, not_before_serial, not_after_label = _config()
    found: list[tuple[int, int, int, CaseNumber]] = []
    labels = _label_starts(text)
    for rank, scheme in enumerate(schemes):
        for m in _matches(scheme, text, labels):
            registry = (m.groupdict().get("registry") or "").upper() or None
            if registry and registry.split()[0].split("-")[0] in not_registries:
                continue
            if registry and scheme.name in ("registry-serial-year", "registry-serial-year-part") and registry in not_before_serial:
                continue
            if registry and scheme.name == "labelled" and registry.split()[0].split("-")[0].rstrip("/:.") in not_after_label:
                continue
            year_txt = m.groupdict().get("year") or ""
            year = int(year_txt) if len(year_txt) == 4 else None
            if year is not None and not 1970 <= year <= 2099:
                continue
            start, end = m.span("num")
            norm_registry = registry.replace(" ", " ") if registry else None
            fact = CaseNumber(
                text=text[start:end],
                normalized=normalize_number(scheme, m),
                start=start,
                end=end,
                scheme=scheme.name,
                registry=norm_registry,
                year=year,
                body=registry_body(norm_registry, municipality),
            )
            found.append((start, -(end - start), rank, fact))
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    out: list[CaseNumber] = []
    last_end = -1
    for start, _neg_len, _rank, fact in found:
        if start >= last_end:
            out.append(fact)
            last_end = fact.end
    return out


def with_municipality(numbers: list[CaseNumber], municipality: str | None) -> list[CaseNumber]:
    """Re-resolve registry bodies once the document's municipality is known."""
    return [replace(c, body=registry_body(c.registry, municipality)) for c in numbers]


def has_prefix_label(text: str, start: int) -> bool:
    """Whether a Dnr/Diarienummer label stands right before ``start``."""
    _schemes, prefix_end, _, _, _ = _config()
    return bool(prefix_end.search(text[max(0, start - 30) : start]))
