"""The engine's reading: bodies rendered by worker processes and taken in reading order,
headers parsed once, translations found group by group."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from newsdesk_build.engine import (
    BodyCache,
    PreparedBodies,
    _process_translations_by_group,
    _reader_class,
)
from newsdesk_content.source import decode_source, parse_header
from pelican.log import LimitFilter
from pelican.utils import process_translations


def _rendered(bodies: list[str], fail_at: int | None = None) -> Iterator[str]:
    for index, body in enumerate(bodies):
        if index == fail_at:
            raise RuntimeError("a worker process died")
        yield f"<p>{body}</p>"


def test_a_body_is_waited_for_and_the_ones_before_it_are_kept(tmp_path: Path) -> None:
    cache = BodyCache(tmp_path / "bodies.pickle", load=False)
    bodies = PreparedBodies(
        {"k0": "<p>cached</p>"}, ["k1", "k2", "k3"], _rendered(["a", "b", "c"]), cache
    )

    assert bodies.get("k0") == "<p>cached</p>"
    assert bodies.get("k2") == "<p>b</p>"
    assert bodies.known["k1"] == "<p>a</p>"
    assert bodies.get("unknown") is None
    assert bodies.get("k3") == "<p>c</p>"
    bodies.finish()

    saved = pickle.loads((tmp_path / "bodies.pickle").read_bytes())
    assert saved == {"k1": "<p>a</p>", "k2": "<p>b</p>", "k3": "<p>c</p>"}


def test_bodies_nobody_asked_for_are_still_cached(tmp_path: Path) -> None:
    cache = BodyCache(tmp_path / "bodies.pickle", load=False)
    bodies = PreparedBodies({}, ["k1", "k2"], _rendered(["a", "b"]), cache)

    bodies.finish()

    assert set(pickle.loads((tmp_path / "bodies.pickle").read_bytes())) == {"k1", "k2"}


def test_after_a_worker_fails_the_reader_is_told_to_render_bodies_itself(tmp_path: Path) -> None:
    cache = BodyCache(tmp_path / "bodies.pickle", load=False)
    bodies = PreparedBodies({}, ["k1", "k2", "k3"], _rendered(["a", "b", "c"], fail_at=1), cache)

    assert bodies.get("k1") == "<p>a</p>"
    # None: the reader renders the body in Pelican's reading of its own file, so an
    # error it raises names that file.
    assert bodies.get("k2") is None
    assert bodies.get("k3") is None
    assert bodies.get("k1") == "<p>a</p>"
    bodies.finish()


def _reader_with_header_of(source: Path, text: str) -> tuple[object, dict, object]:
    """Write `text` to `source` and give a build reader holding its parsed header, as the
    build hands it over: the reader, its headers and the header."""
    source.write_text(text, encoding="utf-8")
    data = source.read_bytes()
    prepared = parse_header(decode_source(data))
    headers = {str(source): (hashlib.sha256(data).digest(), prepared)}
    reader = object.__new__(_reader_class())
    reader.headers = headers
    return reader, headers, prepared


def test_the_reader_takes_the_header_parsed_before_reading_when_the_file_is_unchanged(
    tmp_path: Path,
) -> None:
    source = tmp_path / "story.md"
    text = "Title: Dam\nDate: 2025-03-02 09:00\n\nThe body.\n"
    reader, headers, prepared = _reader_with_header_of(source, text)
    assert reader.read_header(str(source)) is prepared
    assert headers == {}  # taken once
    again = reader.read_header(str(source))
    assert again is not prepared and again == prepared


def test_the_reader_parses_a_file_again_when_it_changed_after_the_header_was_parsed(
    tmp_path: Path,
) -> None:
    source = tmp_path / "story.md"
    reader, _, _ = _reader_with_header_of(source, "Title: Dam\n\nOld body.\n")
    source.write_text("Title: Dam rebuilt\n\nNew body.\n", encoding="utf-8")
    header = reader.read_header(str(source))
    assert header.get("title").value == "Dam rebuilt"
    assert header.body == "New body.\n"


class _Item:
    """What Pelican's process_translations reads of a content object."""

    def __init__(self, slug: str, lang: str, translation: str | None = None) -> None:
        self.slug, self.lang, self.in_default_lang = slug, lang, lang == "en"
        self.metadata = {} if translation is None else {"translation": translation}
        self.source_path = f"{slug}-{lang}.md"

    def __repr__(self) -> str:
        return self.source_path


def _items() -> list[_Item]:
    return [
        _Item("dam", "en"),
        _Item("grid", "fr"),
        _Item("dam", "fr"),
        _Item("alone", "en"),
        _Item("grid", "en", translation="true"),
        _Item("twins", "en"),
        _Item("twins", "en"),  # two originals: Pelican warns
        _Item("only-translations", "de", translation="true"),
        _Item("only-translations", "fr", translation="true"),
        _Item("abroad", "hy"),
    ]


def test_translations_found_group_by_group_are_pelicans_with_the_same_warnings(caplog) -> None:
    def run(process, translation_id):
        items = _items()
        caplog.clear()
        LimitFilter._raised_messages.clear()  # Pelican logs a repeated warning once
        LimitFilter._group_count.clear()
        index, translations = process(items, translation_id)
        names = [[repr(x) for x in group] for group in (items, index, translations)]
        linked = {repr(x): sorted(map(repr, x.translations)) for x in items}
        return names, linked, [record.getMessage() for record in caplog.records]

    by_group = _process_translations_by_group(process_translations)
    for translation_id in ("slug", ("slug", "lang"), None):
        if translation_id is None:
            assert by_group(_items(), None)[1] == []
            continue
        assert run(by_group, translation_id) == run(process_translations, translation_id)
    assert run(by_group, "slug")[2]  # the warnings above were compared, not absent


def test_a_translation_id_pelican_cannot_sort_by_gives_pelicans_error() -> None:
    with pytest.raises(AttributeError, match="as 'translation_id'"):
        _process_translations_by_group(process_translations)(_items(), "missing")
