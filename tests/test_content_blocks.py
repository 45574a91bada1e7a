"""Skipping block tests that cannot succeed leaves Python-Markdown's output unchanged."""

from __future__ import annotations

from conftest import pelican_markdown_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import Markdown, blockprocessors
from markdown.extensions import Extension
from newsdesk_content.blocks import skip_impossible_block_tests
from newsdesk_content.inline import skip_impossible_inline_patterns


def _plain(text: str, **markdown: object) -> str:
    """Python-Markdown's own output: a fresh converter, nothing skipped."""
    return Markdown(**(markdown or pelican_markdown_settings())).convert(text)


def _skipping(text: str, **markdown: object) -> str:
    """What the build's converter does: block tests and inline patterns skipped."""
    md = Markdown(**(markdown or pelican_markdown_settings()))
    assert skip_impossible_block_tests(md) == 8
    assert skip_impossible_inline_patterns(md)
    return md.convert(text)


# Pieces of Markdown that reach every block processor (headings of both kinds, rules,
# quotes, lists, code, definitions, footnotes, abbreviations, references, tables, raw
# HTML) and the characters each one needs, alone, out of place or at a line's start.
FRAGMENTS = [
    *("word", "Other words", " ", "    ", "\n", "\n\n", "\t", "1. ", "- ", "* ", "+ "),
    *("#", "# ", "## Heading", "Title #", "\n=", "\n===", "\n-", "\n---", "==", "--"),
    *("***", "* * *", "___", "_ _ _", "- - -", "-", "_", "*", "**"),
    *(">", "> ", "> quoted", ">>", "a > b"),
    *(":", ": ", ":   def", "Term\n: Definition", "a: b"),
    *("[^1]", "[^1]: A note.", "\n[^x]: Other.", "[^", "]:", "*[", "*[NATO]: Alliance", "NATO"),
    *("[r]: /ref", '[r]: /ref "Title"', "[r]", "[a][r]", "[", "]"),
    *("| a | b |", "|---|---|", "|", "a | b", "--- | ---"),
    *("```", "```\ncode\n```", "~~~", "`x`", "<div>", "</div>", "<p>x</p>", "<!-- c -->"),
]
markdown_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(markdown_texts)
def test_generated_markdown_blocks_come_out_as_python_markdown_makes_them(text: str):
    assert _skipping(text) == _plain(text)


class _OwnQuote(blockprocessors.BlockQuoteProcessor):
    """An extension's quote processor: it takes blocks starting with "|>" too."""

    def test(self, parent, block):
        return block.startswith("|>") or super().test(parent, block)

    def run(self, parent, blocks):
        blocks[0] = blocks[0].replace("|>", ">", 1)
        return super().run(parent, blocks)


class _OwnQuoteExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.parser.blockprocessors.register(_OwnQuote(md.parser), "quote", 20)


def test_a_processor_an_extension_put_in_place_of_python_markdowns_is_always_asked():
    settings = {"extensions": [_OwnQuoteExtension()]}
    md = Markdown(**settings)
    # hashheader, setextheader, hr and reference; quote is the extension's: kept.
    assert skip_impossible_block_tests(md) == 4
    assert "test" not in vars(md.parser.blockprocessors["quote"])
    text = "|> Quoted by the extension's own sign."
    assert "<blockquote>" in _plain(text, **settings)
    assert _skipping_only_blocks(text, **settings) == _plain(text, **settings)


def _skipping_only_blocks(text: str, **markdown: object) -> str:
    md = Markdown(**markdown)
    skip_impossible_block_tests(md)
    return md.convert(text)


class _CountingPattern:
    """A compiled expression that notes each search and match made with it."""

    def __init__(self, pattern, name: str, calls: list[str]) -> None:
        self._pattern, self._name, self._calls = pattern, name, calls

    def search(self, *args, **kwargs):
        self._calls.append(self._name)
        return self._pattern.search(*args, **kwargs)

    def match(self, *args, **kwargs):
        self._calls.append(self._name)
        return self._pattern.match(*args, **kwargs)

    def __getattr__(self, attribute):
        return getattr(self._pattern, attribute)


def test_a_plain_paragraph_is_not_searched_by_the_skipped_processors(monkeypatch):
    plain = "A plain sentence with no markup, only words and a comma, then an end."
    marked = "Words # and > and: and [^1] and *[ and ]: and\n- - -"
    expected = {text: _plain(text) for text in (plain, marked)}
    md = Markdown(**pelican_markdown_settings())
    assert skip_impossible_block_tests(md) == 8
    calls: list[str] = []
    for name in ("hashheader", "setextheader", "hr", "quote", "reference", "deflist"):
        kind = type(md.parser.blockprocessors[name])
        attribute = "SEARCH_RE" if name == "hr" else "RE"
        counting = _CountingPattern(getattr(kind, attribute), name, calls)
        monkeypatch.setattr(kind, attribute, counting)
    for name in ("footnote", "abbr"):
        processor = md.parser.blockprocessors[name]
        monkeypatch.setattr(processor, "RE", _CountingPattern(processor.RE, name, calls))

    assert md.convert(plain) == expected[plain]
    assert calls == []

    md.reset()
    assert md.convert(marked) == expected[marked]
    assert {"hashheader", "setextheader", "hr", "quote", "reference", "deflist"} <= set(calls)
    assert {"footnote", "abbr"} <= set(calls)
