"""The news theme's pages, parsed as HTML: structure of every page type, links, accessibility."""

from __future__ import annotations

import itertools
import tomllib
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import REPO, FixtureSite, article_source
from PIL import Image

import pelicanconf

ARTICLE_GLOB = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"


# --- helpers ------------------------------------------------------------------


@cache
def _parse_cached(path: Path, mtime_ns: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def parse(path: Path) -> BeautifulSoup:
    """Parse an output page with an HTML5 parser (cached per file version)."""
    return _parse_cached(path, path.stat().st_mtime_ns)


def page_for(output: Path, href: str) -> Path:
    """The output file a root-relative link (SITEURL is empty) leads to."""
    assert href.startswith("/"), f"expected a root-relative link, got {href!r}"
    relative = href.split("#", 1)[0].strip("/")
    target = output / relative
    return target / "index.html" if not relative.endswith(".html") else target


def article_pages(output: Path) -> list[Path]:
    """Every article page of a built site."""
    return sorted(output.glob(ARTICLE_GLOB))


def href_of(output: Path, page: Path) -> str:
    """The root-relative link of an output page."""
    return "/" + page.parent.relative_to(output).as_posix() + "/"


def story_links(container: Tag) -> list[str]:
    """Links to article pages inside a container, in document order."""
    return [
        a["href"]
        for a in container.select("a[href]")
        if a["href"].startswith("/") and a["href"][1:5].isdigit()
    ]


def precedes(first: Tag, second: Tag) -> bool:
    """True when `first` starts before `second` in the document."""
    return any(element is second for element in first.next_elements)


def section_of(output: Path, href: str) -> str:
    """The section label of an article page."""
    return parse(page_for(output, href)).select_one(".story__section a").get_text(strip=True)


def html_pages(output: Path) -> list[Path]:
    """Every HTML page of a built site."""
    return sorted(output.rglob("*.html"))


def authors_file() -> dict[str, dict]:
    """The demo's authors, keyed by slug."""
    data = tomllib.loads((REPO / "content" / "authors.toml").read_text(encoding="utf-8"))
    return {entry["slug"]: entry for entry in data["author"]}


# --- the front page -------------------------------------------------------------


def test_front_page_has_lead_latest_and_section_blocks_in_configured_order(
    demo_output: Path,
) -> None:
    main = parse(demo_output / "index.html").find("main")
    lead = main.select_one(".front-top__lead article.card--lead")
    latest = main.select(".front-top__latest ol > li > article")
    blocks = main.select(".front-sections > section.section-block")
    assert lead is not None and lead.select_one("h2 a[href]") is not None
    assert lead.select_one(".card__summary").get_text(strip=True)
    assert latest, "no Latest list"
    assert blocks, "no section blocks"
    assert precedes(lead, latest[0]) and precedes(latest[-1], blocks[0])
    names = [block.find("h2").get_text(strip=True) for block in blocks]
    configured = [name for name in pelicanconf.NEWSDESK_SECTIONS if name in names]
    assert names == configured
    for block, name in zip(blocks, names, strict=True):
        links = story_links(block)
        assert 1 <= len(links) <= 4
        assert {section_of(demo_output, link) for link in links} == {name}
        assert block.find("h2").a["href"] == f"/section/{name.lower()}/"


def test_front_page_shows_no_story_twice_and_links_to_page_two(demo_output: Path) -> None:
    main = parse(demo_output / "index.html").find("main")
    links = story_links(main)
    assert len(links) == len(set(links))
    older = main.select_one("nav.pagination a[rel=next]")
    assert older is not None and older["href"] == "/page/2/"
    assert (demo_output / "page" / "2" / "index.html").exists()


def test_front_page_and_older_pages_together_list_every_article(demo_output: Path) -> None:
    front = story_links(parse(demo_output / "index.html").find("main"))
    older: list[str] = []
    for page in sorted((demo_output / "page").glob("*/index.html")):
        main = parse(page).find("main")
        assert main.select_one(".front-top") is None, f"{page} repeats the front"
        assert main.find("h1").get_text(strip=True) == "Older stories"
        older += story_links(main)
    published = {href_of(demo_output, page) for page in article_pages(demo_output)}
    assert older, "no older stories"
    assert len(older) == len(set(older)), "a story is on two older pages"
    assert set(front) | set(older) == published


def test_front_page_loads_only_the_lead_image_eagerly(demo_output: Path) -> None:
    main = parse(demo_output / "index.html").find("main")
    for image in main.find_all("img"):
        assert image.get("width") and image.get("height"), image
        in_lead = image.find_parent(class_="front-top__lead") is not None
        assert (image.get("loading") == "lazy") != in_lead, image


# --- the article page -----------------------------------------------------------


def test_every_article_has_headline_standfirst_byline_date_and_section(
    demo_output: Path,
) -> None:
    pages = article_pages(demo_output)
    assert len(pages) >= 5
    for page in pages:
        story = parse(page).find("main").find("article", class_="story")
        assert story is not None, page
        assert len(story.find_all("h1")) == 1
        assert story.select_one("p.story__standfirst").get_text(strip=True), page
        section = story.select_one(".story__section a[href]")
        assert page_for(demo_output, section["href"]).exists()
        authors = story.select(".byline a[href]")
        assert authors, f"{page}: no byline"
        for author in authors:
            assert author["href"].startswith("/author/")
            assert page_for(demo_output, author["href"]).exists(), author["href"]
        published = story.select_one("time.story__published")
        assert datetime.fromisoformat(published["datetime"]).tzinfo is not None


def test_dateline_opens_the_article_body(demo_output: Path) -> None:
    with_dateline = 0
    for page in article_pages(demo_output):
        body = parse(page).select_one(".story__body")
        first = body.find(True)
        if first.name == "span" and "dateline" in first.get("class", []):
            with_dateline += 1
            text = first.get_text()
            assert text.endswith(" —") and text == text.upper(), text
            assert not body.get_text().split(text, 1)[0].strip(), "text before the dateline"
            assert first.find_next_sibling(True).name == "p"
    assert with_dateline >= 1


def test_featured_image_has_figure_caption_credit_and_real_size(demo_output: Path) -> None:
    figures = [
        (page, figure)
        for page in article_pages(demo_output)
        if (figure := parse(page).select_one("main article.story figure.figure"))
    ]
    assert figures, "no article with a featured image"
    for page, figure in figures:
        image = figure.find("img")
        assert image["alt"].strip(), f"{page}: empty alt"
        assert image.get("loading") != "lazy", "the featured image is above the fold"
        with Image.open(demo_output / image["src"].lstrip("/")) as picture:
            assert (int(image["width"]), int(image["height"])) == picture.size
        caption = figure.find("figcaption")
        assert caption.select_one(".figure__text").get_text(strip=True)
        assert caption.select_one(".figure__credit").get_text(strip=True)


def test_article_tags_link_to_tag_pages_listing_the_article(demo_output: Path) -> None:
    for page in article_pages(demo_output)[:12]:
        tags = parse(page).select("main .tags a[href]")
        assert tags, f"{page}: no tags"
        for tag in tags:
            assert tag["href"].startswith("/tag/")
            tag_page = page_for(demo_output, tag["href"])
            assert tag_page.exists(), tag["href"]
            listed = story_links(parse(tag_page).find("main"))
            for extra in sorted(tag_page.parent.glob("page/*/index.html")):
                listed += story_links(parse(extra).find("main"))
            assert href_of(demo_output, page) in listed


def test_navigation_marks_the_article_section_as_current(demo_output: Path) -> None:
    for page in article_pages(demo_output)[:10]:
        soup = parse(page)
        current = soup.select("nav.section-nav a[aria-current=page]")
        assert [a.get_text(strip=True) for a in current] == [
            soup.select_one(".story__section a").get_text(strip=True)
        ]


# --- section, tag, author, archives, pages --------------------------------------


def test_section_fronts_list_existing_articles_of_their_section(demo_output: Path) -> None:
    pages = sorted((demo_output / "section").glob("*/index.html"))
    assert pages
    for page in pages:
        soup = parse(page)
        name = soup.find("main").find("h1").get_text(strip=True)
        current = soup.select("nav.section-nav a[aria-current=page]")
        assert [a.get_text(strip=True) for a in current] == [name]
        links = story_links(soup.find("main"))
        assert links
        for link in links:
            assert page_for(demo_output, link).exists(), link
            assert section_of(demo_output, link) == name


def test_tag_pages_list_existing_articles(demo_output: Path) -> None:
    pages = sorted((demo_output / "tag").glob("*/index.html"))
    assert pages
    for page in pages:
        main = parse(page).find("main")
        assert main.find("h1").get_text(strip=True)
        links = story_links(main)
        assert links, page
        assert all(page_for(demo_output, link).exists() for link in links)


def test_author_pages_show_name_role_bio_and_their_stories(demo_output: Path) -> None:
    authors = authors_file()
    pages = sorted((demo_output / "author").glob("*/index.html"))
    assert pages
    for page in pages:
        slug = page.parent.name
        main = parse(page).find("main")
        assert main.find("h1").get_text(strip=True) == authors[slug]["name"]
        assert main.select_one(".author-profile__bio").get_text(strip=True) == authors[slug]["bio"]
        if authors[slug].get("role"):
            role = main.select_one(".author-profile__role").get_text(strip=True)
            assert role == authors[slug]["role"]
        links = story_links(main)
        assert links
        for link in links:
            byline = parse(page_for(demo_output, link)).select(".byline a[href]")
            assert f"/author/{slug}/" in [a["href"] for a in byline]


def test_archives_group_every_article_once_by_year_then_month(demo_output: Path) -> None:
    main = parse(demo_output / "archives" / "index.html").find("main")
    years = main.select("section.archive-year")
    assert years
    year_numbers = [int(year.find("h2").get_text(strip=True)) for year in years]
    assert year_numbers == sorted(year_numbers, reverse=True)
    listed: list[str] = []
    for year, number in zip(years, year_numbers, strict=True):
        months = year.select("section.archive-month")
        assert months
        for month in months:
            heading = month.find("h3").get_text(strip=True)
            month_date = datetime.strptime(heading, "%B %Y")
            assert month_date.year == number
            for entry in month.select("li.archive-entry"):
                published = datetime.fromisoformat(entry.find("time")["datetime"])
                assert (published.year, published.month) == (month_date.year, month_date.month)
                listed += story_links(entry)
    published = {href_of(demo_output, page) for page in article_pages(demo_output)}
    assert len(listed) == len(set(listed))
    assert set(listed) == published


def test_404_page_says_not_found_and_links_home(demo_output: Path) -> None:
    main = parse(demo_output / "404.html").find("main")
    assert main.find("h1").get_text(strip=True) == "Page not found"
    hrefs = [a["href"] for a in main.find_all("a", href=True)]
    assert "/" in hrefs and "/archives/" in hrefs
    assert all(href.startswith("/") for href in hrefs), "links must work from any URL"


@pytest.mark.parametrize("slug", ["about", "contact"])
def test_about_and_contact_pages_render_and_are_in_the_footer(demo_output: Path, slug: str) -> None:
    soup = parse(demo_output / slug / "index.html")
    main = soup.find("main")
    assert main.find("h1").get_text(strip=True)
    assert main.select_one(".static-page__body").get_text(strip=True)
    assert not soup.select("nav.section-nav a[aria-current]")
    footer_links = [a["href"] for a in soup.find("footer").find_all("a", href=True)]
    assert f"/{slug}/" in footer_links


# --- every page -----------------------------------------------------------------


def test_every_page_has_landmarks_one_h1_and_a_working_skip_link(demo_output: Path) -> None:
    for page in html_pages(demo_output):
        soup = parse(page)
        assert soup.html.get("lang") == "en", page
        assert soup.title.get_text(strip=True), page
        assert soup.select_one('meta[name="description"]')["content"].strip(), page
        body = soup.body
        assert len(body.find_all("header", recursive=False)) == 1, page
        assert len(body.find_all("main", recursive=False)) == 1, page
        assert len(body.find_all("footer", recursive=False)) == 1, page
        assert body.find("header").select_one("nav.section-nav") is not None
        nav_names = [nav.get("aria-label") for nav in soup.find_all("nav")]
        assert None not in nav_names and len(nav_names) == len(set(nav_names)), page
        assert len(soup.find_all("h1")) == 1, f"{page}: {len(soup.find_all('h1'))} h1"
        skip = body.find("a")
        assert skip["href"] == "#main" and "skip-link" in skip["class"], page
        assert soup.find(id="main").name == "main"


def test_headings_start_at_h1_and_never_skip_a_level(demo_output: Path) -> None:
    for page in html_pages(demo_output):
        headings = parse(page).find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
        levels = [int(h.name[1]) for h in headings]
        assert levels[:1] == [1], f"{page}: headings {levels[:3]} do not start at h1"
        for previous, current in itertools.pairwise(levels):
            assert current <= previous + 1, f"{page}: h{previous} then h{current}"


def test_navigation_marks_no_section_on_the_front_page(demo_output: Path) -> None:
    soup = parse(demo_output / "index.html")
    nav = [a.get_text(strip=True) for a in soup.select("nav.section-nav a")]
    with_front = [
        name
        for name in pelicanconf.NEWSDESK_SECTIONS
        if (demo_output / "section" / name.lower() / "index.html").exists()
    ]
    assert nav == with_front
    assert not soup.select("nav.section-nav a[aria-current]")


def test_every_time_element_has_a_machine_readable_datetime(demo_output: Path) -> None:
    for page in html_pages(demo_output):
        for time in parse(page).find_all("time"):
            assert datetime.fromisoformat(time["datetime"]).tzinfo is not None, page


def test_footer_copyright_is_the_year_of_the_newest_article(demo_output: Path) -> None:
    newest = max(
        datetime.fromisoformat(parse(page).select_one("time.story__published")["datetime"])
        for page in article_pages(demo_output)
    )
    footer = parse(demo_output / "index.html").find("footer")
    copyright_line = footer.select_one(".site-footer__copyright").get_text(strip=True)
    assert copyright_line == f"© {newest.year} {pelicanconf.SITENAME}"


# --- small fixture sites: cases the demo may not hold ---------------------------

ALSO_LIKE_PLUGIN = '''
"""Test plugin: give the article "first-story" two stories to recommend, in a fixed order."""
from pelican import signals

def recommend(generator):
    by_slug = {article.slug: article for article in generator.articles}
    by_slug["first-story"].also_like = [by_slug["third-story"], by_slug["second-story"]]

def register():
    signals.article_generator_finalized.connect(recommend)
'''


def add_plugin(site: FixtureSite, name: str, source: str) -> None:
    """Install a one-file plugin next to the site and enable it."""
    folder = site.root / "test_plugins"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(source, encoding="utf-8")
    with site.settings.open("a", encoding="utf-8") as settings:
        settings.write(f"PLUGIN_PATHS = PLUGIN_PATHS + [{str(folder)!r}]\n")
        settings.write(f"PLUGINS = PLUGINS + [{name!r}]\n")


def add_setting(site: FixtureSite, name: str, value: object) -> None:
    """Append one setting to the fixture site's settings file."""
    with site.settings.open("a", encoding="utf-8") as settings:
        settings.write(f"{name} = {value!r}\n")


def draw_image(site: FixtureSite, relative_path: str, size: tuple[int, int]) -> None:
    """Write a small JPEG under content/."""
    path = site.content / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (120, 60, 40)).save(path, "JPEG")


