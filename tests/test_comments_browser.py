"""Comments in headless Chromium: a reader fills "Leave a Reply" on a page served with Isso running.

The article page is served on 127.0.0.1 and its Isso URL points at the test's own
Isso server (whose CORS origin is that page's origin). With moderation on the new
comment shows as awaiting moderation; with it off, as published. The static
comments give way to the live thread without any comment showing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import CHROMIUM, chromium, serve_folder
from conftest import REPO, article_source, make_fixture_site
from test_comments_isso import IssoServer, running_isso

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium (make test installs it)"
    ),
]

ARTICLE = "2025/05/reply-form/"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def served_output(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served on 127.0.0.1 (built into later) and its base URL."""
    output = tmp_path / "site" / "output"
    output.mkdir(parents=True)
    with serve_folder(output) as url:
        yield output, url


def build_article(root: Path, isso: IssoServer) -> None:
    """Build a one-article site whose page embeds the test's Isso and reads its database."""
    site = make_fixture_site(root, COMMENTS_ISSO_URL=isso.url, COMMENTS_ISSO_DB=str(isso.database))
    site.add("articles/2025/reply-form.md", article_source("Reply form", date="2025-05-02 09:00"))
    site.build().check()


def fill_and_submit(page, text: str) -> None:
    """Fill the reply form through its labels and post it."""
    form = page.locator("#isso-thread > .isso-postbox")
    form.wait_for(timeout=TIMEOUT_MS)
    form.get_by_role("textbox", name="Comment", exact=True).fill(text)
    form.get_by_role("textbox", name="Name", exact=True).fill("Sona Petrosyan")
    form.get_by_role("textbox", name="Email", exact=True).fill("sona@example.org")
    form.get_by_role("textbox", name="Website", exact=True).fill("https://sona.example")
    form.get_by_role("button", name="Post Comment").click()


def test_reply_under_moderation_shows_as_awaiting_approval(
    browser, served_output: tuple[Path, str], tmp_path: Path
) -> None:
    output, site_url = served_output
    with running_isso(tmp_path / "isso", moderated=True, origins=[site_url]) as isso:
        build_article(output.parent, isso)
        page = browser.new_page()
        try:
            page.goto(f"{site_url}/{ARTICLE}")
            page.wait_for_function(
                "document.querySelector('[data-comments-count]').textContent.trim() !== ''",
                timeout=TIMEOUT_MS,
            )
            assert page.locator("[data-comments-count]").inner_text() == "No comments yet"
            # "Leave a Reply" and its note come right before the form, required fields marked.
            assert page.locator("#isso-thread > [data-comments-respond] + .isso-postbox").count()
            assert (
                "Your email address will not be published."
                in page.locator("[data-comments-respond]").inner_text()
            )
            form = page.locator("#isso-thread > .isso-postbox")
            form.wait_for(timeout=TIMEOUT_MS)
            for label in ("Comment", "Name", "Email"):
                field = form.get_by_role("textbox", name=label, exact=True)
                assert field.evaluate("element => element.required"), label
            assert not form.get_by_role("textbox", name="Website", exact=True).evaluate(
                "element => element.required"
            )
            assert form.locator("label .comments__required").count() == 3

            fill_and_submit(page, "Thank you for this report from Gyumri.")
            posted = page.locator("#isso-root .isso-comment", has_text="report from Gyumri")
            posted.wait_for(timeout=TIMEOUT_MS)
            assert "Your comment is awaiting moderation." in posted.inner_text()
            assert posted.locator(".isso-author").inner_text() == "Sona Petrosyan"
        finally:
            page.close()
        assert isso.public_comments(f"/{ARTICLE}") == []  # nobody else sees it yet


