"""Pagefind's bundle in canonical order: the CBOR codec, the rewrite of filters and metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newsdesk_search.bundle import (
    BundleFormatError,
    canonicalise_bundle,
    decode,
    encode,
    read_record,
    record_bytes,
)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def write_bundle(folder: Path, section_values: list, filter_order: list[str]) -> Path:
    """A bundle as Pagefind writes it, with filter values and filters in a given order."""
    (folder / "filter").mkdir(parents=True)
    filters = {
        "section": ["section", section_values],
        "author": ["author", [["Ani Melkonyan", [0, 1]]]],
    }
    meta_filters = []
    for number, name in enumerate(filter_order):
        file_hash = f"en_{number}{name[:6]}"
        (folder / "filter" / f"{file_hash}.pf_filter").write_bytes(record_bytes(filters[name]))
        meta_filters.append([name, file_hash])
    meta = ["1.5.2", [["en_aaaaaaa", 10], ["en_bbbbbbb", 12]], [], meta_filters, [], ["title"]]
    (folder / "pagefind.en_0000000000.pf_meta").write_bytes(record_bytes(meta))
    entry = {"version": "1.5.2", "languages": {"en": {"hash": "en_0000000000", "page_count": 2}}}
    (folder / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    return folder


class TestCodec:
    @pytest.mark.parametrize(
        "value",
        [0, 23, 24, 255, 256, 65536, 2**32, -1, -500, "", "Երևան", b"\x00", [], [1, ["a", [2]]]],
    )
    def test_values_survive_a_round_trip(self, value) -> None:
        assert decode(encode(value)) == value

    def test_integers_take_their_shortest_form(self) -> None:
        assert encode(23) == b"\x17"
        assert encode(24) == b"\x18\x18"
        assert encode(256) == b"\x19\x01\x00"
        assert encode(-1) == b"\x20"

    def test_a_pagefind_filter_record_reads_as_written(self) -> None:
        data = b"\x82fauthor\x81\x82nDavit Sargsyan\x82\x00\x18\x1b"
        assert decode(data) == ["author", [["Davit Sargsyan", [0, 27]]]]
        assert encode(decode(data)) == data

    @pytest.mark.parametrize("data", [b"\x82\x01", b"\x63ab", b"\xa1\x01\x02", b"\x01\x02"])
    def test_malformed_or_unknown_data_is_refused(self, data: bytes) -> None:
        with pytest.raises(BundleFormatError):
            decode(data)


class TestCanonicalBundle:
    def test_two_bundles_differing_only_in_hash_map_order_become_identical(
        self, tmp_path: Path
    ) -> None:
        first = write_bundle(
            tmp_path / "first",
            [["World", [1]], ["Armenia", [0]]],
            ["section", "author"],
        )
        second = write_bundle(
            tmp_path / "second",
            [["Armenia", [0]], ["World", [1]]],
            ["author", "section"],
        )
        assert tree(first) != tree(second)
        canonicalise_bundle(first)
        canonicalise_bundle(second)
        assert tree(first) == tree(second)

    def test_filters_and_metadata_are_sorted_and_the_entry_points_at_them(
        self, tmp_path: Path
    ) -> None:
        bundle = write_bundle(
            tmp_path / "bundle", [["World", [1]], ["Armenia", [0]]], ["section", "author"]
        )
        canonicalise_bundle(bundle)
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        meta = read_record(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
        assert [name for name, _ in meta[3]] == ["author", "section"]
        section_hash = dict(meta[3])["section"]
        section = read_record(bundle / "filter" / f"{section_hash}.pf_filter")
        assert section == ["section", [["Armenia", [0]], ["World", [1]]]]
        assert len(list((bundle / "filter").iterdir())) == 2
        assert len(list(bundle.glob("*.pf_meta"))) == 1
