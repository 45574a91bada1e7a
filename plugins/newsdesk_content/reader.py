"""Pelican's Markdown reader, taught the newsroom's metadata and typography."""

from __future__ import annotations

from pelican.readers import MarkdownReader

from .typography import typeset_html


class NewsdeskMarkdownReader(MarkdownReader):
    """Read an article: `Section:` is Pelican's category; the body is typeset."""

    def read(self, source_path: str) -> tuple[str, dict]:
        """Return the typeset body and the metadata of one Markdown file."""
        content, metadata = super().read(source_path)
        if "section" in metadata and "category" not in metadata:
            section = self._md.Meta["section"][0]
            metadata["category"] = self.process_metadata("category", section)
            del metadata["section"]
        return typeset_html(content), metadata
