"""Decision lineage: where a case or a document came from, and what came of it.

Upstream of a document is what it builds on, each a typed link with the span that
states it:

==================  =====================================================================
type                when
==================  =====================================================================
``beslutsunderlag``  a document listed under Beslutsunderlag / Bilagor
``svarar_pa``        a response (yttrande, remissvar, remiss…) citing another case
``tidigare_beslut``  an earlier decision the text refers to
``hanvisar_arende``  any other case number cited
``hanvisar_handling`` any other document cited by title or meeting code
==================  =====================================================================

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
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from .entities import BG, EntityService, NotFound, iri_ref

MAX_DEPTH = 5
MAX_DOCUMENTS = 60  # documents visited per direction: a bound on the walk
_RESPONSE_CLASSES = {BG + "Yttrande", BG + "Remissvar"}
_RESPONSE_TITLE = re.compile(r"\b(remissvar|yttrande|svar på|remiss)\b", re.IGNORECASE)
_LIST_SECTIONS = {"beslutsunderlag", "bilagor"}

LINK_LABELS = {
    "beslutsunderlag": "beslutsunderlag",
    "svarar_pa": "svarar på",
    "tidigare_beslut": "tidigare beslut",
    "hanvisar_arende": "hänvisar till ärende",
    "hanvisar_handling": "hänvisar till handling",
    "besvaras_av": "besvaras av",
    "citeras_av": "citeras av",
}


@dataclass
class Link:
    direction: str  # "upstream" | "downstream"
    type: str  # a key of LINK_LABELS
    label: str
    source: str  # the document IRI whose text states the link
    target: str  # what is cited (case, referenced document, decision) or the citing document
    target_label: str
    target_documents: list[str]  # corpus documents the target resolves to
    date: str | None
    body: str | None
    evidence: dict[str, Any]  # {document, start, end, exact}
    depth: int


@dataclass
class TimelineEvent:
    date: str | None
    kind: str  # handling | planerad behandling | tidigare beslut | citerad handling
    label: str
    body: str | None
    document: str  # document IRI the event is read from
    evidence: dict[str, Any] | None = None


@dataclass
class Lineage:
    subject: dict[str, Any]
    documents: list[dict[str, Any]]
    upstream: list[Link] = field(default_factory=list)
    downstream: list[Link] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    related_documents: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "documents": self.documents,
            "upstream": [asdict(x) for x in self.upstream],
            "downstream": [asdict(x) for x in self.downstream],
            "timeline": [asdict(x) for x in self.timeline],
            "related_documents": self.related_documents,
        }


@lru_cache(maxsize=65536)
def _norm_title(text: str | None) -> str:
    return re.sub(r"[\W_]+", " ", (text or "").casefold()).strip()


def _date_key(value: str | None) -> tuple[int, str]:
    return (0, value) if value else (1, "")


class LineageService:
    """Lineage over the graph, using the entity service's queries."""

    def __init__(self, entities: EntityService) -> None:
        self.entities = entities
        self._docs_cache: tuple[str, list[dict[str, Any]]] | None = None
        self._refs_cache: tuple[str, list[dict[str, Any]]] | None = None
        self._by_iri: dict[str, dict[str, Any]] = {}
        self._by_case: dict[str, list[str]] = {}

    # -- resolving -------------------------------------------------------------------

    def resolve(self, ident: str) -> str:
        """An IRI for a case number, document id/file name, key under the base or IRI."""
        e = self.entities
        ident = ident.strip()
        if not ident:
            raise NotFound("empty identifier; give a case number, a document or an IRI")
        if ident.startswith(("http://", "https://")):
            candidates = [ident]
        else:
            stem = ident.removesuffix(".txt").removesuffix(".md")
            candidates = [e.base + ident, e.base + "dokument/" + stem]
        for iri in candidates:
            kind = e.kind(iri)
            if kind in ("case", "document") and e.exists(iri):
                return iri
        cases = e.find_case(ident)
        if len(cases) == 1:
            return cases[0]
        if len(cases) > 1:
            raise NotFound(
                f"case number {ident!r} is in several municipalities: "
                + ", ".join(e.key(c) for c in cases)
                + "; give one of these"
            )
        raise NotFound(f"no case or document {ident!r} in the graph")

    def _refresh(self) -> None:
        """Reload the per-generation caches if a build has switched the store."""
        generation = self.entities._reader().generation
        if self._docs_cache is None or self._docs_cache[0] != generation:
            docs = self.entities._docs("")
            self._docs_cache = (generation, docs)
            self._by_iri = {d["iri"]: d for d in docs}
            self._by_case: dict[str, list[str]] = {}
            for d in docs:
                if d.get("case"):
                    self._by_case.setdefault(d["case"], []).append(d["iri"])
            self._refs_cache = None

    def _all_documents(self) -> list[dict[str, Any]]:
        if self._docs_cache is None:
            self._refresh()
        return self._docs_cache[1]

    def _docs_for_case(self, case: str | None) -> list[str]:
        if self._docs_cache is None:
            self._refresh()
        return list(self._by_case.get(case, ())) if case else []

    def _title_matches(self, a: str | None, b: str | None) -> bool:
        x, y = _norm_title(a), _norm_title(b)
        if len(x) < 12 or len(y) < 12:
            return False
        return x == y or (min(len(x), len(y)) >= 20 and (x in y or y in x))

    def _docs_for_title(self, title: str | None, citing: str) -> list[str]:
        """The corpus document a title cited by ``citing`` stands for: of the documents
        with that title in the same municipality and not dated after the citing one,
        the most recent (a title alone is ambiguous; the latest earlier one is meant)."""
        info = self._doc(citing) or {}
        when, where = info.get("date") or "9999", info.get("municipality")
        found = [
            d
            for d in self._all_documents()
            if d["iri"] != citing
            and d.get("municipality") == where
            and (d.get("date") or "") <= when
            and self._title_matches(d.get("title"), title)
        ]
        found.sort(key=lambda d: (d.get("date") or "", d["iri"]))
        return [found[-1]["iri"]] if found else []

    def _document_references(self) -> list[dict[str, Any]]:
        """Every document reference with a title (cached per store generation)."""
        generation = self._docs_cache[0] if self._docs_cache else ""
        if self._refs_cache is None or self._refs_cache[0] != generation:
            rows = self.entities.select(
                """SELECT DISTINCT ?d ?ref ?title ?start ?end ?exact WHERE { GRAPH ?g {
                  ?ref a bg:DocumentReference ; bg:refersTo ?t ; bg:evidence ?s . ?t bg:title ?title .
                  ?s bg:inDocument ?d ; oa:start ?start ; oa:end ?end ; oa:exact ?exact . } }"""
            )
            self._refs_cache = (generation, rows)
        return self._refs_cache[1]

    def _doc(self, iri: str) -> dict[str, Any] | None:
        if self._docs_cache is None:
            self._refresh()
        return self._by_iri.get(iri)

    # -- links -----------------------------------------------------------------------

    def _is_response(self, doc: str) -> bool:
        info = self._doc(doc) or {}
        classes = {r["c"] for r in self.entities.select(f"SELECT ?c WHERE {{ {iri_ref(doc)} a ?c }}")}
        return bool(classes & _RESPONSE_CLASSES) or bool(_RESPONSE_TITLE.search(info.get("title") or ""))

    def _sections(self, doc: str) -> list[tuple[str, int, int]]:
        rows = self.entities.select(
            f"SELECT DISTINCT ?key ?start ?end WHERE {{ ?sec a bg:Section ; bg:partOf {iri_ref(doc)} ; "
            "bg:sectionKey ?key ; bg:evidence ?s . ?s oa:start ?start ; oa:end ?end }"
        )
        return [(r["key"], r["start"], r["end"]) for r in rows]

    def upstream_of(self, doc: str, depth: int = 1) -> list[Link]:
        """What one document builds on, as typed links with their evidence."""
        e = self.entities
        graph = e.graph_of(doc)
        rows = e.select(
            f"""SELECT ?ref ?cls ?t ?num ?title ?desc ?tcase ?date ?bodyLabel ?start ?end ?exact WHERE {{
              GRAPH {graph} {{
                ?ref a ?cls ; bg:refersTo ?t ; bg:evidence ?s . ?s oa:start ?start ; oa:end ?end ; oa:exact ?exact .
                VALUES ?cls {{ bg:CaseReference bg:DocumentReference bg:DecisionReference }}
                OPTIONAL {{ ?t bg:caseNumber ?num }} OPTIONAL {{ ?t bg:title ?title }}
                OPTIONAL {{ ?t bg:description ?desc }} OPTIONAL {{ ?t bg:case ?tcase }}
                OPTIONAL {{ ?t bg:date ?date }}
                OPTIONAL {{ ?t bg:preparedFor|bg:decidedBy ?body . ?body rdfs:label ?bodyLabel }}
              }} }} ORDER BY ?start ?ref"""
        )
        own = (self._doc(doc) or {}).get("case")
        sections = self._sections(doc)
        response = self._is_response(doc)
        links: list[Link] = []
        seen: set[str] = set()
        for r in rows:
            if r["ref"] in seen:
                continue
            seen.add(r["ref"])
            cls = r["cls"].removeprefix(BG)
            in_list = any(k in _LIST_SECTIONS and a <= r["start"] < b for k, a, b in sections)
            if cls == "CaseReference":
                if r["t"] == own:
                    continue  # a document citing its own case number is no lineage
                kind = "svarar_pa" if response else "hanvisar_arende"
                label, targets = r.get("num") or e.key(r["t"]), self._docs_for_case(r["t"])
            elif cls == "DecisionReference":
                kind = "tidigare_beslut"
                label = r.get("desc") or r["exact"]
                targets = self._docs_for_case(r.get("tcase"))
            else:
                kind = "beslutsunderlag" if in_list else "hanvisar_handling"
                label = r.get("title") or r["exact"]
                targets = self._docs_for_case(r.get("tcase")) if r.get("tcase") != own else []
                targets = sorted(set(targets) | set(self._docs_for_title(r.get("title"), doc)))
            targets = [t for t in targets if t != doc]
            links.append(
                Link(
                    direction="upstream",
                    type=kind,
                    label=LINK_LABELS[kind],
                    source=doc,
                    target=r["t"],
                    target_label=label,
                    target_documents=targets,
                    date=r.get("date"),
                    body=r.get("bodyLabel"),
                    evidence={"document": doc, "start": r["start"], "end": r["end"], "exact": r["exact"]},
                    depth=depth,
                )
            )
        return links

    def downstream_of(self, doc: str | None, case: str | None, depth: int = 1) -> list[Link]:
        """Documents that cite a document (by title) or a case, with the citing span."""
        e = self.entities
        rows: list[dict[str, Any]] = []
        if case:
            ref = iri_ref(case)
            rows += e.select(
                f"""SELECT DISTINCT ?d ?ref ?start ?end ?exact WHERE {{
                  {{ ?ref bg:refersTo {ref} }} UNION {{ ?ref bg:refersTo ?t . ?t bg:case {ref} }}
                  ?ref a bg:Reference ; bg:evidence ?s .
                  ?s bg:inDocument ?d ; oa:start ?start ; oa:end ?end ; oa:exact ?exact .
                }} ORDER BY ?d ?start"""
            )
        info = self._doc(doc) if doc else None
        if info and info.get("title"):
            # A citing document in the same municipality, not dated before this one,
            # whose cited title resolves to this document (see _docs_for_title).
            for r in self._document_references():
                citing = self._doc(r["d"]) or {}
                if (
                    citing.get("municipality") == info.get("municipality")
                    and (citing.get("date") or "9999") >= (info.get("date") or "")
                    and self._title_matches(r["title"], info["title"])
                    and self._docs_for_title(r["title"], r["d"]) == [doc]
                ):
                    rows.append(r)
        links: list[Link] = []
        seen: set[str] = set()
        own_docs = set(self._docs_for_case(case)) | ({doc} if doc else set())
        for r in rows:
            if r["d"] in own_docs or r["ref"] in seen:
                continue
            seen.add(r["ref"])
            kind = "besvaras_av" if self._is_response(r["d"]) else "citeras_av"
            citing = self._doc(r["d"]) or {}
            links.append(
                Link(
                    direction="downstream",
                    type=kind,
                    label=LINK_LABELS[kind],
                    source=r["d"],
                    target=r["d"],
                    target_label=citing.get("title") or e.key(r["d"]),
                    target_documents=[r["d"]],
                    date=citing.get("date"),
                    body=None,
                    evidence={"document": r["d"], "start": r["start"], "end": r["end"], "exact": r["exact"]},
                    depth=depth,
                )
            )
        return links

    # -- the whole lineage -------------------------------------------------------------

    def lineage(self, ident: str, *, depth: int = 3) -> Lineage:
        """Upstream and downstream links of a case or a document, and its timeline."""
        if not 1 <= depth <= MAX_DEPTH:
            raise NotFound(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
        e = self.entities
        self._refresh()
        iri = self.resolve(ident)
        kind = e.kind(iri)
        if kind == "case":
            case = e.case(iri)
            subject = {"iri": iri, "kind": "case", "label": case["number"], "municipality": case["municipality"]}
            start_docs = [d["iri"] for d in case["documents"]]
            start_case: str | None = iri
        else:
            info = self._doc(iri)
            if info is None:
                raise NotFound(f"no document {e.key(iri)!r} in the graph")
            subject = {"iri": iri, "kind": "document", "label": info.get("title") or info["source"], "municipality": info.get("municipality")}
            start_docs = [iri]
            start_case = info.get("case")
        result = Lineage(subject=subject, documents=[self._doc(d) for d in start_docs if self._doc(d)])

        # Upstream, breadth first over resolved corpus documents.
        visited = set(start_docs)
        frontier = list(start_docs)
        for level in range(1, depth + 1):
            nxt: list[str] = []
            for d in frontier:
                for link in self.upstream_of(d, level):
                    result.upstream.append(link)
                    for t in link.target_documents:
                        if t not in visited and len(visited) < MAX_DOCUMENTS:
                            visited.add(t)
                            nxt.append(t)
            frontier = nxt
        # Downstream: start from the subject's case (all its documents) or the document.
        visited_down = set(start_docs)
        frontier_pairs: list[tuple[str | None, str | None]] = [(d, (self._doc(d) or {}).get("case")) for d in start_docs] or [(None, start_case)]
        if kind == "case" and not start_docs:
            frontier_pairs = [(None, start_case)]
        for level in range(1, depth + 1):
            nxt_pairs: list[tuple[str | None, str | None]] = []
            for d, c in frontier_pairs:
                for link in self.downstream_of(d, c, level):
                    if any(x.evidence == link.evidence for x in result.downstream):
                        continue
                    result.downstream.append(link)
                    if link.source not in visited_down and len(visited_down) < MAX_DOCUMENTS:
                        visited_down.add(link.source)
                        nxt_pairs.append((link.source, (self._doc(link.source) or {}).get("case")))
            frontier_pairs = nxt_pairs

        for d in visited | visited_down:
            if (info := self._doc(d)) is not None:
                result.related_documents[d] = info
        result.upstream.sort(key=lambda x: (x.depth, _date_key(x.date), x.evidence["start"]))
        result.downstream.sort(key=lambda x: (x.depth, _date_key(x.date), x.source))
        result.timeline = self._timeline(result, start_docs)
        return result

    def _timeline(self, result: Lineage, start_docs: list[str]) -> list[TimelineEvent]:
        events: list[TimelineEvent] = []
        for d, info in result.related_documents.items():
            events.append(
                TimelineEvent(info.get("date"), "handling", info.get("title") or info["source"], None, d)
            )
        for link in result.upstream:
            if link.date and link.type in ("tidigare_beslut", "beslutsunderlag", "hanvisar_handling"):
                kind = "tidigare beslut" if link.type == "tidigare_beslut" else "citerad handling"
                events.append(TimelineEvent(link.date, kind, link.target_label, link.body, link.source, link.evidence))
        for d in start_docs:
            for r in self.entities.select(
                f"""SELECT DISTINCT ?t ?date ?body ?start ?end ?exact WHERE {{ GRAPH {self.entities.graph_of(d)} {{
                  ?t a bg:PlannedTreatment ; bg:evidence ?s . ?s bg:inDocument {iri_ref(d)} ;
                     oa:start ?start ; oa:end ?end ; oa:exact ?exact .
                  OPTIONAL {{ ?t bg:plannedDate ?date }} OPTIONAL {{ ?t bg:treatingBody/rdfs:label ?body }}
                }} }} ORDER BY ?start"""
            ):
                events.append(
                    TimelineEvent(
                        r.get("date"),
                        "planerad behandling",
                        r.get("body") or r["exact"],
                        r.get("body"),
                        d,
                        {"document": d, "start": r["start"], "end": r["end"], "exact": r["exact"]},
                    )
                )
        return sorted(events, key=lambda ev: (_date_key(ev.date), ev.kind != "handling"))
