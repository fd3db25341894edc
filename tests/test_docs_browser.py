"""The built site in a real browser: headless Debian chromium driven by Playwright.

The site is served by a Python http.server thread on 127.0.0.1 (a free port). Each test
saves a screenshot under test-artifacts/ for a person to look at. Without
/usr/bin/chromium the tests are skipped, except in CI (CI=true), where .ci/run installs
it and a missing browser is a failure. The accessibility tests run axe-core from the npm
registry, which .ci/run installs under .cache/npm (or JICENG_AXE_CORE names the file); it
is handled the same way.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path

import pytest
from test_docs_build import CHECKOUT, built_site

import jiceng

CHROMIUM = Path("/usr/bin/chromium")
AXE_CORE = Path(os.environ.get("JICENG_AXE_CORE")
                or Path(__file__).resolve().parents[1] / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js")
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
    statuses = jiceng.initiatives()["status"]
    line = next(line for line in counts.splitlines() if line.startswith("initiatives\t"))
    active, withdrawn = int((statuses == "active").sum()), int((statuses == "withdrawn").sum())
    assert line == f"initiatives\t{active}" + (f" ({withdrawn} withdrawn not counted)" if withdrawn else "")
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
    sources = jiceng.sources()
    for source_id, district_id in zip(sources["source_id"], sources["district_id"]):  # the first with such words
        page.goto(base_url + f"sources/{source_id}.html")
        spans = page.locator('.jc-reader a.jc-cite-metric:not([data-rows*=" "])')
        if spans.count():
            break
    else:
        pytest.fail("no source has words cited by one metric alone")
    span = spans.first
    row_id = span.get_attribute("data-rows")
    span.scroll_into_view_if_needed()
    screenshot(page, "reader")
    span.click()
    page.wait_for_url(f"**/districts/{district_id}.html#{row_id}")
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
    menu = page.locator(".jc-menu a:not(.jc-report)")
    assert menu.count() == len(rows)
    # then, for each row, a link to report a problem with it
    reports = page.locator(".jc-menu a.jc-report").all_inner_texts()
    assert reports == [f"report a problem with {row_id}" for row_id in rows]
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
    # The index cuts words with plain spaces; the results show the text as printed, tagged Chinese.
    page.wait_for_function("document.querySelector('.md-search-result__article[data-jc-tidy]')")
    # the first snippet that shows the term (the page's own entry comes first, then its rows)
    snippet = page.locator(".md-search-result__article", has_text="街巷长").first
    text = snippet.inner_text()
    assert not re.search(r"[\u4e00-\u9fff] 街巷长|街巷长 [\u4e00-\u9fff0-9]", text), text
    untagged = snippet.evaluate("""el => [...el.querySelectorAll('*')].flatMap(node => [...node.childNodes])
        .filter(child => child.nodeType === 3 && /[\u4e00-\u9fff]/.test(child.data) && !child.parentElement.closest('[lang^=zh]'))
        .map(child => child.data)""")
    assert untagged == []
    screenshot(page, "search-chinese")


def test_english_search_finds_the_page_of_a_term(page, base_url):
    results = search(page, base_url, "alley steward")
    assert any(f"districts/{JINYUAN}.html" in href for href in results[:3]), results
    screenshot(page, "search-english")


# --- accessibility ----------------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}
MULTI_ROW_SPAN = '.jc-reader a.jc-cite[data-rows*=" "]'

# Critical and serious axe violations that come from the theme and that the project cannot
# fix in its own markup, CSS or script: rule → (where, why it is accepted). Keep it short.
THEME_ALLOWLIST: dict[str, tuple[str, str]] = {}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_CORE.is_file():
        message = f"{AXE_CORE} is missing; .ci/run installs axe-core (npm install --prefix .cache/npm axe-core@~4.14)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE_CORE.read_text(encoding="utf-8")


def page_types() -> list[str]:
    """One page of every kind the site has: each hand-written or section page, and the first
    page of each kind generated per row (district, source, table, vocabulary)."""
    directory, result = built_site()
    if result.returncode != 0:
        return []
    names = sorted(path.relative_to(directory).as_posix() for path in directory.rglob("*.html"))
    names = [name for name in names if not name.startswith("assets/")]
    per_row = ("districts/", "sources/", "dictionary/", "vocabularies/")
    chosen, seen = [], set()
    for name in names:
        kind = next((prefix for prefix in per_row if name.startswith(prefix) and not name.endswith("/index.html")), name)
        if kind not in seen:
            seen.add(kind)
            chosen.append(name)
    return chosen


def serious_violations(page, axe_source: str, within: str = "html") -> list[str]:
    """axe-core's critical and serious violations in ``within`` as it is now, less the allowlist."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate("""async within => (await axe.run(document.querySelector(within),
            {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'critical' || v.impact === 'serious')
        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))""", within)
    found = []
    for violation in violations:
        allowed = THEME_ALLOWLIST.get(violation["id"])
        nodes = [node for node in violation["nodes"] if not (allowed and allowed[0] in node)]
        if nodes:
            found.append(f"{violation['id']} ({violation['impact']}): {', '.join(nodes[:5])}")
    return found


@pytest.mark.parametrize("name", page_types())
def test_no_serious_accessibility_violation_on_any_kind_of_page(browser, base_url, axe_source, name):
    found = {}
    context = browser.new_context()
    page = context.new_page()
    for viewport in ({"width": 1280, "height": 800}, PHONE):
        page.set_viewport_size(viewport)
        page.goto(base_url + name, wait_until="load")
        page.wait_for_timeout(200)  # the theme and site.js finish their set-up
        problems = serious_violations(page, axe_source)
        if page.locator(MULTI_ROW_SPAN).count():
            page.locator(MULTI_ROW_SPAN).first.click()
            assert page.locator(".jc-menu").is_visible()
            # Only the content: the click scrolls the page, and the theme's header is then
            # fading its title in, which axe would measure half-way (it was checked above).
            problems += [f"with the menu open: {problem}"
                         for problem in serious_violations(page, axe_source, ".md-content")]
        if problems:
            found[viewport["width"]] = problems
    context.close()
    assert not found, found


def test_keyboard_opens_a_multi_row_menu_beside_its_words_and_follows_an_item(page, base_url):
    source_id = jiceng.sources().iloc[0]["source_id"]
    page.goto(base_url + f"sources/{source_id}.html")
    presses = 0
    while not page.evaluate(f"document.activeElement.matches('{MULTI_ROW_SPAN}')"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 300, "no multi-row span reached with Tab"
    span = page.evaluate_handle("document.activeElement").as_element()
    rows = span.get_attribute("data-rows").split()
    page.keyboard.press("Enter")
    menu = page.locator('.jc-menu[role="menu"]')
    items = menu.locator('[role="menuitem"]:not(.jc-report)')
    assert items.count() == len(rows)
    assert menu.locator('[role="menuitem"].jc-report').count() == len(rows)
    assert page.evaluate("document.activeElement.getAttribute('role')") == "menuitem"
    assert span.get_attribute("aria-expanded") == "true"
    words, box = span.evaluate("el => { const r = el.getClientRects(); return r[r.length - 1].toJSON(); }"), menu.bounding_box()
    assert abs(box["y"] - words["bottom"]) < 20 and box["x"] >= 0 and box["x"] + box["width"] <= 1400
    screenshot(page, "reader-menu-keyboard")

    def focused_href():
        return page.evaluate("document.activeElement.getAttribute('href')")

    first = focused_href()
    page.keyboard.press("ArrowDown")
    second = focused_href()
    assert second == items.nth(1).get_attribute("href") and second != first
    page.keyboard.press("ArrowUp")
    assert focused_href() == first
    page.keyboard.press("Escape")
    assert menu.count() == 0
    assert page.evaluate(f"document.activeElement.matches('{MULTI_ROW_SPAN}')")  # focus is back on the words
    assert span.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    target = focused_href()
    page.keyboard.press("Enter")
    row_id = target.rsplit("#", 1)[1]
    page.wait_for_url(f"**#{row_id}")
    assert page.locator(f'[id="{row_id}"]').evaluate("el => el.matches(':target')")


def test_multi_row_menu_fits_a_phone_with_large_targets(browser, base_url):
    context = browser.new_context(viewport=PHONE, has_touch=True)
    page = context.new_page()
    source_id = jiceng.sources().iloc[0]["source_id"]
    page.goto(base_url + f"sources/{source_id}.html")
    spans = page.locator(MULTI_ROW_SPAN)
    spans.nth(spans.count() // 2).tap()
    menu = page.locator(".jc-menu")
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    heights = [item.bounding_box()["height"] for item in menu.locator("a").all()]
    assert heights and min(heights) >= 44
    screenshot(page, "reader-menu-phone")
    context.close()


def test_every_tables_last_column_can_be_reached_on_a_phone(browser, base_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    names = [name for name in page_types() if not name.startswith("reference/")]
    unreachable = {}
    for name in names:
        page.goto(base_url + name)
        page.wait_for_timeout(200)
        # Bring each table's last cell into view the way a person can: the page itself does
        # not scroll sideways (the theme hides that overflow), so any sideways scroll must
        # happen inside a wrapper that a keyboard can focus.
        problems = page.evaluate("""() => {
            const problems = [];
            document.querySelectorAll('.md-content table').forEach((table, number) => {
                const row = table.querySelector('tbody tr') || table.querySelector('tr');
                if (!row) return;
                const cell = row.lastElementChild;
                cell.scrollIntoView({block: 'center', inline: 'end'});
                document.documentElement.scrollLeft = 0;
                document.body.scrollLeft = 0;
                const box = cell.getBoundingClientRect();
                if (box.right > innerWidth + 1 || box.left < -1)
                    problems.push(`table ${number + 1}: last cell at ${Math.round(box.left)}-${Math.round(box.right)} px`);
                for (let el = cell.parentElement; el && el !== document.body; el = el.parentElement) {
                    const style = getComputedStyle(el);
                    if (el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(style.overflowX) && el.tabIndex < 0)
                        problems.push(`table ${number + 1}: scrolls in a wrapper the keyboard cannot reach`);
                }
            });
            return problems;
        }""")
        if problems:
            unreachable[name] = problems
    page.goto(base_url + f"districts/{TONGHUA}.html")
    page.locator(".jc-initiatives").scroll_into_view_if_needed()
    screenshot(page, "district-phone")
    context.close()
    assert not unreachable, unreachable


def test_forced_colours_keep_the_kinds_of_highlight_apart(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, forced_colors="active")
    page = context.new_page()
    source_id = jiceng.sources().iloc[0]["source_id"]
    page.goto(base_url + f"sources/{source_id}.html")
    styles = page.evaluate("""() => Object.fromEntries(['initiative', 'metric', 'number', 'goal'].map(kind => {
        const el = document.querySelector('.jc-legend .jc-cite-' + kind);
        const style = getComputedStyle(el);
        return [kind, style.borderBottomStyle + ' ' + style.borderBottomWidth];
    }))""")
    assert len(set(styles.values())) == 4 and not any(style.startswith("none") for style in styles.values()), styles
    cited = page.evaluate("""() => [...document.querySelectorAll('.jc-reader a.jc-cite')]
        .filter(el => getComputedStyle(el).borderBottomStyle === 'none').length""")
    assert cited == 0
    page.locator(".jc-legend").scroll_into_view_if_needed()
    screenshot(page, "reader-forced-colours")
    context.close()


# --- the site for researchers: charts, downloads, search that lands ---------------------------


def active_counts(table: str, column: str, district_id: str) -> dict[str, int]:
    """Counts computed from the CSV files with the csv module, not from the site's code."""
    import csv
    from collections import Counter

    from jiceng.bundle import package_root

    def rows(name: str) -> list[dict[str, str]]:
        with (package_root() / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    district_of = {row["source_id"]: row["district_id"] for row in rows("sources")}
    return dict(Counter(row[column] for row in rows(table)
                        if row["status"] == "active" and district_of[row["source_id"]] == district_id))


def test_district_chart_shows_the_counts_of_the_tables(page, base_url):
    page.goto(base_url + f"districts/{TONGHUA}.html")
    for chart, table, column in (("chart-metrics-topic", "metrics", "topic"), ("chart-initiatives-kind", "initiatives", "kind")):
        figure = page.locator(f"#{chart}")
        figure.scroll_into_view_if_needed()
        assert figure.locator("svg[role=img]").is_visible()
        bars = figure.evaluate("""(el, chart) => Object.fromEntries([...el.querySelectorAll(`g[id^="${chart}-v-0-"]`)]
            .map(g => [g.id.slice(chart.length + 5), Number(g.textContent.trim())]))""", chart)
        assert bars == active_counts(table, column, TONGHUA), chart
        # the table beside the chart says the same, with the total
        cells = figure.locator(".jc-chart-data tbody tr").all_inner_texts()
        assert cells[-1].split("\t")[-1].strip() == str(sum(bars.values()))
    page.locator("#chart-metrics-topic").scroll_into_view_if_needed()
    screenshot(page, "district-charts")


def test_comparison_page_draws_every_district(page, base_url):
    page.goto(base_url + "compare.html")
    legend = page.locator("#compare-initiatives-kind svg").text_content()
    for district in jiceng.districts().itertuples():
        assert district.name_en in legend
    page.locator("#compare-initiatives-kind").scroll_into_view_if_needed()
    screenshot(page, "compare")


def test_a_download_fetched_from_the_page_has_its_listed_sha256(page, base_url):
    import hashlib

    page.goto(base_url + "downloads.html")
    row = page.locator(".jc-downloads tbody tr", has_text=".xlsx").first
    listed = row.locator("code.jc-sha").inner_text().strip()
    with page.expect_download() as download:
        row.locator("a[download]").click()
    path = download.value.path()
    assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == listed
    screenshot(page, "downloads")


@pytest.mark.parametrize("query", ["网格", "grid"])
def test_glossary_search_result_opens_the_term_at_its_anchor(page, base_url, query):
    results = search(page, base_url, query)
    # links carry the highlighted words as a query: glossary.html?h=grid#g-grid-head
    target = next((href for href in results if "/glossary.html" in href and "#g-" in href), None)
    assert target, results
    page.locator(f'.md-search-result__item a[href="{target}"]').first.click()
    anchor = target.split("#", 1)[1]
    page.wait_for_function("anchor => location.hash === '#' + anchor", arg=anchor)
    row = page.locator(f'[id="{anchor}"]')
    box = row.bounding_box()
    assert box and 0 <= box["y"] < page.viewport_size["height"], box  # in view, not the top of the page
    assert "网格" in row.inner_text()
    screenshot(page, f"search-lands-{'zh' if query == '网格' else 'en'}")


def test_glossary_filter_keeps_only_matching_terms(page, base_url):
    page.goto(base_url + "glossary.html")
    rows = page.locator(".jc-glossary tbody tr")
    total = rows.count()
    page.get_by_label("Filter rows").fill("grid")
    visible = rows.evaluate_all("rows => rows.filter(row => row.getClientRects().length).map(row => row.innerText)")
    assert 0 < len(visible) < total and all("grid" in text.lower() for text in visible)
    assert f"of {total} rows" in page.locator(".jc-filter-count").inner_text()
    screenshot(page, "glossary")


def test_long_tables_sort_by_a_column_with_the_keyboard(page, base_url):
    page.goto(base_url + f"districts/{TONGHUA}.html")
    table = page.locator(".jc-initiatives table")
    ids = table.locator("tbody tr").evaluate_all("rows => rows.map(row => row.id)")
    button = table.locator("thead th").first.locator("button.jc-sort")
    button.focus()
    page.keyboard.press("Enter")
    assert table.locator("thead th").first.get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Enter")
    assert table.locator("thead th").first.get_attribute("aria-sort") == "descending"
    after = table.locator("tbody tr").evaluate_all("rows => rows.map(row => row.id)")
    assert after == sorted(ids, reverse=True) and after != ids  # the ID column, last first
    screenshot(page, "district-sorted")
