"""``jiceng locate``: offsets computed from quotes, written only when asked, atomically."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jiceng.locate import find_quote


def test_bundled_offsets_need_no_change(run_cli):
    outcome = run_cli("locate")
    assert outcome.exit_code == 0, outcome.out
    assert "0 offset pair(s)" in outcome.out


def test_write_refills_blanked_offsets_and_leaves_the_table_canonical(run_cli, package_copy):
    original = package_copy.rows("metrics")
    rows = [dict(row) for row in original]
    for row in rows[:5]:
        row["quote_start"] = row["quote_end"] = ""
    package_copy.write_rows("metrics", rows)
    outcome = run_cli("locate", str(package_copy.root), "--write")
    assert outcome.exit_code == 0, outcome.out
    assert "5 offset pair(s) written" in outcome.out
    assert package_copy.rows("metrics") == original
    assert run_cli("fmt", "--check", str(package_copy.root)).exit_code == 0


def test_without_write_nothing_changes_and_the_exit_code_says_so(run_cli, package_copy):
    rows = package_copy.rows("initiatives")
    rows[0]["quote_start"] = "0"
    package_copy.write_rows("initiatives", rows)
    before = package_copy.digest()
    outcome = run_cli("locate", str(package_copy.root))
    assert outcome.exit_code == 1
    assert "run with --write" in outcome.out
    assert package_copy.digest() == before


def test_quote_printed_twice_in_its_source_asks_for_a_prefix(run_cli, package_copy):
    source = package_copy.rows("sources")[0]
    text = (package_copy.root / source["path"]).read_text(encoding="utf-8")
    essay = text[int(source["span_start"]) : int(source["span_end"])]
    word = next(w for w in ("进一步", "基层党组织", "党建") if essay.count(w) > 1)
    rows = package_copy.rows("metrics")
    index = next(i for i, row in enumerate(rows) if row["source_id"] == source["source_id"])
    rows[index].update(quote=word, quote_prefix="", quote_suffix="")
    package_copy.write_rows("metrics", rows)
    before = package_copy.digest()
    outcome = run_cli("locate", str(package_copy.root), "--write")
    assert outcome.exit_code == 1
    assert f"occurs {essay.count(word)} times" in outcome.out and "quote_prefix" in outcome.out
    assert package_copy.digest() == before


def test_quote_absent_from_its_source_is_reported(run_cli, package_copy):
    package_copy.set_cell("metrics", 0, "quote", "这句话不在原文中")
    outcome = run_cli("locate", str(package_copy.root))
    assert outcome.exit_code == 1
    assert "does not occur" in outcome.out


def test_prefix_picks_the_second_occurrence():
    text = "甲乙丙。丁乙丙。"
    assert find_quote(text, "乙丙", "丁", "", (0, len(text))).start == 5
    assert find_quote(text, "乙丙", "", "", (0, len(text))).error


def test_span_limits_the_search_to_the_rows_own_source():
    text = "甲乙丙\n\n丁乙丙"
    assert find_quote(text, "乙丙", "", "", (5, len(text))).start == 6


@given(
    before=st.text(alphabet="甲乙丙丁戊己庚辛，。\n", max_size=60),
    after=st.text(alphabet="甲乙丙丁戊己庚辛，。\n", max_size=60),
)
def test_a_unique_quote_is_found_exactly_where_it_was_placed(before, after):
    quote = "壬癸子丑"
    found = find_quote(before + quote + after, quote, "", "", (0, len(before + quote + after)))
    assert (found.start, found.end) == (len(before), len(before) + len(quote))
