"""Archive search in headless Chromium against the built demo site served on 127.0.0.1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import CHROMIUM, serve_folder
from conftest import REPO, demo_settings, run_build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium (make test installs it)"
    ),
]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: A word in exactly one published demo article, and the article's URL.
ONE_ARTICLE_WORD = "Zangezur"
ONE_ARTICLE_URL = "/2025/09/meghri-iran-crossing-truck-traffic/"
#: A word that occurs only in a draft.
DRAFT_ONLY_WORD = "Quillbrook"


def sources_containing(word: str) -> list[Path]:
    """The demo article sources that contain a word."""
    articles = sorted((REPO / "content" / "articles").rglob("*.md"))
    return [path for path in articles if word.casefold() in path.read_text("utf-8").casefold()]


def is_draft(path: Path) -> bool:
    """Tell whether an article source is a draft."""
    return re.search(r"(?im)^status:\s*draft\s*$", path.read_text("utf-8")) is not None


#: Articles per index part in these tests: the demo's 42 articles make 5 parts,
#: so every search runs over merged parts as a large archive's does.
PART_SIZE = 10


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo site, its search index in parts of PART_SIZE articles, served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("demo-parts")
    settings = demo_settings(folder, NEWSDESK_SEARCH_PART_SIZE=PART_SIZE)
    output = folder / "output"
    run_build(settings, output).check()
    with serve_folder(output) as url:
        yield url


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh tab; fails the test on any script error."""
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    tab.close()
    assert errors == []


def wait_for_status(page, containing: str = "") -> str:
    """Wait until the live region announces an outcome (mentioning a text); return it."""
    page.wait_for_function(
        """text => {
            const status = document.querySelector('#search-status').textContent.trim();
            return status.length > 0 && status.includes(text);
        }""",
        arg=containing,
    )
    return page.inner_text("#search-status")


def result_links(page) -> list[str]:
    """The URL paths of the listed results, in order."""
    return page.eval_on_selector_all(
        "#search-results .search-result__link", "links => links.map(a => a.pathname)"
    )


def test_demo_content_has_the_words_the_tests_rely_on() -> None:
    one = sources_containing(ONE_ARTICLE_WORD)
    assert len(one) == 1 and not is_draft(one[0]), one
    draft = sources_containing(DRAFT_ONLY_WORD)
    assert draft and all(is_draft(path) for path in draft), draft


def test_typing_a_word_from_one_article_shows_that_article_first(page, site_url: str) -> None:
    page.goto(site_url + "/search/")
    page.locator("#search-query").press_sequentially(ONE_ARTICLE_WORD.lower())
    status = wait_for_status(page, f"\u201c{ONE_ARTICLE_WORD.lower()}\u201d")
    assert status.startswith("1 story found for")
    assert result_links(page)[0] == ONE_ARTICLE_URL
    first = page.locator(".search-result").first
    assert first.locator("mark").first.inner_text().casefold() == ONE_ARTICLE_WORD.casefold()
    assert first.locator("time").get_attribute("datetime") == "2025-09-16"
    assert first.locator(".search-result__section").inner_text().casefold() == "region"
    assert "q=zangezur" in page.url


def test_search_address_runs_the_search_on_load(page, site_url: str) -> None:
    page.goto(f"{site_url}/search/?q={ONE_ARTICLE_WORD}")
    wait_for_status(page)
    assert page.input_value("#search-query") == ONE_ARTICLE_WORD
    assert result_links(page)[0] == ONE_ARTICLE_URL


