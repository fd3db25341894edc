"""The mutation-testing page is what `python tests/mutation/run.py --report` writes from the
recorded results; the counting behind it is checked on hand-made figures. Nothing here
runs mutmut or writes a file."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("mutation_run", HERE / "mutation" / "run.py")
mutation = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mutation)


def test_committed_page_is_what_the_report_command_writes():
    page = HERE.parent / "docs" / "reference" / "mutation-testing.md"
    assert page.read_text(encoding="utf-8") == mutation.report(), (
        "stale: run `.venv/bin/python tests/mutation/run.py --report` and commit the page")


def test_every_listed_equivalent_mutant_survived_and_says_why():
    results = json.loads((HERE / "mutation" / "results.json").read_text(encoding="utf-8"))
    survivors = {name for phase in results["phases"].values() for figures in phase["modules"].values()
                 for name in figures["survived"]}
    with (HERE / "mutation" / "equivalent.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert row["mutant"] in survivors, f"{row['mutant']} is listed as equivalent but was killed or never run"
        assert row["mutant"].startswith(f"jiceng.{row['module']}.")
        assert len(row["reason"].split()) >= 4, f"{row['mutant']}: say in a sentence why it is equivalent"


def test_mutation_page_is_in_the_site_navigation():
    assert "reference/mutation-testing.md" in (HERE.parent / "mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("count", "size", "expected"),
    [(10, 5, [0, 2, 4, 6, 8]), (10, 3, [0, 3, 6]), (4, 10, [0, 1, 2, 3]), (4, 0, [0, 1, 2, 3])],
)
def test_sample_takes_every_kth_mutant_or_all_of_them(count, size, expected):
    assert mutation.sample(list(range(count)), size) == expected


def test_tally_counts_mutmut_exit_codes_as_killed_timed_out_survived_or_not_run():
    codes = {"k1": 1, "k3": 3, "t": 36, "x": -24, "s": 0, "n": 33, "u": None}
    figures = mutation.tally(50, codes)
    assert figures == {"mutants": 50, "sampled": 7, "checked": 6, "killed": 2, "timeout": 2,
                       "survived": ["n", "s"], "no_tests": ["n"]}


def test_score_leaves_equivalent_survivors_out_of_the_denominator():
    figures = {"checked": 10, "killed": 7, "timeout": 1, "survived": ["a", "b"]}
    assert mutation.score(figures, set()) == (0, 2, "80 %")
    assert mutation.score(figures, {"a"}) == (1, 1, "89 %")
    assert mutation.score(figures, {"a", "b"}) == (2, 0, "100 %")
    assert mutation.score({"checked": 0, "killed": 0, "timeout": 0, "survived": []}, set()) == (0, 0, "–")


def test_phase_table_lists_the_modules_it_is_given_and_marks_the_ones_not_measured():
    figures = {"mutants": 40, "sampled": 4, "checked": 4, "killed": 3, "timeout": 0, "survived": ["m"]}
    lines = mutation.phase_table({"modules": {"validate": figures}}, {"m"}, ["validate", "registry"])
    assert lines[2] == "| `validate` | 40 | 4 | 4 | 3 | 0 | 0 | 1 | 100 % |"
    assert lines[3] == "| `registry` | not run | | | | | | | |"


def test_after_phase_lists_every_module_of_the_redesigned_layout():
    source = HERE.parent / "src" / "jiceng"
    for module in mutation.MODULES:
        path = source / module.replace(".", "/")
        assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), module
    checks = {f"validate.checks.{path.stem}" for path in (source / "validate" / "checks").glob("*.py")}
    assert checks - {"validate.checks.__init__"} <= set(mutation.MODULES)


def test_mutmut_mutates_every_file_of_every_listed_module():
    import fnmatch
    import tomllib

    root = HERE.parent
    patterns = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]["only_mutate"]
    for module in mutation.MODULES:
        path = root / "src" / "jiceng" / module.replace(".", "/")
        files = [path.with_suffix(".py")] if path.with_suffix(".py").is_file() else sorted(path.glob("*.py"))
        for file in files:
            name = file.relative_to(root).as_posix()
            assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), f"{name} is not in only_mutate"


def test_every_survivor_said_to_be_killed_later_survived_and_names_an_existing_test():
    results = json.loads((HERE / "mutation" / "results.json").read_text(encoding="utf-8"))
    survivors = {name for figures in results["phases"]["after"]["modules"].values() for name in figures["survived"]}
    for name, test in mutation.killed_after_run().items():
        assert name in survivors, f"{name} is listed as killed after the run but did not survive it"
        path, _, function = test.partition("::")
        assert f"def {function}(" in (HERE.parent / path).read_text(encoding="utf-8"), test


def test_every_survivor_killed_after_the_run_names_a_test_that_exists():
    results = json.loads((HERE / "mutation" / "results.json").read_text(encoding="utf-8"))
    survivors = {name for figures in results["phases"]["after"]["modules"].values() for name in figures["survived"]}
    with (HERE / "mutation" / "killed-after-run.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert row["mutant"] in survivors, f"{row['mutant']} did not survive the recorded run"
        path, _, name = row["test"].partition("::")
        assert f"\ndef {name}(" in (HERE.parent / path).read_text(encoding="utf-8"), f"{row['test']} does not exist"
