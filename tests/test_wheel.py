"""The wheel carries the data: build it, install it into a fresh venv, load every table."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import assert_csv_values

import jiceng
from jiceng.bundle import repository_root

CHECKOUT = repository_root()

pytestmark = pytest.mark.skipif(CHECKOUT is None, reason="needs the source checkout to build a wheel")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from the checkout."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(work / "dist"), str(CHECKOUT)],
        check=True,
    )
    (built,) = (work / "dist").glob("jiceng-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel) -> Path:
    """A fresh virtual environment, outside the checkout, with the built wheel installed."""
    work = wheel.parent.parent
    environment = work / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    return python


def run_outside(python: Path, code: str, cwd: Path) -> str:
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=cwd, check=True)
    return result.stdout


def test_installed_wheel_loads_every_table_from_inside_the_package(installed, tmp_path):
    code = (
        "import json, jiceng\n"
        "from jiceng.bundle import package_root\n"
        "def records(frame):\n"
        "    return [{k: None if v is None or v != v else v for k, v in row.items()}\n"
        "            for row in frame.astype(object).where(frame.notna(), None).to_dict('records')]\n"
        "names = jiceng.tables() + jiceng.vocabularies()\n"
        "print(json.dumps({'root': str(package_root()), 'version': jiceng.__version__,\n"
        "  'tables': jiceng.tables(), 'records': {name: records(jiceng.load(name)) for name in names}}))\n"
    )
    report = json.loads(run_outside(installed, code, tmp_path))
    assert "site-packages" in report["root"] and report["root"].endswith("jiceng/package")
    assert report["version"] == jiceng.__version__
    for name, records in report["records"].items():
        resource = name.replace("_", "-") if name in report["tables"] else "vocab-" + name.replace("_", "-")
        assert_csv_values(records, resource)
    assert set(report["records"]) == {*jiceng.tables(), *jiceng.vocabularies()}


def test_installed_wheel_validates_its_bundled_data(installed, tmp_path):
    result = subprocess.run(
        [str(installed.parent / "jiceng"), "validate"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(": valid")


def test_installed_wheel_reads_source_text_and_records(installed, tmp_path):
    code = (
        "import jiceng\n"
        "source_id = jiceng.sources()['source_id'][0]\n"
        "print(len(jiceng.source_text(source_id)), len(jiceng.records('metrics')))\n"
    )
    lengths = run_outside(installed, code, tmp_path).split()
    assert int(lengths[0]) == len(jiceng.source_text(jiceng.sources()["source_id"][0]))
    assert int(lengths[1]) == len(jiceng.metrics())


def test_the_wheel_leaves_the_site_generator_and_its_dependencies_out(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        code = {name: archive.read(name).decode("utf-8") for name in names if name.endswith(".py")}
    assert any(name.startswith("jiceng/cli/") for name in names), "the command modules are missing"
    assert not [name for name in names if name.startswith(("jiceng/site/", "jiceng_site/"))]
    site_only = re.compile(r"^\s*(?:import|from) (?:yaml|mkdocs|jieba|matplotlib)\b", re.MULTILINE)
    assert not [name for name, text in code.items() if site_only.search(text)], "a wheel module imports a docs-only library"


def test_installed_wheel_discovers_every_command_and_has_no_site_package(installed, tmp_path):
    script = installed.parent / "jiceng"
    listed = subprocess.run([str(script), "--help"], capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    for name in ("validate", "audit", "locate", "fmt", "add-source", "draft", "info", "schemas", "diff",
                 "export", "release", "cite"):
        assert f"\n    {name}" in listed, f"jiceng --help does not list {name}"
    missing = run_outside(installed, "import importlib.util as u; print(u.find_spec('jiceng_site'), "
                                     "u.find_spec('jiceng.site'))", tmp_path)
    assert missing.split() == ["None", "None"]


def package_state(root: Path) -> dict[str, int]:
    return {str(path.relative_to(root)): path.stat().st_size for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("command", [
    ["add-source", "essay.txt", "--district", "140110"],
    ["draft", "1f5f9208bb5fe543-1"],
    ["fmt"],
    ["locate", "--write"],
])
def test_installed_wheel_refuses_to_write_contributions_into_site_packages(installed, tmp_path, command):
    """A contributor who installed without -e must not see rows vanish into the installed copy."""
    checkout = tmp_path / "checkout"
    (checkout / "data").mkdir(parents=True)
    (checkout / "datapackage.json").write_text("{}", encoding="utf-8")
    (checkout / "essay.txt").write_text("晋源区委组织部\n新建党群服务站12个。\n", encoding="utf-8")
    bundled = Path(run_outside(installed, "from jiceng.bundle import package_root; print(package_root())",
                               tmp_path).strip())
    before = package_state(bundled)
    result = subprocess.run([str(installed.parent / "jiceng"), *command], capture_output=True, text=True,
                            cwd=checkout)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "is installed, not run from a source checkout" in result.stderr
    assert "pip install -e '.[contrib]'" in result.stderr
    option = "--package " if command[0] in ("add-source", "draft") else ""
    assert f"add `{option}.` to the command" in result.stderr
    assert package_state(bundled) == before


@pytest.mark.parametrize("command", [["locate"], ["fmt", "--check"]])
def test_installed_wheel_runs_the_modes_that_only_read_on_its_bundled_data(installed, tmp_path, command):
    result = subprocess.run([str(installed.parent / "jiceng"), *command], capture_output=True, text=True,
                            cwd=tmp_path)
    assert "has no package of yours to write to" not in result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith(f"jiceng {command[0]}")


@pytest.mark.parametrize("command", [["validate", "--against", "releases"], ["diff", "releases"]])
def test_installed_wheel_says_release_snapshots_live_in_a_checkout(installed, tmp_path, command):
    result = subprocess.run([str(installed.parent / "jiceng"), *command], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "are kept in a checkout of the repository, not in an installed copy" in result.stderr
    assert f"releases was looked for in {tmp_path}" in result.stderr
