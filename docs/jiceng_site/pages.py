"""The rest of the site: home-page counts, annotations, CLI reference, citation, changelog,
licences and the contributing page's live examples.

Prose pages are written by hand in ``docs/`` and hold markers such as
``<!-- jiceng:counts -->``; :data:`MARKERS` says what replaces each. Files that only exist
in a source checkout (CHANGELOG.md, CITATION.cff, the licences, the CI workflow) are read
from ``repo``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

from jiceng.citation import quoted
from jiceng.cli import command_names, help_text
from jiceng.loading import TABLE_NAMES
from jiceng.validate.report import CHECKS
from jiceng.stats import COUNTING_RULE, PER_DISTRICT, counted, tally
from .data import ANNOTATIONS, CITATION, HOME, SiteData, district_uri, quote_anchor, source_uri, table_uri
from .districts import label, row_id_cell, table_label
from .markup import esc, fenced, href, link, md_escape, raw_block, table, tag
from .reader import reading_and_other_printing
from .walkthrough import walkthrough

HELP_COLUMNS = "88"  # argparse wraps --help to $COLUMNS; the page and its test both fix it


# --- home ------------------------------------------------------------------------------


def counts(data: SiteData) -> str:
    """Row counts per table and per district, counted as ``jiceng info`` counts them."""
    tables = [(link(name, href(HOME, table_uri(name))), esc(str(data.tally(name)))) for name in TABLE_NAMES]
    districts = [
        (link(f"{d.name_zh} {d.name_en}", href(HOME, district_uri(d.district_id))), tag("code", esc(d.district_id)),
         *(esc(str(data.tally_of_district(name, d.district_id))) for name in PER_DISTRICT))
        for d in data.rows["districts"]
    ]
    return (
        f"\n{COUNTING_RULE}\n"
        + raw_block(tag("div", table(("table", "rows"), tables), class_="jc-counts")
                    + tag("div", table(("district", "GB/T 2260", *map(table_label, PER_DISTRICT)), districts,
                                       css="jc-cards"), class_="jc-counts"))
    )


# --- annotations -----------------------------------------------------------------------------


def annotations_page(data: SiteData) -> str:
    uri = ANNOTATIONS
    kinds = Counter(row.kind for row in data.rows["annotations"] if counted(row.status))
    summary = ", ".join(f"{data.term('annotation_kinds', kind).label_en.lower()} {count}"
                        for kind, count in kinds.most_common())
    parts = [
        "# Known issues of the sources\n\n",
        "The sources are printed texts with defects: a passage printed twice or in the wrong essay, "
        "typos, sentences cut at a paragraph break, figures that do not add up. They are recorded here "
        "(table `annotations`), never silently fixed: rows quote the text as printed, and a row near a "
        "defect should be read with it. Each annotation is also marked in the "
        "[source reader](sources/index.md) at its words.\n\n",
        f"{md_escape(data.tally('annotations').phrase('annotations'))}: {md_escape(summary)}. A withdrawn "
        "annotation is kept, marked withdrawn, so that old citations resolve; it is no current issue.\n",
    ]
    for source in data.rows["sources"]:
        rows = data.annotations_by_source.get(source.source_id, [])
        if not rows:
            continue
        district = data.districts[source.district_id]
        shown = md_escape(str(tally(row.status for row in rows)))
        parts.append(f"\n## {md_escape(district.name_zh)} {md_escape(district.name_en)}: {shown}\n")
        cells = []
        for row in rows:
            description = esc(row.description_en)
            if row.description_zh:
                description += tag("p", esc(row.description_zh), class_="jc-zh", lang="zh-Hans")
            description += reading_and_other_printing(data, uri, row)
            cells.append((
                row_id_cell(data, uri, row.annotation_id),
                label(data, "annotation_kinds", row.kind, uri),
                tag("a", esc(row.quote), href=href(uri, source_uri(row.source_id), quote_anchor(row.annotation_id)),
                    class_="jc-quote", lang="zh-Hans", title=f"offsets {row.quote_start}–{row.quote_end}"),
                description,
            ))
        ids = [row.annotation_id for row in rows]
        parts.append(raw_block(table(("ID", "kind", "words in the source", "what is wrong"), cells,
                                     row_ids=ids, row_css=data.row_classes(ids), css="jc-annotations jc-cards")))
    return "".join(parts)


# --- command line -------------------------------------------------------------------------------


def cli_page() -> str:
    parts = [
        "# Command line\n\nEvery section below is the command's own `--help`, captured when the site was "
        f"built (at {HELP_COLUMNS} columns); a test fails when this page and the help differ.\n",
        "\n## `jiceng`\n", fenced(help_text(None, int(HELP_COLUMNS)), "text"),
    ]
    for name in command_names():
        parts += [f"\n## `jiceng {name}`\n", fenced(help_text(name, int(HELP_COLUMNS)), "text")]
    return "".join(parts)


# --- citation, changelog, licences ----------------------------------------------------------------


def citation_file(repo: Path) -> dict:
    return yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))


def cite_package(data: SiteData, repo: Path) -> str:
    cff = citation_file(repo)
    authors = " and ".join(author.get("name") or f"{author.get('family-names', '')}, {author.get('given-names', '')}"
                           for author in cff.get("authors", []))
    text = f"{authors}. {cff['title']}. Version {data.version} [dataset]. Licence {cff.get('license', 'see LICENSE-DATA')}."
    bibtex = (
        f"@misc{{jiceng_{data.version.replace('.', '_')},\n"
        f"  author  = {{{{{authors}}}}},\n"
        f"  title   = {{{cff['title']}}},\n"
        f"  version = {{{data.version}}},\n"
        f"  note    = {{Dataset}},\n"
        f"}}"
    )
    return (raw_block(tag("blockquote", tag("p", esc(text)))) + fenced(bibtex, "bibtex")
            + "\nThe same metadata, machine-readable, is `CITATION.cff`:\n"
            + fenced((repo / "CITATION.cff").read_text(encoding="utf-8"), "yaml"))


def cite_row(data: SiteData) -> str:
    """A worked example with a real row, so the format shown is the format that works."""
    row = next(iter(data.rows["metrics"]))
    source = data.sources[row.source_id]
    author = " ".join(x for x in (source.author_en, source.author_zh) if x) or "unknown author"
    example = (f"jiceng {data.version}, table metrics, row {row.metric_id} ({data.value_label(row)}: {row.subject_en}), "
               f"quoting {author}, {quoted(source.title_zh)}, characters {row.quote_start}–{row.quote_end}: "
               f"{quoted(row.quote)}.")
    page, anchor = data.row_pages[row.metric_id]
    return raw_block(
        tag("blockquote", tag("p", esc(example)))
        + tag("p", "That row is shown " + link("on its district page", href(CITATION, page, anchor))
              + " and its words " + link("in the source reader", href(CITATION, source_uri(row.source_id),
                                                                       quote_anchor(row.metric_id))) + ".")
    )


def changelog_page(repo: Path) -> str:
    """CHANGELOG.md as written by the maintainers (trusted Markdown, not data)."""
    return (repo / "CHANGELOG.md").read_text(encoding="utf-8")


def benchmark_figures(repo: Path) -> str:
    """The latest figures, as ``benchmarks/run_all.py --update-readme`` wrote them into
    benchmarks/README.md (trusted Markdown, not data): one copy for both places."""
    text = (repo / "benchmarks" / "README.md").read_text(encoding="utf-8")
    return "\n" + text.split("<!-- figures:start -->", 1)[1].split("<!-- figures:end -->", 1)[0].strip() + "\n"


def licence_text(repo: Path, name: str) -> str:
    return fenced((repo / name).read_text(encoding="utf-8"), "text")


# --- contributing ------------------------------------------------------------------------------------


def checks_table() -> str:
    rows = [(str(check.layer), tag("code", esc(check.slug)), esc(check.title), esc(check.description))
            for check in sorted(CHECKS.values(), key=lambda c: c.layer)]
    return raw_block(table(("layer", "check", "title", "what it means"), rows))


def ci_steps(repo: Path) -> str:
    workflows = sorted((repo / ".github" / "workflows").glob("*.yml"))
    lines = []
    for path in workflows:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in workflow.get("jobs", {}).values():
            for step in job.get("steps", []):
                if "run" in step:
                    lines.append(f"1. **{md_escape(step.get('name', 'step'))}**: `{step['run'].strip()}`")
    return "\n" + "\n".join(lines) + "\n"


def error_example(data: SiteData) -> str:
    """Break a copy of the package the way contributors often do, and show what validate says."""
    from jiceng.validate import validate_package

    with tempfile.TemporaryDirectory() as temporary:
        copy = Path(temporary) / "package"
        copy.mkdir()
        for part in ("datapackage.json", "data", "schemas"):
            source = data.root / part
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, copy / part)
        broken = []
        metric = data.rows["metrics"][0]
        if replace_in_row(copy / "data" / "metrics.csv", metric.metric_id, f",{metric.unit},", f",{metric.unit}s,"):
            broken.append(f"the unit of metric `{metric.metric_id}` misspelt `{metric.unit}s`")
        initiative = data.rows["initiatives"][0]
        offsets = f",{initiative.quote_start},{initiative.quote_end},"
        moved = f",{initiative.quote_start + 1},{initiative.quote_end + 1},"
        if replace_in_row(copy / "data" / "initiatives.csv", initiative.initiative_id, offsets, moved):
            broken.append(f"the offsets of initiative `{initiative.initiative_id}` moved by one character")
        report = validate_package(copy, "")
    problems = report.problems[:4]
    return (
        "\nHere a copy of this release was broken on purpose while the site was built ("
        + "; ".join(broken) + "), and `jiceng validate` said:\n"
        + fenced("\n".join(problem.text() for problem in problems), "text")
        + "\nWith `--format github` (as in CI) the same problems become annotations on the pull request's files:\n"
        + fenced("\n".join(problem.github() for problem in problems[:2]), "text")
    )


def replace_in_row(path: Path, row_id: str, old: str, new: str) -> bool:
    """Replace ``old`` once in the line that starts with ``row_id``; False when absent."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for index, line in enumerate(lines):
        if line.startswith(row_id + ",") and old in line:
            lines[index] = line.replace(old, new, 1)
            path.write_text("\n".join(lines), encoding="utf-8", newline="")
            return True
    return False


