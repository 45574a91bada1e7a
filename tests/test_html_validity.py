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
        "author": output / "author" / "anahit-grigoryan" / "index.html",
        "archives": output / "archives" / "index.html",
        "page": output / "about" / "index.html",
        "404": output / "404.html",
    }
    featured = sorted(output.glob("20*/*/*/index.html"))
    with_figure = [p for p in featured if "<figure" in p.read_text(encoding="utf-8")]
    if with_figure:
        pages["article with image"] = with_figure[0]
    return pages


def test_nu_html_checker_reports_no_errors_on_any_page_type(demo_output: Path) -> None:
    pages = one_page_per_type(demo_output)
    for name, path in pages.items():
        assert path.exists(), f"no {name} page at {path}"
    errors = nu_errors(list(pages.values()))
    assert errors == []
