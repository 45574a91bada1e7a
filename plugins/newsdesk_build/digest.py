"""Fingerprints of render inputs: a stable digest of any value a template may read.

The incremental build renders a page again only when the fingerprint of what
its template receives differs from the last build's. A fingerprint is a
SHA-256 over a canonical description of the value: plain values by their
repr, containers item by item (dicts and sets in sorted order), dataclasses
and other objects by their attributes, content objects (anything with a
`source_path`) by their own attributes with the content objects they point to
reduced to their identity and their card fields. Memory addresses never enter
a fingerprint. No Pelican import: content is recognised by its attributes.

Content objects (the hot path: one per article page, one card per article) are
described by pickle, in C, with a hook that cuts the shared context and
settings, replaces the content objects they point to by their identity and
sets by their sorted item digests; pickle's memo is off (fast mode), so the
bytes depend on values only, never on which objects happen to be shared. A
value pickle refuses falls back to the description above. That pickle, less
the body, is made once per object and build (`CardMemo`); a card adds the body
when its pages show bodies, and a page's own object adds its body and the
cards of the objects it links to, in the order the pickle met them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import itertools
import pickle
import re
import types
from collections.abc import Iterable, Mapping
from typing import Any

ADDRESS_RE = re.compile(r" at 0x[0-9a-fA-F]+")
#: Attributes of a content object that are not inputs of its own page: the
#: shared context and the settings (both fingerprinted once per build), and the
#: engine's memos of values computed from the others.
CONTENT_SKIPPED_ATTRIBUTES = frozenset(
    {"_context", "settings", "_newsdesk_relative_source", "_newsdesk_urls", "_newsdesk_url_memo"}
)
#: Settings that differ between builds without changing any page.
VOLATILE_SETTINGS = frozenset({"OUTPUT_PATH"})
#: How deep ordinary objects are described before only their type is named.
MAX_DEPTH = 6


def is_content(value: object) -> bool:
    """Whether a value is a Pelican content object (article, page, draft)."""
    return hasattr(value, "source_path") and hasattr(value, "_context")


def is_url_wrapper(value: object) -> bool:
    """Whether a value is a Pelican tag, category or author."""
    return hasattr(value, "slug") and hasattr(value, "name") and hasattr(value, "_slug_from_name")


@dataclasses.dataclass
class CardMemo:
    """What the fingerprinters of one build share: each content object's card without
    its body, with the content objects it links to (the costly part, digested once)."""

    #: Content object id -> (digest of its attributes less the body, links to other
    #: content objects in the order met, or None when pickle could not describe it).
    bodyless: dict[int, tuple[bytes, tuple[Any, ...] | None]] = dataclasses.field(
        default_factory=dict
    )
    #: Ids of the shared context and settings dicts that content objects point to.
    shared: set[int] = dataclasses.field(default_factory=set)


class Fingerprinter:
    """Digests values for one build; content objects are digested once each (by id)."""

    def __init__(self, cards_with_body: bool = True, memo: CardMemo | None = None) -> None:
        #: Whether a card (another page's view of a content object) includes its body;
        #: False when no template that shows cards reads `.content`.
        self.cards_with_body = cards_with_body
        memo = memo if memo is not None else CardMemo()
        self._bodyless = memo.bodyless
        #: Bodyless cards that depend on `cards_with_body` (a set of content objects).
        self._own_bodyless: dict[int, tuple[bytes, tuple[Any, ...] | None]] = {}
        self._shared = memo.shared
        self._content: dict[int, bytes] = {}
        self._card: dict[int, bytes] = {}
        self._lists: dict[tuple[int, int], tuple[Any, bytes]] = {}
        self._settings: dict[int, tuple[Mapping[str, object], str]] = {}

    def digest(self, value: object) -> str:
        """The hex SHA-256 fingerprint of a value."""
        hasher = hashlib.sha256()
        self._feed(hasher, value, 0)
        return hasher.hexdigest()

    def digest_items(self, items: Iterable[tuple[str, object]]) -> str:
        """The fingerprint of named values, in the order given (content in them as cards)."""
        hasher = hashlib.sha256()
        for name, value in items:
            hasher.update(name.encode())
            hasher.update(b"=")
            self._feed(hasher, value, 1)
            hasher.update(b";")
        return hasher.hexdigest()

    def content_digest(self, content: object) -> str:
        """The fingerprint of a content object as its own page shows it (body included)."""
        return self._content_digest(content).hex()

    def card_count(self) -> int:
        """How many cards this fingerprinter has digested (a mark for `cards_since`)."""
        return len(self._card)

    def cards_since(self, mark: int) -> tuple[dict[int, bytes], frozenset[int]]:
        """The cards digested after `mark` by object id, and the shared dicts' ids:
        what a forked process sends back for `learn_cards`."""
        return dict(itertools.islice(self._card.items(), mark, None)), frozenset(self._shared)

    def learn_cards(self, learned: tuple[dict[int, bytes], frozenset[int]]) -> None:
        """Take the cards a forked copy of this fingerprinter digested (same objects, same ids)."""
        cards, shared = learned
        for key, found in cards.items():
            self._card.setdefault(key, found)
        self._shared.update(shared)

    # --- the canonical description ---------------------------------------------------------

    def _feed(self, hasher: Any, value: object, depth: int) -> None:
        kind = type(value)
        if kind is str:
            hasher.update(b"s%d:" % len(value))
            hasher.update(value.encode("utf-8", "surrogatepass"))
            return
        code = _KINDS.get(kind)
        if code is None:
            code = _KINDS[kind] = _classify(value)
        update = hasher.update
        if code == _PLAIN:
            update(repr(value).encode())
        elif code == _STR:  # Markup too: its text is what renders
            text = str(value)
            update(b"s%d:" % len(text))
            update(text.encode("utf-8", "surrogatepass"))
        elif code == _BYTES:
            update(b"b")
            update(hashlib.sha256(value).digest())
        elif code == _TIME:
            update(b"t")
            update(value.isoformat().encode())
            update(repr(getattr(value, "tzinfo", None)).encode())
        elif code == _CONTENT:
            update(b"C")
            update(self._card_digest(value))
        elif code == _MODULE:
            update(b"m")
            update(value.__name__.encode())
        elif code == _WRAPPER:
            update(b"U")
            update(kind.__name__.encode())
            self._feed(hasher, (str(value.name), str(value.slug)), depth + 1)
        elif code == _SEQUENCE:
            is_list = kind is list or isinstance(value, list)
            cached = self._lists.get((id(value), depth)) if is_list else None
            if cached is not None and cached[0] is value:
                update(cached[1])
                return
            inner = hashlib.sha256()
            inner.update(b"l" if is_list else b"T")
            for item in value:
                self._feed(inner, item, depth + 1)
                inner.update(b",")
            result = inner.digest()
            if is_list and len(value) > 64:
                # Long lists (an archive's articles) are passed to many pages as is.
                self._lists[(id(value), depth)] = (value, result)
            update(result)
        elif code == _MAPPING:
            update(b"d")
            keys = list(value)
            try:
                keys.sort()
            except TypeError:
                keys.sort(key=repr)
            for key in keys:
                self._feed(hasher, key, depth + 1)
                update(b":")
                self._feed(hasher, value[key], depth + 1)
                update(b",")
        elif code == _SET:
            update(b"S")
            parts = sorted(self.digest(item) for item in value)
            update("".join(parts).encode())
        elif code == _DATACLASS:
            update(b"D")
            update(kind.__qualname__.encode())
            for field in dataclasses.fields(value):
                update(field.name.encode())
                self._feed(hasher, getattr(value, field.name), depth + 1)
        elif code == _CALLABLE:
            update(b"f")
            name = getattr(value, "__qualname__", None) or kind.__qualname__
            update(f"{getattr(value, '__module__', '')}.{name}".encode())
        elif code == _OBJECT and depth < MAX_DEPTH:
            update(b"o")
            update(kind.__qualname__.encode())
            self._feed(hasher, vars(value), depth + 1)
        else:
            update(b"r")
            update(ADDRESS_RE.sub("", repr(value)).encode())

    def settings_digest(self, settings: Mapping[str, object]) -> str:
        """The fingerprint of a settings dict, less the settings that differ between builds."""
        key = id(settings)
        found = self._settings.get(key)
        if found is None or found[0] is not settings:
            stable = {k: v for k, v in settings.items() if k not in VOLATILE_SETTINGS}
            found = self._settings[key] = (settings, self.digest(stable))
        return found[1]

    def _own_attributes(self, content: Any) -> dict[str, object]:
        """A content object's attributes in name order, less the shared context and settings."""
        attributes = vars(content)
        for name in ("_context", "settings"):
            shared = attributes.get(name)
            if isinstance(shared, dict):
                self._shared.add(id(shared))
        return {
            name: attributes[name]
            for name in sorted(attributes)
            if name not in CONTENT_SKIPPED_ATTRIBUTES
        }

    def _pickled(
        self, value: object, as_identity: bool, linked: list | None = None
    ) -> tuple[bytes, bool] | None:
        """The fingerprint pickle of a value, and whether it holds a digest that depends on
        `cards_with_body`; None when pickle cannot describe it. With `as_identity`, the
        content objects met are appended to `linked`."""
        buffer = io.BytesIO()
        pickler = _ContentPickler(buffer, self, as_identity, linked)
        try:
            pickler.dump(value)
        except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
            return None
        return buffer.getvalue(), pickler.depends_on_kind

    def _feed_card_value(self, hasher: Any, value: object) -> None:
        """One attribute of a card, the content objects in it by identity."""
        if is_content(value):
            hasher.update(_identity(value))
        elif isinstance(value, list | tuple) and any(is_content(v) for v in value):
            for item in value:
                if is_content(item):
                    hasher.update(_identity(item))
                else:
                    self._feed(hasher, item, 3)
        else:
            self._feed(hasher, value, 3)

    def _content_digest(self, content: Any) -> bytes:
        """Everything a content object carries (its page's own inputs): its card without
        the body, the body, and the cards of the content objects it points to."""
        key = id(content)
        found = self._content.get(key)
        if found is None:
            bodyless, linked = self._bodyless_card(content)
            hasher = hashlib.sha256(b"own")
            hasher.update(bodyless)
            self._feed_body(hasher, content)
            if linked is not None:
                for other in linked:
                    hasher.update(self._card_digest(other))
            else:
                # Pickle refused: the attributes walked, the content objects in them
                # (suggestions, translations) as cards.
                for name, value in self._own_attributes(content).items():
                    hasher.update(name.encode())
                    self._feed(hasher, value, 2)
            found = hasher.digest()
            self._content[key] = found
        return found

    def _feed_body(self, hasher: Any, content: Any) -> None:
        attributes = vars(content)
        if "_content" in attributes:
            hasher.update(b"B")
            self._feed(hasher, attributes["_content"], 3)
        else:
            hasher.update(b"-")

    def _feed_summary(self, hasher: Any, content: Any, depth: int) -> None:
        """The summary, when it is computed from the body rather than given in the metadata.

        Computed properties are otherwise left out: `url` and `save_as` follow
        from the attributes and the settings, and `content` differs from
        `_content` only by intrasite links (pages with those always render).
        """
        metadata = getattr(content, "metadata", None) or {}
        if "summary" in metadata:
            return
        try:
            hasher.update(b"summary")
            self._feed(hasher, getattr(content, "summary", None), depth)
        except Exception:  # a property that cannot be computed is not an input
            hasher.update(b"!")

    def _card_digest(self, content: Any) -> bytes:
        """A content object as another page shows it: its attributes, its links by identity."""
        key = id(content)
        found = self._card.get(key)
        if found is None:
            found = self._bodyless_card(content)[0]
            if self.cards_with_body:
                hasher = hashlib.sha256(b"card")
                hasher.update(found)
                self._feed_body(hasher, content)
                found = hasher.digest()
            self._card[key] = found
        return found

    def _bodyless_card(self, content: Any) -> tuple[bytes, tuple[Any, ...] | None]:
        """A content object's attributes less its body, its links by identity; and the
        content objects it links to, in the order met (None when pickle refused)."""
        key = id(content)
        found = self._bodyless.get(key) or self._own_bodyless.get(key)
        if found is None:
            hasher = hashlib.sha256()
            hasher.update(type(content).__qualname__.encode())
            attributes = self._own_attributes(content)
            attributes.pop("_content", None)
            linked: list = []
            pickled = self._pickled(attributes, True, linked)
            if pickled is not None:
                hasher.update(b"p")
                hasher.update(pickled[0])
                depends_on_kind = pickled[1]
            else:
                linked, depends_on_kind = None, True
                for name, value in attributes.items():
                    hasher.update(name.encode())
                    self._feed_card_value(hasher, value)
            self._feed_summary(hasher, content, 3)
            found = (hasher.digest(), None if linked is None else tuple(linked))
            (self._own_bodyless if depends_on_kind else self._bodyless)[key] = found
        return found


