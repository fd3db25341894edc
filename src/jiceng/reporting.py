"""What a validation report says to a reader: problem lines, summaries and verdicts.

``jiceng validate`` and ``jiceng audit`` show the same report in different depths; the
wording lives here, beside each other, so the two commands (and anything else that shows
a report) cannot drift apart. Every function takes a finished report and yields lines or
returns a JSON-ready dict; nothing here decides what is valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .registry import TABLE_NAMES


def shown_path(path: Path) -> Path:
    """A path as the user would type it: relative to the current directory when it is
    inside it (the default package is found as an absolute path), else as it is."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def skipped_lines(report: Any) -> Iterator[str]:
    """Why completeness was not checked for some sources."""
    for skipped in report.skipped:
        yield f"completeness not checked for {skipped}; fix those rows and run again"


def validate_lines(report: Any, output_format: str, compared: list[str], label: str) -> Iterator[str]:
    """``jiceng validate``'s text or GitHub output: problems, warnings, what was left
    unchecked or compared, the counts of problems not shown, and the verdict."""
    github = output_format == "github"
    for problem in report.problems:
        yield problem.github() if github else problem.text()
    for warning in report.warnings:
        yield (warning.github().replace("::error", "::warning", 1) if github
               else warning.text().replace("] ", "] warning: ", 1))
    yield from skipped_lines(report)
    yield from compared
    for check, count in sorted(report.suppressed.items()):
        yield f"... and {count} more [{check}] problem(s) not shown (raise --max-errors to see them)"
    rows = sum(report.row_counts.values())
    tables = ", ".join(f"{name} {count}" for name, count in report.row_counts.items())
    unread = [name for name in TABLE_NAMES if name not in report.row_counts]
    if unread:  # missing, or stopped by a problem above: its rows are not counted
        tables += f"; not read: {', '.join(unread)}"
    total = len(report.problems) + sum(report.suppressed.values())
    verdict = "valid" if report.valid else f"{total} problem(s)"
    yield f"jiceng validate {label}: {rows} rows ({tables}): {verdict}"


def validate_json(report: Any, compared: list[str]) -> dict[str, Any]:
    """``jiceng validate --format json``: the report and what ``--against`` compared."""
    return {**report.as_dict(), "against": compared}


def audit_json(report: Any) -> dict[str, Any]:
    """``jiceng audit --format json``: the number accounting, consistency and problems."""
    return {"valid": report.valid, "audit": report.audit_summary, "skipped": report.skipped,
            "consistency": [{"check_id": c, "agrees": a, "explanation": e, "annotation_id": n}
                            for c, a, e, n in report.consistency],
            "problems": [p.as_dict() for p in report.problems]}


def audit_lines(report: Any, label: str) -> Iterator[str]:
    """``jiceng audit``'s text output: problems, the number accounting, each consistency
    check's state and the verdict."""
    summary = report.audit_summary
    for problem in report.problems:
        yield problem.text()
    yield from skipped_lines(report)
    if summary:
        reasons = ", ".join(f"{reason} {count}" for reason, count in summary["non_metric_reasons"].items())
        yield (f"numbers in sources: {summary['number_tokens']}; metrics: {summary['metrics']}; "
               f"non-metric rows: {summary['non_metric_rows']} ({reasons}); unaccounted for: {summary['uncovered']}")
    for check_id, agrees, explanation, annotation_id in report.consistency:
        yield f"consistency {check_id}: {consistency_state(agrees, annotation_id)}: {explanation}"
    yield f"jiceng audit {label}: {audit_verdict(report)}"


def consistency_state(agrees: bool, annotation_id: str | None) -> str:
    """A disagreement is acceptable only when an annotation records it."""
    if agrees:
        return "agrees" + (f" (see annotation {annotation_id})" if annotation_id else "")
    return f"disagrees, recorded as annotation {annotation_id}" if annotation_id else "DISAGREES, not recorded"


def audit_verdict(report: Any) -> str:
    """'clean' only when nothing is wrong and no figures disagree; recorded disagreements are named."""
    if not report.valid:
        return f"{len(report.problems)} problem(s)"
    recorded = [f"{check_id} disagrees, recorded as annotation {annotation_id}"
                for check_id, agrees, _, annotation_id in report.consistency if not agrees]
    if len(recorded) > 3:  # a corpus: the lines above name them
        recorded = [f"{len(recorded)} consistency checks disagree, each recorded as an annotation (listed above)"]
    return "; ".join(["no unrecorded problems", *recorded]) if recorded else "clean"
