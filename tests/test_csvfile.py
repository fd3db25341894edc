"""The one CSV reader (jiceng.csvfile): streamed rows with empty cells as None, and every
unreadable file as one TextFileError with a place."""

from __future__ import annotations

import pytest

from jiceng.csvfile import RowStream, TextFileError, iter_records


def write(tmp_path, data: bytes):
    path = tmp_path / "table.csv"
    path.write_bytes(data)
    return path


def test_rows_have_empty_and_missing_cells_as_none_and_skip_blank_lines(tmp_path):
    rows = RowStream(write(tmp_path, b'id,a,b\nx1,,"two\nlines"\n\nx2,y\n'))
    assert rows.header == ["id", "a", "b"]
    read = list(rows)
    assert [row for _, row in read] == [{"id": "x1", "a": None, "b": "two\nlines"},
                                       {"id": "x2", "a": "y", "b": None}]
    assert [(record.start_line, record.end_line) for record, _ in read] == [(2, 3), (5, 5)]


def test_a_cell_is_placed_at_its_line_and_column_inside_a_multi_line_record(tmp_path):
    rows = RowStream(write(tmp_path, 'id,a,b\nx1,"多\n行",值\n'.encode()))
    (record, _), = list(rows)
    assert rows.position(record, "b") == (3, 4)
    assert rows.position(record, "no such column") == (2, 1)


def test_an_empty_file_is_refused_with_its_place(tmp_path):
    with pytest.raises(TextFileError, match="the file is empty") as caught:
        RowStream(write(tmp_path, b""))
    assert (caught.value.line, caught.value.column) == (1, 1)


def test_a_bad_byte_is_reported_at_its_line_and_column_not_as_a_decoding_traceback(tmp_path):
    path = write(tmp_path, b"id,a\nx1,ok\nx2,caf\xe9\n")
    with pytest.raises(TextFileError, match="not valid UTF-8") as caught:
        list(iter_records(path))
    assert (caught.value.line, caught.value.column) == (3, 7)


def test_a_missing_file_is_a_message(tmp_path):
    with pytest.raises(TextFileError, match="file not found: absent.csv"):
        list(iter_records(tmp_path / "absent.csv"))


def test_an_unterminated_quote_is_reported_from_its_line(tmp_path):
    with pytest.raises(TextFileError, match="malformed CSV") as caught:
        list(RowStream(write(tmp_path, b'id,a\nx1,ok\nx2,"open\n')))
    assert caught.value.line == 3


def test_a_table_with_a_cr_line_end_is_reported_at_its_first_cr_with_what_to_do(run_cli, package_copy):
    path = package_copy.root / "data" / "glossary.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2] += b"\r"  # the third line ends CR LF
    path.write_bytes(b"\n".join(lines))
    outcome = run_cli("validate", str(package_copy.root))
    assert outcome.exit_code == 1
    column = len(lines[2].decode("utf-8"))  # the CR is the line's last character
    assert (f"{path}:3:{column}: [encoding] has CR (Windows or old Mac) line ends; save it with LF line ends"
            in outcome.lines()), outcome.out
