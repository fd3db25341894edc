"""One version to compare, opened from what the command line names: a release snapshot,
a directory of them, a package directory, or a git revision."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..bundle import DESCRIPTOR
from .snapshot import (
    RELEASES_DIR,
    SNAPSHOT_FILE,
    ReleaseError,
    Snapshot,
    load_snapshot,
    package_tables,
    open_package_snapshot,
    table_rows,
)

VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\Z")


@dataclass
class OpenedVersion:
    """One version to compare: its IDs (always), and the files of whichever of its tables
    are available, to be streamed when cells are needed."""

    label: str
    snapshot: Snapshot
    files: dict[str, Path]

    @property
    def version(self) -> str | None:
        return self.snapshot.version

    def rows(self, name: str):
        """The rows of table ``name`` (empty cells None), streamed from its file."""
        table = self.snapshot.tables[name]
        return table_rows(self.files[name], table.path, table.key)


def parse_version(text: str | None) -> tuple[int, int, int]:
    match = VERSION.match(text or "")
    if not match:
        raise ReleaseError(f"version {text!r} is not a semantic version MAJOR.MINOR.PATCH")
    return (int(match[1]), int(match[2]), int(match[3]))


def recorded_releases(directory: Path) -> dict[tuple[int, int, int], Path]:
    """The release snapshots under ``directory`` (releases/X.Y.Z/ids.json), by version."""
    found = {}
    for path in directory.glob(f"*/{SNAPSHOT_FILE}"):
        if VERSION.match(path.parent.name):
            found[parse_version(path.parent.name)] = path
    return dict(sorted(found.items()))


@contextmanager
def open_version(spec: str, anchor: Path, label: str | None = None, beside: Path | None = None) -> Iterator[OpenedVersion]:
    """Open OLD/NEW as given on the command line.

    ``spec`` is a release snapshot (``ids.json`` or its directory), a directory of
    release snapshots (the newest is taken), a package directory, or else a git
    revision of the repository that holds ``anchor``, read at ``anchor``'s place in it.
    A relative path that is not in the current directory is looked for in ``beside``
    (the package compared), so ``releases`` finds the checkout's wherever the command runs.
    """
    path = Path(spec)
    if beside is not None and not path.is_absolute() and not path.exists() and (beside / path).exists():
        path = beside / path
    label = label or spec
    with tempfile.TemporaryDirectory(prefix="jiceng-") as temporary:
        if path.is_file() and path.name == SNAPSHOT_FILE:
            yield snapshot_version(label, path, Path(temporary))
        elif path.is_file() and path.name == DESCRIPTOR:
            yield opened_package(label, path.parent)
        elif path.is_dir() and (path / SNAPSHOT_FILE).is_file():
            yield snapshot_version(label, path / SNAPSHOT_FILE, Path(temporary))
        elif path.is_dir() and ((path / DESCRIPTOR).is_file() or (path / "data").is_dir()):
            yield opened_package(label, path)
        elif path.is_dir() and recorded_releases(path):
            newest = list(recorded_releases(path).values())[-1]
            yield snapshot_version(str(newest.parent) if label == spec else label, newest, Path(temporary))
        elif path.exists():
            raise ReleaseError(f"{spec}: neither a package directory (with datapackage.json) nor a release "
                               f"snapshot ({RELEASES_DIR}/X.Y.Z/{SNAPSHOT_FILE})")
        else:
            try:
                package_at_revision(spec, anchor, Path(temporary))
            except ReleaseError as error:
                raise ReleaseError(f"{error}{where_looked(spec, beside)}") from None
            yield opened_package(label, Path(temporary))


def where_looked(spec: str, beside: Path | None) -> str:
    """Where a path that is not there was looked for; for ``releases``, where it lives."""
    places = [str(Path.cwd())] + ([str(beside)] if beside is not None and not Path(spec).is_absolute() else [])
    said = f"; {spec} was looked for in {' and in '.join(dict.fromkeys(places))}"
    if Path(spec).parts[:1] == (RELEASES_DIR,):
        said += (f". Release snapshots ({RELEASES_DIR}/) are kept in a checkout of the repository, not in an "
                 f"installed copy: run the command in a checkout, or give the path of a checkout's {RELEASES_DIR}/")
    return said


def opened_package(label: str, root: Path) -> OpenedVersion:
    """A package directory as a version: its snapshot (read lazily) and its table files."""
    files = {name: root / path for name, (path, _) in package_tables(root).items()}
    return OpenedVersion(label, open_package_snapshot(root), files)


def snapshot_version(label: str, path: Path, scratch: Path) -> OpenedVersion:
    """A release snapshot, with each table recovered from git by its blob id, into
    ``scratch``, where possible."""
    snapshot = load_snapshot(path)
    files = {}
    for index, (name, table) in enumerate(snapshot.tables.items()):
        target = scratch / f"{index}.csv"
        if table.blob and git_blob(path.parent, table.blob, target):
            files[name] = target
    return OpenedVersion(label, snapshot, files)


def git(anchor: Path, *arguments: str, into: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``anchor``'s repository; its output goes to the file ``into`` when given."""
    try:
        if into is None:
            return subprocess.run(["git", "-C", str(anchor), *arguments], capture_output=True, check=False)
        with into.open("wb") as output:
            return subprocess.run(["git", "-C", str(anchor), *arguments], stdout=output,
                                  stderr=subprocess.PIPE, check=False)
    except FileNotFoundError:
        raise ReleaseError("git is not installed; give a package directory or a release snapshot instead") from None


def git_blob(anchor: Path, blob: str, target: Path) -> bool:
    """Write a file content from git's object store to ``target``; False outside a
    repository or when absent."""
    if not re.fullmatch(r"[0-9a-f]{40}", blob):
        return False
    try:
        result = git(anchor, "cat-file", "blob", blob, into=target)
    except ReleaseError:
        return False
    return result.returncode == 0


def package_at_revision(revision: str, anchor: Path, destination: Path) -> None:
    """Write datapackage.json and the CSV tables as of ``revision`` into ``destination``."""
    anchor = anchor if anchor.is_dir() else anchor.parent
    if git(anchor, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise ReleaseError(f"{revision}: no such directory or file, and {anchor} is not in a git repository, "
                           "so it cannot be a git revision either")
    resolved = git(anchor, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if resolved.returncode != 0:
        raise ReleaseError(f"{revision}: no such directory, file or git revision (in the repository of {anchor})")
    commit = resolved.stdout.decode().strip()
    listing = git(anchor, "ls-tree", "-r", "-z", "--name-only", commit, "--", DESCRIPTOR, "data")
    names = [name for name in listing.stdout.decode("utf-8").split("\0")
             if name == DESCRIPTOR or (name.startswith("data/") and name.endswith(".csv"))]
    if not any(name.startswith("data/") for name in names):
        raise ReleaseError(f"{revision}: the revision holds no data package at {anchor}")
    for name in names:
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        content = git(anchor, "show", f"{commit}:./{name}", into=target)
        if content.returncode != 0:
            raise ReleaseError(f"{revision}: cannot read {name}: {content.stderr.decode(errors='replace').strip()}")
