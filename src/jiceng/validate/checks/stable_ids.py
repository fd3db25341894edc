"""Layer 6, stable IDs (``--against OLD``): every ID of an earlier version is still
there, and an active row with that ID still names the same thing (the rules are in
``jiceng.releases``, whose ``check_against`` this check calls)."""

from __future__ import annotations

from pathlib import Path
from ..check import Check
from ..report import ProblemType, Report

STABLE_ID = ProblemType("stable-id", 6, "Earlier ID lost or reused",
                        "With --against OLD: an ID of OLD is missing, or an active row with that ID now names a "
                        "different thing (identity rules in jiceng.releases.RULES).")


class StableIds(Check):
    problem_types = (STABLE_ID,)
    order = 95
    whole_package = True
    final = True

    def end(self) -> None:
        if self.run.against:
            self.report.against_error = check_stable_ids(self.report, self.run.root, list(self.run.against),
                                                         self.report.compared)


def check_stable_ids(report: Report, root: Path, versions: list[str], compared: list[str]) -> str | None:
    """Add a [stable-id] problem for each earlier ID that is missing or names another thing;
    say in ``compared`` what was compared. Return why a version cannot be read, if it cannot."""
    from ...releases import ReleaseError, check_against, open_version

    for against in versions:
        try:
            with open_version(against, root, beside=root) as old:
                findings = check_against(root, old.snapshot, f"{old.label} ({old.version})")
                ids = sum(1 for table in old.snapshot.tables.values() for _ in table.items())
                label = f"{old.label} ({old.version})"
        except ReleaseError as error:
            return f"--against {error}"
        for finding in findings:
            report.add(finding.path, finding.line, finding.column, STABLE_ID, finding.message)
        tables = len(old.snapshot.tables)
        verdict = f"{len(findings)} missing or changed" if findings else "every one still there, naming the same thing"
        compared.append(f"--against {against}: checked {ids} IDs of {label} in {tables} tables: {verdict}")
    return None
