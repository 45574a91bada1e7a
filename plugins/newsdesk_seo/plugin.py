"""Pelican adapter: connect the discoverability core to Pelican's signals.

- get_generators: start a build (settings validated, logo read).
- generator_init: give templates `newsdesk_seo_head()`, the page's head data.
- get_writer: feeds through `NewsdeskWriter` (permanent ids, every author).
- article/page/static_generator_finalized, content_written, feed_written:
  remember what the site publishes and writes.
- finalized: write the sitemaps, the news sitemap, robots.txt, the redirect
  pages and the redirect files; an alias that collides is a build error.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import pass_context
from pelican import signals

from . import state
from .head import article_head as build_article_head
from .head import listing_head
from .model import Link, PageHead
from .redirects import (
    nginx_map,
    plan_redirects,
    redirect_page,
    redirects_file,
)
from .settings import SeoSettings
from .sitemaps import (
    SitemapUrl,
    news_articles,
    news_sitemap_xml,
    robots_txt,
    sitemap_files,
)
from .translate import Translator
from .writer import NewsdeskWriter

logger = logging.getLogger(__name__)


# --- build lifecycle ------------------------------------------------------------


def start_build(pelican) -> None:
    """Validate the settings and begin remembering this build."""
    seo = SeoSettings.from_pelican(pelican.settings)
    translator = Translator.create(pelican.settings, seo)
    state.start(
        state.Run(
            settings=pelican.settings,
            translator=translator,
            output_path=Path(pelican.output_path),
        )
    )


def provide_writer(pelican) -> type:
    """Pelican's writer with Newsdesk feeds."""
    return NewsdeskWriter


def add_globals(generator) -> None:
    """Give every template `newsdesk_seo_head()`."""
    generator.env.globals["newsdesk_seo_head"] = page_head


def remember_articles(generator) -> None:
    """Keep the published articles and every article that may declare aliases."""
    run = state.current()
    run.articles = list(generator.articles)
    run.alias_holders += [
        *generator.articles,
        *generator.translations,
        *generator.hidden_articles,
        *generator.hidden_translations,
    ]


def remember_pages(generator) -> None:
    """Keep the pages that may declare aliases."""
    run = state.current()
    run.alias_holders += [
        *generator.pages,
        *generator.translations,
        *generator.hidden_pages,
        *generator.hidden_translations,
    ]


def remember_static(generator) -> None:
    """Record every static file the site copies (aliases must not overwrite them)."""
    run = state.current()
    for item in generator.staticfiles:
        run.written.setdefault(_relative(item.save_as), f"the static file {item.save_as}")


def _relative(path: str) -> str:
    return Path(path).as_posix().lstrip("/")


def remember_feed(path, context=None, feed=None) -> None:
    """Record a written feed."""
    run = state.current()
    relative = os.path.relpath(path, run.output_path)
    run.written.setdefault(Path(relative).as_posix(), "a feed")


def remember_page(path, context=None) -> None:
    """Record a written page and its sitemap entry."""
    run = state.current()
    context = context or {}
    relative = Path(os.path.relpath(path, run.output_path)).as_posix()
    content = context.get("article") or context.get("page")
    if content is not None and hasattr(content, "title") and hasattr(content, "source_path"):
        described = f"the page of {content.title!r} ({run.translator.source_name(content)})"
    else:
        described = "a listing page"
    run.written.setdefault(relative, described)
    if relative.endswith(".html") and _indexable(relative, content, run):
        run.sitemap[relative] = SitemapUrl(
            loc=run.translator.url(quote(_page_path(relative), safe="/%~-._+")),
            lastmod=_lastmod(content, context),
        )


def _page_path(relative: str) -> str:
    return (
        relative.removesuffix("index.html")
        if relative.endswith("/index.html") or (relative == "index.html")
        else relative
    )


def _indexable(relative: str, content: Any, run: state.Run) -> bool:
    if relative == run.settings.get("404_SAVE_AS", "404.html"):
        return False
    if relative in run.translator.seo.noindex_pages:
        return False
    return content is None or getattr(content, "status", "published") == "published"


def _lastmod(content: Any, context: dict[str, Any]):
    if content is not None:
        return getattr(content, "modified", None) or getattr(content, "date", None)
    listing = context.get("articles_page")
    shown = listing.object_list if listing is not None else context.get("articles") or []
    dates = [getattr(item, "modified", None) or item.date for item in shown]
    return max(dates, default=None)


# --- head metadata --------------------------------------------------------------


def _heading_with_page(heading: str | None, context: dict[str, Any]) -> str | None:
    listing = context.get("articles_page")
    number = getattr(listing, "number", 1)
    if number and number > 1:
        return f"{heading}, page {number}" if heading else f"Page {number}"
    return heading


@pass_context
def page_head(context) -> PageHead | None:
    """The head data of the page being rendered (None outside a Newsdesk build)."""
    run = state.current_or_none()
    if run is None:
        return None
    output_file = str(context.get("output_file") or "")
    if run.last_head is None or run.last_head[0] != output_file:
        head = _compute_head(run, context, output_file)
        if output_file.lstrip("/") in run.translator.seo.noindex_pages:
            head = replace(head, robots="noindex")
        run.last_head = (output_file, head)
    return run.last_head[1]


