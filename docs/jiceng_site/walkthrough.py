"""The contributing page's walkthrough: the contributor commands run for real, at build time,
on the invented fixture essay (``tests/fixtures/invented_essay``) in a copy of the package.

What a reader sees is what the commands print today, so the page cannot drift from the
tools. The curator's review is the one step that is not a command: the fixture's reviewed
rows stand in for it.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
import time
from pathlib import Path

from jiceng.cli import main
from jiceng.models import TABLES
from jiceng.tablefile import read_rows, write_table
from .markup import fenced

FIXTURE = Path("tests") / "fixtures" / "invented_essay"
DOCUMENT = "0f1c2e3d4b5a6978"
MAX_LINES = 14


@contextlib.contextmanager
def package_copy(repo: Path):
    with tempfile.TemporaryDirectory(prefix="jiceng-walkthrough-") as temporary:
        root = Path(temporary) / "jiceng"
        root.mkdir()
        for part in ("datapackage.json", "data", "schemas", "releases", "README.md"):
            source = repo / part
            if source.is_dir():
                shutil.copytree(source, root / part)
            elif source.is_file():
                shutil.copy2(source, root / part)
        yield root


def run(root: Path, arguments: list[str]) -> tuple[int, str, float]:
    """Run one command in the package directory; its exit status, output and seconds."""
    output = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), contextlib.chdir(root):
        status = main(arguments)
    text = output.getvalue().replace(str(root) + "/", "").replace(str(root), ".")
    return status, text, time.perf_counter() - started


def shortened(text: str) -> str:
    lines = text.rstrip("\n").split("\n")
    if len(lines) <= MAX_LINES:
        return "\n".join(lines)
    return "\n".join(lines[: MAX_LINES - 2] + [f"… {len(lines) - MAX_LINES + 1} more lines …", lines[-1]])


def review(root: Path, repo: Path) -> str:
    """Replace the drafts with the fixture's reviewed rows; say what changed."""
    changed = []
    for path in sorted((repo / FIXTURE / "reviewed").glob("*.csv")):
        model = TABLES[path.stem]
        key = model.table.primary_key
        _, reviewed = read_rows(path)
        ids = {row[key] for row in reviewed}
        _, rows = read_rows(root / model.table.path)
        drafts = {row[key]: row for row in rows if row.get("status") == "draft"}
        kept = [row for row in rows if row[key] not in ids and row.get("status") != "draft"]
        write_table(root / model.table.path, model.columns(), kept + reviewed)
        cells = sum(1 for row in reviewed for column, value in row.items()
                    if column not in ("quote_start", "quote_end") and value != drafts.get(row[key], {}).get(column, ""))
        dropped = len(set(drafts) - ids)
        changed.append(f"{path.stem}: {len(reviewed)} row(s) reviewed, {cells} cell(s) typed or corrected"
                       + (f", {dropped} draft(s) dropped" if dropped else ""))
    return "\n".join(changed)


# Every command names the package (".", the copy it runs in): never the checkout.
STEPS: list[tuple[str | None, list[str]]] = [
    ("Register the text: hash, length, essay span, the sources row and the new district's row.",
     ["add-source", str(FIXTURE / "essay.txt"), "--district", "610113", "--document-id", DOCUMENT, "--package", "."]),
    ("Draft the rows.", ["draft", DOCUMENT, "--package", "."]),
    ("See what is left to decide (drafts may leave their English empty while you work).",
     ["validate", "--allow-drafts", "."]),
    ("Every number of the new text is already accounted for by a draft.", ["audit", "--allow-drafts", "."]),
    (None, []),  # the review
    ("Fill the offsets of quotes you changed.", ["locate", "--write", "."]),
    ("Check everything.", ["validate", "."]),
    ("Account for every number.", ["audit", "."]),
    ("The tables are in the canonical form.", ["fmt", "--check", "."]),
    ("No released ID is lost or changed.", ["validate", "--against", "releases", "."]),
    ("Update the README's counts.", ["info", "--update-readme", "--package", "."]),
]


def walkthrough(repo: Path) -> str:
    """Markdown: each step's command and its output, from a real run."""
    if not (repo / FIXTURE / "essay.txt").is_file():
        return "\n*(The walkthrough is generated from the source checkout's test fixture.)*\n"
    parts = []
    with package_copy(repo) as root:
        (root / FIXTURE).parent.mkdir(parents=True)
        shutil.copytree(repo / FIXTURE, root / FIXTURE)
        for number, (purpose, arguments) in enumerate(STEPS, start=1):
            if purpose is None:
                parts.append(f"**{number}. Review every draft** against the text: fill the English, choose the "
                             "categories, correct wrong guesses, drop what is not a fact, add what the drafter "
                             "missed, set `status` to `active`. For this essay:\n" + fenced(review(root, repo), "text"))
                continue
            status, output, seconds = run(root, arguments)
            parts.append(f"**{number}. {purpose}** ({seconds:.1f} s, exit status {status})\n"
                         + fenced("$ jiceng " + " ".join(arguments) + "\n" + shortened(output), "text"))
    return "\n" + "\n".join(parts)
