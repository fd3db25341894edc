"""The validator and the writers under hostile conditions: no network, failures midway."""

from __future__ import annotations

import os
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiceng.locate import find_quote


def test_validation_opens_no_network_connection(monkeypatch, package_copy, run_cli):
    def refuse(*args, **kwargs):
        raise AssertionError("the validator tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    descriptor = package_copy.root / "datapackage.json"
    descriptor.write_text(
        descriptor.read_text(encoding="utf-8").replace('"path": "data/glossary.csv"', '"path": "https://example.org/g.csv"'),
        encoding="utf-8",
    )
    outcome = run_cli("validate", str(package_copy.root))
    assert outcome.exit_code == 1
    assert "[path-safety]" in outcome.out and "nothing is fetched" in outcome.out


def test_locate_write_failing_midway_leaves_the_original_intact(monkeypatch, package_copy, run_cli):
    rows = package_copy.rows("metrics")
    rows[0]["quote_start"] = rows[0]["quote_end"] = ""
    package_copy.write_rows("metrics", rows)
    path = package_copy.root / "data" / "metrics.csv"
    before = path.read_bytes()

    def disk_full(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        run_cli("locate", str(package_copy.root), "--write")
    assert path.read_bytes() == before
    assert [item.name for item in path.parent.iterdir() if item.name.endswith(".tmp")] == []


@given(
    text=st.text(alphabet="甲乙丙丁，。", min_size=0, max_size=40),
    quote=st.text(alphabet="甲乙丙丁", min_size=1, max_size=4),
)
def test_a_quote_occurring_more_than_once_is_reported_as_ambiguous(text, quote):
    document = quote + text + quote
    found = find_quote(document, quote, "", "", (0, len(document)))
    assert found.start is None and found.end is None
    assert "times in its source" in found.error and "quote_prefix" in found.error
