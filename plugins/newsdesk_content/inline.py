"""Python-Markdown's inline stage, without trying patterns that cannot match.

Python-Markdown tries each of its fourteen inline patterns on every run of text
(about 160 tries per benchmark body), each try a Python call that runs the
pattern's regular expression from the current position. Most patterns can only
match text holding one particular character: a link needs "[", inline HTML and
autolinks "<", an entity "&", an escape a backslash, a code span a backtick, a
hard line break two spaces and a newline. When the text holds none of it, the
try is bound to fail, so it is skipped: the output is the same, byte for byte
(compared with Python-Markdown on every demo article, synthetic bodies and
generated text in `tests/test_content_inline.py`), and a body renders in about
two fifths of the time.

Only patterns that are exactly Python-Markdown's own (their class and regular
expression) are ever skipped; any other pattern (an extension's, or one an
extension replaced) is always tried, as is the emphasis processor, which keeps
state between tries.
"""

from __future__ import annotations

from markdown import Markdown, inlinepatterns, treeprocessors, util
from markdown.extensions import footnotes

#: Pattern name -> (its class, its regular expression, text it cannot match without).
_KNOWN_PATTERNS: dict[str, tuple[type, str, str]] = {
    "backtick": (inlinepatterns.BacktickInlineProcessor, inlinepatterns.BACKTICK_RE, "`"),
    "escape": (inlinepatterns.EscapeInlineProcessor, inlinepatterns.ESCAPE_RE, "\\"),
    "reference": (inlinepatterns.ReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, "["),
    "link": (inlinepatterns.LinkInlineProcessor, inlinepatterns.LINK_RE, "["),
    "image_link": (inlinepatterns.ImageInlineProcessor, inlinepatterns.IMAGE_LINK_RE, "!["),
    "image_reference": (
        inlinepatterns.ImageReferenceInlineProcessor,
        inlinepatterns.IMAGE_REFERENCE_RE,
        "![",
    ),
    "short_reference": (
        inlinepatterns.ShortReferenceInlineProcessor,
        inlinepatterns.REFERENCE_RE,
        "[",
    ),
    "short_image_ref": (
        inlinepatterns.ShortImageReferenceInlineProcessor,
        inlinepatterns.IMAGE_REFERENCE_RE,
        "![",
    ),
    "autolink": (inlinepatterns.AutolinkInlineProcessor, inlinepatterns.AUTOLINK_RE, "<"),
    "automail": (inlinepatterns.AutomailInlineProcessor, inlinepatterns.AUTOMAIL_RE, "<"),
    "linebreak": (
        inlinepatterns.SubstituteTagInlineProcessor,
        inlinepatterns.LINE_BREAK_RE,
        "  \n",
    ),
    "html": (inlinepatterns.HtmlInlineProcessor, inlinepatterns.HTML_RE, "<"),
    "entity": (inlinepatterns.HtmlInlineProcessor, inlinepatterns.ENTITY_RE, "&"),
    "footnote": (footnotes.FootnoteInlineProcessor, r"\[\^([^\]]*)\]", "[^"),
}


def skip_impossible_inline_patterns(md: Markdown) -> bool:
    """Make `md` skip inline patterns that cannot match a text; True if installed.

    Replaces, on this converter's inline treeprocessor only, Python-Markdown's
    loop over the patterns (`InlineProcessor.__handleInline`) by the same loop
    with the skip. Nothing is changed when that treeprocessor is not
    Python-Markdown's own.
    """
    # A Registry, not a dict: it has no get().
    processor = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None  # noqa: SIM401
    if type(processor) is not treeprocessors.InlineProcessor:
        return False
    apply_pattern = getattr(processor, "_InlineProcessor__applyPattern", None)
    if apply_pattern is None or not hasattr(processor, "_InlineProcessor__handleInline"):
        return False
    patterns = processor.inlinePatterns
    # By the pattern object (kept, so that its id stays its own): what it needs.
    needed: dict[int, tuple[object, str]] = {}
    for name, (kind, expression, text) in _KNOWN_PATTERNS.items():
        if name in patterns:
            pattern = patterns[name]
            if type(pattern) is kind and getattr(pattern, "pattern", None) == expression:
                needed[id(pattern)] = (pattern, text)

    def handle_inline(data: str, pattern_index: int = 0) -> str:
        # Python-Markdown's loop, plus the skip. A skipped pattern is one whose
        # try would have failed: the loop then moves on from the start of the text.
        if not isinstance(data, util.AtomicString):
            start = 0
            count = len(patterns)
            while pattern_index < count:
                pattern = patterns[pattern_index]
                known = needed.get(id(pattern))
                if known is not None and known[0] is pattern and known[1] not in data:
                    pattern_index += 1
                    start = 0
                    continue
                data, matched, start = apply_pattern(pattern, data, pattern_index, start)
                if not matched:
                    pattern_index += 1
        return data

    processor._InlineProcessor__handleInline = handle_inline
    return True
