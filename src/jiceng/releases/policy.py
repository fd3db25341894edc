"""Recording a release: the version bump the changes need (the CHANGELOG's policy), and
the gate every release passes, from the command line or from Python alike: a valid
package that keeps every ID of the previous release, with a big enough bump."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .snapshot import (
    SNAPSHOT_FILE,
    ReleaseError,
    Snapshot,
    load_snapshot,
    open_package_snapshot,
    package_version,
    snapshot_text,
)
from .metadata import check_release_metadata
from .stable_ids import check_against
from .versions import parse_version, recorded_releases

BUMPS = ("patch", "minor", "major")


def required_bump(old: Snapshot, new: Snapshot) -> tuple[str | None, list[str]]:
    """The smallest version bump the changes need, by the CHANGELOG's policy, and why
    (the changes that need that bump)."""
    return largest(changes_by_bump(old, new))


def largest(by_bump: dict[str, list[str]]) -> tuple[str | None, list[str]]:
    """The largest bump that some change needs, and those changes."""
    for bump in reversed(BUMPS):
        if by_bump[bump]:
            return bump, by_bump[bump]
    return None, []


def changes_by_bump(old: Snapshot, new: Snapshot) -> dict[str, list[str]]:
    """Every change from ``old`` to ``new`` (per table: rows added, changed, withdrawn,
    missing; columns and tables added or removed), under the bump it needs.

    Withdrawn or missing rows, removed columns and removed tables need a major version;
    added rows, columns, tables or vocabulary codes a minor one; changed rows a patch.
    """
    reasons: dict[str, list[str]] = {bump: [] for bump in BUMPS}
    reasons["minor"] += [f"table {name} added" for name in new.tables if name not in old.tables]
    reasons["major"] += [f"table {name} removed" for name in old.tables if name not in new.tables]
    for name in [name for name in new.tables if name in old.tables]:
        before, after = old.tables[name], new.tables[name]
        before_rows, seen = before.rows, set()  # the old side held, the new one streamed
        added_columns = [column for column in after.columns if column not in before.columns]
        removed_columns = [column for column in before.columns if column not in after.columns]
        if added_columns:
            reasons["minor"].append(f"{name}: column(s) {', '.join(added_columns)} added")
        if removed_columns:
            reasons["major"].append(f"{name}: column(s) {', '.join(removed_columns)} removed")
        counts = {"added": 0, "missing": 0, "withdrawn": 0, "changed": 0}
        for row_id, row in after.items():
            seen.add(row_id)
            previous = before_rows.get(row_id)
            if previous is None:
                counts["added"] += 1
            elif row.status == "withdrawn" and previous.status != "withdrawn":
                counts["withdrawn"] += 1
            elif row.digest != previous.digest:
                counts["changed"] += 1
        counts["missing"] = len(before_rows.keys() - seen)
        for kind, bump in (("missing", "major"), ("withdrawn", "major"), ("added", "minor"), ("changed", "patch")):
            if counts[kind]:
                reasons[bump].append(f"{name}: {counts[kind]} row(s) {kind}")
    return reasons


def bump_between(old: str, new: str) -> str | None:
    """Which part of the version grew from ``old`` to ``new`` (None when it did not grow)."""
    before, after = parse_version(old), parse_version(new)
    if after <= before:
        return None
    if after[0] != before[0]:
        return "major"
    return "minor" if after[1] != before[1] else "patch"


def effective(bump: str, previous: str) -> str:
    """Before 1.0.0 a breaking change needs only a minor bump (0.1 → 0.2), as in Cargo."""
    return "minor" if bump == "major" and parse_version(previous)[0] == 0 else bump


@dataclass
class Recorded:
    path: Path
    written: bool
    previous: str | None
    bump: str | None  # the smallest bump the changes need under the policy (before 1.0, minor for a break)
    reasons: list[str]  # the changes that need that bump
    changes: list[str] = field(default_factory=list)  # every change since ``previous``, per table


def release_gate(root: Path, display_root: str = "", expected_version: str | None = None) -> None:
    """Refuse (ReleaseError) a package that is not valid, whose datapackage.json does not
    carry ``expected_version`` (the installed jiceng's, for the source checkout), or whose
    CITATION.cff or CHANGELOG.md names another version."""
    from ..validate import validate_package

    if expected_version is not None and package_version(root) != expected_version:
        raise ReleaseError(f"datapackage.json says version {package_version(root)} but jiceng is "
                           f"{expected_version}; run `jiceng schemas`")
    check_release_metadata(root, package_version(root))
    report = validate_package(root, display_root)
    if not report.valid:
        raise ReleaseError(f"the package has {len(report.problems)} problem(s); run `jiceng validate` and fix "
                           "them first")


def record_release(root: Path, releases: Path, snapshot: Snapshot | None = None, *, validate: bool = True,
                   display_root: str = "", expected_version: str | None = None) -> Recorded:
    """Write ``releases/VERSION/ids.json`` for the package at ``root``.

    Refuses (ReleaseError) an invalid package or one whose release metadata names another
    version (unless ``validate`` is false: a git revision, say, that was valid when
    committed), a package that breaks the stable-ID
    check against the previous release, a version bump smaller than the changes need,
    and a different snapshot of an already recorded version: releases are never rewritten.
    """
    if validate:
        release_gate(root, display_root, expected_version)
    snapshot = snapshot or open_package_snapshot(root)
    version = parse_version(snapshot.version)
    target = releases / snapshot.version / SNAPSHOT_FILE
    if target.is_file():
        if same_text(target, snapshot_text(snapshot)):
            return Recorded(target, False, None, None, [])
        raise ReleaseError(f"{target}: release {snapshot.version} is already recorded with other data; releases "
                           "are never rewritten — bump __version__ in src/jiceng/version.py and run `jiceng schemas`")
    earlier = {number: path for number, path in recorded_releases(releases).items() if number < version}
    later = [path.parent.name for number, path in recorded_releases(releases).items() if number > version]
    if later:
        raise ReleaseError(f"release {snapshot.version} is older than the recorded release(s) {', '.join(later)}")
    previous_version, bump, reasons, changes = None, None, [], []
    if earlier:
        previous = load_snapshot(list(earlier.values())[-1])
        previous_version = previous.version
        breaks = check_against(root, previous)
        if breaks:
            details = "\n".join(f"{item.path}:{item.line}:{item.column}: [stable-id] {item.message}"
                                for item in breaks)
            raise ReleaseError(f"{details}\nthe package breaks the stable-ID rule against release {previous.version}")
        by_bump = changes_by_bump(previous, snapshot)
        changes = [change for kind in reversed(BUMPS) for change in by_bump[kind]]
        needed, reasons = largest(by_bump)
        bump = effective(needed, previous.version) if needed else None
        made = bump_between(previous.version, snapshot.version)
        if bump and made and BUMPS.index(made) < BUMPS.index(bump):
            raise ReleaseError(f"{previous.version} → {snapshot.version} is a {made} release, but the changes need a "
                               f"{bump} one: {'; '.join(reasons)}")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    with temporary.open("w", encoding="utf-8", newline="\n") as output:
        output.writelines(snapshot_text(snapshot))
    temporary.replace(target)
    return Recorded(target, True, previous_version, bump, reasons, changes)


def same_text(path: Path, chunks: Iterable[str]) -> bool:
    """Whether a file holds exactly the text of ``chunks``, compared a chunk at a time."""
    with path.open(encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            if handle.read(len(chunk)) != chunk:
                return False
        return handle.read(1) == ""
