"""The documentation site: built with the real `mkdocs build --strict`, then read as files.

It builds strictly, every internal link and anchor resolves, the CLI page is each
command's own --help, Chinese is segmented in the search index, hand-written code runs,
and anything from the data that reaches HTML is escaped (a site built from a copy of
the package with hostile rows shows them as text).
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import functools
import html
import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_site import english_in_chinese, untagged_chinese

import jiceng
from jiceng.bundle import package_root, repository_root
from jiceng.cli import command_names
from jiceng_site.pages import HELP_COLUMNS

CHECKOUT = repository_root()
pytestmark = pytest.mark.skipif(CHECKOUT is None, reason="the site is built from the source checkout")


def build_site(destination: Path, package: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the checkout's site, from the given package directory."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if package is not None:
        environment["JICENG_PACKAGE_ROOT"] = str(package)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CHECKOUT / "mkdocs.yml"), "-d", str(destination)],
        cwd=CHECKOUT, env=environment, capture_output=True, text=True,
    )


@functools.cache
def built_site() -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The site of the bundled package, built once per test session (the browser test uses it too)."""
    work = Path(tempfile.mkdtemp(prefix="jiceng-site-"))
    atexit.register(shutil.rmtree, work, True)
    return work / "site", build_site(work / "site")


@pytest.fixture(scope="module")
def site_dir() -> Path:
    directory, result = built_site()
    assert result.returncode == 0, result.stderr
    return directory


def test_site_builds_strictly_without_warnings():
    _, result = built_site()
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


class Page(HTMLParser):
    """The ids, links and <pre> texts of one built page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.pre: list[str] = []
        self._in_pre = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name"):
            if attributes.get(name):
                self.ids.add(attributes[name])
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "pre":
            self._in_pre = True
            self.pre.append("")

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in_pre = False

    def handle_data(self, data):
        if self._in_pre:
            self.pre[-1] += data


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_internal_link_and_anchor_resolves(site_dir):
    """The data pages link in raw HTML, which MkDocs does not check: check the built files."""
    pages = {path.relative_to(site_dir).as_posix(): read_page(path)
             for path in site_dir.rglob("*.html") if "assets" not in path.parts}
    broken = []
    for name, page in pages.items():
        for target in page.links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
                continue  # another host
            path, _, anchor = re.sub(r"\?[^#]*", "", target).partition("#")
            if path.startswith("/"):  # 404.html links from the site's root
                resolved = path.lstrip("/") or "index.html"
            else:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
            if resolved.endswith("/") or (site_dir / resolved).is_dir():
                resolved = posixpath.join(resolved, "index.html")
            if not (site_dir / resolved).is_file():
                broken.append(f"{name}: {target} (no file)")
            elif anchor and resolved in pages and anchor not in pages[resolved].ids:
                broken.append(f"{name}: {target} (no anchor)")
    assert not broken, "\n".join(broken[:20])


def test_cli_page_is_each_commands_own_help(site_dir):
    page = read_page(site_dir / "reference" / "cli.html")
    script = Path(sys.executable).with_name("jiceng")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "jiceng"]
    environment = {**os.environ, "COLUMNS": HELP_COLUMNS}
    expected = [subprocess.run([*command, *name, "--help"], capture_output=True, text=True, env=environment,
                               check=True).stdout
                for name in ([], *([name] for name in command_names()))]
    assert [text.rstrip() for text in page.pre] == [text.rstrip() for text in expected]


def test_performance_page_shows_every_figure_of_the_benchmarks_readme(site_dir):
    readme = (CHECKOUT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- figures:start -->", 1)[1].split("<!-- figures:end -->", 1)[0]
    figures = [line.split("|")[1].strip() for line in block.splitlines() if line.startswith("| (")]
    assert len(figures) >= 10, "the figures block lost its table"
    page = html.unescape(re.sub(r"<[^>]+>", "", (site_dir / "reference" / "performance.html").read_text(encoding="utf-8")))
    for figure in figures:
        assert re.sub(r"`", "", figure) in page, figure


def test_search_index_keeps_the_datasets_chinese_terms_whole(site_dir):
    stored = (site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    index = json.loads(stored)
    separator = re.compile(index["config"]["separator"])  # the browser's regular expression, read by Python
    tokens = {token for doc in index["docs"] for token in separator.split(doc["text"])}
    assert {"街巷长", "小巷管家", "红色物业"} <= tokens
    assert "\u200b" not in stored and "\\u200b" not in stored  # the words are cut by plain spaces


def test_search_index_leaves_out_notes_labels_and_file_facts(site_dir):
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = "\n".join(doc["text"] for doc in index["docs"])
    source = jiceng.sources().iloc[0]
    assert source["sha256"] not in text  # the reader's file facts
    noted = jiceng.initiatives().dropna(subset=["notes"])
    assert not noted.empty, "no curator's note left to look for"
    assert noted.iloc[0]["notes"][:40] not in text
    assert "curator's note" not in text


def found_on_pages(site_dir: Path, find) -> dict[str, list[str]]:
    """Built page → the first few things ``find`` found in it, for the pages where it found any."""
    found = {}
    for path in site_dir.rglob("*.html"):
        runs = find(path.read_text(encoding="utf-8"))
        if runs:
            found[path.relative_to(site_dir).as_posix()] = runs[:5]
    return found


def test_every_run_of_chinese_text_carries_a_chinese_lang(site_dir):
    untagged = found_on_pages(site_dir, untagged_chinese)
    assert not untagged, untagged
    assert '<html lang="en"' in (site_dir / "index.html").read_text(encoding="utf-8")


def test_english_inside_chinese_text_is_tagged_english(site_dir):
    """The source reader is Chinese throughout, but its notes on defects are English."""
    misread = found_on_pages(site_dir, english_in_chinese)
    assert not misread, misread


def test_pages_load_the_reader_script_and_api_styles_only_where_used(site_dir):
    source_id = jiceng.sources().iloc[0]["source_id"]
    reader = (site_dir / "sources" / f"{source_id}.html").read_text(encoding="utf-8")
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    api = (site_dir / "reference" / "api.html").read_text(encoding="utf-8")
    assert "assets/reader.js" in reader and "assets/reader.js" not in home and "assets/reader.js" not in api
    assert "_mkdocstrings.css" in api and "_mkdocstrings.css" not in home and "_mkdocstrings.css" not in reader


def test_generated_pages_are_not_in_the_docs_folder():
    import jiceng_site as site

    data = site.load(package_root())
    committed = [uri for uri in site.generated_pages(data, CHECKOUT) if (CHECKOUT / "docs" / uri).exists()]
    assert not committed


def python_blocks(page: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (CHECKOUT / "docs" / page).read_text(encoding="utf-8"), flags=re.S)


def printed_by(page: str) -> str:
    """What the page's Python examples print, run as a reader would paste them."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        for block in python_blocks(page):
            exec(compile(block, page, "exec"), {})
    return output.getvalue()


