"""A checkout on Windows is as valid as one on Linux: ``.gitattributes`` keeps LF line
ends in the tables and the source texts' exact bytes, whatever ``core.autocrlf`` says."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from jiceng.bundle import repository_root
from jiceng.validate import validate_package

CHECKOUT = repository_root()

pytestmark = pytest.mark.skipif(
    CHECKOUT is None or not (CHECKOUT / ".git").exists() or shutil.which("git") is None,
    reason="needs the git checkout",
)


def test_a_clone_with_autocrlf_on_checks_out_lf_tables_and_validates(tmp_path):
    clone = tmp_path / "windows-clone"
    subprocess.run(["git", "-c", "core.autocrlf=true", "clone", "--quiet", str(CHECKOUT), str(clone)], check=True)
    data_files = [path for path in (clone / "data").rglob("*") if path.is_file()]
    assert data_files
    assert [path.name for path in data_files if b"\r" in path.read_bytes()] == []
    report = validate_package(clone, str(clone))
    assert report.valid, [problem.text() for problem in report.problems[:5]]


def test_source_texts_are_never_converted():
    attributes = subprocess.run(["git", "check-attr", "text", "eol", "--", "data/sources/x.txt", "data/metrics.csv"],
                                capture_output=True, text=True, cwd=CHECKOUT, check=True).stdout.splitlines()
    assert "data/sources/x.txt: text: unset" in attributes
    assert "data/metrics.csv: eol: lf" in attributes
