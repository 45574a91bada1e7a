"""Pagefind's bundle on disk: put it in a canonical order, so that two builds are identical.

Pagefind 1.5 writes each filter's values, and the list of filters in its
metadata file, in hash-map order, which changes from run to run; the files are
named after hashes of their contents, so the names change too (a "TODO" in
Pagefind's own source). Everything else it writes is already deterministic.
`canonicalise_bundle` rewrites the filter files with their values sorted,
renames them after their new contents, sorts the metadata's filter list and
renames the metadata file, then points `pagefind-entry.json` at it.

The files are gzipped CBOR behind a "pagefind_dcd" signature; CBOR here means
definite-length arrays, text, and integers, which the small codec below reads
and writes in the shortest form (as minicbor, Pagefind's encoder, does).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
#: Positions in Pagefind 1.5's metadata record: [version, pages, index chunks,
#: filters ([name, file hash] pairs), sorts, metadata field names].
META_FILTERS = 3
META_SORTS = 4


class BundleFormatError(ValueError):
    """A Pagefind file does not have the layout this module knows."""


def decode(data: bytes) -> object:
    """Decode one CBOR value that fills `data`."""
    value, end = _decode(data, 0)
    if end != len(data):
        raise BundleFormatError(f"{len(data) - end} bytes after the CBOR value")
    return value


def encode(value: object) -> bytes:
    """Encode arrays, text and integers as CBOR, each in its shortest form."""
    if isinstance(value, bool) or value is None:
        raise BundleFormatError(f"cannot encode {value!r}")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, list | tuple):
        return _head(4, len(value)) + b"".join(encode(item) for item in value)
    raise BundleFormatError(f"cannot encode {type(value).__name__}")


def read_record(path: Path) -> object:
    """Read one of Pagefind's gzipped CBOR files."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise BundleFormatError(f"{path.name} lacks Pagefind's signature")
    return decode(data[len(SIGNATURE) :])


def record_bytes(value: object) -> bytes:
    """Return the gzipped file content of a record (no timestamp in the header)."""
    return gzip.compress(SIGNATURE + encode(value), compresslevel=9, mtime=0)


def canonicalise_bundle(bundle: Path) -> None:
    """Rewrite the bundle's filters and metadata in sorted order, named after their contents."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, details in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = read_record(meta_path)
        if not isinstance(meta, list) or len(meta) <= META_SORTS:
            raise BundleFormatError(f"{meta_path.name} is not a Pagefind 1.5 metadata record")
        taken = {path.stem for path in (bundle / "filter").glob("*.pf_filter")}
        filters = []
        for name, old_hash in meta[META_FILTERS]:
            old_path = bundle / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = read_record(old_path)
            content = record_bytes([filter_name, sorted(values, key=lambda value: value[0])])
            taken.discard(old_hash)
            new_hash = _unique_name(language, _digest(content), 7, taken)
            taken.add(new_hash)
            old_path.unlink()
            (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(content)
            filters.append([name, new_hash])
        meta[META_FILTERS] = sorted(filters)
        meta[META_SORTS] = sorted(meta[META_SORTS], key=lambda sort: sort[0])
        content = record_bytes(meta)
        meta_hash = f"{language}_{_digest(content)[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{meta_hash}.pf_meta").write_bytes(content)
        details["hash"] = meta_hash
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
        encoding="utf-8",
    )


def _digest(content: bytes) -> str:
    """A content hash for file names."""
    return hashlib.sha256(content).hexdigest()


def _unique_name(language: str, digest: str, length: int, taken: set[str]) -> str:
    """Return language_<first hex digits of digest>, longer while the name is taken."""
    while f"{language}_{digest[:length]}" in taken and length < len(digest):
        length += 1
    return f"{language}_{digest[:length]}"


def _head(major: int, argument: int) -> bytes:
    """The CBOR initial byte (and argument bytes) for a major type."""
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise BundleFormatError(f"integer {argument} is too large")


def _decode(data: bytes, index: int) -> tuple[object, int]:
    """Decode the CBOR value at `index`; return it and the index after it."""
    if index >= len(data):
        raise BundleFormatError("CBOR data ends early")
    major, info = data[index] >> 5, data[index] & 31
    index += 1
    if info < 24:
        argument = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        argument = int.from_bytes(data[index : index + size], "big")
        index += size
    else:
        raise BundleFormatError(f"unsupported CBOR item {data[index - 1]:#04x}")
    if major == 0:
        return argument, index
    if major == 1:
        return -1 - argument, index
    if major in (2, 3):
        chunk = data[index : index + argument]
        if len(chunk) != argument:
            raise BundleFormatError("CBOR string ends early")
        return (chunk.decode("utf-8") if major == 3 else bytes(chunk)), index + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, index = _decode(data, index)
            items.append(item)
        return items, index
    raise BundleFormatError(f"unsupported CBOR major type {major}")
