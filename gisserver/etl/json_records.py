"""Streaming the records of a JSON array without holding the file: ``[{...}, {...}]`` or an
object whose array member holds them (``{"markers": [{...}, ...]}``).

The standard library's decoder (``raw_decode``) parses one record at a time from a buffer that
is refilled in 64 KiB chunks and trimmed as records are consumed, so memory is bounded by the
largest record, not the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, NoReturn

from gisserver.errors import InvalidParameter

CHUNK = 1 << 16
_DECODER = json.JSONDecoder()


class _Buffer:
    def __init__(self, fh: IO[str], path: Path) -> None:
        self.fh = fh
        self.path = path
        self.text = ""
        self.pos = 0
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.fh.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.text = self.text[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next non-blank character ('' at the end), not consumed."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._fill():
                return ""

    def take(self, expected: str) -> None:
        got = self.peek()
        if got != expected:
            self.fail(f"expected {expected!r}, found {got or 'the end of the file'!r}")
        self.pos += 1

    def value(self) -> Any:
        """One JSON value; refills while it is cut off by the end of the buffer."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if self._fill():
                    continue
                self.fail(str(exc))
            # a number ending exactly at the buffer's end may continue in the next chunk
            if end == len(self.text) and not self.eof and self._fill():
                continue
            self.pos = end
            return value

    def fail(self, problem: str) -> NoReturn:
        raise InvalidParameter(str(self.path), f"is not a valid JSON array of records ({problem})")


def iter_records(path: Path) -> Iterator[dict[str, Any]]:
    """Each record of the file's array, in order; InvalidParameter for anything else."""
    try:
        with path.open(encoding="utf-8-sig") as fh:
            buf = _Buffer(fh, path)
            first = buf.peek()
            if first == "{":
                buf.take("{")
                _enter_array_member(buf)
            elif first == "[":
                buf.take("[")
            else:
                buf.fail("it does not start with [ or {")
            if buf.peek() == "]":
                return
            while True:
                record = buf.value()
                if not isinstance(record, dict):
                    buf.fail(f"an element is a {type(record).__name__}, not an object")
                yield record
                if buf.peek() == ",":
                    buf.take(",")
                    continue
                buf.take("]")
                return
    except UnicodeDecodeError as exc:
        raise InvalidParameter(str(path), f"is not UTF-8 text ({exc})") from exc


def _enter_array_member(buf: _Buffer) -> None:
    """Skip an object's members up to the first whose value is an array; stop inside it."""
    while True:
        if buf.peek() == "}":
            buf.fail("the object has no array member holding the records")
        key = buf.value()
        if not isinstance(key, str):
            buf.fail("an object key is not a string")
        buf.take(":")
        if buf.peek() == "[":
            buf.take("[")
            return
        buf.value()  # some other member (metadata): skipped
        if buf.peek() == ",":
            buf.take(",")
