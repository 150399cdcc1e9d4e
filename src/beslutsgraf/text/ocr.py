"""OCR of one page image with Tesseract (Debian's ``tesseract-ocr`` and ``tesseract-ocr-swe``).

Tesseract runs as a subprocess per page, with a time limit and one thread; the image
goes in on standard input as a PGM, so nothing is written to disk.  One document has up
to ``pages_at_once()`` pages read at once: one per core in a process of its own (``extract``,
a build of few documents), one in a worker process (a build's pool or a Dask cluster
already runs one worker per core).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache

import numpy as np


class OcrUnavailable(Exception):
    """Tesseract or its language data is not installed."""


class OcrFailed(Exception):
    """Tesseract failed or ran out of time on a page."""


@lru_cache(maxsize=4)
def check_tesseract(language: str) -> str:
    """The path of a Tesseract that has ``language``; raise OcrUnavailable otherwise."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable("tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-swe)")
    listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    languages = set(listed.stdout.split()[1:]) | set(listed.stderr.split())
    if language not in languages:
        raise OcrUnavailable(f"tesseract has no {language!r} language data (Debian: tesseract-ocr-{language})")
    return exe


def pages_at_once() -> int:
    """How many pages of one document Tesseract reads at once: one per core this process
    may run on, or one in a worker process (whose pool or cluster fills the cores)."""
    import multiprocessing

    if multiprocessing.parent_process() is not None:
        return 1
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return max(1, len(cores))


def pgm(gray: np.ndarray) -> bytes:
    """A 2-D uint8 array as a binary PGM image."""
    height, width = gray.shape
    return b"P5\n%d %d\n255\n" % (width, height) + np.ascontiguousarray(gray).tobytes()


def ocr_image(image: bytes, *, language: str = "swe", timeout_s: float = 60.0, dpi: int = 300) -> str:
    """The text Tesseract reads in an image (PGM, PNG, …), in reading order."""
    exe = check_tesseract(language)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            [exe, "stdin", "stdout", "-l", language, "--dpi", str(dpi), "--psm", "3"],
            input=image,
            capture_output=True,
            timeout=timeout_s,
            env=env,
            check=False,  # a failure is reported below with tesseract's own message
        )
    except subprocess.TimeoutExpired:
        raise OcrFailed(f"OCR took more than {timeout_s:g} s (setting ocr_seconds_per_page)") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrFailed(f"tesseract failed: {message[-1] if message else done.returncode}")
    return done.stdout.decode("utf-8", "replace")
