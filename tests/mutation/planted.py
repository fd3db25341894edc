"""Plant, one at a time, the bugs that once passed every test, and check that the tests fail.

    python tests/mutation/planted.py [--only NAME]

Each bug is a one-line change to a copy of the checkout in ``mutants-work/planted/``
(the checkout itself is never touched); the test files named with it run against that
copy, and the bug counts as caught when they fail. Prints one line per bug and exits 1 if
any bug passes its tests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass

from run import ROOT, copy_checkout

WORK = ROOT / "mutants-work" / "planted"


@dataclass(frozen=True)
class Bug:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


BUGS = (
    Bug("quote may run past the end of its essay", "src/jiceng/validate/checks/provenance.py",
        "if not (source.start <= row.quote_start and row.quote_end <= source.end):",
        "if not (row.quote_start < source.end):", ("test_provenance_spans.py",)),
    Bug("sha256 of a document compared on its first row only", "src/jiceng/validate/checks/provenance.py",
        "            check_same_hash(row, self.digests[row.path], first, problem)",
        "            pass", ("test_provenance_spans.py",)),
    Bug("foreign keys of annotations.csv skipped", "src/jiceng/validate/checks/keys.py",
        "        if target:", '        if target and name != "annotations":', ("test_keys_annotations.py",)),
    Bug("github messages no longer escape %, CR and LF", "src/jiceng/validate/report.py",
        'message = self.message.replace("%", "%25").replace("\\r", "%0D").replace("\\n", "%0A")',
        "message = self.message", ("test_problems_formats.py",)),
    Bug("github file= property not escaped", "src/jiceng/validate/report.py",
        "file={escape_property(self.path)}", "file={self.path}", ("test_problems_formats.py",)),
    Bug("diff ignores a change from an empty cell", "src/jiceng/diff.py",
        "if previous.get(column) != row.get(column)}",
        "if previous.get(column) and previous.get(column) != row.get(column)}",
        ("test_diff_empty_cells.py",)),
    Bug("cite prints the bundled package's version", "src/jiceng/citation.py",
        '    version = descriptor(root)["version"]', '    version = descriptor()["version"]',
        ("test_cite_package.py",)),
    Bug("site stops escaping non-metric explanation_en", "docs/jiceng_site/districts.py",
        "        esc(row.explanation_en),", "        row.explanation_en,", ("test_site_escaping.py",)),
    Bug("sum_of_parts accepts a 1 % error", "src/jiceng/validate/checks/consistency.py",
        "math.isclose(total, whole.value)", "math.isclose(total, whole.value, rel_tol=0.01)",
        ("test_consistency_rules.py",)),
    Bug("audit stops reporting uncovered Chinese-numeral tokens", "src/jiceng/validate/checks/number_accounting.py",
        "            tokens += 1\n",
        "            tokens += 1\n            if not token_text[:1].isascii():\n                continue\n",
        ("test_audit_numerals.py",)),
    Bug("pre-1.0 version-bump rule inverted", "src/jiceng/releases/policy.py",
        "parse_version(previous)[0] == 0", "parse_version(previous)[0] != 0", ("test_releases_policy.py",)),
    Bug("inf and nan accepted as metric values (the _finite validator switched off)", "src/jiceng/models.py",
        "frozen=True, allow_inf_nan=False)", "frozen=True, allow_inf_nan=True)", ("test_models_finite.py",)),
)


def tests_pass(names: tuple[str, ...]) -> bool:
    """Run test files in the copy, importing jiceng from the copy's sources."""
    result = subprocess.run(
        ["nice", "-n", "10", sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", "-p",
         "no:cacheprovider", *(f"tests/{name}" for name in names)],
        cwd=WORK, env={**os.environ, "PYTHONPATH": str(WORK / "src")}, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise SystemExit(f"pytest could not run {', '.join(names)}:\n{result.stdout[-2000:]}")
    return result.returncode == 0


def caught(bug: Bug) -> bool:
    """Plant the bug in the copy, run its tests there, put the line back."""
    path = WORK / bug.path
    original = path.read_text(encoding="utf-8")
    if original.count(bug.old) != 1:
        raise SystemExit(f"{bug.path}: the line to break is not there exactly once: {bug.old!r}")
    path.write_text(original.replace(bug.old, bug.new), encoding="utf-8")
    try:
        return not tests_pass(bug.tests)
    finally:
        path.write_text(original, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="plant only the bug whose name contains this")
    arguments = parser.parse_args(argv)
    copy_checkout(WORK)
    bugs = [bug for bug in BUGS if not arguments.only or arguments.only in bug.name]
    if not tests_pass(tuple(dict.fromkeys(name for bug in bugs for name in bug.tests))):
        raise SystemExit("the tests fail with no bug planted; fix them first")
    missed = 0
    for bug in bugs:
        found = caught(bug)
        missed += not found
        print(f"{'caught' if found else 'MISSED'}  {bug.name}  ({', '.join(bug.tests)})", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
