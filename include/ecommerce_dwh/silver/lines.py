"""Bronze bytes to CSV records, one physical line at a time, losing nothing.

Pure Python (no Spark) so that every rule here is unit-tested directly; the ETL job
calls :func:`parse_file` once per bronze file inside a Spark task.

Why not Spark's CSV reader: it decodes invalid UTF-8 into U+FFFD (the bytes are gone),
pads short and truncates long records in PERMISSIVE mode, and knows no line numbers.
Here each physical line keeps its number, its exact bytes (rendered losslessly when they
are not UTF-8), and is parsed by Python's ``csv`` module (RFC 4180 quoting), so a line
is either a record of exactly the table's columns or quarantined with its reason.
A quoted field spanning lines is not supported: each of its lines is quarantined as
``malformed_line`` (nothing is lost; the shop's extracts never contain one).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass

INVALID_UTF8, MALFORMED_LINE = "invalid_utf8", "malformed_line"
_HEX_ERRORS = "ecommerce_dwh_hex"


def _hex_escape(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start:error.end]
    return "".join(f"\\x{byte:02X}" for byte in bad), error.end


codecs.register_error(_HEX_ERRORS, _hex_escape)


class BronzeFileError(ValueError):
    """A bronze file breaks the contract as a whole (its header); names file and line."""


@dataclass(frozen=True)
class Line:
    """One data line of a bronze file.

    ``fields`` holds the record's values (``None`` for an empty field) when ``error`` is
    None; otherwise ``error`` is ``invalid_utf8`` or ``malformed_line`` and ``fields``
    is empty.
    """

    line_number: int
    raw_line: str
    error: str | None
    fields: tuple[str | None, ...]


def split_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes)`` of every physical line, 1-based.

    Lines end at LF; a CR before it (CRLF files) is dropped. The newline that ends the
    last line does not start another one.
    """
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        yield number, line[:-1] if line.endswith(b"\r") else line


def render(raw: bytes) -> tuple[str, bool]:
    """``(text, is_valid_utf8)``: the line's text, or its lossless escaped form.

    Valid UTF-8 is returned as it is. Otherwise each backslash becomes ``\\\\`` and each
    byte of an invalid sequence ``\\xNN`` (upper-case hex), which :func:`unrender` turns
    back into the exact bytes.
    """
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.replace(b"\\", b"\\\\").decode("utf-8", _HEX_ERRORS), False


_ESCAPE = re.compile(r"\\(\\|x[0-9A-F]{2})")


def unrender(text: str, is_valid_utf8: bool) -> bytes:
    """The exact bytes of a line from :func:`render`'s output."""
    if is_valid_utf8:
        return text.encode("utf-8")
    out = bytearray()
    position = 0
    for match in _ESCAPE.finditer(text):
        out += text[position:match.start()].encode("utf-8")
        token = match.group(1)
        out += b"\\" if token == "\\" else bytes([int(token[1:], 16)])
        position = match.end()
    out += text[position:].encode("utf-8")
    return bytes(out)


_FIELD = re.compile(r'"(?:[^"]|"")*"|[^,]*')


def _quoted_empty(text: str) -> list[bool]:
    """For each field of a well-formed line: is it the quoted empty string ``""``?"""
    flags = []
    position = 0
    while True:
        match = _FIELD.match(text, position)
        assert match is not None  # the pattern matches the empty string too
        flags.append(match.group(0) == '""')
        position = match.end() + 1
        if position > len(text):
            return flags


def parse_record(text: str, n_columns: int) -> tuple[str | None, ...] | None:
    """The fields of one CSV line, or None when it is not one record of ``n_columns``.

    RFC 4180 quoting (``"..."`` with ``""`` for a quote). An empty unquoted field is
    None (a missing value); the quoted empty field ``""`` is the empty string, as the
    extracts' writer renders one.
    """
    try:
        records = list(csv.reader([text], strict=True))
    except csv.Error:
        return None
    if len(records) != 1 or len(records[0]) != n_columns:
        return None
    fields = records[0]
    if '""' in text and "" in fields:
        quoted = _quoted_empty(text)
        return tuple(None if value == "" and not quoted[i] else value
                     for i, value in enumerate(fields))
    return tuple(value if value != "" else None for value in fields)


def parse_file(source_file: str, data: bytes, header: tuple[str, ...]) -> Iterator[Line]:
    """Every data line of one bronze file, parsed or marked with why it is not.

    Raises:
        BronzeFileError: the file is empty or its first line is not ``header``: the
            whole file breaks the contract, which no row-level quarantine can express.
    """
    lines = split_lines(data)
    first = next(lines, None)
    expected = ",".join(header)
    if first is None:
        raise BronzeFileError(f"{source_file}: line 1: the file is empty; expected the "
                              f"header {expected!r}")
    found, _ = render(first[1])
    if found.lstrip("\ufeff") != expected:
        raise BronzeFileError(f"{source_file}: line 1: header {found!r} is not the "
                              f"contract's {expected!r}")
    n_columns = len(header)
    for number, raw in lines:
        text, valid = render(raw)
        if not valid:
            yield Line(number, text, INVALID_UTF8, ())
            continue
        fields = parse_record(text, n_columns)
        if fields is None:
            yield Line(number, text, MALFORMED_LINE, ())
        else:
            yield Line(number, text, None, fields)
