"""The release policy of CHANGELOG.md: which version bump a set of changes needs, and the
pre-1.0 rule (before 1.0.0 a breaking change needs only a minor bump, as in Cargo)."""

from __future__ import annotations

import pytest

from jiceng.releases import (
    Identity,
    ReleaseError,
    RowDigest,
    Snapshot,
    TableSnapshot,
    bump_between,
    effective,
    parse_version,
    required_bump,
)


def glossary(rows: dict[str, RowDigest], columns: tuple[str, ...] = ("term_id",), version: str = "1.0.0") -> Snapshot:
    return Snapshot(version, {"glossary": TableSnapshot("data/glossary.csv", "term_id", list(columns), None, rows)})


def entry(status: str = "active", digest: str = "d1") -> RowDigest:
    return RowDigest(status, Identity(names=("词",)), digest)


@pytest.mark.parametrize(
    ("bump", "previous", "needed"),
    [
        ("major", "0.1.0", "minor"),
        ("major", "0.9.9", "minor"),
        ("major", "1.0.0", "major"),
        ("major", "2.3.4", "major"),
        ("minor", "0.1.0", "minor"),
        ("minor", "1.2.0", "minor"),
        ("patch", "0.1.0", "patch"),
        ("patch", "1.0.0", "patch"),
    ],
)
def test_breaking_change_needs_only_a_minor_bump_before_1_0(bump, previous, needed):
    assert effective(bump, previous) == needed


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("0.1.0", "0.1.1", "patch"),
        ("0.1.9", "0.2.0", "minor"),
        ("1.4.2", "1.5.0", "minor"),
        ("1.4.2", "2.0.0", "major"),
        ("1.4.2", "1.4.3", "patch"),
        ("1.4.2", "1.4.2", None),
        ("1.4.2", "1.4.1", None),
        ("2.0.0", "1.9.9", None),
    ],
)
def test_bump_between_names_the_part_of_the_version_that_grew(old, new, bump):
    assert bump_between(old, new) == bump


@pytest.mark.parametrize("text", ["1.0", "a.b.c", "01.0.0", "1.0.0-rc1", "v1.0.0", "", None, "1.0.0\n"])
def test_a_version_must_be_major_minor_patch(text):
    with pytest.raises(ReleaseError, match="is not a semantic version MAJOR.MINOR.PATCH"):
        parse_version(text)


def test_parse_version_reads_three_numbers():
    assert parse_version("10.0.23") == (10, 0, 23)


def test_required_bump_gives_the_reasons_of_the_largest_bump():
    old = glossary({"g-a": entry(), "g-b": entry()})
    new = glossary({"g-a": entry(digest="d2"), "g-c": entry()}, ("term_id", "extra"))
    bump, reasons = required_bump(old, new)
    assert bump == "major"
    assert reasons == ["glossary: 1 row(s) missing"]


def test_required_bump_counts_each_kind_of_row_change():
    old = glossary({"g-a": entry(), "g-b": entry(), "g-c": entry()})
    new = glossary({"g-a": entry(digest="d2"), "g-b": entry(digest="d3"), "g-c": entry(), "g-d": entry(),
                    "g-e": entry()})
    assert required_bump(old, new) == ("minor", ["glossary: 2 row(s) added"])
    assert required_bump(old, glossary({"g-a": entry(digest="d2"), "g-b": entry(digest="d3"),
                                        "g-c": entry()})) == ("patch", ["glossary: 2 row(s) changed"])


def test_withdrawing_a_row_already_withdrawn_is_no_change():
    old = glossary({"g-a": entry(status="withdrawn")})
    assert required_bump(old, glossary({"g-a": entry(status="withdrawn")})) == (None, [])


def test_tables_and_columns_added_or_removed_need_their_bumps():
    old = glossary({"g-a": entry()}, ("term_id", "usage_note"))
    assert required_bump(old, glossary({"g-a": entry()}, ("term_id",))) == (
        "major", ["glossary: column(s) usage_note removed"])
    assert required_bump(old, glossary({"g-a": entry()}, ("term_id", "usage_note", "a", "b"))) == (
        "minor", ["glossary: column(s) a, b added"])
    assert required_bump(old, Snapshot("1.0.0", {})) == ("major", ["table glossary removed"])
    assert required_bump(Snapshot("1.0.0", {}), old) == ("minor", ["table glossary added"])
