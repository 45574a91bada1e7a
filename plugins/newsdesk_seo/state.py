"""Adapter half: what one Pelican run has told the plugin so far (signals share it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import PageHead
from .sitemaps import SitemapUrl
from .translate import Translator


@dataclass
class Run:
    """One build: settings, translator, and what has been written."""

    settings: dict[str, Any]
    translator: Translator
    output_path: Path
    #: Every file the site writes (relative path) -> what it is, for alias collisions.
    written: dict[str, str] = field(default_factory=dict)
    #: Pages for the sitemap, keyed by relative output path.
    sitemap: dict[str, SitemapUrl] = field(default_factory=dict)
    #: Published articles (for the news sitemap) and everything that may carry aliases.
    articles: list[Any] = field(default_factory=list)
    alias_holders: list[Any] = field(default_factory=list)
    #: The head of the page being rendered: both head partials ask for it.
    last_head: tuple[str, PageHead] | None = None


_current: Run | None = None


def start(run: Run) -> None:
    """Begin a build."""
    global _current
    _current = run


def current() -> Run:
    """The build in progress."""
    if _current is None:
        raise RuntimeError("newsdesk_seo: no build in progress (get_generators was not sent)")
    return _current


def current_or_none() -> Run | None:
    """The build in progress, or None outside a build."""
    return _current
