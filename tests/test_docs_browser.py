"""The built site in a real browser: headless Debian chromium driven by Playwright.

The site is served by a Python http.server thread on 127.0.0.1 (a free port). Each test
saves a screenshot under test-artifacts/ for a person to look at. Without
/usr/bin/chromium the tests are skipped, except in CI (CI=true), where .ci/run installs
it and a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest
from test_docs_build import CHECKOUT, built_site

import jiceng

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Without the background-networking flags chromium keeps calling home on a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Regression fixtures of the bundled data: two districts of release 0.1.0 whose pages the
# browser opens. New sources never change them.
TONGHUA, JINYUAN = "220521", "140110"

if CHECKOUT is None:
    pytest.skip("the site is built from the source checkout", allow_module_level=True)
if not CHROMIUM.is_file():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def base_url():
    directory, result = built_site()
    assert result.returncode == 0, result.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)  # let the theme's scroll transitions settle
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_home_page_renders_with_version_and_counts(page, base_url):
    page.goto(base_url + "index.html")
    assert page.locator("h1").first.inner_text().startswith("jiceng 基层")
    content = page.locator(".md-content").inner_text()
    assert f"version {jiceng.__version__}" in content
    counts = page.locator(".jc-counts table").first.inner_text()
    assert f"initiatives\t{len(jiceng.initiatives())}" in counts
    screenshot(page, "home")


def test_district_page_lists_its_initiatives(page, base_url):
    page.goto(base_url + f"districts/{TONGHUA}.html")
    initiatives = jiceng.initiatives()
    expected = initiatives[initiatives["district_id"] == TONGHUA]
    rows = page.locator(".jc-initiatives tbody tr")
    assert rows.count() == len(expected)
    first = expected.iloc[0]
    assert first["name_zh"] in page.locator(f'[id="{first["initiative_id"]}"]').inner_text()
    assert page.locator(".jc-metrics .jc-value").first.inner_text().strip()  # values are shown, not blank
    page.evaluate("document.querySelector('.jc-initiatives').scrollIntoView()")
    page.evaluate("window.scrollBy(0, -120)")
    screenshot(page, "district")


def test_highlighted_span_in_the_source_reader_opens_its_row_and_back(page, base_url):
    source_id = jiceng.sources().iloc[0]["source_id"]
    page.goto(base_url + f"sources/{source_id}.html")
    span = page.locator('.jc-reader a.jc-cite-metric:not([data-rows*=" "])').first
    row_id = span.get_attribute("data-rows")
    span.scroll_into_view_if_needed()
    screenshot(page, "reader")
    span.click()
    page.wait_for_url(f"**/districts/{JINYUAN}.html#{row_id}")
    row = page.locator(f'tr[id="{row_id}"]')
    assert row.evaluate("el => el.matches(':target')")
    assert row.is_visible() and row.evaluate("el => el.getBoundingClientRect().top") < 1000
    screenshot(page, "reader-row")
    row.locator("a.jc-quote").click()  # and back: the row's words in the reader
    page.wait_for_url(f"**/sources/{source_id}.html#q-{row_id}")
    assert page.locator(f'.jc-reader [data-rows~="{row_id}"].jc-focus').count() >= 1
    screenshot(page, "reader-back")


def test_words_cited_by_several_rows_offer_all_of_them(page, base_url):
    source_id = jiceng.sources().iloc[0]["source_id"]
    page.goto(base_url + f"sources/{source_id}.html")
    span = page.locator('.jc-reader a.jc-cite[data-rows*=" "]').first
    rows = span.get_attribute("data-rows").split()
    span.click()
    menu = page.locator(".jc-menu a")
    assert menu.count() == len(rows)
    screenshot(page, "reader-menu")


def search(page, base_url: str, query: str) -> list[str]:
    """Type a query into Material's search box; the result links, best first."""
    page.goto(base_url + "index.html")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material reacts to key events
    page.locator(".md-search-result__item").first.wait_for()
    return [link.get_attribute("href") for link in page.locator(".md-search-result__item > a").all()]


def test_chinese_search_finds_the_page_of_a_dataset_term(page, base_url):
    results = search(page, base_url, "街巷长")
    assert any(f"districts/{JINYUAN}.html" in href for href in results[:3]), results
    assert not any(f"districts/{TONGHUA}.html" in href for href in results), results
    screenshot(page, "search-chinese")


def test_english_search_finds_the_page_of_a_term(page, base_url):
    results = search(page, base_url, "alley steward")
    assert any(f"districts/{JINYUAN}.html" in href for href in results[:3]), results
    screenshot(page, "search-english")