def three_stories(site: FixtureSite) -> None:
    """Add "First story" (newest), "Second story" and "Third story"."""
    for number, title in enumerate(["Third story", "Second story", "First story"], start=1):
        site.add(
            f"articles/2025/{title.split()[0].lower()}.md",
            article_source(title, date=f"2025-02-0{number} 10:00", summary=f"About {title}."),
        )


def test_updated_date_is_shown_only_when_modified_is_later(fixture_site: FixtureSite) -> None:
    site = fixture_site
    site.add(
        "articles/2025/fixed.md",
        article_source("Fixed later", date="2025-02-01 10:00", modified="2025-02-03 16:30"),
    )
    site.add(
        "articles/2025/same.md",
        article_source("Never fixed", date="2025-02-02 10:00", modified="2025-02-02 10:00"),
    )
    site.add("articles/2025/plain.md", article_source("Never touched", date="2025-02-02 11:00"))
    site.build().check()

    fixed = parse(site.output / "2025/02/fixed-later/index.html").select_one(".story__updated")
    assert fixed is not None
    assert fixed.get_text(" ", strip=True) == "Updated February 3, 2025"
    assert fixed.find("time")["datetime"] == "2025-02-03T16:30:00+04:00"
    for slug in ("never-fixed", "never-touched"):
        page = parse(site.output / f"2025/02/{slug}/index.html")
        assert page.select_one(".story__updated") is None, slug


