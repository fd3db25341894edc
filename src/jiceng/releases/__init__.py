"""Releases and stable IDs: what a released version contained, and whether IDs still hold.

A release is recorded as ``releases/X.Y.Z/ids.json``: for every table, every ID with its
status, an *identity* (what the row names, see :mod:`.identity`) and a digest of its
cells, plus the columns and the git blob id of the table file. It is small, readable and
committed, so CI can check every later change against it without git history
(``jiceng validate --against releases``), and ``jiceng diff`` can recover the released
tables from git's object store by their blob ids when it runs inside the repository.

An old version can also be a package directory or any git revision (``main``,
``v0.1.0``): its files are read with ``git show`` into a temporary directory.

Stable-ID rule: every released ID stays in its table for ever. While its row is active
it must name the same thing (its identity holds); a withdrawn row is exempt, and a
withdrawn row that says ``superseded by ID`` in a text cell must name a row that exists.

The modules: :mod:`.identity` (what a row names), :mod:`.snapshot` (ids.json and the
streamed reading of a package's tables), :mod:`.versions` (a snapshot, a directory or a
git revision opened as one version), :mod:`.stable_ids` (the check), :mod:`.policy`
(the bump rule and the release gate), :mod:`.metadata` (CITATION.cff and CHANGELOG.md
against the version released). Tables are streamed, never held whole: a snapshot
keeps per row only its ID, status, identity and digest.
"""

from .identity import RULES, Identity, IdentityRule, overlaps, rule_for, words_span
from .policy import BUMPS, Recorded, bump_between, effective, record_release, release_gate, required_bump
from .snapshot import (
    RELEASES_DIR,
    ReleaseError,
    SNAPSHOT_FILE,
    RowDigest,
    Snapshot,
    TableSnapshot,
    digest,
    dump_snapshot,
    git_blob_id,
    load_snapshot,
    package_version,
    snapshot_of_package,
)
from .stable_ids import StableIdBreak, check_against, superseded_by
from .versions import OpenedVersion, open_version, package_at_revision, parse_version, recorded_releases

__all__ = [
    "BUMPS", "RELEASES_DIR", "RULES", "SNAPSHOT_FILE", "Identity", "IdentityRule", "OpenedVersion", "Recorded",
    "ReleaseError", "RowDigest", "Snapshot", "StableIdBreak", "TableSnapshot", "bump_between", "check_against",
    "digest", "dump_snapshot", "effective", "git_blob_id", "load_snapshot", "open_version", "overlaps",
    "package_at_revision", "package_version", "parse_version", "record_release", "recorded_releases",
    "release_gate", "required_bump", "rule_for", "snapshot_of_package", "superseded_by", "words_span",
]
