"""A problem as each output format prints it: the plain line, GitHub's workflow command
(escaped as GitHub's toolkit escapes, so that a path or message cannot break it) and JSON."""

from __future__ import annotations

import pytest

from jiceng.validate.report import CHECKS, Problem, escape_property


def test_plain_line_is_path_line_column_check_message():
    problem = Problem("data/metrics.csv", 12, 7, "type-error", "field 'value': 'x' is not a number")
    assert problem.text() == "data/metrics.csv:12:7: [type-error] field 'value': 'x' is not a number"


def test_github_command_names_file_line_column_title_and_message():
    problem = Problem("data/metrics.csv", 12, 7, "type-error", "bad value")
    assert problem.github() == "::error file=data/metrics.csv,line=12,col=7,title=Wrong type::[type-error] bad value"


def test_github_message_escapes_percent_carriage_return_and_line_feed():
    problem = Problem("data/metrics.csv", 1, 1, "consistency", "off by 5%\r\nsecond line\nthird")
    message = problem.github().split("::", 2)[2]
    assert message == "[consistency] off by 5%25%0D%0Asecond line%0Athird"


def test_github_message_keeps_colons_and_commas_which_only_properties_escape():
    problem = Problem("data/metrics.csv", 1, 1, "consistency", "a, b: c")
    assert problem.github().endswith("::[consistency] a, b: c")


@pytest.mark.parametrize(
    ("path", "escaped"),
    [
        ("data/a,b.csv", "data/a%2Cb.csv"),
        ("C:/package/data/metrics.csv", "C%3A/package/data/metrics.csv"),
        ("data/100%.csv", "data/100%25.csv"),
        ("data/line\nbreak\r.csv", "data/line%0Abreak%0D.csv"),
    ],
    ids=["comma", "colon", "percent", "newlines"],
)
def test_github_file_property_is_escaped_so_the_path_cannot_break_the_command(path, escaped):
    command = Problem(path, 3, 4, "foreign-key", "dangling").github()
    assert command.startswith(f"::error file={escaped},line=3,col=4,title=Dangling reference::")


def test_github_title_property_is_escaped():
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"


def test_github_title_of_an_unknown_check_is_its_slug():
    assert ",title=no-such-check::" in Problem("x.csv", 1, 1, "no-such-check", "m").github()


def test_json_form_holds_every_field():
    problem = Problem("data/metrics.csv", 12, 7, "type-error", "bad")
    assert problem.as_dict() == {"path": "data/metrics.csv", "line": 12, "column": 7, "check": "type-error",
                                 "message": "bad"}


def test_every_check_has_a_layer_title_and_description():
    assert all(check.slug == slug and check.title and check.description and 0 <= check.layer <= 6
               for slug, check in CHECKS.items())
