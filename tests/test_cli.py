"""The installed command and ``python -m jiceng`` behave alike, with no traceback."""

from __future__ import annotations

import subprocess
import sys


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jiceng", *arguments], capture_output=True, text=True)


def test_python_dash_m_validate_passes_on_the_bundled_package():
    result = run("validate")
    assert result.returncode == 0, result.stdout
    assert "valid" in result.stdout.splitlines()[-1]


def test_broken_copy_exits_1_with_messages_and_no_traceback(package_copy):
    path = package_copy.root / "data" / "metrics.csv"
    path.write_text(path.read_text(encoding="utf-8") + "broken,row\n", encoding="utf-8")
    result = run("validate", str(package_copy.root))
    assert result.returncode == 1
    assert "[csv-structure]" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_no_command_prints_help_and_exits_1():
    result = run()
    assert result.returncode == 1
    assert "validate" in result.stdout


def test_version_flag_prints_the_version():
    import jiceng

    assert run("--version").stdout.strip() == f"jiceng {jiceng.__version__}"
