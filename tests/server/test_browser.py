"""End-to-end test in a real headless Chromium (Selenium) against ``live_server``.

The journey of a journalist: search the start page for ``CTC``, open the hit
"Överföring av medel, CTC", click an extracted fact to see where it stands in the
text, follow the case link to STK-2024-351 and look at its lineage.  The document
page is also loaded in a phone-sized viewport and must not scroll sideways.

Uses Debian's ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (see
``scripts/install-browser.sh``); nothing is ever downloaded.  A missing browser or
driver makes the tests fail, not skip.  Screenshots go to
``benchmarks/out/screenshots/``.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "benchmarks" / "out" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT = 60  # seconds; the first search may load the embedding model

CASE = "STK-2024-351"
TITLE = "Överföring av medel, CTC"


def _require_browser() -> None:
    missing = [
        p for p in (CHROMIUM, CHROMEDRIVER) if not (os.path.isfile(p) and os.access(p, os.X_OK))
    ]
    if missing:
        pytest.fail(
            f"browser test needs {' and '.join(missing)} (Debian packages chromium, chromium-driver); "
            "run scripts/install-browser.sh",
            pytrace=False,
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.fail(
            "browser test needs the selenium package in the venv (pip install selenium)",
            pytrace=False,
        )


@pytest.fixture
def make_driver() -> Iterator[Callable[..., object]]:
    """A factory of headless Chromium drivers; all are quit and their profiles removed."""
    _require_browser()
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    created: list[tuple[object, str]] = []

    def make(width: int = 1280, height: int = 1000):
        profile = tempfile.mkdtemp(prefix="beslutsgraf-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "--lang=sv-SE",
        ):
            options.add_argument(flag)
        try:
            driver = webdriver.Chrome(
                service=Service(executable_path=CHROMEDRIVER), options=options
            )
        except WebDriverException as exc:  # pragma: no cover - environment problem
            shutil.rmtree(profile, ignore_errors=True)
            pytest.fail(f"could not start {CHROMIUM} with {CHROMEDRIVER}: {exc}", pytrace=False)
        driver.set_page_load_timeout(120)
        created.append((driver, profile))
        return driver

    yield make
    for driver, profile in created:
        try:
            driver.quit()
        finally:
            shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver, name: str, full_page: bool = True, max_height: int = 3000) -> Path:
    """Save a PNG of the page (whole page up to max_height CSS px) and print its path."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    if full_page:
        width, height = driver.execute_script(
            "return [document.documentElement.clientWidth,"
            " Math.max(document.documentElement.scrollHeight, window.innerHeight)];"
        )
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": width,
                    "height": min(height, max_height),
                    "scale": 1,
                },
            },
        )
        path.write_bytes(base64.b64decode(shot["data"]))
    else:
        driver.save_screenshot(str(path))
    print(f"\nscreenshot: {path}")
    return path


def wait(driver):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT)


def search_ctc(driver, base_url: str):
    """Open the start page, search for CTC and return the CTC hit's title link."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    driver.get(base_url + "/")
    box = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "input#q")))
    box.clear()
    box.send_keys("CTC")
    box.submit()
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "ol.hits")))
    assert "/sok" in driver.current_url
    hits = driver.find_elements(By.CSS_SELECTOR, "li.hit")
    assert hits, "no hits for CTC"
    links = [h.find_element(By.CSS_SELECTOR, "a.hit-title") for h in hits]
    ctc = [a for a in links if "CTC" in a.text]
    assert ctc, f"no hit title contains CTC: {[a.text for a in links]}"
    return ctc[0]


def test_journalist_journey(live_server: str, make_driver) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    driver = make_driver(1280, 1000)

    # 1. search from the start page
    link = search_ctc(driver, live_server)
    marks = driver.find_elements(By.CSS_SELECTOR, "li.hit .snippet mark")
    assert marks, "snippets have no <mark> elements"
    assert any("ctc" in m.text.lower() for m in marks), [m.text for m in marks[:10]]
    screenshot(driver, "01-search-results-desktop")

    # 2. open the document
    href = link.get_attribute("href")
    assert "/id/dokument/" in href, f"hit links to {href}, not to a document page"
    link.click()
    title = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#doc-title")))
    assert title.text.strip() == TITLE
    text = driver.find_element(By.CSS_SELECTOR, "article#text")
    spans = text.find_elements(By.CSS_SELECTOR, ".fact")
    assert spans, "no marked facts in the document text"
    assert not driver.find_elements(By.CSS_SELECTOR, ".fact.active")
    screenshot(driver, "02-document-desktop", full_page=False)

    # 3. click a fact in the list whose span is in the text; it becomes active there
    items = driver.find_elements(By.CSS_SELECTOR, ".fact-item")
    assert items, "no facts in the fact list"
    in_text = {s.get_attribute("id") for s in spans}
    item = next((i for i in items if f"f{i.get_attribute('data-fact')}" in in_text), None)
    assert item is not None, "no listed fact has a span in the text"
    fact_id = f"f{item.get_attribute('data-fact')}"
    jump = item.find_element(By.CSS_SELECTOR, "a.jump")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", jump)
    jump.click()
    active = wait(driver).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#text .fact.active"))
    )
    assert active.get_attribute("id") == fact_id
    assert len(driver.find_elements(By.CSS_SELECTOR, ".fact.active")) == 1
    screenshot(driver, "02b-document-fact-active-desktop", full_page=False)

    # 4. follow the case link to the case page with its lineage
    case_link = driver.find_element(By.CSS_SELECTOR, "a.case-link")
    assert case_link.text.strip() == CASE
    driver.execute_script("window.scrollTo(0, 0);")
    case_link.click()
    heading = wait(driver).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "#case-number"))
    )
    assert heading.text.strip() == CASE
    upstream = driver.find_elements(By.CSS_SELECTOR, "#upstream li")
    assert upstream, "no upstream entries"
    assert any("beslutsunderlag" in li.text for li in upstream), [li.text for li in upstream]
    timeline = driver.find_elements(By.CSS_SELECTOR, "#timeline li")
    assert timeline, "empty timeline"
    svg = driver.find_elements(By.CSS_SELECTOR, "#lineage svg")
    assert svg and svg[0].size["width"] > 0 and svg[0].size["height"] > 0, "no lineage drawing"
    screenshot(driver, "03-case-lineage-desktop")


def test_document_page_fits_phone(live_server: str, make_driver) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    driver = make_driver(390, 844)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    driver.get(search_ctc(driver, live_server).get_attribute("href"))
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#doc-title")))
    inner, scroll = driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth];"
    )
    assert inner == 390, f"viewport is {inner} px wide, not 390"
    screenshot(driver, "04-document-phone", full_page=False)
    wide = driver.execute_script(
        "const w = window.innerWidth; return Array.from(document.querySelectorAll('body *'))"
        ".filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 5)"
        ".map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className : ''));"
    )
    assert scroll <= inner + 1, (
        f"page scrolls sideways on a phone: scrollWidth {scroll} > {inner}; wide: {wide}"
    )