def test_header_search_box_leads_to_the_search_page_results(page, site_url: str) -> None:
    page.goto(site_url + "/")
    page.fill("#search-box-query", ONE_ARTICLE_WORD)
    page.press("#search-box-query", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Zangezur$"))
    wait_for_status(page)
    assert result_links(page)[0] == ONE_ARTICLE_URL


def test_section_filter_narrows_results_to_that_section(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=armenia")
    everything = wait_for_status(page)
    total = int(everything.split()[0])
    page.select_option("#search-section", "Culture")
    page.wait_for_function(
        "document.querySelector('#search-status').textContent.includes('in Culture')"
    )
    narrowed = int(page.inner_text("#search-status").split()[0])
    assert 0 < narrowed < total
    sections = page.eval_on_selector_all(
        ".search-result__section", "spans => spans.map(s => s.textContent)"
    )
    assert sections and set(sections) == {"Culture"}
    assert "section=Culture" in page.url


def headline_tail_words(excerpt: list[str], title: list[str]) -> int:
    """How many of the excerpt's first words are the headline's last ones (0: none, or one)."""
    for start in range(len(title)):
        count = len(title) - start
        if count < 2 and start > 0:
            break
        head = excerpt[:count]
        if head[:-1] == title[start:-1] and head[-1:] in ([title[-1]], [title[-1] + "."]):
            return count
    return 0


@pytest.mark.parametrize("word", ["budget", "treaty"])
def test_excerpts_highlight_a_match_without_repeating_the_headline(
    page, site_url: str, word: str
) -> None:
    # "budget": the excerpt of "Parliament adopts 2025 budget ..." used to start
    # inside its headline; "treaty": a result whose only match is in the headline
    # keeps it, highlighted.
    page.goto(f"{site_url}/search/?q={word}")
    wait_for_status(page)
    results = page.locator(".search-result").all()
    assert len(results) > 1
    for result in results:
        title = result.locator(".search-result__link").inner_text().split()
        # The excerpt's text and where each highlighted match starts in it.
        text, mark_starts = result.locator(".search-result__excerpt").evaluate(
            """excerpt => {
                const starts = [];
                let length = 0;
                for (const node of excerpt.childNodes) {
                    if (node.nodeName === "MARK") starts.push(length);
                    length += node.textContent.length;
                }
                return [excerpt.textContent, starts];
            }"""
        )
        assert mark_starts, f"no highlighted match in the excerpt under {title}"
        repeated = headline_tail_words(text.split(), title)
        if repeated:
            # Kept only because the headline holds the excerpt's only matches.
            headline_end = [m.end() for m in re.finditer(r"\S+", text)][repeated - 1]
            assert max(mark_starts) < headline_end, f"the excerpt under {title} repeats it"


def test_newest_first_orders_results_by_date(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=armenia&sort=newest")
    wait_for_status(page)
    days = page.eval_on_selector_all(
        ".search-result time", "times => times.map(t => t.getAttribute('datetime'))"
    )
    assert len(days) > 1
    assert days == sorted(days, reverse=True)


def all_results(page) -> list[str]:
    """Press "More results" until every result is listed; return their dates (datetime)."""
    while page.is_visible(".search-more"):
        shown = page.locator(".search-result").count()
        page.click(".search-more")
        page.wait_for_function(
            "n => document.querySelectorAll('.search-result').length > n", arg=shown
        )
    return page.eval_on_selector_all(
        ".search-result time", "times => times.map(t => t.getAttribute('datetime'))"
    )


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_date_order_holds_across_the_index_parts(page, site_url: str, order: str) -> None:
    page.goto(site_url + "/search/?q=armenia")
    best_match = wait_for_status(page)
    page.goto(f"{site_url}/search/?q=armenia&sort={order}")
    assert wait_for_status(page) == best_match  # the same stories, in another order
    days = all_results(page)
    assert len(days) == int(best_match.split()[0])
    assert len(days) > PART_SIZE, "the demo's matches should span parts"
    assert days == sorted(days, reverse=order == "newest")


#: A word in one index part only, while the other parts hold a word it starts with
#: ("can"): Pagefind alone would answer for "can" in those parts.
ONE_PART_WORD = "canyon"


def test_a_word_in_one_part_finds_only_the_stories_that_contain_it(page, site_url: str) -> None:
    page.goto(f"{site_url}/search/?q={ONE_PART_WORD}")
    status = wait_for_status(page)
    all_results(page)
    marked = page.eval_on_selector_all(
        ".search-result__excerpt",
        "excerpts => excerpts.map(e => [...e.querySelectorAll('mark')].map(m => m.textContent))",
    )
    expected = [path for path in sources_containing(ONE_PART_WORD) if not is_draft(path)]
    assert status.startswith(f"{len(expected)} stor"), status
    assert marked and all(
        any(word.casefold().startswith(ONE_PART_WORD) for word in words) for words in marked
    )


def test_the_search_code_loads_once_for_every_index_part(page, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(site_url + "/search/?q=armenia")
    wait_for_status(page)
    parts = page.get_attribute("[data-search-bundle]", "data-search-parts").split()
    assert parts == ["4", "3", "2", "1", "0"]
    scripts = [path for path in requested if path.endswith("/pagefind.js")]
    assert scripts == [f"/pagefind/{parts[0]}/pagefind.js"]
    assert len([path for path in requested if "/wasm." in path]) == 1
    for part in parts:
        assert f"/pagefind/{part}/pagefind-entry.json" in requested


def test_a_word_only_in_a_draft_finds_nothing(page, site_url: str) -> None:
    page.goto(f"{site_url}/search/?q={DRAFT_ONLY_WORD}")
    assert wait_for_status(page) == f"No stories found for \u201c{DRAFT_ONLY_WORD}\u201d."
    assert result_links(page) == []


def test_results_are_reachable_and_opened_with_the_keyboard_alone(page, site_url: str) -> None:
    page.goto(site_url + "/search/")
    page.focus("#search-query")
    page.keyboard.type(ONE_ARTICLE_WORD)
    page.keyboard.press("Enter")
    wait_for_status(page)
    focused = []
    for _ in range(6):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if page.evaluate("document.activeElement.matches('.search-result__link')"):
            break
    else:
        pytest.fail(f"Tab never reached the first result: {focused}")
    assert page.evaluate("document.activeElement.pathname") == ONE_ARTICLE_URL
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + ONE_ARTICLE_URL)


def test_more_results_button_adds_results_and_moves_focus_to_them(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=a")
    wait_for_status(page)
    before = len(result_links(page))
    more = page.locator(".search-more")
    if not more.is_visible():
        pytest.skip("the demo has too few matches to need a second page of results")
    more.click()
    page.wait_for_function(f"document.querySelectorAll('.search-result').length > {before}")
    assert page.evaluate("document.activeElement.closest('.search-result') !== null")
    assert page.evaluate(
        f"document.activeElement === document.querySelectorAll('.search-result__link')[{before}]"
    )


def test_search_page_with_results_has_no_wcag_21_aa_violations(page, site_url: str) -> None:
    if not AXE.exists():
        pytest.skip("needs node_modules/axe-core (make test installs it)")
    page.goto(f"{site_url}/search/?q={ONE_ARTICLE_WORD}")
    wait_for_status(page)
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert results["passes"], "axe ran no checks"
    assert [v["id"] for v in results["violations"]] == []


def test_without_javascript_the_search_page_offers_the_archives(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "/")
        assert page.get_attribute("header form[role=search]", "action") == "/search/"
        page.fill("#search-box-query", ONE_ARTICLE_WORD)
        page.press("#search-box-query", "Enter")
        page.wait_for_url(re.compile(r"/search/\?q=Zangezur$"))
        assert not page.locator(".search-form").is_visible()
        link = page.get_by_role("link", name="the archives")
        assert link.is_visible()
        link.click()
        page.wait_for_url(site_url + "/archives/")
    finally:
        context.close()
