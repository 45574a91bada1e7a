"""Every page type passes the W3C Nu HTML checker (vnu.jar from npm, run on Java)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from nu_checker import nu_errors, requires_nu_checker

pytestmark = requires_nu_checker


def one_page_per_type(output: Path) -> dict[str, Path]:
    """Pick one output file for each page type of the theme."""
    soup = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html5lib")
    article_href = soup.find("main").select_one("article a[href]")["href"]
    pages = {
        "front": output / "index.html",
        "front page 2": output / "page" / "2" / "index.html",
        "article": output / article_href.strip("/") / "index.html",
        "section": output / "section" / "armenia" / "index.html",
        "tag": output / "tag" / "armenia" / "index.html",
        "tag page 2": output / "tag" / "armenia" / "page" / "2" / "index.html",
        "author": output / "author" / "anahit-grigoryan" / "index.html",
        "archives": output / "archives" / "index.html",
        "page": output / "about" / "index.html",
        "contact page": output / "contact" / "index.html",
        "search": output / "search" / "index.html",
        "404": output / "404.html",
    }
    articles = sorted(output.glob("20*/*/*/index.html"))
    with_figure = [p for p in articles if "<figure" in p.read_text(encoding="utf-8")]
    assert with_figure, "no demo article has a featured image"
    pages["article with image"] = with_figure[0]
    return pages


def test_nu_html_checker_reports_no_errors_on_any_page_type(demo_output: Path) -> None:
    pages = one_page_per_type(demo_output)
    for name, path in pages.items():
        assert path.exists(), f"no {name} page at {path}"
    errors = nu_errors(list(pages.values()))
    assert errors == []