def _compute_head(run: state.Run, context, output_file: str) -> PageHead:
    translator = run.translator
    site = translator.site
    settings = run.settings
    canonical = translator.url(_page_path(output_file)) if output_file else None
    feeds = translator.site_feeds()
    article = context.get("article")
    if article is not None:
        category = getattr(article, "category", None)
        if category is not None:
            feeds += translator.feed_links(
                category.name, ("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS"), category.slug
            )
        head = build_article_head(translator.article(article), site, feeds)
        if getattr(article, "status", "published") != "published":
            head = replace(head, robots="noindex")  # hidden: reachable, not listed
        return head

    page = context.get("page")
    if page is not None and hasattr(page, "source_path"):
        info_description = translator.article_description(page)
        robots = None if getattr(page, "status", "published") == "published" else "noindex"
        return listing_head(
            site,
            str(page.title),
            info_description,
            canonical,
            feeds,
            crumbs=[Link(site.name, site.url), Link(str(page.title), canonical or site.url)],
            robots=robots,
        )

    if output_file == settings.get("404_SAVE_AS", "404.html"):
        return listing_head(site, "Page not found", site.tagline, None, feeds, robots="noindex")

    home = Link(site.name, site.url)
    for key, description, kind_settings in (
        (
            "category",
            "The latest {name} news from {site}.",
            ("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS"),
        ),
        ("tag", "Articles about {name} from {site}.", ("TAG_FEED_ATOM", "TAG_FEED_RSS")),
        ("author", "Articles by {name} for {site}.", ("AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS")),
    ):
        subject = context.get(key)
        if subject is None:
            continue
        name = str(subject.name)
        text = description.format(name=name, site=site.name)
        if key == "author":
            text = translator.author_bio(name) or text
        feeds += translator.feed_links(name, kind_settings, subject.slug)
        return listing_head(
            site,
            _heading_with_page(name, context),
            text,
            canonical,
            feeds,
            crumbs=[home, Link(name, translator.url(subject.url))],
        )

    page_name = str(context.get("page_name") or "")
    if output_file == settings.get("ARCHIVES_SAVE_AS") or page_name.startswith("archives"):
        return listing_head(
            site,
            _heading_with_page("Archives", context),
            f"Every article published by {site.name}, newest first.",
            canonical,
            feeds,
            crumbs=[home, Link("Archives", canonical or site.url)],
        )
    if page_name in ("index", "") or output_file == settings.get("INDEX_SAVE_AS"):
        return listing_head(site, _heading_with_page(None, context), site.tagline, canonical, feeds)
    heading = page_name.removesuffix("/index").rsplit("/", 1)[-1].replace("-", " ").capitalize()
    return listing_head(site, _heading_with_page(heading, context), site.tagline, canonical, feeds)


# --- finishing the build --------------------------------------------------------


def _write(run: state.Run, relative: str, data: bytes | str) -> None:
    path = run.output_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    logger.info('Writing "%s"', path)


def finish_build(pelican) -> None:
    """Write redirects, sitemaps, the news sitemap and robots.txt."""
    run = state.current()
    seo = run.translator.seo
    translator = run.translator

    own = {
        name: f"the file {name} that newsdesk_seo writes"
        for name in (
            seo.sitemap,
            seo.news_sitemap,
            seo.robots_txt,
            seo.redirects_nginx_map,
            seo.redirects_file,
        )
        if name
    }
    sources = [
        source
        for content in _unique(run.alias_holders)
        if (source := translator.alias_source(content)) is not None
    ]
    redirects = plan_redirects(sources, {**run.written, **own})
    for redirect in redirects:
        _write(run, redirect.save_as, redirect_page(redirect, seo.language))
    if seo.redirects_nginx_map:
        _write(run, seo.redirects_nginx_map, nginx_map(redirects, translator.site_path))
    if seo.redirects_file:
        _write(
            run,
            seo.redirects_file,
            redirects_file(redirects, seo.redirects_status, translator.site_path),
        )

    sitemaps: list[str] = []
    if seo.absolute:
        files = sitemap_files(run.sitemap.values(), seo.sitemap, seo.siteurl, seo.sitemap_max_urls)
        for name, data in sorted(files.items()):
            _write(run, name, data)
        sitemaps.append(translator.url(seo.sitemap))
        window_start = seo.build_now - seo.news_window
        fresh = news_articles(
            (
                translator.article(article)
                for article in run.articles
                if window_start <= article.date <= seo.build_now
            ),
            seo.build_now,
            seo.news_window,
            seo.news_max_urls,
        )
        if fresh:
            _write(
                run,
                seo.news_sitemap,
                news_sitemap_xml(fresh, seo.news_publication_name, seo.language.lower()),
            )
            sitemaps.append(translator.url(seo.news_sitemap))
    else:
        logger.info("newsdesk_seo: SITEURL is not absolute; no sitemaps written")
    if seo.robots_txt:
        _write(run, seo.robots_txt, robots_txt(sitemaps))


def _unique(items: list[Any]) -> list[Any]:
    seen: set[int] = set()
    result = []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            result.append(item)
    return result


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.get_generators.connect(start_build)
    signals.get_writer.connect(provide_writer)
    signals.generator_init.connect(add_globals)
    signals.article_generator_finalized.connect(remember_articles)
    signals.page_generator_finalized.connect(remember_pages)
    signals.static_generator_finalized.connect(remember_static)
    signals.content_written.connect(remember_page)
    signals.feed_written.connect(remember_feed)
    signals.finalized.connect(finish_build)
