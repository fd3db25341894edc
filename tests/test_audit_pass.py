"""The audit's own pass: on a package it can vouch for it reports what validate's checks
report on the four tables; anything it cannot vouch for hands the package to those checks;
and the well-formedness of cells the accounting never reads is left to `jiceng validate`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jiceng.bundle import package_root
from jiceng.validate import AUDIT_TABLES, validate_package
from jiceng.validate.audit import audit_package


def test_the_pass_reports_what_validates_checks_report_on_the_bundled_package():
    fast = audit_package(package_root())
    checked = validate_package(package_root(), only=AUDIT_TABLES)
    assert fast is not None and fast.valid and checked.valid
    assert fast.audit_summary == checked.audit_summary
    assert fast.consistency == checked.consistency and fast.consistency


def replace_text(path, old: str, new: str) -> None:
    text = path.read_bytes()
    assert old.encode() in text
    path.write_bytes(text.replace(old.encode(), new.encode(), 1))


def drop_non_metric_row(copy) -> None:
    rows = copy.rows("non_metric_numbers")
    copy.write_rows("non_metric_numbers", rows[1:])


def shift_quote(copy) -> None:
    rows = copy.rows("metrics")
    rows[0]["quote_start"] = str(int(rows[0]["quote_start"]) + 1)
    rows[0]["quote_end"] = str(int(rows[0]["quote_end"]) + 1)
    copy.write_rows("metrics", rows)


def repeat_metric_id(copy) -> None:
    rows = copy.rows("metrics")
    copy.set_cell("metrics", 1, "metric_id", rows[0]["metric_id"])


def change_source_file(copy) -> None:
    source = copy.rows("sources")[0]
    path = copy.root / source["path"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("社区", "社會", 1), encoding="utf-8")


def misread_repeated_words(copy) -> None:
    """The later of two metrics printed with the same words gets another value."""
    rows = copy.rows("metrics")
    seen = set()
    index = next(i for i, row in enumerate(rows) if row["value_text"] in seen or seen.add(row["value_text"]))
    copy.set_cell("metrics", index, "value", str(float(rows[index]["value"]) + 1))


BROKEN = {
    "a value its repeated words do not give": misread_repeated_words,
    "a value that is not a number": lambda copy: copy.set_cell("metrics", 0, "value", "not-a-number"),
    "a value that is not finite": lambda copy: copy.set_cell("metrics", 0, "value", "inf"),
    "an offset with a sign the pass does not read": lambda copy: copy.set_cell("metrics", 0, "quote_end", "1_0"),
    "an offset in full-width digits": lambda copy: copy.set_cell("non_metric_numbers", 0, "quote_start", "１０"),
    "an offset past any integer": lambda copy: copy.set_cell("metrics", 0, "quote_start", "9" * 30),
    "a quote off its offsets": shift_quote,
    "a number in no row": drop_non_metric_row,
    "a source file changed": change_source_file,
    "a repeated metric ID": repeat_metric_id,
    "a qualifier that is no code": lambda copy: copy.set_cell("metrics", 0, "qualifier", "roughly"),
    "a draft row": lambda copy: copy.set_cell("non_metric_numbers", 0, "status", "draft"),
    "an oversized cell the accounting never reads": lambda copy: copy.set_cell("metrics", 0, "notes", "长" * 100_000),
    "a ragged row": lambda copy: replace_text(copy.root / "data" / "metrics.csv", "\n", ",extra\n"),
    "CR line ends": lambda copy: replace_text(copy.root / "data" / "sources.csv", "\n", "\r\n"),
    "a recorded outcome the figures contradict": lambda copy: copy.set_cell("consistency_checks", 0, "outcome",
                                                                             "disagrees"),
}


@pytest.mark.parametrize("break_package", BROKEN.values(), ids=BROKEN.keys())
def test_what_the_pass_cannot_vouch_for_goes_to_validates_checks(package_copy, break_package):
    assert audit_package(package_copy.root) is not None
    break_package(package_copy)
    assert audit_package(package_copy.root) is None
    assert not validate_package(package_copy.root, only=AUDIT_TABLES).valid


def test_drafts_are_vouched_for_when_allowed(package_copy):
    package_copy.set_cell("non_metric_numbers", 0, "status", "draft")
    assert audit_package(package_copy.root) is None
    report = audit_package(package_copy.root, allow_drafts=True)
    assert report is not None and report.audit_summary["uncovered"] == 0


def test_a_cell_the_accounting_never_reads_is_validates_business(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "subject_en", "")  # English required of an active row
    validated = run_cli("validate", str(package_copy.root))
    assert validated.exit_code == 1
    assert any(line.startswith(f"{package_copy.root / cell.path}:{cell.line}:") for line in validated.lines())
    audited = run_cli("audit", str(package_copy.root))
    assert audited.exit_code == 0 and "unaccounted for: 0" in audited.out, audited.out


def modules_an_audit_imports(*arguments: str) -> tuple[int, set[str]]:
    """The exit status of ``jiceng audit`` run in a new interpreter, and which of pydantic,
    the row models and pandas it imported."""
    code = ("import sys; from jiceng.cli import main; status = main(['audit', *sys.argv[1:]]); "
            "print(status, *[m for m in ('jiceng.models', 'pandas', 'pydantic') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True, check=True)
    status, *modules = result.stdout.splitlines()[-1].split()
    return int(status), set(modules)


def test_auditing_a_sound_package_imports_neither_pydantic_nor_pandas():
    # importing them costs more than auditing a small package
    assert modules_an_audit_imports() == (0, set())


def test_a_package_the_pass_cannot_vouch_for_is_checked_with_the_row_models(package_copy):
    shift_quote(package_copy)
    status, modules = modules_an_audit_imports(str(package_copy.root))
    assert status == 1 and {"jiceng.models", "pydantic"} <= modules
