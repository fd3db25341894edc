"""Shared fixtures: temporary copies of the bundled package to break on purpose."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from jiceng.bundle import package_root, repository_root
from jiceng.cli import main

ROOT = package_root()

# A failure in CI must be reproducible: there the examples are derived from each test's
# name (derandomize) and nothing is replayed from a local database; elsewhere a failure
# prints the blob that replays it (@reproduce_failure).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

csv.field_size_limit(2**31 - 1)
PACKAGE_PARTS = ("datapackage.json", "data", "schemas")


def copy_package(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for part in PACKAGE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        else:
            shutil.copy2(source, destination / part)
    return destination


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, to prove that validation changed nothing."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def rendered_cell(value: str) -> str:
    """A cell as the csv module writes it (an empty cell alone would be written as "")."""
    if value == "":
        return ""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([value])  # with "" the csv module leaves "\n" unquoted
    return buffer.getvalue()[:-1]


def set_version(root: Path, version: str) -> None:
    """Give a package copy another version in its datapackage.json."""
    path = root / "datapackage.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["version"] = version
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


CSV_CONVERSIONS = {
    "string": str,
    "integer": int,
    "number": float,
    "boolean": {"true": True, "false": False}.__getitem__,
}


def csv_text_values(resource: str, root: Path = ROOT) -> list[dict[str, object]]:
    """A resource's rows read straight from its CSV text, the standard way and not through
    jiceng: the csv module, then each cell converted by its Table Schema type (an empty
    cell is None). Exports and the loader are checked against these values."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    (item,) = [item for item in descriptor["resources"] if item["name"] == resource]
    schema = json.loads((root / item["schema"]).read_text(encoding="utf-8"))
    convert = {field["name"]: CSV_CONVERSIONS[field["type"]] for field in schema["fields"]}
    with (root / item["path"]).open(encoding="utf-8", newline="") as handle:
        return [{column: None if text == "" else convert[column](text) for column, text in row.items()}
                for row in csv.DictReader(handle)]


def assert_csv_values(records: list[dict[str, object]], resource: str, same_types: bool = False) -> None:
    """Records read back from jiceng equal the CSV text's values, row by row. Without
    ``same_types``, 1 == 1.0 == True, as SQLite's integers and Excel's doubles need."""
    expected = csv_text_values(resource)
    assert len(records) == len(expected), resource
    for row, (actual, wanted) in enumerate(zip(records, expected), start=1):
        assert actual == wanted, f"{resource}, row {row}"
        if same_types:
            assert [type(value) for value in actual.values()] == [type(value) for value in wanted.values()], row


@dataclass
class Cell:
    """Where a cell sits in its file, found by searching the raw text (not via jiceng)."""

    path: str
    line: int
    column: int


class PackageCopy:
    """A writable copy of the bundled package with helpers to break it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def rows(self, table: str) -> list[dict[str, str]]:
        with (self.root / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def write_rows(self, table: str, rows: list[dict[str, str]]) -> None:
        path = self.root / "data" / f"{table}.csv"
        header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")

    def set_cell(self, table: str, row_index: int, column: str, value: str) -> Cell:
        """Set a cell to a value that occurs nowhere else in the file, and say where it is."""
        rows = self.rows(table)
        rows[row_index][column] = value
        self.write_rows(table, rows)
        return self.find(table, row_index, column)

    def find(self, table: str, row_index: int, column: str) -> Cell:
        """Locate a cell by re-rendering the record's cells before it (files are written by
        the csv module, so rendering reproduces the raw text), counting lines and columns."""
        relative = f"data/{table}.csv"
        with (self.root / relative).open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            start_line = reader.line_num + 1
            for index, cells in enumerate(reader):
                if index == row_index:
                    break
                start_line = reader.line_num + 1
        prefix = "".join(rendered_cell(cell) + "," for cell in cells[: header.index(column)])
        line = start_line + prefix.count("\n")
        column_number = len(prefix) - (prefix.rfind("\n") + 1) + 1
        return Cell(relative, line, column_number)

    def digest(self) -> dict[str, str]:
        return tree_digest(self.root)


def assert_reported(run_cli, copy: PackageCopy, cell: Cell, check: str, command: str = "validate",
                    *options: str, exit_code: int = 1) -> str:
    """Run a command on a broken copy; assert exit 1 (0 for a warning), no traceback, nothing
    changed, and a problem line at exactly ``cell`` with ``check``. Return that line."""
    before = copy.digest()
    outcome = run_cli(command, str(copy.root), *options)
    assert copy.digest() == before, f"{command} must not modify the package"
    assert outcome.exit_code == exit_code, outcome.out
    assert "Traceback" not in outcome.out + outcome.err
    expected = f"{copy.root / cell.path}:{cell.line}:{cell.column}: [{check}]"
    matching = [line for line in outcome.lines() if line.startswith(expected)]
    assert matching, f"no line starts with {expected!r}; got:\n{outcome.out}"
    return matching[0]


@pytest.fixture
def package_copy(tmp_path: Path) -> PackageCopy:
    return PackageCopy(copy_package(tmp_path / "package"))


@dataclass
class Outcome:
    exit_code: int
    out: str
    err: str

    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run the jiceng command in-process and capture what it prints."""

    def run(*arguments: str) -> Outcome:
        try:
            code = main(list(arguments))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


# -- the run never modifies the checkout ---------------------------------------------------

CHECKOUT_STATE = pytest.StashKey[str | None]()


def checkout_state() -> str | None:
    """``git status --porcelain`` and a digest of the uncommitted changes, or None outside git."""
    checkout = repository_root()
    if checkout is None or shutil.which("git") is None:
        return None
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=checkout, capture_output=True, text=True)
    if top.returncode or Path(top.stdout.strip()).resolve() != checkout.resolve():
        return None  # a copy inside another repository (mutants-work/): its status is not this checkout's
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=checkout,
                            capture_output=True, text=True)
    changes = subprocess.run(["git", "diff", "HEAD"], cwd=checkout, capture_output=True)
    if status.returncode or changes.returncode:
        return None
    return status.stdout + "uncommitted changes: sha256 " + hashlib.sha256(changes.stdout).hexdigest()


def pytest_sessionstart(session: pytest.Session) -> None:
    session.stash[CHECKOUT_STATE] = checkout_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.stash.get(CHECKOUT_STATE, None)
    after = checkout_state()
    if before is not None and after != before:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(f"the test run changed the checkout (git status --porcelain):\n{after}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
