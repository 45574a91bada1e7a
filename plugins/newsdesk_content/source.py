"""Source files as editors write them: bytes decoded, the metadata header parsed with line numbers.

The header syntax is that of Python-Markdown's `meta` extension, which Pelican
uses: `Key: value` lines (up to 3 spaces of indent) until the first blank line,
continuation lines indented by 4 or more spaces, optionally between `---`
lines. Both the content check and the Markdown reader use this one parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?$")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?$")

# Fields holding comma-separated lists: continuation lines join with a comma.
LIST_FIELDS = frozenset({"tags", "authors", "related", "aliases"})


class SourceDecodeError(ValueError):
    """The file is not valid UTF-8; `line` and `column` say where the first bad byte is."""

    def __init__(self, line: int, column: int, byte: int) -> None:
        super().__init__(f"byte 0x{byte:02x} at line {line}, column {column} is not UTF-8")
        self.line = line
        self.column = column
        self.byte = byte


def decode_source(data: bytes) -> str:
    """Decode UTF-8 (a byte-order mark is dropped) with newlines normalised to \\n."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise SourceDecodeError(line, column, data[start]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True, slots=True)
class Field:
    """One metadata field: the key as written, its value and the line it starts on.

    `name` is the key in lower case, as Pelican names metadata; `value` joins the
    continuation lines (lists with a comma, text with a space).
    """

    key: str
    line: int
    parts: tuple[str, ...]
    name: str = ""
    value: str = ""

    @classmethod
    def make(cls, key: str, line: int, parts: tuple[str, ...]) -> Field:
        """A field with its name and joined value computed once."""
        name = key.lower()
        if len(parts) == 1:
            value = parts[0]
        elif name in LIST_FIELDS:
            value = (";" if any(";" in part for part in parts) else ",").join(parts)
        else:
            value = " ".join(part for part in parts if part)
        return cls(key, line, parts, name, value)


@dataclass(frozen=True)
class BadLine:
    """A line inside the header that is neither `Key: value` nor a continuation."""

    line: int
    text: str


@dataclass(frozen=True)
class Header:
    """The parsed header of one file and the Markdown body after it."""

    fields: tuple[Field, ...]
    bad_lines: tuple[BadLine, ...]
    body: str
    body_line: int
    first: dict[str, Field] = field(default_factory=dict)

    def get(self, name: str) -> Field | None:
        """The first field called `name` (lower case), if any."""
        return self.first.get(name)


def parse_header(text: str) -> Header:
    """Split a decoded source file into its metadata fields and its body."""
    fields: list[Field] = []
    bad: list[BadLine] = []
    position = 0  # start of the current line; only the header's lines are visited
    number = 1
    length = len(text)
    first_line = True
    while position < length:
        end = text.find("\n", position)
        if end < 0:
            end = length
        raw = text[position:end]
        position = end + 1
        number += 1
        line = raw.expandtabs(4) if "\t" in raw else raw
        if first_line and BEGIN_RE.match(line):
            first_line = False
            continue
        first_line = False
        if not line.strip() or END_RE.match(line):
            break
        match = META_RE.match(line)
        if match:
            fields.append(Field.make(match["key"], number - 1, (match["value"].strip(),)))
            continue
        more = META_MORE_RE.match(line)
        if more and fields:
            last = fields[-1]
            fields[-1] = Field.make(last.key, last.line, (*last.parts, more["value"].strip()))
        else:
            bad.append(BadLine(number - 1, raw))
    first: dict[str, Field] = {}
    for item in fields:
        first.setdefault(item.name, item)
    return Header(
        fields=tuple(fields),
        bad_lines=tuple(bad),
        body=text[position:] if position < length else "",
        body_line=number,
        first=first,
    )


def split_list(value: str) -> list[str]:
    """Split a list field as Pelican does: on `;` if present, else on `,`; trim, drop empties."""
    items = value.split(";") if ";" in value else value.split(",")
    return list(dict.fromkeys(item.strip() for item in items if item.strip()))
