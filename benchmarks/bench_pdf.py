"""PDF reading: pages/s from text layers, OCR seconds per page, peak memory on a long PDF.

    python benchmarks/bench_pdf.py                  # the real PDFs and a 504-page PDF
    python benchmarks/bench_pdf.py --pages 1000     # a longer one

1. pypdfium2 against pdfplumber (if installed) on every real PDF of
   ../shared/real-docs (or BESLUTSGRAF_REAL_DOCS): pages/s of the text layer alone,
   the reason pypdfium2 was chosen (text/pdf.py).
2. ``read_source`` with OCR on the Helsingborg guide (108 pages, five scanned) and a
   Nykarleby protokoll with garbled pages: seconds, OCR pages and seconds per OCR page.
3. A long PDF made by repeating the Högsby protokoll's pages (text layer only), read
   and extracted in a separate process (``beslutsgraf extract``, measured with
   ``os.wait4``): wall time, pages/s and peak memory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL = Path(os.environ.get("BESLUTSGRAF_REAL_DOCS", REPO.parent / "shared" / "real-docs"))


def text_layers() -> None:
    import pypdfium2 as pdfium

    try:
        import pdfplumber
    except ImportError:
        pdfplumber = None
    print(f"{'file':48} {'pages':>5} {'pdfium p/s':>11} {'pdfplumber p/s':>15}")
    for path in sorted(REAL.glob("*.pdf")):
        t = time.perf_counter()
        doc = pdfium.PdfDocument(str(path))
        n = len(doc)
        for i in range(n):
            page = doc[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
        doc.close()
        fast = n / (time.perf_counter() - t)
        slow = "-"
        if pdfplumber is not None:
            sample = min(n, 10)
            t = time.perf_counter()
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages[:sample]:
                    page.extract_text()
            slow = f"{sample / (time.perf_counter() - t):.1f}"
        print(f"{path.name[:48]:48} {n:5d} {fast:11.0f} {slow:>15}")


def ocr() -> None:
    from beslutsgraf.text.sources import read_source

    for name in ("helsingborg_sbf-samsynsguiden-riktlinje_2023.pdf", "nykarleby-fi_ungdomsfullmaktige-protokoll_2023-01.pdf"):
        path = REAL / name
        t = time.perf_counter()
        src = read_source(path, limits=_limits(ocr=False))
        layer = time.perf_counter() - t
        t = time.perf_counter()
        src = read_source(path)
        total = time.perf_counter() - t
        k = len(src.ocr_pages)
        per = (total - layer) / k if k else 0.0
        print(
            f"{name[:48]:48} {src.page_count} pages: {total:.1f} s with OCR of {k} pages "
            f"({per:.2f} s per OCR page, {1 / per if per else 0:.2f} OCR pages/s); text layer alone {layer:.2f} s"
        )


def _limits(**kw):
    from beslutsgraf.text.sources import ReadLimits

    return ReadLimits(**kw)


def long_pdf(pages: int) -> None:
    import pypdfium2 as pdfium

    seed = pdfium.PdfDocument(str(REAL / "hogsby_ks-protokoll_2007.pdf"))
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        out.import_pages(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"lang-{len(out)}.pdf"
        out.save(str(path))
        n = len(out)
        out.close()
        seed.close()
        exe = Path(sys.executable).with_name("beslutsgraf")
        t = time.perf_counter()
        proc = subprocess.Popen([str(exe), "extract", str(path), "--json"], stdout=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        if os.waitstatus_to_exitcode(status):
            raise SystemExit("extract failed")
        print(
            f"{n}-page PDF ({path.stat().st_size / 1e6:.1f} MB): extract {wall:.1f} s, "
            f"{n / wall:.0f} pages/s, peak memory {usage.ru_maxrss / 1024:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500, help="length of the long PDF (a multiple of 14 at least this)")
    parser.add_argument("--skip-ocr", action="store_true")
    args = parser.parse_args()
    if not REAL.is_dir():
        raise SystemExit(f"{REAL} not found (the real PDFs; set BESLUTSGRAF_REAL_DOCS)")
    text_layers()
    if not args.skip_ocr:
        ocr()
    long_pdf(args.pages)


if __name__ == "__main__":
    main()
