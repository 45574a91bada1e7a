"""Python-Markdown's block stage, without tests that cannot succeed.

For each block of a text (a paragraph, mostly), Python-Markdown asks its block
processors in turn whether the block is theirs: sixteen tests per paragraph with
the default extensions, several of which run a regular expression over the whole
block. A heading needs "#", a quote ">", a definition ":", a footnote "[^", an
abbreviation "*[", a link reference "]:", a setext heading a line starting "="
or "-" after the first, a rule "-", "_" or "*". When the block holds none of
it, the test is bound to fail (or, for the processors whose test always passes,
their run to put the block back and pass), so the block goes to the next
processor at once: the output is the same, byte for byte (compared with
Python-Markdown on every demo article, synthetic bodies and generated text in
`tests/test_content_blocks.py`).

Only processors that are exactly Python-Markdown's own (their class and regular
expression, under their usual name) are ever skipped; any other is always asked.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown import Markdown, blockprocessors
from markdown.extensions import abbr, def_list, footnotes

#: Processor name -> (its class, the attribute holding its expression, texts of which
#: the block must hold one for the processor to take it).
_KNOWN_PROCESSORS: dict[str, tuple[type, str, tuple[str, ...]]] = {
    "hashheader": (blockprocessors.HashHeaderProcessor, "RE", ("#",)),
    "setextheader": (blockprocessors.SetextHeaderProcessor, "RE", ("\n=", "\n-")),
    "hr": (blockprocessors.HRProcessor, "SEARCH_RE", ("-", "_", "*")),
    "quote": (blockprocessors.BlockQuoteProcessor, "RE", (">",)),
    "reference": (blockprocessors.ReferenceProcessor, "RE", ("]:",)),
    "deflist": (def_list.DefListProcessor, "RE", (":",)),
    "footnote": (footnotes.FootnoteBlockProcessor, "RE", ("[^",)),
    "abbr": (abbr.AbbrBlockprocessor, "RE", ("*[",)),
}

BlockTest = Callable[[object, str], bool]


def skip_impossible_block_tests(md: Markdown) -> int:
    """Make `md`'s own block processors decline at once a block they cannot take.

    Replaces, on this converter's processors only, each known processor's
    `test` by one that first looks for the text the processor needs. Returns
    how many processors were changed.
    """
    processors = md.parser.blockprocessors
    changed = 0
    for name, (kind, attribute, needs) in _KNOWN_PROCESSORS.items():
        if name not in processors:
            continue
        processor = processors[name]
        if type(processor) is not kind or "test" in vars(processor):
            continue
        if getattr(processor, attribute, None) is not getattr(kind, attribute):
            continue
        processor.test = _needing(processor.test, needs)
        changed += 1
    return changed


def _needing(test: BlockTest, needs: tuple[str, ...]) -> BlockTest:
    """`test`, asked only for a block holding one of `needs`; False for any other."""

    def needing(parent: object, block: str) -> bool:
        for text in needs:
            if text in block:
                return test(parent, block)
        return False

    return needing
