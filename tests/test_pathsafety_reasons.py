"""Which paths a descriptor may name, and the reason given for each refused one."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiceng.pathsafety import unsafe_reason

URL = "is a URL; resources must be files inside the package (nothing is fetched)"
ABSOLUTE = "is absolute; use a path relative to datapackage.json"
CLIMBS = "climbs out of the package ('..' or backslash); use a path inside it"


@pytest.mark.parametrize("path", ["data/metrics.csv", "metrics.csv", "data/sub/x.csv", "a..b/c.csv", "data/.hidden"])
def test_relative_path_inside_the_package_is_safe(tmp_path, path):
    assert unsafe_reason(tmp_path, path) is None


@pytest.mark.parametrize("path", [None, "", 3, ["data/metrics.csv"]])
def test_missing_or_non_text_path_must_be_a_non_empty_relative_path(tmp_path, path):
    assert unsafe_reason(tmp_path, path) == "must be a non-empty relative path"


@pytest.mark.parametrize("path", ["https://example.org/m.csv", "file:///etc/passwd", "//host/share/m.csv",
                                  "\\\\host\\share\\m.csv"])
def test_url_or_network_path_is_refused(tmp_path, path):
    assert unsafe_reason(tmp_path, path) == URL


@pytest.mark.parametrize("path", ["/etc/passwd", "\\windows\\m.csv", "C:/data/m.csv", "c:m.csv"])
def test_absolute_path_is_refused(tmp_path, path):
    assert unsafe_reason(tmp_path, path) == ABSOLUTE


@pytest.mark.parametrize("path", ["../m.csv", "data/../../m.csv", "data/..", "data\\m.csv"])
def test_path_climbing_out_or_with_a_backslash_is_refused(tmp_path, path):
    assert unsafe_reason(tmp_path, path) == CLIMBS


def test_single_character_path_is_not_mistaken_for_a_drive(tmp_path):
    assert unsafe_reason(tmp_path, "m") is None


def test_symbolic_link_leading_outside_is_refused(tmp_path: Path):
    package, outside = tmp_path / "package", tmp_path / "outside.csv"
    package.mkdir()
    outside.write_text("a\n", encoding="utf-8")
    (package / "link.csv").symlink_to(outside)
    assert unsafe_reason(package, "link.csv") == "is a symbolic link to a file outside the package"


def test_symbolic_link_staying_inside_is_safe(tmp_path: Path):
    (tmp_path / "real.csv").write_text("a\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
    assert unsafe_reason(tmp_path, "link.csv") is None
