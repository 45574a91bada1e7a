"""Skipping inline patterns that cannot match leaves Python-Markdown's output unchanged."""

from __future__ import annotations

from pathlib import Path

from conftest import pelican_markdown_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.treeprocessors import InlineProcessor
from newsdesk_content.inline import skip_impossible_inline_patterns
from newsdesk_content.reader import markdown_converter
from newsdesk_content.source import decode_source, parse_header
from newsdesk_content.synthetic import generate_archive

REPO = Path(__file__).resolve().parent.parent


def _plain(text: str, **markdown: object) -> str:
    """Python-Markdown's own output: a fresh converter, nothing skipped."""
    md = Markdown(**(markdown or pelican_markdown_settings()))
    return md.convert(text)


def _skipping(text: str, **markdown: object) -> str:
    md = Markdown(**(markdown or pelican_markdown_settings()))
    assert skip_impossible_inline_patterns(md)
    return md.convert(text)


def _bodies(paths: list[Path]) -> list[str]:
    return [parse_header(decode_source(path.read_bytes())).body for path in paths]


def test_the_build_converter_skips_and_gives_python_markdowns_output_for_every_demo_article():
    paths = sorted((REPO / "content").rglob("*.md"))
    assert len(paths) > 40
    for path, body in zip(paths, _bodies(paths), strict=True):
        assert markdown_converter(pelican_markdown_settings()).convert(body) == _plain(body), path


def test_synthetic_bodies_come_out_as_python_markdown_makes_them(tmp_path: Path):
    paths = generate_archive(tmp_path / "archive", 300, seed=11)
    for path, body in zip(paths, _bodies(paths), strict=True):
        assert markdown_converter(pelican_markdown_settings()).convert(body) == _plain(body), path


# Pieces of Markdown that reach every inline pattern (code spans, escapes, links and
# references, images, autolinks, mail, line breaks, inline HTML, entities, emphasis,
# footnotes, abbreviations) and the characters each one needs, alone or out of place.
FRAGMENTS = [
    *("word", "Other", "NATO", " ", "  ", "\n", "  \n", "\n\n", "\t", "1.", "- ", "# "),
    *("`", "``", "`code`", "\\", "\\*", "\\[", "\\`", "\\<", "\\&", "\\\\"),
    *("[", "]", "(", ")", "[a](/b)", "[a][r]", "[r]", "[a]", "![", "![i](/i.png)", "![i][r]"),
    *("](", "](/u)", "][", "[x", '"t"', "(/p)"),
    *("\n\n[r]: /ref\n\n", "[^1]", "[^x]", "\n\n[^1]: A note.\n\n", "*[NATO]: Alliance\n"),
    *("<", ">", "<http://x.org/a>", "<me@x.org>", "<b>", "</b>", "<span class='c'>", "<!-- c -->"),
    *("&", "&amp;", "&#169;", "&copy;", "& ", "&x"),
    *("*", "**", "_", "__", "*em*", "**strong**", "_u_", "***"),
    *("{: #id }", "!", "^", "@", "'", '"', "--", ":"),
]
markdown_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(markdown_texts)
def test_generated_markdown_comes_out_as_python_markdown_makes_it(text: str):
    assert _skipping(text) == _plain(text)


class _ReplacingExtension(Extension):
    """Registers its own pattern under the name of one of Python-Markdown's."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()%%(.+?)%%", "del"), "entity", 80)


def test_a_pattern_an_extension_put_in_place_of_python_markdowns_is_always_tried():
    settings = {"extensions": [_ReplacingExtension()]}
    text = "Some %%struck%% text."
    assert "<del>struck</del>" in _plain(text, **settings)
    assert _skipping(text, **settings) == _plain(text, **settings)


def test_nothing_is_changed_when_the_inline_stage_is_not_python_markdowns():
    class OwnInline(InlineProcessor):
        pass

    md = Markdown()
    md.treeprocessors.register(OwnInline(md), "inline", 20)
    assert not skip_impossible_inline_patterns(md)
    assert "_InlineProcessor__handleInline" not in vars(md.treeprocessors["inline"])


def test_only_the_emphasis_processor_is_tried_on_a_paragraph_without_markup_characters():
    md = Markdown(**pelican_markdown_settings())
    processor = md.treeprocessors["inline"]
    apply = processor._InlineProcessor__applyPattern
    tried: list[str] = []

    def counting(pattern, data, index, start):
        tried.append(type(pattern).__name__)
        return apply(pattern, data, index, start)

    processor._InlineProcessor__applyPattern = counting
    assert skip_impossible_inline_patterns(md)
    html = md.convert("A plain sentence, with *one* emphasis.")
    assert "<em>one</em>" in html
    assert set(tried) == {"DelimiterProcessor"}
