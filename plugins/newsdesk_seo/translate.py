"""Adapter half: describe Pelican's articles, pages and settings as the core's plain data.

Duck-typed on Pelican's objects (no Pelican import), so it is cheap to test.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsdesk_content.authors import AuthorsFileError, load_authors
from PIL import Image as PillowImage
from PIL import UnidentifiedImageError

from .feeds import FeedEntry, entry_id, original_slug, strip_typography
from .head import description_of, feed_title
from .model import ArticleInfo, FeedLink, Image, Link, Site
from .redirects import AliasSource, metadata_line, split_aliases
from .settings import SeoSettings, SeoSettingsError

#: How many translated articles to keep: enough for every feed of a build.
ARTICLE_CACHE_SIZE = 512
ATOM = "application/atom+xml"
RSS = "application/rss+xml"


def image_size(path: Path) -> tuple[int, int] | None:
    """The pixel size of an image file, or None if it cannot be read."""
    try:
        with PillowImage.open(path) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None


@dataclass
class Translator:
    """Turns one build's Pelican objects into core data, caching what it computed."""

    seo: SeoSettings
    settings: dict[str, Any]
    site: Site
    #: Recently translated articles (a feed and a page ask for the same ones).
    _articles: OrderedDict[int, ArticleInfo] = field(default_factory=OrderedDict)
    _sizes: dict[Path, tuple[int, int] | None] = field(default_factory=dict)
    _bios: dict[str, str] | None = None
    _root: str | None = None

    @classmethod
    def create(cls, settings: dict[str, Any], seo: SeoSettings) -> Translator:
        """Read the logo and share image from the theme and describe the site."""
        translator = cls(seo=seo, settings=settings, site=None)  # type: ignore[arg-type]
        logo = translator.theme_image(seo.publisher_logo, "NEWSDESK_PUBLISHER_LOGO")
        share = translator.theme_image(seo.default_share_image, "NEWSDESK_DEFAULT_SHARE_IMAGE")
        translator.site = Site(
            name=seo.sitename,
            url=translator.url(""),
            tagline=seo.tagline,
            language=seo.language,
            logo=logo,
            share_image=share,
            twitter_site=seo.twitter_site,
        )
        return translator

    # --- URLs and files ---------------------------------------------------------

    def url(self, relative: str) -> str:
        """A site URL joined to SITEURL (root-relative while SITEURL is empty)."""
        return f"{self.seo.siteurl}/{relative.lstrip('/')}"

    @property
    def site_path(self) -> str:
        """SITEURL's path (e.g. "/news" for a site in a sub-folder), "" at the root."""
        return urlsplit(self.seo.siteurl).path.rstrip("/")

    def size(self, path: Path) -> tuple[int, int] | None:
        """The cached pixel size of an image file."""
        if path not in self._sizes:
            self._sizes[path] = image_size(path)
        return self._sizes[path]

    def theme_image(self, relative: str, setting: str) -> Image:
        """An image of the theme's static folder, published under THEME_STATIC_DIR."""
        source = Path(self.settings["THEME"]) / "static" / relative
        size = self.size(source)
        if size is None:
            raise SeoSettingsError(f"{setting}: {source} is not a readable image")
        return Image(
            url=self.url(f"{self.seo.theme_static_dir}/{relative}"),
            width=size[0],
            height=size[1],
            alt=self.seo.sitename,
        )

    def source_name(self, content: Any) -> str:
        """A content file's path relative to the site root (PATH's parent), for messages."""
        if self._root is None:
            self._root = os.path.dirname(os.path.abspath(self.settings["PATH"]))
        return Path(os.path.relpath(content.source_path, self._root)).as_posix()

    # --- articles, pages, authors -------------------------------------------------

    def article_description(self, content: Any) -> str:
        """The plain description of an article or page: its summary, else its opening."""
        return description_of(content.metadata.get("summary"), content.content)

    def author_bio(self, name: str) -> str | None:
        """An author's bio from the newsroom's authors file, if it can be read."""
        if self._bios is None:
            path = Path(self.settings["PATH"]) / str(
                self.settings.get("NEWSDESK_AUTHORS_FILE", "authors.toml")
            )
            try:
                self._bios = {info.name: info.bio for info in load_authors(path).values()}
            except AuthorsFileError:
                self._bios = {}
        return self._bios.get(name)

    def featured_image(self, article: Any) -> Image | None:
        """The article's featured image with its size (the site plugin's, else read here)."""
        picture = getattr(article, "featured_image", None)
        alt = str(article.metadata.get("image_alt") or "")
        if picture is not None and getattr(picture, "width", None):
            return Image(self.url(picture.url), picture.width, picture.height, picture.alt or alt)
        value = article.metadata.get("image")
        if not value:
            return None
        relative = str(value).strip().removeprefix("{static}").lstrip("/")
        size = self.size(Path(self.settings["PATH"]) / relative)
        if size is None:
            return None
        return Image(self.url(relative), size[0], size[1], alt)

    def article(self, article: Any) -> ArticleInfo:
        """The core's view of a Pelican article (the last few hundred are cached)."""
        key = id(article)
        if key in self._articles:
            self._articles.move_to_end(key)
            return self._articles[key]
        category = getattr(article, "category", None)
        location = article.metadata.get("location")
        info = ArticleInfo(
            title=str(article.title),
            description=self.article_description(article),
            url=self.url(article.url),
            published=article.date,
            modified=getattr(article, "modified", None),
            section=Link(category.name, self.url(category.url)) if category else None,
            tags=tuple(Link(tag.name, self.url(tag.url)) for tag in article_tags(article)),
            authors=tuple(
                Link(author.name, self.url(author.url))
                for author in getattr(article, "authors", ())
            ),
            image=self.featured_image(article),
            dateline=str(location).strip() if location else None,
        )
        self._articles[key] = info
        if len(self._articles) > ARTICLE_CACHE_SIZE:
            self._articles.popitem(last=False)
        return info

    def feed_entry(self, article: Any) -> FeedEntry:
        """An article as a feed entry with its permanent id."""
        info = self.article(article)
        slug = original_slug(
            str(article.slug),
            article.date.date(),
            split_aliases(article.metadata.get("aliases")),
            article.metadata.get("original_slug"),
        )
        content = None
        if self.seo.feed_content == "full":
            content = strip_typography(article.get_content(self.seo.siteurl))
        categories = [info.section.name] if info.section else []
        categories += [tag.name for tag in info.tags if tag.name not in categories]
        return FeedEntry(
            id=entry_id(self.seo.feed_id_authority, article.date.date(), slug),
            title=info.title,
            url=info.url,
            published=info.published,
            updated=info.updated,
            summary=info.description,
            content_html=content,
            authors=info.authors,
            categories=tuple(categories),
        )

    def alias_source(self, content: Any) -> AliasSource | None:
        """The aliases an article or page declares, with the line they are on."""
        aliases = split_aliases(content.metadata.get("aliases"))
        if not aliases:
            return None
        try:
            text = Path(content.source_path).read_text(encoding="utf-8")
        except OSError:
            text = ""
        return AliasSource(
            source=self.source_name(content),
            line=metadata_line(text, "aliases"),
            title=str(content.title),
            target_url=self.url(content.url),
            target_path=f"/{content.url}",
            aliases=aliases,
        )

    # --- feeds in the head ------------------------------------------------------

    def feed_links(self, subject: str | None, kind_settings: tuple[str, str], slug: str) -> list:
        """Feed links of a subject (section, tag, author) when its feeds are configured."""
        links = []
        for setting, media_type, label in (
            (kind_settings[0], ATOM, "atom"),
            (kind_settings[1], RSS, "rss"),
        ):
            pattern = self.settings.get(f"{setting}_URL") or self.settings.get(setting)
            if pattern:
                links.append(
                    FeedLink(
                        url=self.feed_url(str(pattern).format(slug=slug)),
                        media_type=media_type,
                        title=feed_title(self.seo.sitename, subject, label),
                    )
                )
        return links

    def feed_url(self, relative: str) -> str:
        """A feed's public URL (FEED_DOMAIN, else SITEURL)."""
        domain = str(self.settings.get("FEED_DOMAIN") or self.seo.siteurl).rstrip("/")
        return f"{domain}/{relative.lstrip('/')}"

    def site_feeds(self) -> list[FeedLink]:
        """The whole site's feeds (FEED_ALL_* and FEED_*)."""
        links = []
        for setting, media_type, label in (
            ("FEED_ALL_ATOM", ATOM, "atom"),
            ("FEED_ALL_RSS", RSS, "rss"),
            ("FEED_ATOM", ATOM, "atom"),
            ("FEED_RSS", RSS, "rss"),
        ):
            path = self.settings.get(f"{setting}_URL") or self.settings.get(setting)
            if path:
                url = self.feed_url(str(path))
                if all(link.url != url for link in links):
                    links.append(
                        FeedLink(url, media_type, feed_title(self.seo.sitename, None, label))
                    )
        return links


def article_tags(article: Any) -> list[Any]:
    """An article's tags (Pelican leaves the attribute out when there are none)."""
    return list(getattr(article, "tags", None) or [])
