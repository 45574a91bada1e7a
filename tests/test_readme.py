"""The README's editor's guide stays in step with the content rules."""

from __future__ import annotations

import re

from conftest import REPO
from newsdesk_content.rules import KNOWN_FIELDS, REQUIRED_FIELDS

ROW = re.compile(r"^\| `(?P<field>[A-Za-z_]+)` \| (?P<required>[^|]+) \|", re.MULTILINE)


def fields_table() -> dict[str, str]:
    """Field name -> its "required" cell, from the guide's table of fields."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The fields", 1)[1].split("\n#", 1)[0]
    return {match["field"]: match["required"].strip() for match in ROW.finditer(section)}


def test_every_metadata_field_the_check_knows_has_a_row_in_the_guide():
    assert sorted(fields_table()) == sorted(KNOWN_FIELDS.values())


def test_the_guide_marks_exactly_the_required_article_fields_as_required():
    required = {name for name, cell in fields_table().items() if cell.startswith("yes")}
    assert required == {KNOWN_FIELDS[name] for name in REQUIRED_FIELDS["article"]}
