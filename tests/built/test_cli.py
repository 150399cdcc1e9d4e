"""The command line, run as a real subprocess: contracts, output formats and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SOURCES = sorted(CORPUS.glob("*.txt"))

# DESIGN.md, "Contracts that tests and tools rely on": the keys `extract --json` must carry.
CONTRACT = {
    "source": None,
    "document": {"title", "doc_type", "date", "municipality", "case_number"},
    "case_numbers": {"text", "normalized", "start", "end"},
    "bodies": {"name", "text", "start", "end"},
    "persons": {"name", "role", "party"},
    "recommendations": {"text", "issuer", "targets"},
    "decision_proposals": {"text", "body"},
    "planned_treatments": {"body", "date"},
    "references": {"kind", "text", "target", "start", "end"},
}


def run(
    *args: str,
    data_dir: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    # Only the settings a test gives: none inherited from the shell that runs pytest.
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("BESLUTSGRAF_")}
    full_env.update(env or {})
    cmd = [sys.executable, "-m", "beslutsgraf", *args]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    return subprocess.run(
        cmd, capture_output=True, text=True, env=full_env, input=stdin, timeout=300, check=False
    )


def assert_one_line_error(
    proc: subprocess.CompletedProcess[str], *, code: int, contains: str
) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and contains in lines[0], lines[0]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "data"
    proc = run("build", str(CORPUS), data_dir=path)
    assert proc.returncode == 0, proc.stderr
    assert "5 added" in proc.stdout and "store-1" in proc.stdout
    return path


# --- extract -----------------------------------------------------------------------


def test_extract_json_contract() -> None:
    proc = run("extract", *map(str, SOURCES), "--json")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(SOURCES) == 5
    for line, path in zip(lines, SOURCES):
        obj = json.loads(line)
        assert set(CONTRACT) <= set(obj)
        assert obj["source"] == path.name
        assert CONTRACT["document"] <= set(obj["document"])
        for key, required in CONTRACT.items():
            if key in ("source", "document"):
                continue
            assert isinstance(obj[key], list), key
            for item in obj[key]:
                assert required <= set(item), (key, item)
        for rec in obj["recommendations"]:
            assert isinstance(rec["targets"], list)
        for ref in obj["references"]:
            assert ref["kind"] in ("case", "document", "decision")
        for c in obj["case_numbers"]:
            assert isinstance(c["start"], int) and c["start"] < c["end"]
    first = json.loads(lines[0])
    assert first["case_numbers"] and first["bodies"]


def test_extract_bad_file_among_good_ones(tmp_path: Path) -> None:
    missing = tmp_path / "saknas.txt"
    empty = tmp_path / "tom.txt"
    empty.write_text("")
    proc = run("extract", str(SOURCES[0]), str(missing), str(empty), str(SOURCES[1]), "--json")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert [json.loads(line)["source"] for line in proc.stdout.splitlines()] == [
        SOURCES[0].name,
        SOURCES[1].name,
    ]
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 2
    assert (
        errors[0].startswith("error: ")
        and "saknas.txt" in errors[0]
        and "no such file" in errors[0]
    )
    assert errors[1].startswith("error: ") and "tom.txt" in errors[1] and "empty" in errors[1]


def test_extract_missing_file_alone() -> None:
    assert_one_line_error(
        run("extract", "finns-inte.txt", "--json"), code=1, contains="finns-inte.txt"
    )


def test_extract_summary() -> None:
    proc = run("extract", str(SOURCES[0]))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == SOURCES[0].name
    assert "facts:" in proc.stdout and "case numbers" in proc.stdout


def test_extract_without_files_is_a_usage_error() -> None:
    assert_one_line_error(run("extract"), code=2, contains="Missing argument")


# --- build ---------------------------------------------------------------------------


def test_build_twice_changes_nothing(data_dir: Path) -> None:
    proc = run("build", str(CORPUS), data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "store store-1 unchanged" in proc.stdout and "5 unchanged" in proc.stdout


def test_build_with_env_data_dir_and_bad_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(SOURCES[0].read_bytes())
    (corpus / "trasig.txt").write_bytes(b"\x00\x01\x02" * 100)
    data = tmp_path / "env-data"
    proc = run("build", str(corpus), "--quiet", env={"BESLUTSGRAF_DATA_DIR": str(data)})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "1 added" in proc.stdout and "1 failed" in proc.stdout
    assert proc.stderr.strip().splitlines() == [
        "failed: trasig.txt: looks like a binary file, not text (control bytes found)"
    ]
    assert (data / "CURRENT").read_text().split() == ["store-1", "index-1"]


def test_build_missing_corpus(tmp_path: Path) -> None:
    assert_one_line_error(
        run("build", str(tmp_path / "nope"), data_dir=tmp_path / "d"),
        code=1,
        contains="corpus folder not found",
    )


# --- sparql --------------------------------------------------------------------------

QUERY = (
    "PREFIX bg: <https://beslutsgraf.se/ontology#> "
    "SELECT ?source WHERE { ?d a bg:Document ; bg:sourceFile ?source } ORDER BY ?source"
)


def test_sparql_table(data_dir: Path) -> None:
    proc = run("sparql", QUERY, data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "?source"
    assert lines[2:7] == [p.name for p in SOURCES]
    assert lines[-1] == "(5 rows)"


def test_sparql_csv(data_dir: Path) -> None:
    proc = run("sparql", QUERY, "--format", "csv", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert list(csv.reader(io.StringIO(proc.stdout))) == [["source"]] + [[p.name] for p in SOURCES]


def test_sparql_json_from_file_and_stdin(data_dir: Path, tmp_path: Path) -> None:
    qfile = tmp_path / "q.rq"
    qfile.write_text(QUERY, encoding="utf-8")
    for args, stdin in ((("--file", str(qfile)), None), (("--file", "-"), QUERY)):
        proc = run("sparql", *args, "--format", "json", data_dir=data_dir, stdin=stdin)
        assert proc.returncode == 0, proc.stderr
        data = json.loads(proc.stdout)
        assert data["head"]["vars"] == ["source"]
        assert [b["source"]["value"] for b in data["results"]["bindings"]] == [
            p.name for p in SOURCES
        ]


def test_sparql_construct_turtle(data_dir: Path) -> None:
    q = (
        "PREFIX bg: <https://beslutsgraf.se/ontology#> "
        "CONSTRUCT { ?d bg:sourceFile ?s } WHERE { ?d bg:sourceFile ?s }"
    )
    proc = run("sparql", q, "--format", "turtle", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("bg:sourceFile") == 5


def test_sparql_errors_are_one_line(data_dir: Path) -> None:
    assert_one_line_error(
        run("sparql", "SELECT * WHERE { ?s ?p }", data_dir=data_dir),
        code=1,
        contains="malformed SPARQL query: error at 1:25",
    )
    assert_one_line_error(
        run("sparql", "DROP ALL", data_dir=data_dir),
        code=1,
        contains="SPARQL updates are refused: DROP",
    )
    assert_one_line_error(
        run("sparql", QUERY, "--format", "yaml", data_dir=data_dir), code=2, contains="--format"
    )
    assert_one_line_error(
        run("sparql", data_dir=data_dir), code=2, contains="either as QUERY or with --file"
    )
    assert_one_line_error(
        run(
            "sparql",
            "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
            "--timeout",
            "1",
            data_dir=data_dir,
        ),
        code=1,
        contains="query stopped after 1 s",
    )


def test_sparql_without_a_store(tmp_path: Path) -> None:
    assert_one_line_error(
        run("sparql", QUERY, data_dir=tmp_path / "none"),
        code=1,
        contains="no graph store yet; run `beslutsgraf build` first",
    )


# --- stats and the rest ------------------------------------------------------------------


def test_stats(data_dir: Path) -> None:
    proc = run("stats", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    fields = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in lines[:6])
    assert list(fields) == [
        "data dir",
        "generation",
        "documents",
        "triples",
        "named graphs",
        "size on disk",
    ]
    assert fields["data dir"] == str(data_dir)
    assert fields["generation"] == "store-1"
    assert fields["documents"] == "5"
    assert fields["named graphs"].startswith("6 ")
    assert lines[6] == "instances per class:"
    assert re.search(r"^  bg:Document +5$", proc.stdout, re.MULTILINE)

    data = json.loads(run("stats", "--json", data_dir=data_dir).stdout)
    assert data["documents"] == 5 and data["named_graphs"] == 6 and data["generation"] == "store-1"
    assert dict(data["classes"])["https://beslutsgraf.se/ontology#Document"] == 5
    assert data["triples"] > 1000 and data["store_bytes"] > 0


def test_stats_without_a_store(tmp_path: Path) -> None:
    assert_one_line_error(
        run("stats", data_dir=tmp_path / "none"), code=1, contains="no graph store yet"
    )


def test_unknown_command_and_help() -> None:
    assert_one_line_error(run("frobnicate"), code=2, contains="No such command")
    proc = run("--help")
    assert proc.returncode == 0 and "build" in proc.stdout and "sparql" in proc.stdout


def test_lineage_text_json_and_errors(data_dir: Path) -> None:
    proc = run("lineage", "STK-2024-351", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Ärende STK-2024-351 (Malmö)")
    assert "[beslutsunderlag]" in proc.stdout and "Tidslinje:" in proc.stdout
    assert "2024-06-19  planerad behandling  Kommunfullmäktige" in proc.stdout
    as_json = json.loads(run("lineage", "3.1.3-91/2019", "--json", data_dir=data_dir).stdout)
    assert [x["type"] for x in as_json["downstream"]] == ["besvaras_av"]
    assert_one_line_error(run("lineage", "STK-1999-1", data_dir=data_dir), code=1, contains="STK-1999-1")
    assert_one_line_error(run("lineage", "STK-2024-351", "--depth", "9", data_dir=data_dir), code=1, contains="depth")


def test_output_into_a_closed_pipe_is_not_an_error(data_dir: Path) -> None:
    env = {"BESLUTSGRAF_DATA_DIR": str(data_dir), "PATH": os.environ["PATH"]}
    proc = subprocess.run(
        # `true` reads nothing and exits at once, so every write meets a closed pipe.
        f"{sys.executable} -m beslutsgraf lineage STK-2024-351 | true; exit ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_serve_needs_a_built_store(tmp_path: Path) -> None:
    assert_one_line_error(run("serve", data_dir=tmp_path / "empty"), code=1, contains="beslutsgraf build")