(
    _PLAIN,
    _STR,
    _BYTES,
    _TIME,
    _CONTENT,
    _MODULE,
    _WRAPPER,
    _SEQUENCE,
    _MAPPING,
    _SET,
    _DATACLASS,
    _CALLABLE,
    _OBJECT,
    _REPR,
) = range(14)
#: How each type is described, decided once per type.
_KINDS: dict[type, int] = {}


def _classify(value: object) -> int:
    if value is None or isinstance(value, bool | int | float):
        return _PLAIN
    if isinstance(value, str):
        return _STR
    if isinstance(value, bytes):
        return _BYTES
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _TIME
    if is_content(value):
        return _CONTENT
    if isinstance(value, types.ModuleType):
        return _MODULE
    if is_url_wrapper(value):
        return _WRAPPER
    if isinstance(value, list | tuple):
        return _SEQUENCE
    if isinstance(value, Mapping):
        return _MAPPING
    if isinstance(value, set | frozenset):
        return _SET
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _DATACLASS
    if callable(value) or isinstance(value, type):
        return _CALLABLE
    if hasattr(value, "__dict__"):
        return _OBJECT
    return _REPR


class _ContentPickler(pickle.Pickler):
    """Pickle for fingerprints: shared dicts cut, content as cards or identities, sets sorted."""

    def __init__(
        self, file: io.BytesIO, prints: Fingerprinter, as_identity: bool, linked: list | None
    ) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        # No memo: the bytes must not depend on which equal objects are one object.
        self.fast = True
        self._prints = prints
        self._as_identity = as_identity
        self._linked = linked
        #: Whether a digest that depends on the fingerprinter's kind entered the bytes.
        self.depends_on_kind = False

    def persistent_id(self, obj: object) -> object:
        kind = type(obj)
        if kind in _ATOMIC_TYPES:
            return None
        if id(obj) in self._prints._shared:
            return "shared"
        code = _KINDS.get(kind)
        if code is None:
            code = _KINDS[kind] = _classify(obj)
        if code == _CONTENT:
            if self._as_identity:
                if self._linked is not None:
                    self._linked.append(obj)
                return ("C", _identity(obj))
            self.depends_on_kind = True
            return ("C", self._prints._card_digest(obj))
        if code == _WRAPPER:
            return ("U", kind.__name__, str(obj.name), str(obj.slug))
        if code == _SET:
            # An item's digest may hold a card (whose kind says if it has the body).
            self.depends_on_kind = True
            return ("S", sorted(self._prints.digest(item) for item in obj))
        if code == _MAPPING and "OUTPUT_PATH" in obj and "THEME" in obj:
            # Another settings dict: the build's global key has the settings.
            self.depends_on_kind = True
            return ("settings", self._prints.settings_digest(obj))
        if code == _MODULE:
            return ("m", obj.__name__)
        if code == _CALLABLE and not isinstance(obj, type):
            name = getattr(obj, "__qualname__", None) or kind.__qualname__
            return ("f", f"{getattr(obj, '__module__', '')}.{name}")
        return None


_ATOMIC_TYPES = frozenset({str, int, float, bool, type(None), bytes})


def _identity(content: Any) -> bytes:
    """A content object named by its source and title."""
    parts = (str(getattr(content, "source_path", "")), str(getattr(content, "title", "")))
    return hashlib.sha256("\0".join(parts).encode()).digest()


def file_digest(paths: Iterable[tuple[str, bytes]]) -> str:
    """The fingerprint of named byte strings (templates, plugin sources), in sorted order."""
    hasher = hashlib.sha256()
    for name, data in sorted(paths):
        hasher.update(name.encode())
        hasher.update(b"\0")
        hasher.update(hashlib.sha256(data).digest())
    return hasher.hexdigest()
