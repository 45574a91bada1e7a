"""No metadata ever runs as script: hostile values in every field stay text in every output.

A site is built (production-like: absolute URLs, feeds, sitemaps) whose titles,
summaries, tags, datelines, captions, credits, alt texts, author names, bios and
page titles carry payloads from the usual XSS lists. Every output file is then
parsed by type, so outputs added later (feeds, JSON-LD, search data) are covered
too: HTML with html5lib (and HTML carried inside feeds), XML with lxml, JSON with
json. No script element, event-handler attribute or `javascript:` URL may come
from the metadata.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FixtureSite, article_source, make_fixture_site
from lxml import etree

# From the usual XSS lists (OWASP's filter evasion cheat sheet, PortSwigger's):
# closing the element or attribute a value lands in, event handlers, script
# URLs, CDATA and comment breaks, pre-escaped entities, JSON line separators.
PAYLOADS = [
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "<body onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "]]><script>alert(1)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "\u2028\u2029</script><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus='",
    "<details open ontoggle=alert(1)>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "{{ 7*7 }}<scr<script>ipt>alert(1)</script>",
]
HOSTILE_AUTHORS = [
    ("</script><script>alert(1)</script> Hakobyan", "hostile-one"),
    ('"><img src=x onerror=alert(1)> Petrosyan', "hostile-two"),
]
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "xlink:href",
    "background",
    "cite",
    "srcset",
    "ping",
}
BAD_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)
# Atom/RSS elements whose text a feed reader renders as HTML.
FEED_HTML = {"description", "{http://purl.org/rss/1.0/modules/content/}encoded"}


def _list_safe(text: str) -> str:
    """Tags and authors are comma-separated lists: keep a payload in one piece."""
    return text.replace(",", " ").replace(";", " ")


def _authors_file() -> str:
    entries = []
    for name, slug in HOSTILE_AUTHORS:
        entries.append(
            "[[author]]\n"
            f"name = {json.dumps(name)}\n"
            f'slug = "{slug}"\n'
            f"role = {json.dumps(PAYLOADS[3])}\n"
            f"bio = {json.dumps('Bio ' + PAYLOADS[1] + ' ' + PAYLOADS[0])}\n"
        )
    return "\n".join(entries)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> FixtureSite:
    """A production-like site whose metadata is all payloads, built once."""
    root = tmp_path_factory.mktemp("hostile") / "site"
    site = make_fixture_site(
        root,
        SITEURL="https://ledger.example",
        RELATIVE_URLS=False,
        FEED_ALL_ATOM="feeds/all.atom.xml",
        FEED_ALL_RSS="feeds/all.rss.xml",
        CATEGORY_FEED_ATOM="feeds/section/{slug}.atom.xml",
        CATEGORY_FEED_RSS="feeds/section/{slug}.rss.xml",
        TAG_FEED_ATOM="feeds/tag/{slug}.atom.xml",
    )
    (site.content / "authors.toml").write_text(_authors_file(), encoding="utf-8")
    from PIL import Image

    (site.content / "images").mkdir()
    Image.new("RGB", (8, 6), (90, 90, 90)).save(site.content / "images" / "pixel.png")
    authors = [name for name, _ in HOSTILE_AUTHORS]
    for index, payload in enumerate(PAYLOADS):
        site.add(
            f"articles/2025/hostile-{index:02d}.md",
            article_source(
                title=f"{payload} story {index}",
                date=f"2025-03-{index + 1:02d} 10:00",
                authors=", ".join([authors[index % 2], authors[(index + 1) % 2]][: 1 + index % 2]),
                tags=f"{_list_safe(payload)} tag{index}, Borders",
                summary=f"Summary {payload} {index}",
                body=f"Body of story {index}, which is trusted Markdown.",
                location=payload,
                image="images/pixel.png",
                image_alt=f"Alt {payload}",
                image_caption=f"Caption {payload}",
                image_credit=f"Credit {payload}",
                slug=f"hostile-{index:02d}",
                aliases=f"/old/hostile-{index:02d}/",
            ),
        )
    site.add("pages/about.md", f"Title: About {PAYLOADS[0]}\nSummary: {PAYLOADS[1]}\n\nAbout.\n")
    site.build().check()
    return site


def _html_problems(html: str, where: str) -> list[str]:
    """Script elements, handlers and script URLs in an HTML document or fragment."""
    problems = []
    soup = BeautifulSoup(html, "html5lib")
    for element in soup.find_all(True):
        name = element.name
        for attribute, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if attribute.lower().startswith("on"):
                problems.append(f"{where}: <{name} {attribute}={value!r}>")
            if attribute.lower() in URL_ATTRIBUTES and BAD_SCHEMES.match(value):
                problems.append(f"{where}: <{name} {attribute}={value!r}>")
        if name in ("iframe", "object", "embed", "svg", "math"):
            problems.append(f"{where}: <{name}> element")
        if name == "img" and element.get("src") == "x":
            problems.append(f"{where}: <img src=x>")
        if name == "script":
            text = element.string or ""
            if element.get("type") == "application/ld+json":
                try:
                    json.loads(text)
                except ValueError:
                    problems.append(f"{where}: JSON-LD that does not parse: {text[:80]!r}")
            elif "alert" in text or "alert" in element.get("src", ""):
                problems.append(f"{where}: <script> {text[:80]!r}")
        if name == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            target = (element.get("content") or "").split("url=", 1)[-1]
            if BAD_SCHEMES.match(target):
                problems.append(f"{where}: meta refresh to {target!r}")
    return problems


def _xml_problems(path: Path, where: str) -> list[str]:
    """Parse XML strictly; check the HTML that feeds carry."""
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as error:
        return [f"{where}: not well-formed XML: {error}"]
    problems = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        local = element.tag.rsplit("}", 1)[-1]
        is_html = element.tag in FEED_HTML or (
            local in ("content", "summary", "title", "subtitle", "rights")
            and element.get("type") in ("html", "xhtml")
        )
        if is_html and element.text:
            problems += _html_problems(element.text, f"{where} <{local}>")
        for attribute, value in element.attrib.items():
            if attribute.rsplit("}", 1)[-1] in ("href", "src", "url") and BAD_SCHEMES.match(value):
                problems.append(f"{where}: <{local} {attribute}={value!r}>")
    return problems


def _output_files(site: FixtureSite, *suffixes: str) -> list[Path]:
    return sorted(p for p in site.output.rglob("*") if p.is_file() and p.suffix in suffixes)


def test_no_script_handler_or_script_url_comes_from_metadata_in_any_output(hostile_site):
    problems: list[str] = []
    checked = {"html": 0, "xml": 0, "json": 0}
    for path in sorted(hostile_site.output.rglob("*")):
        if not path.is_file():
            continue
        where = path.relative_to(hostile_site.output).as_posix()
        if path.suffix == ".html":
            checked["html"] += 1
            problems += _html_problems(path.read_text(encoding="utf-8"), where)
        elif path.suffix in (".xml", ".atom", ".rss"):
            checked["xml"] += 1
            problems += _xml_problems(path, where)
        elif path.suffix == ".json":
            checked["json"] += 1
            try:
                json.loads(path.read_text(encoding="utf-8"))
            except ValueError as error:
                problems.append(f"{where}: JSON that does not parse: {error}")
    assert checked["html"] >= len(PAYLOADS) + 4
    assert checked["xml"] >= 2, "the production-like build wrote no feed"
    assert problems == []


def test_hostile_titles_read_as_plain_text_in_title_and_json_ld(hostile_site):
    for index, payload in enumerate(PAYLOADS):
        page = next(hostile_site.output.glob(f"2025/03/hostile-{index:02d}/index.html"))
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib")
        title = _words(f"{payload} story {index}")  # U+2028 is whitespace: values are trimmed
        assert title in _words(soup.title.get_text())
        for script in soup.find_all("script", type="application/ld+json"):
            data = json.loads(script.string)
            if data.get("@type") == "NewsArticle":
                assert _words(data["headline"]) == title


def _words(text: str) -> str:
    return " ".join(text.split())


def test_hostile_tags_and_authors_read_as_text_on_the_article_page(hostile_site):
    page = hostile_site.output / "2025" / "03" / "hostile-01" / "index.html"
    text = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib").get_text()
    assert "onerror=alert(1)" in text  # the payload is shown, as text
    assert "Hakobyan" in text or "Petrosyan" in text


def test_every_feed_parses_and_carries_the_hostile_titles_as_text(hostile_site):
    import feedparser

    feeds = _output_files(hostile_site, ".xml")
    feeds = [
        path
        for path in feeds
        if b"<feed" in path.read_bytes()[:500] or b"<rss" in path.read_bytes()[:500]
    ]
    assert feeds
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    site_feed = feedparser.parse((hostile_site.output / "feeds" / "all.atom.xml").read_bytes())
    titles = {entry.title for entry in site_feed.entries}
    assert f"{PAYLOADS[0]} story 0" in titles


def test_metadata_urls_with_script_schemes_fail_the_build(tmp_path):
    site = make_fixture_site(tmp_path / "site")
    site.add(
        "articles/2025/bad-image.md",
        article_source(title="Bad image", image="JaVaScRiPt:alert(1)", image_alt="x"),
    )
    site.add(
        "articles/2025/bad-alias.md",
        article_source(
            title="Bad alias", aliases="/old/, data:text/html,<script>alert(1)</script>"
        ),
    )
    result = site.build()
    assert result.returncode == 1
    assert (
        'content/articles/2025/bad-image.md:8: error: Image: "javascript:" URLs are not '
        "allowed; use an http(s) URL or a path on this site"
    ) in result.stderr
    assert 'content/articles/2025/bad-alias.md:8: error: Aliases: "data:" URLs' in result.stderr
    assert not site.output.exists()
