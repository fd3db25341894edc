"""Checks are units: a new check is one new module in ``jiceng.validate.checks``, found by
the runner and listed in the catalogue and the documentation without editing any other
file; every check declares its own problem types, and the run times each check."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import jiceng.validate.checks
from jiceng.validate import validate_package
from jiceng.validate.discovery import check_modules
from jiceng.validate.report import CATALOGUE, CHECKS, LAYERS, Catalogue, ProblemType
from jiceng.validate.runner import check_classes

TRIVIAL_CHECK = '''
from jiceng.validate.check import Check
from jiceng.validate.report import ProblemType

LONG_TERM = ProblemType("long-term", 2, "Glossary term too long",
                        "A glossary term longer than {limit} characters.")


class LongTerm(Check):
    problem_types = (LONG_TERM,)
    tables = ("glossary",)

    def cells(self, table, number, record, values):
        if len(values["term_zh"] or "") > {limit}:
            self.run.add(table, record, "term_zh", LONG_TERM, "term_zh is too long")
'''


@pytest.fixture
def extra_check_module(tmp_path, monkeypatch):
    """A check module in a directory added to the checks package's search path."""
    directory = tmp_path / "more_checks"
    directory.mkdir()
    (directory / "long_term.py").write_text(TRIVIAL_CHECK.replace("{limit}", "1"), encoding="utf-8")
    monkeypatch.setattr(jiceng.validate.checks, "__path__", [*jiceng.validate.checks.__path__, str(directory)])
    yield "long-term"
    sys.modules.pop("jiceng.validate.checks.long_term", None)


def test_a_new_check_module_runs_and_its_problems_are_reported(extra_check_module, package_copy):
    rows = package_copy.rows("glossary")
    report = validate_package(package_copy.root, max_per_check=10_000)
    found = [problem for problem in report.problems if problem.check == extra_check_module]
    assert len(found) == sum(1 for row in rows if len(row["term_zh"]) > 1) > 0
    assert all(problem.path.endswith("data/glossary.csv") for problem in found)


def test_a_new_check_module_is_in_the_catalogue_and_the_documentation(extra_check_module):
    from jiceng_site.pages import checks_table

    assert CHECKS[extra_check_module].title == "Glossary term too long"
    assert "Glossary term too long" in checks_table()


def test_the_catalogue_forgets_a_check_module_that_is_gone(extra_check_module, monkeypatch):
    assert extra_check_module in CHECKS
    monkeypatch.setattr(jiceng.validate.checks, "__path__", jiceng.validate.checks.__path__[:1])
    assert extra_check_module not in CHECKS


def test_every_check_declares_problem_types_that_its_module_defines():
    for check in check_classes():
        module = sys.modules[check.__module__]
        defined = {value for value in vars(module).values() if isinstance(value, ProblemType)}
        assert set(check.problem_types) <= defined, check.__name__


def test_every_problem_type_is_declared_by_exactly_one_check():
    declared = [problem_type.slug for check in check_classes() for problem_type in check.problem_types]
    assert len(declared) == len(set(declared))
    assert set(declared) == set(CATALOGUE)


def test_every_problem_type_is_in_a_known_layer_and_locate_is_catalogued_apart_from_validate():
    assert {problem_type.layer for problem_type in CATALOGUE.values()} <= set(LAYERS)
    assert CATALOGUE["locate"].command == "locate" and "locate" not in CHECKS
    assert set(CHECKS) == {slug for slug, problem_type in CATALOGUE.items() if problem_type.command == "validate"}


def test_a_new_catalogue_of_one_command_lists_only_that_commands_problem_types():
    locate = Catalogue("locate")
    assert "locate" in locate
    assert {problem_type.command for problem_type in locate.values()} == {"locate"}
    assert set(locate).isdisjoint(CHECKS)


def test_the_catalogue_lists_problem_types_layer_by_layer_then_by_slug():
    # the order in which the documentation and a reader of the catalogue meet the checks
    listed = [(problem_type.layer, slug) for slug, problem_type in CATALOGUE.items()]
    layers = [layer for layer, _ in listed]
    assert len(set(layers)) > 1 and layers == sorted(layers)
    for layer in set(layers):
        slugs = [slug for each, slug in listed if each == layer]
        assert slugs == sorted(slugs), layer


def test_the_check_modules_are_the_files_of_the_checks_package():
    directory = Path(jiceng.validate.checks.__file__).parent
    expected = sorted(path.stem for path in directory.glob("*.py") if not path.stem.startswith("_"))
    assert [module.__name__.rsplit(".", 1)[1] for module in check_modules()] == expected


def test_a_timed_run_reports_the_time_of_every_check_module(package_copy):
    report = validate_package(package_copy.root, timed=True)
    assert set(report.timings) == {module.__name__.rsplit(".", 1)[1] for module in check_modules()
                                   if any(cls.__module__ == module.__name__ for cls in check_classes())}
    assert all(spent["wall_s"] >= 0 and spent["cpu_s"] >= 0 for spent in report.timings.values())
    assert validate_package(package_copy.root).timings == {}
