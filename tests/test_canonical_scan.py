"""One scan of a table's bytes shows most files canonical, so that ``jiceng validate``
renders records back to CSV only for a file the scan cannot vouch for; the record-by-record
comparison (``first_difference``) is the oracle here. The scan may say "not shown" of a
canonical file (then the comparison runs), but never "canonical" of a file that is not."""

from __future__ import annotations

import csv
import io

from hypothesis import example, given
from hypothesis import strategies as st

from jiceng.tablefile import first_difference, is_canonical

# Every character the CSV form treats specially, and a few that it does not
PIECES = ["a", "中", ",", '"', "\n", "\r", " ", "\ufeff", "1"]
text_pieces = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
# what the writer writes and the reader reads back alike: no CR, no byte-order mark
cell = st.lists(st.sampled_from([piece for piece in PIECES if piece not in "\r\ufeff"]), max_size=5).map("".join)
rows = st.lists(st.lists(cell, min_size=2, max_size=4), min_size=1, max_size=8)
chunk_sizes = st.integers(min_value=1, max_value=64)


def rendered(cell_rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(cell_rows)
    return buffer.getvalue()


def parses(text: str) -> bool:
    try:
        list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return False
    return True


@given(text=text_pieces, chunk_size=chunk_sizes)
@example(text='a,"b\n', chunk_size=64)  # a quoted cell never closed
@example(text='"a",b\n', chunk_size=64)  # a cell quoted without need
@example(text="\ufeffa,b\n", chunk_size=64)  # a byte-order mark, which the reader drops
@example(text="a,b", chunk_size=64)  # no final newline
@example(text="a\rb\n", chunk_size=64)  # a CR, which the reader takes for a line end
def test_a_file_the_scan_calls_canonical_has_no_difference_from_its_canonical_form(tmp_path_factory, text,
                                                                                   chunk_size):
    path = tmp_path_factory.mktemp("scan") / "table.csv"
    path.write_bytes(text.encode("utf-8"))
    if is_canonical(path, chunk_size):
        assert parses(text) and first_difference(path) is None


@given(cell_rows=rows, chunk_size=chunk_sizes)
@example(cell_rows=[["a", 'say "hi"'], ["社区\n党建", ","]], chunk_size=3)  # chunks cut quoted cells
def test_what_the_canonical_writer_writes_is_shown_canonical_in_chunks_as_long_as_its_records(tmp_path_factory, cell_rows,
                                                                                  chunk_size):
    path = tmp_path_factory.mktemp("scan") / "table.csv"
    path.write_bytes(rendered(cell_rows).encode("utf-8"))
    longest_record = max(len(rendered([row]).encode("utf-8")) for row in cell_rows)
    assert is_canonical(path, max(chunk_size, longest_record))


def test_a_needlessly_quoted_cell_far_into_a_file_is_not_called_canonical(tmp_path):
    rows_text = rendered([["id", "text"]] + [[f"r{n}", "居委会, 业委会"] for n in range(5000)])
    path = tmp_path / "table.csv"
    path.write_text(rows_text.replace("\nr4000,", '\n"r4000",'), encoding="utf-8", newline="")
    assert not is_canonical(path, chunk_size=4096)
    assert first_difference(path) is not None


def test_a_record_longer_than_a_chunk_is_left_to_the_comparison_which_finds_it_canonical(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text(rendered([["id", "notes"], ["r1", "长" * 2000 + ",\n"], ["r2", "短"]]), encoding="utf-8",
                    newline="")
    assert not is_canonical(path, chunk_size=1024)
    assert is_canonical(path, chunk_size=1 << 20)
    assert first_difference(path) is None
