"""Entity views: documents, cases, bodies, persons and recommendations read from the graph.

Plain Python over the serving store, no web types: the web pages, the JSON API and
the CLI show the same dictionaries.  Every view is a handful of fixed SPARQL
queries run in-process (they are bounded by LIMIT or by one named graph, so they
need no worker process as user queries do).  IRIs are put into query text only
after ``pyoxigraph.NamedNode`` has checked them, and strings never are.

Every fact a view returns carries its evidence: the document, the character span
and the exact text (``oa:exact``), so a reader can check it against the source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..errors import BeslutsgrafError, NotFound
from ..graph import uris
from ..graph.store import StoreReader

PREFIXES = """
PREFIX bg:   <https://beslutsgraf.se/ontology#>
PREFIX oa:   <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
BG = "https://beslutsgraf.se/ontology#"
MAX_PAGE = 200

# Fact classes shown on a document page, with their Swedish names.
FACT_LABELS: dict[str, str] = {
    "Mention": "omnämnande",
    "Recommendation": "rekommendation",
    "DecisionProposal": "beslutsförslag",
    "Decision": "beslut",
    "PlannedTreatment": "planerad behandling",
    "Recipient": "beslutet skickas till",
    "CaseReference": "hänvisning till ärende",
    "DocumentReference": "hänvisning till handling",
    "DecisionReference": "hänvisning till beslut",
    "Membership": "befattning eller parti",
}
# Entity kinds (by IRI path) with their Swedish names.
KIND_LABELS: dict[str, str] = {
    "document": "Handling",
    "case": "Ärende",
    "body": "Organ",
    "administration": "Förvaltning",
    "person": "Person",
    "party": "Parti",
    "organisation": "Organisation",
    "municipality": "Kommun",
    "role": "Befattning",
}


