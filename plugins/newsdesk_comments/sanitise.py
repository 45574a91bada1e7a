"""Turn untrusted comment fields into text and HTML that are safe to put in a page.

A comment's text is Markdown as the commenter typed it (Isso stores the source
and renders it for its client). Here it is rendered with raw HTML switched off
(typed tags stay visible text, as in Isso's client), then cleaned by nh3
(Ammonia) down to a small allow-list: no script, no event-handler attribute,
no `javascript:` or relative URL, and every link gets
`rel="nofollow ugc noopener"`. The result is the only comment HTML the theme
marks safe.
"""

from __future__ import annotations

import html
from functools import cache
from urllib.parse import urlsplit

import markdown
import nh3

#: Elements a comment may keep; everything else is dropped, its text kept.
ALLOWED_TAGS = frozenset({"p", "br", "a", "em", "strong", "code", "blockquote"})
#: Attributes a comment may keep (rel is set by the cleaner, never taken from input);
#: "*" (attributes on every element) is empty, dropping Ammonia's default lang and title.
ALLOWED_ATTRIBUTES = {"a": {"href"}, "*": set()}
#: URL schemes a link in a comment may use.
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
#: What every link in a comment carries.
LINK_REL = "nofollow ugc noopener"
#: The name shown for a comment without one.
ANONYMOUS = "Anonymous"
#: The longest author name shown; longer ones are cut with an ellipsis.
MAX_AUTHOR_LENGTH = 80

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_SCHEMES),
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
)


@cache
def _markdown() -> markdown.Markdown:
    """Return the Markdown converter that renders raw HTML as visible text."""
    converter = markdown.Markdown(extensions=["nl2br"], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def comment_html(source: str) -> str:
    """Render a comment's Markdown source to sanitised HTML (safe to mark safe)."""
    rendered = _markdown().reset().convert(source)
    return _CLEANER.clean(rendered).strip()


def author_name(stored: str | None) -> str:
    """Return the plain-text name to show for a comment (Isso stores it HTML-escaped)."""
    name = " ".join(html.unescape(stored or "").split())
    if not name:
        return ANONYMOUS
    if len(name) > MAX_AUTHOR_LENGTH:
        return name[: MAX_AUTHOR_LENGTH - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
    return name


def website_url(stored: str | None) -> str | None:
    """Return the commenter's website if it is an absolute http(s) URL, else None."""
    url = html.unescape(stored or "").strip()
    if not url or any(character.isspace() or ord(character) < 32 for character in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url
