"""Pelican's Markdown reader, taught the newsroom's metadata and typography.

The header is parsed by `newsdesk_content.source` (the parser the content check
uses), so the build and `make check` agree on every field; the body is rendered
by Python-Markdown and typeset. `Section:` becomes Pelican's category; tags are
normalised, merged through NEWSDESK_TAG_ALIASES and spelt as the site spells them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from markdown import Markdown
from pelican.contents import Tag
from pelican.readers import METADATA_PROCESSORS, MarkdownReader
from pelican.utils import SafeDatetime

from .blocks import skip_impossible_block_tests
from .inline import skip_impossible_inline_patterns
from .settings import ContentSettings
from .slugs import alias_table, canonical_tags, split_tags
from .source import Header, decode_source, parse_header
from .typography import typeset_html


def render_body(body: str, markdown_settings: dict) -> str:
    """Render a Markdown body (its header already parsed off) and typeset it.

    A pure function of its arguments, so the build may run it in worker
    processes and keep its result in a cache keyed by the body and the settings.
    """
    return typeset_html(markdown_converter(markdown_settings).convert(body))


_converters: dict[str, Markdown] = {}


def markdown_converter(markdown_settings: dict) -> Markdown:
    """A Markdown converter for these settings, reset for a new text.

    One per process and settings, reused: building one costs as much as
    converting a short body.
    """
    # Settings given as names (the usual case) are kept by their text; settings
    # holding extension objects get a converter of their own each time.
    named = all(isinstance(e, str) for e in markdown_settings.get("extensions", ()))
    key = repr(sorted(markdown_settings.items(), key=repr)) if named else None
    md = _converters.get(key) if key is not None else None
    if md is None:
        md = Markdown(**markdown_settings)
        # The header is already parsed; the meta extension must not take the
        # body's first paragraph for metadata.
        if "meta" in md.preprocessors:
            md.preprocessors.deregister("meta")
        skip_impossible_inline_patterns(md)
        skip_impossible_block_tests(md)
        if key is not None:
            _converters[key] = md
    md.reset()
    return md


#: A date and time with nothing dateutil could read otherwise: no zone, no words. Pelican
#: reads dates with dateutil, whose answer for these is the same naive SafeDatetime;
#: dateutil takes a twentieth of a millisecond for what a match and a constructor do.
_PLAIN_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")
#: Pelican's date processors, as imported (a plugin replacing one turns the shortcut off).
_PELICAN_DATE_PROCESSORS = {name: METADATA_PROCESSORS.get(name) for name in ("date", "modified")}


class NewsdeskMarkdownReader(MarkdownReader):
    """Read an article: `Section:` is Pelican's category; the body is typeset."""

    def __init__(self, settings: dict, tag_spellings: Mapping[str, str] | None = None) -> None:
        super().__init__(settings)
        content = ContentSettings.from_pelican(settings)
        self._slug_rules = content.slugs
        self._tag_aliases = alias_table(content.tag_aliases, content.slugs)
        self._tag_spellings = dict(tag_spellings or {})
        #: Set when a date was read by dateutil, which may take parts of it from the
        #: clock: the build then does not keep the article as read (see newsdesk_build).
        self.dates_read_with_clock = False

    def read(self, source_path: str) -> tuple[str, dict]:
        """Return the typeset body and the metadata of one Markdown file."""
        self._source_path = source_path
        header = self.read_header(source_path)
        content = self.render_body(header.body)
        metadata: dict = {}
        for field in header.fields:
            name = field.name
            value = field.value.strip()
            if name in metadata or (name == "section" and "category" in metadata) or not value:
                continue  # duplicates and empty values: the check reports them
            if name == "section":
                metadata["category"] = self.process_metadata("category", value)
            elif name == "tags":
                tags = self.tags(value)
                if tags:
                    metadata["tags"] = tags
            elif name in self.settings["FORMATTED_FIELDS"]:
                self._md = markdown_converter(self.settings["MARKDOWN"])
                metadata[name] = self.process_metadata(name, self._md.convert(value))
            else:
                metadata[name] = self.process_metadata(name, value)
        return content, metadata

    def read_header(self, source_path: str) -> Header:
        """The parsed header and body of a file (the build may answer from what it parsed)."""
        return parse_header(decode_source(Path(source_path).read_bytes()))

    def render_body(self, body: str) -> str:
        """The typeset HTML of a body (the build may answer from its cache)."""
        return render_body(body, self.settings["MARKDOWN"])

    def process_metadata(self, name: str, value):
        """Pelican's processing of a metadata value; a date written the way the content
        check asks ("2025-03-02 09:00") is read directly, as dateutil would read it."""
        if (
            isinstance(value, str)
            and name in _PELICAN_DATE_PROCESSORS
            and METADATA_PROCESSORS.get(name) is _PELICAN_DATE_PROCESSORS[name]
        ):
            found = _PLAIN_DATE.fullmatch(value)
            if found is not None:
                try:
                    return SafeDatetime(*(int(part or 0) for part in found.groups()))
                except ValueError:
                    pass  # Pelican's own processing reports it
            # dateutil fills what a date leaves out ("2024-03") from today's date.
            self.dates_read_with_clock = True
        return super().process_metadata(name, value)

    def tags(self, value: str) -> list[Tag]:
        """The article's tags: normalised, aliased and spelt as across the site."""
        names = canonical_tags(
            split_tags(value), self._tag_aliases, self._tag_spellings, self._slug_rules
        )
        return [Tag(name, self.settings) for name in names]
