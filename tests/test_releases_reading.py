"""Release snapshots as written and read back: a snapshot is UTF-8 whatever the locale, an
unreadable table does not stop the stable-ID check of the tables after it, and a table
recovered from git for `jiceng diff` is named by its path in messages."""

from __future__ import annotations

import io

from test_releases import against, committed, git, released, stable_id_lines

import jiceng
from jiceng.releases import dump_snapshot, snapshot_of_package


def test_a_release_snapshot_is_written_as_utf8_under_an_ascii_locale(run_cli, package_copy, monkeypatch):
    default = io.text_encoding
    monkeypatch.setattr(io, "text_encoding", lambda encoding, stacklevel=2: encoding or "ascii")
    outcome = run_cli("release", str(package_copy.root))
    monkeypatch.setattr(io, "text_encoding", default)
    assert outcome.exit_code == 0, outcome.err
    text = (package_copy.root / "releases" / jiceng.__version__ / "ids.json").read_text(encoding="utf-8")
    assert not text.isascii()  # the identities hold Chinese words
    assert against(run_cli, package_copy, package_copy.root / "releases").exit_code == 0


def test_an_unreadable_table_does_not_hide_a_missing_id_in_a_later_table(run_cli, package_copy):
    snapshot = released(run_cli, package_copy)
    annotations = package_copy.root / "data" / "annotations.csv"
    annotations.write_bytes(annotations.read_bytes() + b"\xff\xfe not UTF-8\n")
    rows = package_copy.rows("glossary")
    deleted = rows.pop(0)["term_id"]
    package_copy.write_rows("glossary", rows)
    outcome = against(run_cli, package_copy, snapshot)
    assert outcome.exit_code == 1
    assert [line for line in stable_id_lines(outcome) if f"ID {deleted} " in line and "missing" in line], outcome.out


def test_diff_against_a_snapshot_whose_table_repeats_an_id_names_the_file_and_line(run_cli, package_copy):
    rows = package_copy.rows("glossary")
    package_copy.write_rows("glossary", rows + [rows[0]])
    committed(package_copy.root)
    recorded = package_copy.root / "releases" / "9.9.9" / "ids.json"
    recorded.parent.mkdir(parents=True)
    recorded.write_text(dump_snapshot(snapshot_of_package(package_copy.root)), encoding="utf-8")
    git(package_copy.root, "add", "-A")
    git(package_copy.root, "commit", "-q", "-m", "snapshot")
    outcome = run_cli("diff", str(recorded), str(package_copy.root))
    assert outcome.exit_code == 1 and "Traceback" not in outcome.err
    line = len(rows) + 2  # the header, then the rows; the repeated row is the last
    assert f"data/glossary.csv:{line}: ID {rows[0]['term_id']} occurs more than once; run `jiceng validate`" \
        in outcome.err
