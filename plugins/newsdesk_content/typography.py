"""Typography for what readers see: typogrify for bodies and on-page headlines.

Machine-read text (titles in <title>, meta tags, feeds, JSON-LD) never passes
through here, so it carries none of typogrify's <span> markup.
"""

import functools
import html

from markupsafe import Markup
from typogrify.filters import typogrify


def typeset_html(html: str) -> str:
    """Return trusted HTML with curled quotes, dashes, ellipses and caps/amp markup."""
    return typogrify(html)


def typeset_text(text: object) -> Markup:
    """Escape plain text, then typeset it, for an element's content (never an attribute).

    Only `&`, `<` and `>` are escaped (quotes need no escaping between tags), so
    that typogrify still sees the quotes it curls; attributes take the plain text.
    """
    return _typeset_text(str(text))


@functools.lru_cache(maxsize=65_536)
def _typeset_text(text: str) -> Markup:
    # A headline is typeset on its page and on every listing that shows it:
    # remember the result (typogrify is a pure function of the text).
    return Markup(typeset_html(html.escape(text, quote=False)))
