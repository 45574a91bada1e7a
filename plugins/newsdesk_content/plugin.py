"""Pelican adapter: install the Newsdesk Markdown reader."""

from __future__ import annotations

from pelican import signals

from .reader import NewsdeskMarkdownReader


def install_reader(readers) -> None:
    """Read every Markdown extension with the Newsdesk reader."""
    for extension in NewsdeskMarkdownReader.file_extensions:
        readers.reader_classes[extension] = NewsdeskMarkdownReader


def register() -> None:
    """Connect the content plugin to Pelican's signals."""
    signals.readers_init.connect(install_reader)
