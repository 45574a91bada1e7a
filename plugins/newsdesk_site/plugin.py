"""Pelican adapter: give the theme's templates their filters and data.

On `article_generator_finalized` (every published article is known) it adds to
each article `featured_image`, `dateline`, `updated_date` and `standfirst`, and
to the shared context `newsdesk_nav`, `newsdesk_front`, `newsdesk_archive`,
`newsdesk_authors` and `newsdesk_copyright_year`. The values come from the
pure functions in `core.py`; this module only translates.
"""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import pass_context
from newsdesk_content.authors import load_authors
from newsdesk_content.tree import source_label
from newsdesk_content.typography import typeset_text
from pelican import signals
from PIL import Image, UnidentifiedImageError

from . import core
from .settings import SiteSettings

logger = logging.getLogger(__name__)


def add_filters(generator) -> None:
    """Add the theme's Jinja filters and helpers to a generator's environment."""
    generator.env.filters["headline"] = typeset_text
    generator.env.globals["once_per_build"] = once_per_build()


def once_per_build():
    """A fresh `once_per_build(macro, subject, *arguments)` for one build's templates.

    It calls the macro the first time it sees the macro's name, the subject
    (an article: by identity), the arguments and the page's SITEURL, and
    answers later calls with the same markup: a listing card is rendered once
    however many pages list the story.
    """
    rendered: dict[tuple, tuple[object, object]] = {}

    @pass_context
    def call(context, macro, subject, *arguments):
        key = (macro.name, id(subject), arguments, context.get("SITEURL"))
        found = rendered.get(key)
        if found is None or found[0] is not subject:
            found = rendered[key] = (subject, macro(subject, *arguments))
        return found[1]

    return call


def image_size(content_root: Path, relative_path: str) -> tuple[int, int] | None:
    """Return the pixel size of an image inside PATH, or None if it cannot be read."""
    try:
        with Image.open(content_root / relative_path) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None


def _metadata_text(article, key: str) -> str | None:
    """Return one metadata field of an article as text, or None if absent."""
    value = article.metadata.get(key)
    return None if value is None else str(value)


def decorate_article(article, content_root: Path) -> None:
    """Put the theme's per-article values on one article."""
    path = core.image_path(_metadata_text(article, "image"))
    size = image_size(content_root, path) if path else None
    if path and size is None:
        logger.warning(
            "%s:1: warning: featured image %s cannot be read; no width/height given",
            source_label(article.source_path, content_root),
            path,
        )
    article.featured_image = core.featured_image(
        path,
        alt=_metadata_text(article, "image_alt"),
        caption=_metadata_text(article, "image_caption"),
        credit=_metadata_text(article, "image_credit"),
        size=size,
    )
    article.dateline = core.format_dateline(_metadata_text(article, "location"))
    article.updated_date = core.updated_date(article.date, getattr(article, "modified", None))
    article.standfirst = _metadata_text(article, "summary")


def _story(article) -> core.Story:
    """Describe an article as plain data for the core."""
    return core.Story(
        key=article.url,
        section=article.category.name,
        date=article.date,
        has_image=article.featured_image is not None,
    )


def add_site_data(generator) -> None:
    """Decorate every article and put the fronts, archive and authors on the context."""
    settings = SiteSettings.from_pelican(generator.settings)
    content_root = Path(generator.settings["PATH"])
    everything = [
        *generator.articles,
        *generator.translations,
        *generator.hidden_articles,
        *generator.hidden_translations,
    ]
    for article in everything:
        decorate_article(article, content_root)

    published = generator.articles
    by_key = {article.url: article for article in published}
    stories = [_story(article) for article in published]
    present = {category.name: category.url for category, _ in generator.categories}
    nav = core.navigation(settings.sections, present)
    front = core.build_front(
        stories,
        nav,
        latest=settings.front_latest,
        per_section=settings.front_section_stories,
        first_page=settings.front_page_size,
    )
    authors = load_authors(content_root / settings.authors_file).values()
    photo_sizes = {
        author.photo: size
        for author in authors
        if author.photo
        and (size := image_size(content_root, core.image_path(author.photo) or "")) is not None
    }
    generator.context["newsdesk_nav"] = nav
    generator.context["newsdesk_front"] = front.map(by_key.__getitem__)
    generator.context["newsdesk_archive"] = tuple(
        year.map(by_key.__getitem__) for year in core.build_archive(stories)
    )
    generator.context["newsdesk_authors"] = core.author_profiles(authors, photo_sizes)
    generator.context["newsdesk_copyright_year"] = core.copyright_year(
        article.date for article in published
    )


def register() -> None:
    """Connect the site plugin to Pelican's signals."""
    signals.generator_init.connect(add_filters)
    signals.article_generator_finalized.connect(add_site_data)
