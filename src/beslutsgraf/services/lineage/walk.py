"""The lineage walk: pure functions over a ``CitationIndex``.

Upstream of a document is what it builds on, each a typed link with the span that
states it:

===================  =====================================================================
type                 when
===================  =====================================================================
``beslutsunderlag``  a document listed under Beslutsunderlag / Bilagor
``svarar_pa``        a response (yttrande, remissvar, remiss…) citing another case
``tidigare_beslut``  an earlier decision the text refers to
``hanvisar_arende``  any other case number cited
``hanvisar_handling`` any other document cited by title or meeting code
===================  =====================================================================

Downstream of a document or case is every document that cites it (its case, or a
document reference whose case or title is its own): ``besvaras_av`` when that
document is a response, else ``citeras_av``.

A cited case or title is resolved to the corpus documents it stands for (same case
number, or the same title), and the walk goes on from those, breadth first, up to
``depth`` steps each way.  The timeline puts the dated events in order: documents,
earlier decisions and cited documents with a date, and the planned treatments
(``Beslutsplanering``) of the subject's documents.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from ...graph import uris
from ...vocab import BG
from ..entities.common import class_name
from ..reader import NotFound
from .citations import CitationIndex, Row, norm_title, titles_match
from .model import LINK_LABELS, MAX_DEPTH, MAX_DOCUMENTS, Lineage, Link, TimelineEvent

RESPONSE_CLASSES = frozenset({str(BG.Yttrande), str(BG.Remissvar)})
_RESPONSE_TITLE = re.compile(r"\b(remissvar|yttrande|svar på|remiss)\b", re.IGNORECASE)
_LIST_SECTIONS = {"beslutsunderlag", "bilagor"}




def _date_key(value: str | None) -> tuple[int, str]:
    return (0, value) if value else (1, "")


def _evidence(doc: str, r: Row) -> dict[str, Any]:
    return {"document": doc, "start": r["start"], "end": r["end"], "exact": r["exact"]}


def title_matches(a: str | None, b: str | None) -> bool:
    """Whether two titles name the same document (equal, or one inside the other when long)."""
    return titles_match(norm_title(a), norm_title(b))


def is_response(index: CitationIndex, doc: str) -> bool:
    """Whether a document answers another: typed as a response, or titled like one."""
    info = index.by_iri.get(doc) or {}
    return doc in index.responses or bool(_RESPONSE_TITLE.search(info.get("title") or ""))


def docs_for_case(index: CitationIndex, case: str | None) -> list[str]:
    """The corpus documents of a case, oldest first."""
    return list(index.by_case.get(case, ())) if case else []


def docs_for_title(index: CitationIndex, title: str | None, citing: str) -> list[str]:
    """The corpus document a title cited by ``citing`` stands for: of the documents
    with that title in the same municipality and not dated after the citing one,
    the most recent (a title alone is ambiguous; the latest earlier one is meant)."""
    found = index.latest_titled(title, citing)
    return [found] if found else []


def resolve(index: CitationIndex, ident: str, *, base: str, case_numbers: Collection[str]) -> str:
    """An IRI for a case number, document id/file name, key under the base or IRI.

    ``case_numbers`` are the normalised numbers ``ident`` may stand for.
    """
    ident = ident.strip()
    if not ident:
        raise NotFound("empty identifier; give a case number, a document or an IRI")
    if ident.startswith(("http://", "https://")):
        candidates = [ident]
    else:
        candidates = []
        for make in (lambda: uris.from_relative(ident, base=base), lambda: uris.mint("document", base=base, document=ident)):
            try:
                candidates.append(make())
            except uris.IriError:
                continue
    for iri in candidates:
        kind = uris.kind_of(iri, base=base)
        if (kind == "case" and iri in index.cases) or (kind == "document" and iri in index.by_iri):
            return iri
    cases = sorted(c for c, info in index.cases.items() if info["number"] in case_numbers)
    if len(cases) == 1:
        return cases[0]
    if len(cases) > 1:
        raise NotFound(
            f"case number {ident!r} is in several municipalities: "
            + ", ".join(uris.relative(c, base=base) for c in cases)
            + "; give one of these"
        )
    raise NotFound(f"no case or document {ident!r} in the graph")


def upstream_of(index: CitationIndex, doc: str, depth: int = 1, *, base: str) -> list[Link]:
    """What one document builds on, as typed links with their evidence."""
    own = (index.by_iri.get(doc) or {}).get("case")
    sections = index.sections.get(doc, [])
    response = is_response(index, doc)
    links: list[Link] = []
    seen: set[str] = set()
    for r in index.references.get(doc, []):
        if r["ref"] in seen:
            continue
        seen.add(r["ref"])
        cls = class_name(r["cls"])
        in_list = any(k in _LIST_SECTIONS and a <= r["start"] < b for k, a, b in sections)
        if cls == "CaseReference":
            if r["t"] == own:
                continue  # a document citing its own case number is no lineage
            kind = "svarar_pa" if response else "hanvisar_arende"
            label, targets = r.get("num") or uris.relative(r["t"], base=base), docs_for_case(index, r["t"])
        elif cls == "DecisionReference":
            kind = "tidigare_beslut"
            label = r.get("desc") or r["exact"]
            targets = docs_for_case(index, r.get("tcase"))
        else:
            kind = "beslutsunderlag" if in_list else "hanvisar_handling"
            label = r.get("title") or r["exact"]
            targets = docs_for_case(index, r.get("tcase")) if r.get("tcase") != own else []
            targets = sorted(set(targets) | set(docs_for_title(index, r.get("title"), doc)))
        links.append(
            Link(
                direction="upstream",
                type=kind,
                label=LINK_LABELS[kind],
                source=doc,
                target=r["t"],
                target_label=label,
                target_documents=[t for t in targets if t != doc],
                date=r.get("date"),
                body=r.get("bodyLabel"),
                evidence=_evidence(doc, r),
                depth=depth,
            )
        )
    return links


def downstream_of(index: CitationIndex, doc: str | None, case: str | None, depth: int = 1, *, base: str) -> list[Link]:
    """Documents that cite a document (by title) or a case, with the citing span."""
    rows: list[Row] = list(index.case_citations.get(case, [])) if case else []
    info = index.by_iri.get(doc) if doc else None
    if info and info.get("title"):
        # Citing documents whose cited title resolves to this document (see
        # docs_for_title: same municipality, not dated before it, matching title).
        rows.extend(index.cited_by_title(doc))
    links: list[Link] = []
    seen: set[str] = set()
    own_docs = set(docs_for_case(index, case)) | ({doc} if doc else set())
    for r in rows:
        if r["d"] in own_docs or r["ref"] in seen:
            continue
        seen.add(r["ref"])
        kind = "besvaras_av" if is_response(index, r["d"]) else "citeras_av"
        citing = index.by_iri.get(r["d"]) or {}
        links.append(
            Link(
                direction="downstream",
                type=kind,
                label=LINK_LABELS[kind],
                source=r["d"],
                target=r["d"],
                target_label=citing.get("title") or uris.relative(r["d"], base=base),
                target_documents=[r["d"]],
                date=citing.get("date"),
                body=None,
                evidence=_evidence(r["d"], r),
                depth=depth,
            )
        )
    return links


def lineage(index: CitationIndex, iri: str, *, depth: int, base: str) -> Lineage:
    """Upstream and downstream links of a case or a document (an IRI), and its timeline."""
    if not 1 <= depth <= MAX_DEPTH:
        raise NotFound(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
    kind = uris.kind_of(iri, base=base)
    if kind == "case":
        case = index.cases.get(iri)
        if case is None:
            raise NotFound(f"no case {uris.relative(iri, base=base)!r} in the graph")
        subject = {"iri": iri, "kind": "case", "label": case["number"], "municipality": case.get("municipality")}
        start_docs = docs_for_case(index, iri)
        start_case: str | None = iri
    else:
        info = index.by_iri.get(iri)
        if info is None:
            raise NotFound(f"no document {uris.relative(iri, base=base)!r} in the graph")
        subject = {"iri": iri, "kind": "document", "label": info.get("title") or info["source"], "municipality": info.get("municipality")}
        start_docs = [iri]
        start_case = info.get("case")
    result = Lineage(subject=subject, documents=[index.by_iri[d] for d in start_docs if d in index.by_iri])

    # Upstream, breadth first over resolved corpus documents.
    visited = set(start_docs)
    frontier = list(start_docs)
    for level in range(1, depth + 1):
        nxt: list[str] = []
        for d in frontier:
            for link in upstream_of(index, d, level, base=base):
                result.upstream.append(link)
                for t in link.target_documents:
                    if t not in visited and len(visited) < MAX_DOCUMENTS:
                        visited.add(t)
                        nxt.append(t)
        frontier = nxt
    # Downstream: start from the subject's case (all its documents) or the document.
    visited_down = set(start_docs)
    pairs: list[tuple[str | None, str | None]] = [
        (d, (index.by_iri.get(d) or {}).get("case")) for d in start_docs
    ] or [(None, start_case)]
    for level in range(1, depth + 1):
        nxt_pairs: list[tuple[str | None, str | None]] = []
        for d, c in pairs:
            for link in downstream_of(index, d, c, level, base=base):
                if any(x.evidence == link.evidence for x in result.downstream):
                    continue
                result.downstream.append(link)
                if link.source not in visited_down and len(visited_down) < MAX_DOCUMENTS:
                    visited_down.add(link.source)
                    nxt_pairs.append((link.source, (index.by_iri.get(link.source) or {}).get("case")))
        pairs = nxt_pairs

    for d in visited | visited_down:
        if (info := index.by_iri.get(d)) is not None:
            result.related_documents[d] = info
    result.upstream.sort(key=lambda x: (x.depth, _date_key(x.date), x.evidence["start"]))
    result.downstream.sort(key=lambda x: (x.depth, _date_key(x.date), x.source))
    result.timeline = timeline(index, result, start_docs)
    return result


def timeline(index: CitationIndex, result: Lineage, start_docs: list[str]) -> list[TimelineEvent]:
    """The dated events of a lineage in order: documents, cited decisions and documents, planned treatments."""
    events: list[TimelineEvent] = []
    for d, info in result.related_documents.items():
        events.append(TimelineEvent(info.get("date"), "handling", info.get("title") or info["source"], None, d))
    for link in result.upstream:
        if link.date and link.type in ("tidigare_beslut", "beslutsunderlag", "hanvisar_handling"):
            kind = "tidigare beslut" if link.type == "tidigare_beslut" else "citerad handling"
            events.append(TimelineEvent(link.date, kind, link.target_label, link.body, link.source, link.evidence))
    for d in start_docs:
        for r in index.treatments.get(d, []):
            events.append(
                TimelineEvent(r.get("date"), "planerad behandling", r.get("body") or r["exact"], r.get("body"), d, _evidence(d, r))
            )
    # Ties in date: documents first, then by document and label, so the order never
    # depends on the order the walk reached them.
    return sorted(events, key=lambda ev: (_date_key(ev.date), ev.kind != "handling", ev.document or "", ev.label or ""))
