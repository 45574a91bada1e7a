"""The demo site in a real browser: layout at phone and desktop widths, WCAG 2.1 AA (axe-core)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import CHROMIUM
from bs4 import BeautifulSoup
from conftest import REPO

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium (make test installs it)"
    ),
]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def first_article_path(output: Path) -> str:
    """The URL path of the front page's lead story."""
    soup = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html5lib")
    link = soup.find("main").select_one("article a[href]")
    return link["href"]


def page_paths(output: Path) -> dict[str, str]:
    """One URL path per page type under test."""
    return {
        "front": "/",
        "article": first_article_path(output),
        "section": "/section/armenia/",
    }


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("page_type", ["front", "article", "section"])
def test_page_fits_the_viewport_without_horizontal_scrolling(
    browser, site_url: str, demo_output: Path, page_type: str, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        response = page.goto(site_url + page_paths(demo_output)[page_type])
        assert response.status == 200
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{page_type} page is {scroll_width}px wide at {width}px"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{page_type}-{width}.png"), full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize("page_type", ["front", "article", "section"])
def test_axe_finds_no_wcag_21_aa_violations(
    browser, site_url: str, demo_output: Path, page_type: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(site_url + page_paths(demo_output)[page_type])
        page.add_script_tag(path=str(AXE))
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        assert results["passes"], "axe ran no checks"
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]
        ]
        assert violations == []
    finally:
        page.close()


def test_axe_finds_no_violations_on_a_phone_sized_front_page(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(site_url + "/")
        page.add_script_tag(path=str(AXE))
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        assert [v["id"] for v in results["violations"]] == []
    finally:
        page.close()


# What the focused element shows: its own outline, or (cards) the outline of its ::after box.
FOCUS_STATE = """() => {
  const element = document.activeElement;
  const box = element.getBoundingClientRect();
  const ring = [getComputedStyle(element), getComputedStyle(element, "::after")].find(
    (style) => style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
  );
  return {
    tag: element.tagName.toLowerCase(),
    text: (element.textContent || element.value || "").trim().slice(0, 40),
    skip: element.classList.contains("skip-link"),
    inViewport: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
      && box.bottom <= innerHeight && box.right <= innerWidth,
    ring: ring ? `${ring.outlineStyle} ${ring.outlineWidth}` : null,
  };
}"""


@pytest.mark.parametrize("page_type", ["front", "article"])
def test_keyboard_focus_is_visible_from_the_skip_link_on(
    browser, site_url: str, demo_output: Path, page_type: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(site_url + page_paths(demo_output)[page_type])
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUS_STATE)
        assert first["skip"] and first["inViewport"], first  # shown when focused
        unmarked = []
        for _ in range(25):
            state = page.evaluate(FOCUS_STATE)
            if state["ring"] is None:
                unmarked.append(state)
            page.keyboard.press("Tab")
        assert unmarked == []
    finally:
        page.close()
