"""Adapter half: Pelican's writer with Newsdesk feeds (permanent ids, every author, plain text).

Pelican's own `Writer._add_item_to_the_feed` builds entry ids from the
article's current URL, names only the first author and strips tags from
titles (so a title that mentions `<b>` loses words). This writer keeps
Pelican's feed settings and call sites (FEED_ALL_*, CATEGORY_FEED_*, …) and
replaces only how a feed is made: `feeds.atom_xml` / `feeds.rss_xml`.
"""

from __future__ import annotations

import os
from typing import Any

from pelican.plugins import signals
from pelican.utils import sanitised_join
from pelican.writers import Writer

from . import state
from .feeds import Feed, atom_xml, rss_xml
from .model import Link

#: Feed settings of each kind of subject, and where Pelican keeps the subjects.
SUBJECT_FEEDS = (
    ("categories", ("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS")),
    ("authors", ("AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS")),
    ("tags", ("TAG_FEED_ATOM", "TAG_FEED_RSS")),
)


def _subjects(context: dict[str, Any], key: str) -> list[Any]:
    value = context.get(key) or []
    if isinstance(value, dict):
        return list(value)
    return [item[0] if isinstance(item, tuple) else item for item in value]


def subject_page(path: str, feed_title: str | None, context: dict[str, Any]) -> str | None:
    """The URL (relative) of the section, author or tag page a feed belongs to."""
    if not feed_title:
        return None
    settings = state.current().settings
    for key, setting_names in SUBJECT_FEEDS:
        patterns = [str(settings[name]) for name in setting_names if settings.get(name)]
        for subject in _subjects(context, key):
            if subject.name != feed_title:
                continue
            if any(pattern.format(slug=subject.slug) == path for pattern in patterns):
                return subject.url
    return None


class NewsdeskWriter(Writer):
    """Pelican's writer, with feeds built by the Newsdesk feed core."""

    def write_feed(
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        """Write one Atom or RSS feed of `elements` (newest first, then by source file)."""
        run = state.current()
        translator = run.translator
        seo = translator.seo
        ordered = sorted(elements, key=lambda article: article.source_path)
        ordered.sort(key=lambda article: article.date, reverse=True)
        limit = self.settings.get("FEED_MAX_ITEMS")
        entries = tuple(translator.feed_entry(article) for article in ordered[:limit])
        page = subject_page(path or "", feed_title, context)
        title = f"{seo.sitename}: {feed_title}" if feed_title else seo.sitename
        feed = Feed(
            title=title,
            subtitle=seo.tagline,
            page_url=translator.url(page or ""),
            self_url=translator.feed_url(url or path or ""),
            language=seo.language,
            publisher=Link(seo.sitename, translator.url("")),
            entries=entries,
            empty_updated=seo.build_now,
        )
        signals.feed_generated.send(context, feed=feed)
        if path:
            data = (atom_xml if feed_type == "atom" else rss_xml)(feed)
            complete_path = sanitised_join(self.output_path, path)
            os.makedirs(os.path.dirname(complete_path), exist_ok=True)
            with self._open_w(complete_path, "utf-8", override_output) as handle:
                handle.write(data.decode("utf-8"))
            signals.feed_written.send(complete_path, context=context, feed=feed)
        return feed
