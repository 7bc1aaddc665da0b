"""Bronze bytes to records (ecommerce_dwh.silver.lines): every rule, without Spark."""

from __future__ import annotations

import pytest

from ecommerce_dwh.silver.lines import (
    INVALID_UTF8,
    MALFORMED_LINE,
    BronzeFileError,
    parse_file,
    parse_record,
    render,
    split_lines,
    unrender,
)

HEADER = ("id", "name", "updated_at")


def test_lines_are_numbered_from_the_header_and_crlf_is_dropped() -> None:
    data = b"id,name\r\n1,a\r\n\r\n2,b"
    assert list(split_lines(data)) == [(1, b"id,name"), (2, b"1,a"), (3, b""), (4, b"2,b")]
    assert list(split_lines(b"h\n1\n")) == [(1, b"h"), (2, b"1")]
    assert list(split_lines(b"")) == []


@pytest.mark.parametrize("raw", [
    b"plain ascii", "caf\u00e9 \u2603".encode(), b"back\\slash", b"",
    b"\xff\xfe", b"ok \xc3 broken \\ and \\x41 literal", b"\xe2\x82",
])
def test_render_is_lossless(raw: bytes) -> None:
    text, valid = render(raw)
    assert unrender(text, valid) == raw
    assert isinstance(text.encode("utf-8"), bytes), "the rendering is always valid UTF-8"


def test_invalid_bytes_render_as_upper_case_hex_and_backslashes_double() -> None:
    assert render(b"a\xff\\b") == ("a\\xFF\\\\b", False)
    assert render("caf\u00e9".encode()) == ("caf\u00e9", True)


@pytest.mark.parametrize(("line", "fields"), [
    ('1,"Smith, Ann",2024-01-01 00:00:00', ("1", "Smith, Ann", "2024-01-01 00:00:00")),
    ('1,"say ""hi""",x', ("1", 'say "hi"', "x")),
    ("1,,x", ("1", None, "x")),
    ('1,"",x', ("1", "", "x")),
    ('"","a""b",', ("", 'a"b', None)),
    (',"x ""y"", z",""', (None, 'x "y", z', "")),
])
def test_records_follow_rfc_4180(line: str, fields: tuple) -> None:
    assert parse_record(line, 3) == fields


@pytest.mark.parametrize("line", [
    "1,a", "1,a,b,c", '1,"unterminated,x', '1,"a"b,x', "", "1,a\rb,x",
])
def test_a_line_that_is_not_one_record_of_the_columns_is_malformed(line: str) -> None:
    assert parse_record(line, 3) is None


def test_parse_file_marks_every_kind_of_bad_line_and_keeps_good_ones() -> None:
    data = (b"id,name,updated_at\n"
            b"1,ann,2024-01-01 00:00:00\n"
            b"2,b\xffob,2024-01-01 00:00:00\n"
            b"3,short\n"
            b'4,"quoted, name",2024-01-01 00:00:00\n')
    lines = list(parse_file("raw/t/dt=2024-01-01/t.csv", data, HEADER))
    assert [(ln.line_number, ln.error) for ln in lines] == [
        (2, None), (3, INVALID_UTF8), (4, MALFORMED_LINE), (5, None)]
    assert lines[0].fields == ("1", "ann", "2024-01-01 00:00:00")
    assert lines[1].raw_line == "2,b\\xFFob,2024-01-01 00:00:00"
    assert lines[2].raw_line == "3,short" and lines[2].fields == ()
    assert lines[3].fields[1] == "quoted, name"


def test_a_wrong_or_missing_header_fails_the_file_naming_file_and_line() -> None:
    with pytest.raises(BronzeFileError, match=r"raw/t/x\.csv: line 1: header 'id,nom,updated_at'"):
        list(parse_file("raw/t/x.csv", b"id,nom,updated_at\n1,a,b\n", HEADER))
    with pytest.raises(BronzeFileError, match=r"raw/t/y\.csv: line 1: the file is empty"):
        list(parse_file("raw/t/y.csv", b"", HEADER))
    # A UTF-8 byte order mark before the header is accepted.
    assert len(list(parse_file("z", "\ufeffid,name,updated_at\n1,a,b\n".encode(), HEADER))) == 1
