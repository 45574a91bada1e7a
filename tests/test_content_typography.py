"""Our typesetter gives typogrify's output byte for byte, on real bodies and on generated HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
import smartypants as smartypants_library
from conftest import pelican_markdown_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from newsdesk_content.reader import markdown_converter
from newsdesk_content.source import decode_source, parse_header
from newsdesk_content.synthetic import generate_archive
from newsdesk_content.typography import initial_quotes, smartypants, typeset_html, widont
from typogrify.filters import initial_quotes as typogrify_initial_quotes
from typogrify.filters import typogrify
from typogrify.filters import widont as typogrify_widont

REPO = Path(__file__).resolve().parent.parent
# Longer than the tail in which widont looks for a block's last space first.
LONG_WORD = "https://example.org/" + "segment/" * 10
LONG_TAG = f'<a href="/{"long-path-" * 10}">'


def _bodies(paths: list[Path]) -> list[str]:
    markdown = pelican_markdown_settings()
    return [
        markdown_converter(markdown).convert(parse_header(decode_source(p.read_bytes())).body)
        for p in paths
    ]


def test_every_demo_article_is_typeset_as_typogrify_does():
    paths = sorted((REPO / "content").rglob("*.md"))
    assert len(paths) > 40
    for path, body in zip(paths, _bodies(paths), strict=True):
        assert typeset_html(body) == typogrify(body), path


def test_synthetic_bodies_are_typeset_as_typogrify_does(tmp_path):
    paths = generate_archive(tmp_path / "archive", 300, seed=7)
    for path, body in zip(paths, _bodies(paths), strict=True):
        assert typeset_html(body) == typogrify(body), path


def test_a_reused_markdown_converter_forgets_the_previous_text():
    markdown = pelican_markdown_settings()
    first = markdown_converter(markdown).convert("Text[^1]\n\n[^1]: Note.\n\n*[NATO]: Alliance")
    again = markdown_converter(markdown).convert("Plain NATO text.")
    assert "footnote" in first
    assert "footnote" not in again
    assert "<abbr" not in again


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>A short line of text</p>", "<p>A short line of&nbsp;text</p>"),
        ("<li>One <em>two three</em></li>", "<li>One <em>two&nbsp;three</em></li>"),
        ("<p>Single</p>", "<p>Single</p>"),
        ("<pre>Not in preformatted text</pre>", "<pre>Not in preformatted text</pre>"),
        ("no tags at all", "no tags at&nbsp;all"),
        (f"<p>See {LONG_WORD}</p>", f"<p>See&nbsp;{LONG_WORD}</p>"),
        (f"<p>Read{LONG_TAG} this</a></p>", f"<p>Read{LONG_TAG}&nbsp;this</a></p>"),
        # A closing block tag inside a tag left open, or inside an attribute.
        ("<p><a </p> word", "<p><a </p>&nbsp;word"),
        ('<p><img alt="a</p> b</p>"></p>', '<p><img alt="a</p>&nbsp;b</p>"></p>'),
    ],
)
def test_widont_joins_a_blocks_last_two_words(html, expected):
    assert widont(html) == expected == typogrify_widont(html)


def test_smartypants_follows_the_librarys_defaults_when_someone_changes_them(monkeypatch):
    attr = smartypants_library.Attr
    monkeypatch.setattr(attr, "default", attr.set2 | attr.w)
    text = "<p>&quot;no&quot; --- twice</p>"
    assert (
        smartypants(text)
        == smartypants_library.smartypants(text)
        == ("<p>&#8220;no&#8221; &#8212; twice</p>")
    )


def test_smartypants_curls_quotes_dashes_and_ellipses_but_not_in_code():
    html = '<p>"It\'s the \'80s" -- wait...</p><code>"raw" -- ...</code>'
    assert smartypants(html) == (
        "<p>&#8220;It&#8217;s the &#8216;80s&#8221; &#8212; wait&#8230;</p>"
        '<code>"raw" -- ...</code>'
    )
    assert smartypants(html) == smartypants_library.smartypants(html)


# Pieces of HTML that exercise every rule: block and inline tags (with attributes, spaces
# in them, a closing block tag inside one, one longer than widont's first look), skipped
# elements, comments, quotes, backticks, dashes, ellipses, escapes, entities, ampersands,
# capitals, long words and spaces.
FRAGMENTS = [
    *("<p>", "</p>", "<li>", "</li>", "<h2>", "</h2>", "<dt>", "</dt>", "<dd>", "</dd>"),
    *("<ul>", "</ul>", "<div>", "</div>", "<blockquote>", "</blockquote>", "<P>", "</P>"),
    *("<em>", "</em>", "<strong>", "</strong>", "<b>", "</b>", "<i>", "</i>", "<br>"),
    *('<a href="/x y">', "</a>", '<span class="c">', "</span>", '<img alt="a b">'),
    *('<a title="</p>">', '<abbr title="x">', "</abbr>", LONG_TAG, "<a ", '<img alt="a'),
    *('<p title="<li>">', "<link>", "<h7>", "<li", "&lsquo;", "&#8216;"),
    *("<pre>", "</pre>", "<code>", "</code>", "<kbd>", "</kbd>", "<script>", "</script>"),
    *("<samp>", "</samp>", "<tt>", "</tt>", "<!-- note -->", "<!-- a -- b -->"),
    *(" ", "  ", "\n", "\t", "&nbsp;", "&amp;", " & ", "&", "&#8220;", "&ldquo;", "&mdash;"),
    *("word", "Word", "longerword", LONG_WORD, "NATO", "U.S. ", "A.B.C.", "UN2K", "x", "1999"),
    "80s",
    *("'", '"', "`", "``", "''", "-", "--", "---", ".", "..", "...", ". . .", ",", "(", "!"),
    *("\\", "\\'", '\\"', "\\.", "\\-", "\\`", "\\\\"),
]
html_strings = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(html_strings)
def test_generated_html_is_typeset_as_typogrify_does(html):
    assert smartypants(html) == smartypants_library.smartypants(html)
    assert widont(html) == typogrify_widont(html)
    assert initial_quotes(html) == typogrify_initial_quotes(html)
    assert typeset_html(html) == typogrify(html)