def first_csv_row(table: str, **where: str) -> dict[str, str]:
    with (package_root() / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return next(row for row in csv.DictReader(handle) if all(row[k] == v for k, v in where.items()))


def test_home_page_example_prints_the_first_tonghua_metric():
    expected = first_csv_row("metrics", district_id="220521")["metric_id"]
    assert printed_by("index.md") == f"jiceng {jiceng.__version__}, metrics, {expected}\n"


def test_citation_page_example_prints_what_the_command_prints(run_cli):
    row_id = first_csv_row("metrics")["metric_id"]
    assert printed_by("citation.md").rstrip("\n") == run_cli("cite", row_id).out.rstrip("\n")


def test_readme_gives_the_site_build_command():
    assert ".venv/bin/mkdocs build --strict" in (CHECKOUT / "README.md").read_text(encoding="utf-8")


# --- escaping: a site built from a package with hostile rows ----------------------------------------

PAYLOAD = ('<script>alert("jiceng")</script> **bold** [link](https://example.invalid) <img src=x onerror=alert(1)> '
           "[click](javascript:alert(2)) `code` | pipe {: .injected } &amp;\n\nafter a **blank** line")


def inject(root: Path, table: str, columns: tuple[str, ...]) -> None:
    """Put PAYLOAD into some columns of the first row of a table."""
    path = root / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    for column in columns:
        rows[0][column] = PAYLOAD
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    package = tmp_path_factory.mktemp("hostile") / "package"
    package.mkdir()
    for part in ("datapackage.json", "data", "schemas"):
        source = package_root() / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, package / part)
    inject(package, "initiatives", ("name_en", "description_en", "notes"))
    inject(package, "metrics", ("subject_en",))
    inject(package, "annotations", ("description_en",))
    inject(package, "glossary", ("term_en",))
    inject(package, "districts", ("name_en",))
    inject(package, "sources", ("title_zh", "title_en"))
    destination = package.parent / "site"
    result = build_site(destination, package)
    assert result.returncode == 0, result.stderr
    return destination


def test_markup_in_the_data_never_reaches_html_as_markup(hostile_site):
    pages = {path: path.read_text(encoding="utf-8") for path in hostile_site.rglob("*.html")}
    for path, text in pages.items():
        assert '<script>alert("jiceng")' not in text, path
        assert "<img src=x" not in text and 'href="https://example.invalid"' not in text, path
        assert 'href="javascript:' not in text.lower(), path
        assert "<strong>bold</strong>" not in text and "<strong>blank</strong>" not in text, path
        assert "injected" not in re.findall(r'class="([^"]*)"', text), path


def test_markup_in_the_data_shows_as_text_where_the_row_is_shown(hostile_site):
    district_id, source_id = jiceng.districts().iloc[0]["district_id"], jiceng.sources().iloc[0]["source_id"]
    pages = [f"districts/{district_id}.html", "glossary.html", "annotations.html", f"sources/{source_id}.html"]
    for name in pages:
        text = html.unescape((hostile_site / name).read_text(encoding="utf-8"))
        assert '<script>alert("jiceng")</script> **bold** [link](https://example.invalid)' in text, name
    district = (hostile_site / "districts" / f"{district_id}.html").read_text(encoding="utf-8")
    assert "after a **blank** line" in district and "**bold**" in district


def test_markup_in_the_data_stays_text_in_the_search_index(hostile_site):
    index = (hostile_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '<script>alert(\\"jiceng\\")' not in index and "<img src=x" not in index