def test_article_partials_come_in_order_also_like_comments_newsletter(
    fixture_site: FixtureSite,
) -> None:
    site = fixture_site
    three_stories(site)
    add_plugin(site, "fake_also_like", ALSO_LIKE_PLUGIN)
    add_setting(site, "COMMENTS_ISSO_URL", "https://comments.example")
    add_setting(site, "NEWSLETTER_ACTION", "https://lists.example/subscribe")
    site.build().check()

    main = parse(site.output / "2025/02/first-story/index.html").find("main")
    story = main.find("article", class_="story")
    also_like = main.find(id="you-may-also-like")
    comments = main.find(id="comments")
    newsletter = main.find(id="newsletter")
    assert None not in (also_like, comments, newsletter)
    assert precedes(story, also_like) and precedes(also_like, comments)
    assert precedes(comments, newsletter)

    assert also_like.name == "section"
    heading = also_like.find(id=also_like["aria-labelledby"])
    assert heading.get_text(strip=True) == "You May Also Like"
    items = also_like.select("ol > li")
    assert [item.select_one("h3 a")["href"] for item in items] == [
        "/2025/02/third-story/",
        "/2025/02/second-story/",
    ]
    assert items[0].select_one(".card__summary").get_text(strip=True) == "About Third story."
    assert items[0].find("time")["datetime"].startswith("2025-02-01")

    form = newsletter.find("form")
    assert form["action"] == "https://lists.example/subscribe" and form["method"] == "post"
    field = form.find("input", type="email")
    assert form.find("label", attrs={"for": field["id"]}) is not None

    assert comments.find(id="isso-thread") is not None


