"""Typography for what readers see: typogrify for bodies and on-page headlines.

Machine-read text (titles in <title>, meta tags, feeds, JSON-LD) never passes
through here, so it carries none of typogrify's <span> markup.
"""

from markupsafe import Markup, escape
from typogrify.filters import typogrify


def typeset_html(html: str) -> str:
    """Return trusted HTML with curled quotes, dashes, ellipses and caps/amp markup."""
    return typogrify(html)


def typeset_text(text: str) -> Markup:
    """Escape plain text, then typeset it: safe to place in an HTML page."""
    return Markup(typogrify(str(escape(text))))