def contributing_section(repo: Path, heading: str) -> str:
    """One section of CONTRIBUTING.md, without its heading: the site shows the same words."""
    text = (repo / "CONTRIBUTING.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n") + len(heading) + 5
    end = text.find("\n## ", start)
    return text[start:] if end < 0 else text[start:end]


def reporting(data: SiteData, repo: Path) -> str:
    """CONTRIBUTING.md's section on reporting, and what this build of the site does."""
    if data.repo_url:
        built = "This site was built with the repository's address: a row's link opens the form filled in."
    else:
        built = (f"This site was built without a repository address (`repo_url` in `mkdocs.yml`), so a row's "
                 f"link leads here: quote the row's ID and version {esc(data.version)}, which this site shows.")
    return contributing_section(repo, "Reporting an error in a row") + "\n" + built + "\n"


def markers(data: SiteData, repo: Path) -> dict[str, Callable[[], str]]:
    """What each ``<!-- jiceng:NAME -->`` marker of a hand-written page becomes."""
    return {
        "version": lambda: esc(data.version),
        "counts": lambda: counts(data),
        "cite-package": lambda: cite_package(data, repo),
        "cite-row": lambda: cite_row(data),
        "licence-data": lambda: licence_text(repo, "LICENSE-DATA"),
        "licence-code": lambda: licence_text(repo, "LICENSE"),
        "checks": checks_table,
        "ci-steps": lambda: ci_steps(repo),
        "error-example": lambda: error_example(data),
        "benchmark-figures": lambda: benchmark_figures(repo),
        "walkthrough": lambda: walkthrough(repo),
        "reporting": lambda: reporting(data, repo),
    }