def test_article_partials_are_absent_without_their_data(fixture_site: FixtureSite) -> None:
    site = fixture_site
    three_stories(site)
    for name in ("COMMENTS_ISSO_URL", "COMMENTS_ISSO_DB", "NEWSLETTER_ACTION"):
        add_setting(site, name, None)
    add_setting(site, "PLUGINS", [p for p in pelicanconf.PLUGINS if p != "you_may_also_like"])
    site.build().check()
    main = parse(site.output / "2025/02/first-story/index.html").find("main")
    assert main.find(id="you-may-also-like") is None
    assert main.find(id="comments") is None
    assert main.find(id="newsletter") is None
    assert main.find("figure") is None


def test_headline_is_escaped_and_typeset_while_title_stays_plain(
    fixture_site: FixtureSite,
) -> None:
    site = fixture_site
    site.add(
        "articles/2025/quotes.md",
        article_source('Ministers say "yes" to <b>reform</b> & more', slug="quotes"),
    )
    site.build().check()
    soup = parse(site.output / "2025/01/quotes/index.html")
    h1 = soup.find("main").find("h1")
    assert h1.find("b") is None
    assert "\u201cyes\u201d" in h1.get_text()
    assert "<b>reform</b>" in h1.get_text()
    assert soup.title.get_text().startswith('Ministers say "yes" to <b>reform</b> & more')