@dataclass
class Page:
    """One page of a list: ``items`` from ``offset``, out of ``total``."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "items": self.items}


def _value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith(("#integer", "#int")):
            return int(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


def iri_ref(iri: str) -> str:
    """``<iri>`` for query text, after pyoxigraph has checked that it is an IRI."""
    try:
        return f"<{ox.NamedNode(iri).value}>"
    except ValueError:
        raise NotFound(f"not an IRI: {iri!r}") from None


def check_page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_PAGE:
        raise BeslutsgrafError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
    if offset < 0:
        raise BeslutsgrafError(f"offset must be 0 or more, got {offset}")
    return limit, offset


class EntityService:
    """Views of the things in the graph; ``reader`` gives the serving ``StoreReader``."""

    def __init__(self, reader: Callable[[], StoreReader], *, base_iri: str) -> None:
        self._reader = reader
        self.base = base_iri
        self._cache: dict[str, Any] = {}
        self._cache_generation: str | None = None

    # -- plumbing ------------------------------------------------------------------

    def select(self, query: str) -> list[dict[str, Any]]:
        """Rows of a fixed SELECT query as dicts of plain values."""
        answer = self._reader().query(PREFIXES + query)
        names = [v.value for v in answer.variables]
        return [{n: _value(sol[n]) for n in names} for sol in answer]

    def count(self, query: str) -> int:
        rows = self.select(query)
        return int(rows[0]["n"]) if rows else 0

    def first(self, ref: str, path: str) -> Any:
        """The first value of ``path`` from the subject ``ref`` (``<iri>``), or None."""
        rows = self.select(f"SELECT ?v WHERE {{ {ref} {path} ?v }} LIMIT 1")
        return rows[0]["v"] if rows else None

    def ask(self, query: str) -> bool:
        return bool(self._reader().query(PREFIXES + query))

    def key(self, iri: str) -> str:
        """The path of an IRI under the base (``arende/malmo/STK-2018-885``)."""
        return iri.removeprefix(self.base)

    def kind(self, iri: str) -> str | None:
        try:
            return uris.parse(iri, base=self.base).kind
        except uris.IriError:
            return None

    def exists(self, iri: str) -> bool:
        ref = iri_ref(iri)
        return self.ask(f"ASK {{ {{ {ref} ?p ?o }} UNION {{ ?s ?p {ref} }} }}")

    def label(self, iri: str) -> str:
        rows = self.select(
            f"SELECT ?l ?n ?t WHERE {{ OPTIONAL {{ {iri_ref(iri)} rdfs:label ?l }} "
            f"OPTIONAL {{ {iri_ref(iri)} bg:caseNumber ?n }} OPTIONAL {{ {iri_ref(iri)} bg:title ?t }} }} LIMIT 1"
        )
        row = rows[0] if rows else {}
        return row.get("n") or row.get("l") or row.get("t") or self.key(iri)

    # -- documents -----------------------------------------------------------------

    _DOC_FIELDS = """
      ?doc a bg:Document ; bg:sourceFile ?source .
      OPTIONAL { ?doc bg:title ?title }
      OPTIONAL { ?doc bg:documentType ?doc_type }
      OPTIONAL { ?doc bg:date ?date }
      OPTIONAL { ?doc bg:municipality/rdfs:label ?municipality }
      OPTIONAL { ?doc bg:case ?case . ?case bg:caseNumber ?case_number }
    """

    def _doc_row(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "iri": row["doc"],
            "id": self.key(row["doc"]).removeprefix("dokument/"),
            "source": row["source"],
            "title": row.get("title"),
            "doc_type": row.get("doc_type"),
            "date": row.get("date"),
            "municipality": row.get("municipality"),
            "case_number": row.get("case_number"),
            "case": row.get("case"),
        }

    def _docs(self, where: str, *, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        rows = self.select(
            "SELECT ?doc (SAMPLE(?source) AS ?source) (SAMPLE(?title) AS ?title) "
            "(SAMPLE(?doc_type) AS ?doc_type) (SAMPLE(?date) AS ?date) "
            "(SAMPLE(?municipality) AS ?municipality) (SAMPLE(?case) AS ?case) "
            "(SAMPLE(?case_number) AS ?case_number) "
            f"WHERE {{ GRAPH ?g {{ {where} {self._DOC_FIELDS} }} }} GROUP BY ?doc ORDER BY ?date ?source{page}"
        )
        return [self._doc_row(r) for r in rows]

    def documents(self, *, limit: int = 50, offset: int = 0) -> Page:
        """All documents, oldest first."""
        limit, offset = check_page(limit, offset)
        total = self.count("SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc a bg:Document }")
        return Page(total, limit, offset, self._docs("", limit=limit, offset=offset))

    def graph_of(self, doc_iri: str) -> str:
        """``<iri>`` of the named graph that holds a document (minted by ``uris``)."""
        try:
            parsed = uris.parse(doc_iri, base=self.base)
        except uris.IriError:
            raise NotFound(f"not a document IRI: {doc_iri!r}") from None
        if parsed.kind != "document":
            raise NotFound(f"{self.key(doc_iri)!r} is a {parsed.kind}, not a document")
        return iri_ref(uris.mint("graph", base=self.base, **parsed.parts))

    def document_iri(self, doc_id: str) -> str:
        try:
            return uris.mint("document", base=self.base, document=doc_id)
        except uris.IriError as err:
            raise NotFound(f"no document {doc_id!r}: {err}") from None

    def document(self, doc_id: str) -> dict[str, Any]:
        """One document: its metadata, text, sections and every fact with its span."""
        iri = self.document_iri(doc_id)
        graph = iri_ref(uris.mint("graph", base=self.base, document=doc_id))
        docs = self._docs(f"VALUES ?doc {{ {iri_ref(iri)} }}")
        if not docs:
            raise NotFound(f"no document {doc_id!r} in the graph")
        doc = docs[0]
        meta = self.select(
            f"SELECT ?text ?sha ?addressee ?ref ?refName ?version WHERE {{ GRAPH {graph} {{ "
            f"{iri_ref(iri)} bg:text ?text ; bg:sha256 ?sha . "
            f"OPTIONAL {{ {iri_ref(iri)} bg:addressee ?addressee }} "
            f"OPTIONAL {{ {iri_ref(iri)} bg:referencePerson ?ref . ?ref rdfs:label ?refName }} "
            f"OPTIONAL {{ ?act prov:used {iri_ref(iri)} ; bg:extractorVersion ?version }} }} }} LIMIT 1"
        )[0]
        doc.update(
            text=meta["text"],
            sha256=meta["sha"],
            addressee=meta.get("addressee"),
            reference_person={"iri": meta["ref"], "name": meta["refName"]} if meta.get("ref") else None,
            extractor_version=meta.get("version"),
            graph=self.key(graph[1:-1]),
        )
        doc["sections"] = self.select(
            f"SELECT ?iri ?key ?title ?start ?end WHERE {{ GRAPH {graph} {{ "
            "?iri a bg:Section ; bg:sectionKey ?key ; bg:evidence ?s . ?s oa:start ?start ; oa:end ?end . "
            "OPTIONAL { ?iri bg:title ?title } } } ORDER BY ?start"
        )
        doc["facts"] = self._facts(graph)
        return doc

    def _facts(self, graph: str) -> list[dict[str, Any]]:
        rows = self.select(
            f"""SELECT ?fact ?cls ?start ?end ?exact ?derived ?text ?target ?targetLabel
                       ?body ?bodyLabel ?date ?role ?org ?orgLabel ?issuer ?issuerLabel
            WHERE {{ GRAPH {graph} {{
              ?fact bg:evidence ?span ; a ?cls .
              ?span oa:start ?start ; oa:end ?end ; oa:exact ?exact .
              VALUES ?cls {{ bg:Mention bg:Recommendation bg:DecisionProposal bg:Decision
                            bg:PlannedTreatment bg:Recipient bg:CaseReference
                            bg:DocumentReference bg:DecisionReference bg:Membership }}
              OPTIONAL {{ ?fact bg:derived ?derived }}
              OPTIONAL {{ ?fact bg:text ?text }}
              OPTIONAL {{ ?fact bg:denotes|bg:refersTo|bg:member ?target .
                         OPTIONAL {{ ?target rdfs:label|bg:caseNumber|bg:title|bg:description ?targetLabel }} }}
              OPTIONAL {{ ?fact bg:decidingBody|bg:decidedBy|bg:treatingBody ?body .
                         OPTIONAL {{ ?body rdfs:label ?bodyLabel }} }}
              OPTIONAL {{ ?fact bg:plannedDate ?date }}
              OPTIONAL {{ ?fact bg:role/rdfs:label ?role }}
              OPTIONAL {{ ?fact bg:organization ?org . ?org a bg:Party ; rdfs:label ?orgLabel }}
              OPTIONAL {{ ?fact bg:issuer ?issuer . OPTIONAL {{ ?issuer rdfs:label ?issuerLabel }} }}
            }} }} ORDER BY ?start ?end ?fact"""
        )
        facts: dict[str, dict[str, Any]] = {}
        for r in rows:
            if r["fact"] in facts:
                continue
            cls = r["cls"].removeprefix(BG)
            # A Decision reached through a reference is the reference's target, not a fact here.
            if cls == "Decision" and "/referens/" in r["fact"]:
                continue
            facts[r["fact"]] = {
                "iri": r["fact"],
                "type": cls,
                "label": FACT_LABELS.get(cls, cls),
                "start": r["start"],
                "end": r["end"],
                "exact": r["exact"],
                "derived": bool(r.get("derived")),
                "text": r.get("text"),
                "target": r.get("target"),
                "target_label": r.get("targetLabel"),
                "target_kind": self.kind(r["target"]) if r.get("target") else None,
                "body": r.get("body"),
                "body_label": r.get("bodyLabel"),
                "date": r.get("date"),
                "role": r.get("role"),
                "party": r.get("orgLabel"),
                "issuer": r.get("issuer"),
                "issuer_label": r.get("issuerLabel"),
            }
        targets = self._targets_of(graph)
        for f in facts.values():
            f["targets"] = targets.get(f["iri"], [])
        return list(facts.values())

    def _targets_of(self, graph: str) -> dict[str, list[dict[str, str]]]:
        out: dict[str, list[dict[str, str]]] = {}
        for r in self.select(
            f"SELECT DISTINCT ?fact ?t ?l WHERE {{ GRAPH {graph} {{ ?fact a bg:Recommendation ; "
            "bg:addressedTo ?t . OPTIONAL { ?t rdfs:label ?l } } } ORDER BY ?fact ?l"
        ):
            out.setdefault(r["fact"], []).append({"iri": r["t"], "name": r.get("l") or self.key(r["t"])})
        return out

    # -- cases ---------------------------------------------------------------------

    def _counts(self, pattern: str) -> dict[str, int]:
        """?x -> number of documents whose own graph states ``pattern`` (with ?d, ?x)."""
        rows = self.select(
            f"SELECT ?x (COUNT(DISTINCT ?d) AS ?n) WHERE {{ GRAPH ?g {{ ?d a bg:Document . {pattern} }} }} GROUP BY ?x"
        )
        return {r["x"]: r["n"] for r in rows}

    def _labelled(self, classes: str, label: str = "rdfs:label") -> list[dict[str, Any]]:
        """Distinct (?x, name, municipality) of the instances of ``classes`` (a VALUES list)."""
        rows = self.select(
            f"SELECT DISTINCT ?x ?name ?m WHERE {{ GRAPH ?g {{ VALUES ?cls {{ {classes} }} ?x a ?cls ; {label} ?name . "
            "OPTIONAL { ?x bg:municipality/rdfs:label ?m } } }"
        )
        seen: dict[str, dict[str, Any]] = {}
        for r in rows:
            seen.setdefault(r["x"], r)
        return list(seen.values())

    def _memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per store generation (lists over the whole graph)."""
        generation = self._reader().generation
        cache = self._cache if self._cache_generation == generation else {}
        if key not in cache:
            cache[key] = compute()
        self._cache, self._cache_generation = cache, generation
        return cache[key]

    def cases(self, *, limit: int = 50, offset: int = 0) -> Page:
        """All cases, with how many documents belong to each and how many mention it."""
        limit, offset = check_page(limit, offset)

        def compute() -> list[dict[str, Any]]:
            own = self._counts("?d bg:case ?x .")
            mentioned = self._counts("?d bg:mentions ?x . ?x a bg:Case .")
            items = [
                {
                    "iri": r["x"],
                    "id": self.key(r["x"]).removeprefix("arende/"),
                    "number": r["name"],
                    "municipality": r.get("m"),
                    "documents": own.get(r["x"], 0),
                    "mentioned": mentioned.get(r["x"], 0),
                }
                for r in self._labelled("bg:Case", "bg:caseNumber")
            ]
            return sorted(items, key=lambda c: (-c["documents"], c["number"]))

        items = self._memo("cases", compute)
        return Page(len(items), limit, offset, items[offset : offset + limit])

    def find_case(self, number: str) -> list[str]:
        """IRIs of the cases whose normalised number is ``number`` (any municipality)."""
        from ..extract.case_numbers import find_case_numbers

        found = find_case_numbers(number)
        wanted = {number.strip()} | {c.normalized for c in found}
        rows = self.select("SELECT DISTINCT ?case ?n WHERE { GRAPH ?g { ?case a bg:Case ; bg:caseNumber ?n } }")
        return sorted({r["case"] for r in rows if r["n"] in wanted})

    def case(self, iri: str) -> dict[str, Any]:
        """A case: number, municipality, its documents and the documents that mention it."""
        ref = iri_ref(iri)
        number = self.first(ref, "bg:caseNumber")
        if number is None or not self.ask(f"ASK {{ {ref} a bg:Case }}"):
            raise NotFound(f"no case {self.key(iri)!r} in the graph")
        r = {
            "n": number,
            "m": self.first(ref, "bg:municipality/rdfs:label"),
            "reg": self.first(ref, "bg:registry"),
            "regLabel": self.first(ref, "bg:registeredBy/rdfs:label"),
            "year": self.first(ref, "bg:caseYear"),
        }
        return {
            "iri": iri,
            "id": self.key(iri).removeprefix("arende/"),
            "number": r["n"],
            "municipality": r.get("m"),
            "registry": r.get("reg"),
            "registered_by": r.get("regLabel"),
            "year": r.get("year"),
            "documents": self._docs(f"?doc bg:case {ref} ."),
            "mentioned_in": self._docs(f"?doc bg:mentions {ref} . FILTER NOT EXISTS {{ ?doc bg:case {ref} }}"),
        }

    # -- bodies, persons -----------------------------------------------------------

    def bodies(self, *, limit: int = 50, offset: int = 0, municipality: str | None = None) -> Page:
        """Bodies and administrations, most mentioned first."""
        limit, offset = check_page(limit, offset)

        def compute() -> list[dict[str, Any]]:
            counts = self._counts("?d bg:mentions ?x .")
            items = [
                {
                    "iri": r["x"],
                    "id": self.key(r["x"]),
                    "kind": KIND_LABELS.get(self.kind(r["x"]) or "", ""),
                    "name": r["name"],
                    "municipality": r.get("m"),
                    "documents": counts.get(r["x"], 0),
                }
                for r in self._labelled("bg:Body bg:Administration")
            ]
            return sorted(items, key=lambda b: (-b["documents"], b["name"]))

        items = [
            b
            for b in self._memo("bodies", compute)
            if municipality is None or (b.get("municipality") or "").casefold() == municipality.casefold()
        ]
        return Page(len(items), limit, offset, items[offset : offset + limit])

    def body(self, iri: str) -> dict[str, Any]:
        """A body: documents that mention it, recommendations it received, decisions it takes."""
        ref = iri_ref(iri)
        rows = self.select(
            f"SELECT ?l ?m ?cls WHERE {{ GRAPH ?g {{ {ref} rdfs:label ?l ; a ?cls . "
            f"VALUES ?cls {{ bg:Body bg:Administration }} OPTIONAL {{ {ref} bg:municipality/rdfs:label ?m }} }} }} LIMIT 1"
        )
        if not rows:
            raise NotFound(f"no body {self.key(iri)!r} in the graph")
        related = self.select(
            f"SELECT DISTINCT ?rel ?other ?l WHERE {{ GRAPH ?g {{ "
            f"{{ {ref} bg:subBodyOf ?other . BIND('underorgan till' AS ?rel) }} UNION "
            f"{{ ?other bg:subBodyOf {ref} . BIND('har underorgan' AS ?rel) }} UNION "
            f"{{ {ref} bg:serves ?other . BIND('tjänar' AS ?rel) }} UNION "
            f"{{ ?other bg:serves {ref} . BIND('betjänas av' AS ?rel) }} "
            "?other rdfs:label ?l } } ORDER BY ?rel ?l"
        )
        decisions = self.select(
            f"""SELECT DISTINCT ?fact ?cls ?text ?date ?doc ?start ?end ?exact WHERE {{ GRAPH ?g {{
              {{ ?fact a bg:Decision ; bg:decidedBy {ref} }} UNION {{ ?fact a bg:DecisionProposal ; bg:decidingBody {ref} }}
              ?fact a ?cls ; bg:evidence ?s . ?s bg:inDocument ?doc ; oa:start ?start ; oa:end ?end ; oa:exact ?exact .
              VALUES ?cls {{ bg:Decision bg:DecisionProposal }}
              OPTIONAL {{ ?fact bg:text|bg:description ?text }} OPTIONAL {{ ?fact bg:date ?date }}
            }} }} ORDER BY ?doc ?start LIMIT 500"""
        )
        treatments = self.select(
            f"""SELECT DISTINCT ?fact ?date ?doc ?start ?end ?exact ?caseNumber WHERE {{ GRAPH ?g {{
              ?fact a bg:PlannedTreatment ; bg:treatingBody {ref} ; bg:evidence ?s .
              ?s bg:inDocument ?doc ; oa:start ?start ; oa:end ?end ; oa:exact ?exact .
              OPTIONAL {{ ?fact bg:plannedDate ?date }} OPTIONAL {{ ?fact bg:case/bg:caseNumber ?caseNumber }}
            }} }} ORDER BY ?date ?doc LIMIT 500"""
        )
        return {
            "iri": iri,
            "id": self.key(iri),
            "name": rows[0]["l"],
            "kind": KIND_LABELS.get(self.kind(iri) or "", ""),
            "municipality": rows[0].get("m"),
            "related": related,
            "documents": self._docs(f"?doc bg:mentions {ref} ."),
            "recommendations": self.recommendations(body=iri, limit=MAX_PAGE).items,
            "decisions": [
                {**d, "type": d["cls"].removeprefix(BG), "label": FACT_LABELS.get(d["cls"].removeprefix(BG), ""), "document": self.key(d["doc"]).removeprefix("dokument/")}
                for d in decisions
            ],
            "planned_treatments": [{**t, "document": self.key(t["doc"]).removeprefix("dokument/")} for t in treatments],
        }

    def persons(self, *, limit: int = 50, offset: int = 0) -> Page:
        """Persons named in the documents, by name."""
        limit, offset = check_page(limit, offset)

        def compute() -> list[dict[str, Any]]:
            counts = self._counts("?d bg:mentions ?x .")
            items = [
                {"iri": r["x"], "id": self.key(r["x"]), "name": r["name"], "municipality": r.get("m"), "documents": counts.get(r["x"], 0)}
                for r in self._labelled("bg:Person")
            ]
            return sorted(items, key=lambda p: p["name"])

        items = self._memo("persons", compute)
        return Page(len(items), limit, offset, items[offset : offset + limit])

    def person(self, iri: str) -> dict[str, Any]:
        """A person: roles and parties as the documents state them, and those documents."""
        ref = iri_ref(iri)
        rows = self.select(
            f"SELECT ?l ?m WHERE {{ GRAPH ?g {{ {ref} a bg:Person ; rdfs:label ?l . OPTIONAL {{ {ref} bg:municipality/rdfs:label ?m }} }} }} LIMIT 1"
        )
        if not rows:
            raise NotFound(f"no person {self.key(iri)!r} in the graph")
        memberships = self.select(
            f"""SELECT DISTINCT ?role ?party ?partyIri ?doc ?start ?end ?exact WHERE {{ GRAPH ?g {{
              ?ms a bg:Membership ; bg:member {ref} ; bg:evidence ?s .
              ?s bg:inDocument ?doc ; oa:start ?start ; oa:end ?end ; oa:exact ?exact .
              OPTIONAL {{ ?ms bg:role/rdfs:label ?role }}
              OPTIONAL {{ ?ms bg:organization ?partyIri . ?partyIri a bg:Party ; rdfs:label ?party }}
            }} }} ORDER BY ?doc ?start"""
        )
        contexts = self.select(
            f"""SELECT DISTINCT ?context ?doc ?start ?end ?exact WHERE {{ GRAPH ?g {{
              ?mention a bg:Mention ; bg:denotes {ref} ; bg:evidence ?s .
              ?s bg:inDocument ?doc ; oa:start ?start ; oa:end ?end ; oa:exact ?exact .
              OPTIONAL {{ ?mention bg:context ?context }}
            }} }} ORDER BY ?doc ?start"""
        )
        for m in memberships + contexts:
            m["document"] = self.key(m["doc"]).removeprefix("dokument/")
        return {
            "iri": iri,
            "id": self.key(iri),
            "name": rows[0]["l"],
            "municipality": rows[0].get("m"),
            "memberships": memberships,
            "mentions": contexts,
            "documents": self._docs(f"?doc bg:mentions {ref} ."),
        }

    # -- recommendations -----------------------------------------------------------

    def recommendations(self, *, body: str | None = None, limit: int = 50, offset: int = 0) -> Page:
        """Recommendations (to ``body`` if given) with issuer, targets, evidence and answer.

        The answer is the document that takes a position on it: the document that
        quotes it when that document is a response (yttrande, remissvar, or a
        tjänsteskrivelse/-utlåtande with a decision proposal), otherwise a later
        document that cites the same case.  Status ``besvarad`` when one is found.
        """
        limit, offset = check_page(limit, offset)
        where = f"?rec bg:addressedTo {iri_ref(body)} ." if body else ""
        rows = self.select(
            f"""SELECT ?rec ?text ?issuer ?issuerLabel ?doc ?start ?end ?exact WHERE {{ GRAPH ?g {{
              ?rec a bg:Recommendation ; bg:text ?text ; bg:evidence ?s . {where}
              ?s bg:inDocument ?doc ; oa:start ?start ; oa:end ?end ; oa:exact ?exact .
              OPTIONAL {{ ?rec bg:issuer ?issuer . OPTIONAL {{ ?issuer rdfs:label ?issuerLabel }} }}
            }} }} ORDER BY ?doc ?start"""
        )
        seen: dict[str, dict[str, Any]] = {}
        for r in rows:
            seen.setdefault(r["rec"], r)
        items = list(seen.values())
        page = items[offset : offset + limit]
        recs = " ".join(iri_ref(r["rec"]) for r in page)
        targets = self.select(
            f"SELECT DISTINCT ?rec ?t ?l WHERE {{ VALUES ?rec {{ {recs} }} GRAPH ?g {{ ?rec bg:addressedTo ?t . ?t rdfs:label ?l }} }} ORDER BY ?l"
        ) if page else []
        by_rec: dict[str, list[dict[str, str]]] = {}
        for t in targets:
            by_rec.setdefault(t["rec"], []).append({"iri": t["t"], "name": t["l"]})
        answers = self._answering_documents({r["doc"] for r in page})
        out = []
        for r in page:
            answer = answers.get(r["doc"])
            out.append(
                {
                    "iri": r["rec"],
                    "text": r["text"],
                    "issuer": {"iri": r["issuer"], "name": r.get("issuerLabel")} if r.get("issuer") else None,
                    "targets": by_rec.get(r["rec"], []),
                    "document": self.key(r["doc"]).removeprefix("dokument/"),
                    "evidence": {"document": r["doc"], "start": r["start"], "end": r["end"], "exact": r["exact"]},
                    "answered_by": answer,
                    "status": "besvarad" if answer else "inget svar i korpusen",
                }
            )
        return Page(len(items), limit, offset, out)

    def _answering_documents(self, docs: set[str]) -> dict[str, dict[str, Any]]:
        """Document IRI -> the document that answers the recommendations it holds."""
        out: dict[str, dict[str, Any]] = {}
        for doc in sorted(docs):
            graph = self.graph_of(doc)
            ref = iri_ref(doc)
            own = self.select(
                f"""SELECT ?proposal WHERE {{ GRAPH {graph} {{
                  {ref} a ?cls . VALUES ?cls {{ bg:Yttrande bg:Remissvar bg:Tjansteskrivelse bg:Tjansteutlatande }}
                  ?p a bg:DecisionProposal ; bg:text ?proposal ; bg:evidence/oa:start ?at }} }} ORDER BY ?at LIMIT 1"""
            )
            if own:
                answer, proposal = doc, own[0]["proposal"]
            else:
                later = self.select(
                    f"""SELECT ?answer WHERE {{ GRAPH {graph} {{ {ref} bg:case ?case }}
                      GRAPH ?g {{ ?answer a bg:Document ; bg:cites ?case }} FILTER (?answer != {ref}) }}
                    ORDER BY ?answer LIMIT 1"""
                )
                if not later:
                    continue
                answer = later[0]["answer"]
                first = self.select(
                    f"""SELECT ?proposal WHERE {{ GRAPH {self.graph_of(answer)} {{
                      ?p a bg:DecisionProposal ; bg:text ?proposal ; bg:evidence/oa:start ?at }} }} ORDER BY ?at LIMIT 1"""
                )
                proposal = first[0]["proposal"] if first else None
            found = self._docs(f"VALUES ?doc {{ {iri_ref(answer)} }}")
            if found:
                out[doc] = {**found[0], "proposal": proposal}
        return out

    # -- any IRI -------------------------------------------------------------------

    def describe(self, iri: str, *, limit: int = 500) -> dict[str, Any]:
        """Every statement about an IRI, outgoing and incoming (for the generic page)."""
        ref = iri_ref(iri)
        out = self.select(f"SELECT DISTINCT ?p ?o WHERE {{ {ref} ?p ?o }} ORDER BY ?p ?o LIMIT {limit}")
        inc = self.select(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {ref} }} ORDER BY ?p ?s LIMIT {limit}")
        if not out and not inc:
            raise NotFound(f"nothing in the graph is called {self.key(iri)!r}")
        out = [{"p": r["p"], "o": str(r["o"])} for r in out]
        return {"iri": iri, "id": self.key(iri), "kind": self.kind(iri), "label": self.label(iri), "outgoing": out, "incoming": inc}

    def municipalities(self) -> list[dict[str, Any]]:
        """Municipalities with documents, and how many."""

        def compute() -> list[dict[str, Any]]:
            counts = self._counts("?d bg:municipality ?x .")
            rows = self._labelled("bg:Municipality")
            return sorted(
                ({"m": r["x"], "name": r["name"], "documents": counts[r["x"]]} for r in rows if r["x"] in counts),
                key=lambda m: m["name"],
            )

        return self._memo("municipalities", compute)
