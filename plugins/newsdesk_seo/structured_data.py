"""Schema.org JSON-LD for search engines: NewsArticle, BreadcrumbList, the publisher.

The data is built as Python dicts and serialised with `script_json`, which
escapes `<`, `>` and `&` (and the JavaScript line separators) as \\uXXXX so
that no value, however hostile, can close or confuse the <script> element.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .model import ArticleInfo, Image, Link, Site

CONTEXT = "https://schema.org"

#: Characters that could end a <script> element or start markup, and the two
#: characters that end a JavaScript line; JSON allows \\u escapes for all.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(data: dict[str, Any]) -> str:
    """Serialise JSON-LD so that it is safe as the text of a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)


def image_object(image: Image) -> dict[str, Any]:
    """A schema.org ImageObject with the image's URL and pixel size."""
    return {"@type": "ImageObject", "url": image.url, "width": image.width, "height": image.height}


def news_media_organization(site: Site) -> dict[str, Any]:
    """The publisher: a NewsMediaOrganization with its raster logo."""
    return {
        "@type": "NewsMediaOrganization",
        "name": site.name,
        "url": site.url,
        "logo": image_object(site.logo),
    }


def news_article(article: ArticleInfo, site: Site) -> dict[str, Any]:
    """The NewsArticle of an article page, every property Google News reads."""
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.url},
        "url": article.url,
        "headline": article.title,
        "description": article.description,
        "image": [image_object(article.image or site.share_image)],
        "datePublished": article.published.isoformat(),
        "dateModified": article.updated.isoformat(),
        "author": [
            {"@type": "Person", "name": author.name, "url": author.url}
            for author in article.authors
        ],
        "publisher": news_media_organization(site),
        "inLanguage": site.language,
        "keywords": [tag.name for tag in article.tags],
    }
    if article.section is not None:
        data["articleSection"] = article.section.name
    if article.dateline:
        data["dateline"] = article.dateline
    return data


def breadcrumb_list(crumbs: Sequence[Link]) -> dict[str, Any]:
    """A BreadcrumbList of the given trail, first crumb at position 1."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": crumb.name, "item": crumb.url}
            for position, crumb in enumerate(crumbs, start=1)
        ],
    }


def website(site: Site) -> dict[str, Any]:
    """The home page's description of the outlet itself."""
    organization = news_media_organization(site)
    return {"@context": CONTEXT, **organization, "description": site.tagline}