def test_reply_without_moderation_is_published_and_no_comment_shows_twice(
    browser, served_output: tuple[Path, str], tmp_path: Path
) -> None:
    output, site_url = served_output
    with running_isso(tmp_path / "isso", moderated=False, origins=[site_url]) as isso:
        isso.post(f"/{ARTICLE}", "An earlier comment, already in the static page.", "Hayk")
        build_article(output.parent, isso)

        # Without JavaScript: the static comment and its count.
        context = browser.new_context(java_script_enabled=False)
        static_page = context.new_page()
        static_page.goto(f"{site_url}/{ARTICLE}")
        assert static_page.locator("[data-comments-count]").inner_text() == "1 comment"
        assert static_page.locator("[data-comments-static] .comment").count() == 1
        assert static_page.get_by_role("heading", name="Leave a Reply").is_visible()
        assert static_page.locator(".isso-postbox").count() == 0
        context.close()

        page = browser.new_page()
        try:
            page.goto(f"{site_url}/{ARTICLE}")
            page.locator("#isso-root .isso-comment", has_text="An earlier comment").wait_for(
                timeout=TIMEOUT_MS
            )
            page.wait_for_function(
                "document.querySelector('[data-comments-static]') === null", timeout=TIMEOUT_MS
            )
            assert page.get_by_text("An earlier comment, already in the static page.").count() == 1
            assert page.locator("[data-comments-count]").inner_text() == "1 comment"
            # Comments come before "Leave a Reply" and the form.
            order = page.evaluate(
                """() => Array.from(document.querySelectorAll(
                    '#isso-root, [data-comments-respond], #isso-thread > .isso-postbox'
                )).map(element => element.id || element.className)"""
            )
            assert order == ["isso-root", "respond", "isso-postbox"]

            fill_and_submit(page, "Published straight away: no moderation here.")
            posted = page.locator("#isso-root .isso-comment", has_text="Published straight away")
            posted.wait_for(timeout=TIMEOUT_MS)
            assert "awaiting moderation" not in posted.inner_text()
            assert page.locator("#isso-root .isso-comment").count() == 2
        finally:
            page.close()
        texts = [comment["text"] for comment in isso.public_comments(f"/{ARTICLE}")]
        assert any("Published straight away" in text for text in texts)


def test_live_thread_and_reply_form_pass_axe(
    browser, served_output: tuple[Path, str], tmp_path: Path
) -> None:
    output, site_url = served_output
    with running_isso(tmp_path / "isso", moderated=False, origins=[site_url]) as isso:
        first = isso.post(f"/{ARTICLE}", "A comment with a [link](https://example.org).", "Hayk")
        isso.post(f"/{ARTICLE}", "A reply.", "Ani", parent=first["id"])
        build_article(output.parent, isso)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto(f"{site_url}/{ARTICLE}")
            page.wait_for_function(
                "document.querySelector('[data-comments-static]') === null", timeout=TIMEOUT_MS
            )
            page.locator("#isso-thread > .isso-postbox").wait_for(timeout=TIMEOUT_MS)
            page.add_script_tag(path=str(AXE))
            results = page.evaluate(
                """tags => axe.run(['#comments', '#newsletter'].filter(
                    selector => document.querySelector(selector)
                ), {runOnly: {type: 'tag', values: tags}})""",
                WCAG_TAGS,
            )
            assert results["passes"], "axe ran no checks"
            violations = [
                f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in results["violations"]
            ]
            assert violations == []
        finally:
            page.close()


def assert_comments_unavailable_with_the_static_comment(page) -> None:
    """The note shows instead of "Leave a Reply"; the one static comment and its count stay."""
    note = page.locator("[data-comments-unavailable]")
    note.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert note.inner_text() == "Comments are unavailable right now."
    assert not page.get_by_role("heading", name="Leave a Reply").is_visible()
    assert page.locator("[data-comments-static] .comment").count() == 1
    assert page.get_by_text("A comment kept in the static page.").is_visible()
    assert page.locator("[data-comments-count]").inner_text() == "1 comment"


def test_unreachable_isso_keeps_the_static_comments_and_says_so(
    browser, served_output: tuple[Path, str], tmp_path: Path
) -> None:
    output, site_url = served_output
    with running_isso(tmp_path / "isso", moderated=False, origins=[site_url]) as isso:
        isso.post(f"/{ARTICLE}", "A comment kept in the static page.", "Hayk")
    # Isso has stopped: the page's client script and API address refuse connections.
    build_article(output.parent, isso)
    page = browser.new_page()
    try:
        page.goto(f"{site_url}/{ARTICLE}")
        assert_comments_unavailable_with_the_static_comment(page)
        assert not page.get_by_text("Your email address will not be published.").is_visible()
    finally:
        page.close()


def test_isso_refusing_the_site_origin_hides_the_form_and_says_so(
    browser, served_output: tuple[Path, str], tmp_path: Path
) -> None:
    output, site_url = served_output
    # Isso runs and serves its client script, but its CORS setting allows another
    # origin: every API call from the page fails.
    with running_isso(
        tmp_path / "isso", moderated=False, origins=["https://elsewhere.example"]
    ) as isso:
        isso.post(f"/{ARTICLE}", "A comment kept in the static page.", "Hayk")
        build_article(output.parent, isso)
        page = browser.new_page()
        try:
            page.goto(f"{site_url}/{ARTICLE}")
            assert_comments_unavailable_with_the_static_comment(page)
            assert not page.get_by_role("button", name="Post Comment").is_visible()
        finally:
            page.close()
