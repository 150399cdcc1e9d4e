"""A synthetic corpus in the genre's conventions, at any size, for the scale figures.

    python benchmarks/synthetic/generate.py OUT_DIR --docs 10000 [--seed 1] [--flat 0.5]

Documents of six kinds (tjänsteskrivelse, protokollsutdrag, kallelse, motion,
yttrande, medborgarförslag) from municipalities of the extractor's own gazetteer,
each municipality with one case-number scheme of ``genre.yml`` (Malmö's
``STK-2018-885``, ``KS 2021/317``, ``2019/KS 0145 10``, Stockholm's ``3.1.3–91/2019``, …)
and its bodies' registries; officials and politicians with parties; and references
between documents: a later document cites an earlier case of its municipality (its
number, the deciding body and date), so lineage has chains to follow.  A share
(``--flat``) is written as PDF converters write text, every line break a space, with
page furniture (``Sida 2 av 3``) in mid-sentence.

The same seed gives the same corpus.  Nothing is copied from a real document; the
tables are in ``genre.yml`` beside this file.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
PATTERNS = HERE.parents[1] / "src" / "beslutsgraf" / "extract" / "patterns"


@dataclass
class Case:
    number: str
    body: str
    decided: date
    title: str


class Generator:
    """Documents one after another; each municipality keeps the cases it has decided."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.genre = yaml.safe_load((HERE / "genre.yml").read_text(encoding="utf-8"))
        with (PATTERNS / "municipalities.tsv").open(encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh, delimiter="\t") if r.get("name")]
        self.municipalities = [(r["name"], r["org_names"].split("|")[0] or f"{r['name']} kommun") for r in rows]
        names = (PATTERNS / "first_names.txt").read_text(encoding="utf-8").splitlines()
        self.first_names = [n.strip() for n in names if n.strip() and not n.startswith("#") and "-" not in n]
        self.scheme: dict[str, str] = {}
        self.cases: dict[str, list[Case]] = {}
        self.serial = 100

    def person(self) -> str:
        return f"{self.rng.choice(self.first_names)} {self.rng.choice(self.genre['surnames'])}"

    def case_number(self, municipality: str, reg: str, year: int) -> str:
        scheme = self.scheme.setdefault(municipality, self.rng.choice(self.genre["schemes"]))
        self.serial += self.rng.randint(1, 9)
        klass = f"{self.rng.randint(1, 9)}.{self.rng.randint(1, 9)}.{self.rng.randint(1, 9)}"
        return scheme.format(reg=reg, year=year, serial=self.serial, klass=klass)

    def document(self, i: int) -> str:
        rng, g = self.rng, self.genre
        municipality, org = rng.choice(self.municipalities[:60])  # 60 municipalities: cases repeat
        body = rng.choice(g["bodies"])
        day = date(2018, 1, 1) + timedelta(days=rng.randint(0, 6 * 365))
        number = self.case_number(municipality, body["reg"], day.year)
        topic = rng.choice(g["topics"])
        title = topic["title"].format(thing=rng.choice(topic["thing"]))
        kind = rng.choice(g["kinds"])
        official, politicians = self.person(), [(self.person(), rng.choice(g["parties"])) for _ in range(3)]
        earlier = self.cases.get(municipality) or []
        cited = rng.choice(earlier) if earlier and rng.random() < 0.6 else None
        lines = [org, f"{rng.choice(g['labels'])} {number}", f"Datum {day.isoformat()}", "", kind.upper(), "", title, ""]
        if kind == "Protokollsutdrag":
            lines += [f"{body['name']}", f"Sammanträdesdatum {day.isoformat()}", "",
                      f"§ {rng.randint(1, 200)} {title}", f"Dnr {number}", ""]
        if kind in ("Motion", "Medborgarförslag"):
            writer, party = politicians[0]
            lines += [f"Till {g['bodies'][1]['name'].lower()}", "",
                      f"Jag föreslår att {body['name'].lower()} utreder frågan om {title.split(' om ')[-1].lower()}.", "",
                      f"{writer} ({party})" if kind == "Motion" else "", ""]
        else:
            lines += ["Sammanfattning", "",
                      (f"{rng.choice(g['administrations'])} har på uppdrag av {body['name'].lower()} berett ärendet. "
                      f"Ärendet gäller {title[0].lower() + title[1:]}."), ""]
            if cited:
                lines += [(f"{cited.body} beslutade den {cited.decided.isoformat()} ({cited.number}) om "
                          f"{cited.title[0].lower() + cited.title[1:]}, och detta ärende bygger på det beslutet."), ""]
            lines += ["Förslag till beslut", "", f"{body['name']} föreslås besluta", "",
                      "1. att godkänna förvaltningens förslag i ärendet",
                      f"2. att uppdra åt {rng.choice(g['administrations']).lower()} att återrapportera senast {day.year + 1}-06-30", ""]
            if kind == "Protokollsutdrag":
                lines += ["Beslutande", ", ".join(f"{n} ({p})" for n, p in politicians), "",
                          f"Justerare {politicians[1][0]}", ""]
            lines += [official, rng.choice(g["officials"]).capitalize(), ""]
        self.cases.setdefault(municipality, []).append(Case(number, body["name"], day, title))
        return "\n".join(lines) + "\n"

    @staticmethod
    def flatten(text: str, rng: random.Random) -> str:
        """As a PDF converter writes it: one line, page furniture in mid-sentence."""
        words = text.split()
        at = rng.randint(len(words) // 3, max(len(words) // 3, 2 * len(words) // 3))
        return " ".join([*words[:at], "Sida 2 av 2", *words[at:]]) + "\n"


def generate(out: Path, docs: int, *, seed: int = 1, flat: float = 0.5) -> int:
    """Write ``docs`` documents into ``out``; returns the bytes written."""
    gen = Generator(seed)
    out.mkdir(parents=True, exist_ok=True)
    size = 0
    for i in range(docs):
        text = gen.document(i)
        if gen.rng.random() < flat:
            text = gen.flatten(text, gen.rng)
        path = out / f"syn_{i:07d}.txt"
        path.write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--flat", type=float, default=0.5, help="share written without line breaks")
    args = ap.parse_args()
    size = generate(args.out, args.docs, seed=args.seed, flat=args.flat)
    print(f"{args.docs} documents, {size / 1e6:.1f} MB, in {args.out}")


if __name__ == "__main__":
    main()