def test_front_lead_prefers_the_newest_story_with_an_image(fixture_site: FixtureSite) -> None:
    site = fixture_site
    draw_image(site, "images/pictured.jpg", (640, 360))
    site.add(
        "articles/2025/pictured.md",
        article_source(
            "Pictured story",
            date="2025-01-10 10:00",
            image="images/pictured.jpg",
            image_alt="A red square",
            image_caption="A caption.",
            image_credit="Photo: Test",
        ),
    )
    site.add("articles/2025/newer.md", article_source("Newer story", date="2025-01-12 10:00"))
    site.build().check()
    main = parse(site.output / "index.html").find("main")
    lead = main.select_one(".front-top__lead article")
    assert lead.select_one("h2 a")["href"] == "/2025/01/pictured-story/"
    image = lead.find("img")
    assert (image["width"], image["height"]) == ("640", "360")
    assert image.get("loading") is None
    assert story_links(main.select_one(".front-top__latest")) == ["/2025/01/newer-story/"]


def test_article_without_location_or_image_has_no_dateline_or_figure(
    fixture_site: FixtureSite,
) -> None:
    site = fixture_site
    source = article_source("No place", slug="no-place").replace("Location: YEREVAN\n", "")
    site.add("articles/2025/no-place.md", source)
    site.build().check()
    page = parse(site.output / "2025/01/no-place/index.html")
    assert page.select_one(".dateline") is None
    assert page.find("figure") is None
    assert page.select_one(".story__body").find(True).name == "p"


def test_author_page_shows_the_photo_from_the_authors_file(fixture_site: FixtureSite) -> None:
    site = fixture_site
    draw_image(site, "images/authors/anahit.jpg", (300, 300))
    authors = (site.content / "authors.toml").read_text(encoding="utf-8")
    authors = authors.replace(
        'slug = "anahit-grigoryan"\n',
        'slug = "anahit-grigoryan"\nphoto = "images/authors/anahit.jpg"\n',
    )
    (site.content / "authors.toml").write_text(authors, encoding="utf-8")
    site.add("articles/2025/one.md", article_source("One story"))
    site.build().check()
    profile = parse(site.output / "author/anahit-grigoryan/index.html").select_one(
        ".author-profile"
    )
    photo = profile.find("img")
    assert photo["src"] == "/images/authors/anahit.jpg"
    assert photo["alt"] == "Anahit Grigoryan"
    assert (photo["width"], photo["height"]) == ("300", "300")
    assert (site.output / "images/authors/anahit.jpg").exists()
