"""Presentation helpers for the pages: links to IRIs, marked document text, the lineage drawing.

Pure functions of service data; no queries here.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from ..graph import uris
from ..services.lineage import Lineage
from ..services.search import Snippet

ONTOLOGY_NS = "https://beslutsgraf.se/ontology#"
# The search form's names for the service's modes (services/choices.py), in its order.
MODE_LABELS = {"hybrid": "Kombinerad", "lexical": "Ord", "semantic": "Betydelse"}
# Facts drawn as marks in the text; longer statements are marked as blocks.
INLINE = {"Mention", "CaseReference", "DocumentReference", "DecisionReference", "Recipient", "PlannedTreatment"}


def local_name(term: str) -> str:
    """The local name of a vocabulary term (``dcterms:title`` → ``title``), for display."""
    return term.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def snippet_html(snippet: Snippet) -> Markup:
    """A search snippet as HTML, its matches in ``<mark>`` (escaped by the service)."""
    return Markup(snippet.html())


class Linker:
    """Local links for IRIs under the base (``/id/…``) and for ontology terms."""

    def __init__(self, base_iri: str, *, person_pages: bool = True) -> None:
        self.base = base_iri
        self.prefix = urlsplit(base_iri).path  # "/id/"
        self.person_pages = person_pages

    def __call__(self, iri: str | None) -> str:
        if not iri:
            return "#"
        local = uris.local_path(iri, base=self.base)
        if local is not None:
            if not self.person_pages and uris.kind_of(iri, base=self.base) == "person":
                return "#"  # person pages are turned off (setting person_pages)
            return self.prefix + local
        if iri.startswith(ONTOLOGY_NS):
            return "/ontology#" + iri[len(ONTOLOGY_NS) :]
        # Anything else is linked only if it is a web address: a query result may hold
        # any IRI, and ``javascript:…`` in an href would run in the reader's browser.
        return iri if iri.lower().startswith(("http://", "https://")) else "#"

    def document(self, doc_id: str) -> str:
        """The page of a document given by its id (as search hits carry it)."""
        return self(uris.mint("document", base=self.base, document=doc_id))

    def key(self, iri: str) -> str:
        """The IRI's path under the base (``organ/malmo/kommunstyrelsen``), else the IRI."""
        local = uris.local_path(iri, base=self.base)
        return iri if local is None else local

    def label(self, iri: str) -> str:
        """A short label for an IRI in a table: the last two path segments of one of
        ours, the local name of an ontology term, any other IRI whole."""
        local = uris.local_path(iri, base=self.base)
        if local is not None:
            return "/".join(local.split("/")[-2:])
        if iri.startswith(ONTOLOGY_NS):
            return iri[len(ONTOLOGY_NS) :]
        return iri


def mark_text(text: str, facts: list[dict[str, Any]], link: Linker) -> Markup:
    """The document text as HTML with each fact's span marked and linked.

    Spans that nest are drawn nested; a span that crosses another is left out of the
    text (it is still listed beside it, with its own offsets).
    """
    spans = sorted(
        ((f["start"], f["end"], n, f) for n, f in enumerate(facts) if 0 <= f["start"] < f["end"] <= len(text)),
        key=lambda x: (x[0], -x[1], x[2]),
    )
    kept: list[tuple[int, int, int, dict[str, Any]]] = []
    stack: list[tuple[int, int]] = []
    for s, e, n, f in spans:
        while stack and stack[-1][1] <= s:
            stack.pop()
        if stack and e > stack[-1][1]:
            continue  # crosses the enclosing span
        kept.append((s, e, n, f))
        stack.append((s, e))
    events: list[tuple[int, int, str]] = []
    for s, e, n, f in kept:
        cls = "fact fact-" + f["type"].lower() + (" inline" if f["type"] in INLINE else " block")
        title = f"{f['label']}: tecken {f['start']}–{f['end']}"
        if f.get("target_label"):
            title += f" → {f['target_label']}"
        open_tag = (
            f'<span class="{cls}" id="f{n}" data-fact="{n}" data-start="{f["start"]}" '
            f'data-end="{f["end"]}" title="{escape(title)}">'
        )
        href = link(f["target"]) if f.get("target") and f["type"] == "Mention" else "#"
        if href != "#":  # "#": nothing to link to (a person, with person pages off)
            open_tag += f'<a href="{escape(href)}">'
            close_tag = "</a></span>"
        else:
            close_tag = "</span>"
        events.append((s, 1, open_tag))
        events.append((e, 0, close_tag))
    # at one offset: closings first (0), then openings (1); openings of longer spans first
    order = {id(ev): i for i, ev in enumerate(events)}
    events.sort(key=lambda ev: (ev[0], ev[1], order[id(ev)] if ev[1] == 1 else -order[id(ev)]))
    out, pos = [], 0
    for at, _kind, tag in events:
        out.append(escape(text[pos:at]))
        out.append(tag)
        pos = at
    out.append(escape(text[pos:]))
    return Markup("".join(out))


def lineage_drawing(lin: Lineage, link: Linker) -> dict[str, Any]:
    """Boxes and lines for an SVG: what the subject builds on at the left, what cites it
    at the right, each box naming its link type; lines meet the subject at their own height."""
    width, row, box_w, box_h = 960, 52, 300, 42
    up: dict[str, dict[str, Any]] = {}
    for x in lin.upstream:
        target = x.target_documents[0] if x.target_documents else x.target
        up.setdefault(x.target, {"label": x.target_label, "type": x.label, "href": link(target), "depth": x.depth})
    down: dict[str, dict[str, Any]] = {}
    for x in lin.downstream:
        down.setdefault(x.source, {"label": x.target_label, "type": x.label, "href": link(x.source), "depth": x.depth})
    rows = max(len(up), len(down), 1)
    height = rows * row + 20
    subject_h = max(box_h, height - 40)
    subject = {"x": width / 2 - 90, "y": (height - subject_h) / 2, "w": 180, "h": subject_h,
               "label": lin.subject["label"], "href": link(lin.subject["iri"])}
    nodes, edges = [], []
    for side, items, x in (("up", up, 10), ("down", down, width - box_w - 10)):
        n = len(items)
        for i, item in enumerate(items.values()):
            y = 10 + i * row + (rows - n) * row / 2
            cy = y + box_h / 2
            nodes.append({**item, "label": short(item["label"], 40), "x": x, "y": y, "w": box_w, "h": box_h, "side": side})
            if side == "up":
                edges.append({"x1": x + box_w, "y1": cy, "x2": subject["x"], "y2": cy})
            else:
                edges.append({"x1": subject["x"] + subject["w"], "y1": cy, "x2": x, "y2": cy})
    return {"width": width, "height": height, "subject": subject, "nodes": nodes, "edges": edges}


def short(text: str | None, n: int = 60) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"
