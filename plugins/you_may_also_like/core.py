"""The ranking core of You May Also Like: documents in, ranked suggestions out (no Pelican).

Lifecycle: ``RelatedIndex.build(documents, settings)`` indexes every published
document once; ``index.suggest_all()`` (or ``index.suggest(id)``) ranks. The
build, the explain command and the benchmark all call ``suggest_all``.

The ranking, for an article q and a candidate c (published, not q, not a
translation of q, in q's language when YMAL_SAME_LANGUAGE):

    score = (sum of weight(t) over the tags q and c share
             + YMAL_SECTION_BONUS if c is in q's section)
            * 0.5 ** (|date(q) - date(c)| / YMAL_HALF_LIFE_DAYS)
    weight(t) = ln(1 + N / df(t))   (times YMAL_BROAD_TAG_FACTOR for a broad tag)

Only candidates sharing at least one tag are scored. Order: score descending,
then date descending (newer first), then slug, then id. Editors' pins come
first; a short block is filled from the same section, closest in time first.

Speed: candidates are accumulated in numpy arrays, many articles at a time.
A tag on more than YMAL_SCAN_LIMIT articles is not scanned in full: through
it, only the YMAL_SCAN_WINDOW articles on each side of q in time (its posting
list is sorted by date, so a binary search finds them) become candidates.
Every candidate found is still scored with all the tags it shares with q, so
the only approximation is that an article linked to q solely by such long
tags, and far from q in time, is not considered. The cost per article is
bounded by the scan limit and the window, not by the size of the archive.
"""

from __future__ import annotations

import bisect
import gc
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise

import numpy as np

from .settings import YouMayAlsoLikeSettings
from .tags import alias_keys, tag_keys

#: Statuses a document may have; only "published" ones are suggested.
STATUSES = ("published", "draft", "hidden")
#: Upper bound on candidate pairs held in memory at once (some 50 MB of arrays).
_PAIRS_PER_BLOCK = 1 << 20
#: Weights are multiples of 1/_QUANTUM, so equal sums of different tags are true ties.
_QUANTUM = float(1 << 32)


@dataclass(frozen=True, slots=True)
class Document:
    """One article as the ranking sees it: plain data, no Pelican object."""

    id: str
    slug: str
    date: datetime
    section: str = ""
    tags: tuple[str, ...] = ()
    status: str = "published"
    lang: str = ""
    #: Documents sharing a translation key are translations of one article (None: the id).
    translation_key: str | None = None
    #: Editors' pins (`Related: slug-a, slug-b`), shown first in this order.
    pins: tuple[str, ...] = ()
    #: `Related: none`: the article shows no block.
    hide_block: bool = False


@dataclass(slots=True)
class Suggestion:
    """One suggested article, with why it was suggested (a value: treat it as read-only)."""

    id: str
    slug: str
    #: The ranking score (0 for fallback suggestions).
    score: float
    #: The tags both articles carry, heaviest first (display names).
    shared_tags: tuple[str, ...]
    #: "pinned" (editor's choice), "tags" (ranked) or "fallback" (same section, near in time).
    reason: str


@dataclass(frozen=True, slots=True)
class PinProblem:
    """Something wrong with one `Related:` pin: an error, or a warning (the pin is left out)."""

    document_id: str
    pin: str
    severity: str
    message: str


class RelatedPinError(ValueError):
    """An editor's `Related:` pin cannot be shown (see RelatedIndex._resolve_pins)."""

    def __init__(self, problem: PinProblem) -> None:
        super().__init__(f"{problem.document_id}: {problem.message}")
        self.problem = problem


def parse_related(value: str | Sequence[str] | None) -> tuple[tuple[str, ...], bool]:
    """Parse a `Related:` value into (pins in order, hide block)."""
    if value is None:
        return (), False
    if isinstance(value, str):
        # As the content check splits list fields: on ";" if present, else on ",".
        parts = value.split(";") if ";" in value else value.split(",")
    else:
        parts = list(value)
    slugs = [part.strip() for part in parts if part.strip()]
    if len(slugs) == 1 and slugs[0].lower() == "none":
        return (), True
    return tuple(dict.fromkeys(slugs)), False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small acyclic objects are made.

    Building hundreds of thousands of tuples and suggestions would otherwise
    trigger collections that rescan every live object, a cost that grows faster
    than the archive.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _days(moment: datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp() / 86400.0


def _exact(values: np.ndarray) -> np.ndarray:
    """Round to multiples of 2**-32: sums of such numbers are exact, in any order."""
    return np.round(values * _QUANTUM) / _QUANTUM


def _popcount(values: np.ndarray) -> np.ndarray:
    """Number of bits set in each uint64."""
    return np.bitwise_count(values).astype(np.int64)


def _ragged(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (segment of each item, position of each item) for ranges start..start+length."""
    lengths = lengths.astype(np.int64, copy=False)
    total = int(lengths.sum())
    segment = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    first = np.cumsum(lengths) - lengths
    positions = np.arange(total, dtype=np.int64) - first[segment] + starts[segment]
    return segment, positions


def _ids(values: Iterable[str]) -> tuple[np.ndarray, list[str]]:
    """Map strings to small integers (sorted vocabulary) and return (codes, vocabulary)."""
    values = list(values)
    vocabulary = sorted(set(values))
    code = {value: number for number, value in enumerate(vocabulary)}
    return np.fromiter((code[v] for v in values), dtype=np.int32, count=len(values)), vocabulary


class RelatedIndex:
    """Every published document, indexed by tag; build once, then rank any document."""

    def __init__(self, documents: Sequence[Document], settings: YouMayAlsoLikeSettings) -> None:
        """Use RelatedIndex.build()."""
        self.documents = list(documents)
        self.settings = settings

    # --- building -------------------------------------------------------------

    @classmethod
    def build(
        cls,
        documents: Iterable[Document],
        settings: YouMayAlsoLikeSettings | None = None,
        now: datetime | None = None,
    ) -> RelatedIndex:
        """Index the documents; those published (and not after `now`) become candidates."""
        index = cls(list(documents), settings or YouMayAlsoLikeSettings())
        with _gc_paused():
            index._build(now)
        return index

    def _build(self, now: datetime | None) -> None:
        docs = self.documents
        settings = self.settings
        self.position: dict[str, int] = {}
        for number, doc in enumerate(docs):
            if doc.status not in STATUSES:
                raise ValueError(f"{doc.id}: unknown status {doc.status!r}")
            if self.position.setdefault(doc.id, number) != number:
                raise ValueError(f"two documents have the id {doc.id!r}")
        aliases = alias_keys(settings.tag_aliases)
        self.doc_days = np.array([_days(doc.date) for doc in docs], dtype=np.float64)
        self.doc_section, self.sections = _ids(doc.section for doc in docs)
        self.doc_lang, _ = _ids(doc.lang for doc in docs)
        self.doc_group, _ = _ids(doc.translation_key or doc.id for doc in docs)

        # Candidates, numbered in time order (date, then slug, then id).
        now_days = _days(now) if now is not None else math.inf
        name_rank = np.empty(len(docs), dtype=np.int64)
        slug_id = [(doc.slug, doc.id) for doc in docs]
        by_name = sorted(range(len(docs)), key=slug_id.__getitem__)
        name_rank[np.array(by_name, dtype=np.int64)] = np.arange(len(docs))
        is_published = np.array([doc.status == "published" for doc in docs], dtype=bool)
        is_published &= self.doc_days <= now_days
        time_order = np.lexsort((name_rank, self.doc_days))
        cand_doc = time_order[is_published[time_order]]
        self.cand_doc = cand_doc
        self.n = n_cand = len(cand_doc)
        self.doc_cand = np.full(len(docs), -1, dtype=np.int64)
        self.doc_cand[cand_doc] = np.arange(n_cand)
        self.c_days = self.doc_days[cand_doc]
        self.c_section = self.doc_section[cand_doc]
        self.c_lang = self.doc_lang[cand_doc]
        self.c_group = self.doc_group[cand_doc]
        # Tie-break rank: newer first, then slug, then id.
        tiebreak_order = np.lexsort((name_rank[cand_doc], -self.c_days))
        self.c_tiebreak = np.empty(n_cand, dtype=np.int64)
        self.c_tiebreak[tiebreak_order] = np.arange(n_cand)
        # Where a document falls in the candidates' time order (its own number if a candidate).
        self.doc_time_pos = np.searchsorted(self.c_days, self.doc_days, side="left")
        is_cand = self.doc_cand >= 0
        self.doc_time_pos[is_cand] = self.doc_cand[is_cand]

        # Tags: each distinct spelling normalised once; ids in first-seen order; a tag
        # listed twice by one document counts once; its display name is its most
        # frequent spelling among the candidates (then the first in sorted order).
        spelled = [name for doc in docs for name in doc.tags]
        spelled_count = np.array([len(doc.tags) for doc in docs], dtype=np.int64)
        spellings = list(dict.fromkeys(spelled))
        spelling_id = {name: number for number, name in enumerate(spellings)}
        id_of_key: dict[str, int] = {}
        tag_of_spelling = np.full(len(spellings), -1, dtype=np.int64)
        for number, name in enumerate(spellings):
            found = tag_keys([name], aliases)
            if found:
                tag_of_spelling[number] = id_of_key.setdefault(found[0], len(id_of_key))
        self.tag_keys = list(id_of_key)
        n_tags = len(self.tag_keys)
        entry_spelling = np.fromiter(
            map(spelling_id.__getitem__, spelled), dtype=np.int64, count=len(spelled)
        )
        entry_doc = np.repeat(np.arange(len(docs), dtype=np.int64), spelled_count)
        entry_tag = tag_of_spelling[entry_spelling]
        # Keep the first entry of each (document, tag); drop empty tags.
        _, first = np.unique(entry_doc * (n_tags + 1) + entry_tag + 1, return_index=True)
        keep = np.zeros(len(spelled), dtype=bool)
        keep[first] = True
        keep &= entry_tag >= 0
        entry_doc, entry_tag = entry_doc[keep], entry_tag[keep]
        entry_spelling = entry_spelling[keep]
        lengths = np.bincount(entry_doc, minlength=len(docs)).astype(np.int64)
        self.doc_tag_ptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.doc_tag_ptr[1:])
        self.doc_tag_ids = entry_tag
        flat, bounds = entry_tag.tolist(), self.doc_tag_ptr.tolist()
        self.doc_tags: list[tuple[int, ...]] = [tuple(flat[a:b]) for a, b in pairwise(bounds)]
        votes = np.bincount(entry_spelling[is_published[entry_doc]], minlength=len(spellings))
        best: dict[int, tuple[int, str]] = {}
        for number, name in enumerate(spellings):
            t = int(tag_of_spelling[number])
            rank = (-int(votes[number]), name.strip())
            if t >= 0 and (t not in best or rank < best[t]):
                best[t] = rank
        self.tag_names = [best[t][1] for t in range(n_tags)]
        cand_lengths = lengths[cand_doc]
        pair_c, pair_pos = _ragged(self.doc_tag_ptr[cand_doc], cand_lengths)
        pair_t = self.doc_tag_ids[pair_pos]
        self.df = np.bincount(pair_t, minlength=n_tags).astype(np.int64)
        self.weight = np.log1p(n_cand / np.maximum(self.df, 1))
        self.broad = self.df > settings.broad_tag_share * n_cand
        self.weight[self.broad] *= settings.broad_tag_factor
        self.weight = _exact(self.weight)
        self.section_bonus = float(_exact(np.array(settings.section_bonus)))

        # Posting lists: candidates of each tag in time order, concatenated.
        order = np.lexsort((pair_c, pair_t))
        self.post_c = pair_c[order]
        self.post_key = pair_t[order] * (n_cand + 1) + self.post_c
        self.post_ptr = np.zeros(n_tags + 1, dtype=np.int64)
        np.cumsum(self.df, out=self.post_ptr[1:])

        # Long tags: searched within a time window; membership kept as a bit matrix.
        self.long_id = np.full(n_tags, -1, dtype=np.int64)
        long_tags = np.flatnonzero(self.df > settings.scan_limit)
        self.long_id[long_tags] = np.arange(len(long_tags))
        self.long_weight = self.weight[long_tags]
        self.has_long = np.zeros((n_cand, max(len(long_tags), 1)), dtype=bool)
        is_long_pair = self.long_id[pair_t] >= 0
        self.has_long[pair_c[is_long_pair], self.long_id[pair_t[is_long_pair]]] = True
        # Packed 8 to a byte: the matrix stays small enough for the processor's caches.
        self.has_long = np.packbits(self.has_long, axis=1)
        # Each candidate's long tags hashed into 64 buckets: a quick "surely not shared".
        self.long_buckets = np.zeros(n_cand, dtype=np.uint64)
        long_pair_id = self.long_id[pair_t[is_long_pair]] % 64
        np.bitwise_or.at(
            self.long_buckets,
            pair_c[is_long_pair],
            np.left_shift(np.uint64(1), long_pair_id.astype(np.uint64)),
        )

        # Candidates by section, in time order, for the fallback.
        by_section = np.argsort(self.c_section, kind="stable")
        section_of = self.c_section[by_section]
        cuts = np.flatnonzero(np.diff(section_of)) + 1
        self.section_members: dict[int, list[int]] = {
            int(part_section[0]): part.tolist()
            for part, part_section in zip(
                np.split(by_section, cuts), np.split(section_of, cuts), strict=True
            )
            if len(part)
        }
        self._slug_cands: dict[str, list[int]] | None = None
        self.tag_id = id_of_key
        # Plain-list mirrors for the per-article Python steps (numpy scalars are slow).
        self._cand_doc = cand_doc.tolist()
        self._cand_tags = [self.doc_tags[d] for d in self._cand_doc]
        self._cand_id_slug = [(docs[d].id, docs[d].slug) for d in self._cand_doc]
        self._c_days = self.c_days.tolist()
        self._c_group = self.c_group.tolist()
        self._c_lang = self.c_lang.tolist()
        self._c_tiebreak = self.c_tiebreak.tolist()
        by_weight = sorted(range(n_tags), key=lambda t: (-self.weight[t], self.tag_names[t]))
        self._tag_rank = [0] * n_tags
        for rank, t in enumerate(by_weight):
            self._tag_rank[t] = rank

    @property
    def slug_cands(self) -> dict[str, list[int]]:
        """Candidates by slug (several for translations sharing one), built on first use."""
        if self._slug_cands is None:
            self._slug_cands = {}
            for c, (_, slug) in enumerate(self._cand_id_slug):
                self._slug_cands.setdefault(slug, []).append(c)
        return self._slug_cands

    # --- ranking --------------------------------------------------------------

    def suggest(self, document_id: str) -> list[Suggestion]:
        """Return the suggestions for one document."""
        return self.suggest_all([document_id])[document_id]

    def suggest_all(self, ids: Iterable[str] | None = None) -> dict[str, list[Suggestion]]:
        """Return the suggestions of each document (default: all), in rank order."""
        with _gc_paused():
            return self._suggest_all(ids)

    def _suggest_all(self, ids: Iterable[str] | None) -> dict[str, list[Suggestion]]:
        if ids is None:
            ids = [doc.id for doc in self.documents]
        queries = [self.position[i] for i in dict.fromkeys(ids)]
        documents, doc_tags = self.documents, self.doc_tags
        limit, fallback = self.settings.limit, self.settings.fallback
        pins: dict[int, list[int]] = {}
        for q in queries:
            if documents[q].pins:
                pins[q], problems = self._resolve_pins(q)
                for problem in problems:
                    if problem.severity == "error":
                        raise RelatedPinError(problem)
        shown = [q for q in queries if not documents[q].hide_block]
        keep = np.array([limit + len(pins.get(q, ())) for q in shown], dtype=np.int64)
        ranked = self._rank(np.array(shown, dtype=np.int64), keep)
        ranked_query, ranked_cand, ranked_score = (array.tolist() for array in ranked)
        at, end = 0, len(ranked_query)

        names, tag_rank = self.tag_names, self._tag_rank
        cand_tags, cand_id_slug = self._cand_tags, self._cand_id_slug
        shared_names_of: dict[tuple[int, ...], tuple[str, ...]] = {}

        def suggestion(mine: tuple[int, ...], c: int, score: float, reason: str) -> Suggestion:
            theirs = cand_tags[c]
            shared = tuple([t for t in mine if t in theirs])
            shared_names = shared_names_of.get(shared)
            if shared_names is None:
                ordered = sorted(shared, key=tag_rank.__getitem__)
                shared_names = shared_names_of[shared] = tuple([names[t] for t in ordered])
            other_id, other_slug = cand_id_slug[c]
            return Suggestion(other_id, other_slug, score, shared_names, reason)

        result: dict[str, list[Suggestion]] = {}
        for q in queries:
            doc = documents[q]
            found: list[Suggestion] = []
            result[doc.id] = found
            if doc.hide_block:
                continue
            mine = doc_tags[q]
            taken: set[int] = set()
            for c in pins.get(q, ())[:limit]:
                found.append(suggestion(mine, c, self._score(q, c), "pinned"))
                taken.add(c)
            # The ranked candidates of q come next in the arrays, best first.
            while at < end and ranked_query[at] == q:
                c = ranked_cand[at]
                if len(found) < limit and c not in taken:
                    found.append(suggestion(mine, c, ranked_score[at], "tags"))
                    taken.add(c)
                at += 1
            if len(found) < limit and fallback:
                for c in self._fallback(q, limit - len(found), taken):
                    found.append(suggestion(mine, c, 0.0, "fallback"))
        return result

    def pin_problems(self, ids: Iterable[str] | None = None) -> list[PinProblem]:
        """Return the problems of the documents' `Related:` pins, in document order."""
        if ids is None:
            ids = [doc.id for doc in self.documents]
        problems: list[PinProblem] = []
        for i in ids:
            problems.extend(self._resolve_pins(self.position[i])[1])
        return problems

    def _resolve_pins(self, q: int) -> tuple[list[int], list[PinProblem]]:
        """Return q's pinned candidates in order, and the problems of the others.

        Errors: an unknown slug, the article itself, and (for a published article)
        an article that is not published. A draft or hidden article may pin one
        that is not out yet: that pin is left out (a warning) until it is.
        """
        doc = self.documents[q]
        live = self.doc_cand[q] >= 0
        resolved: list[int] = []
        problems: list[PinProblem] = []
        for slug in doc.pins:
            cands = self.slug_cands.get(slug)
            other = next((d for d in self.documents if d.slug == slug), None)
            if slug == doc.slug:
                message = f"Related: {slug!r} is this article itself"
                problems.append(PinProblem(doc.id, slug, "error", message))
            elif cands:
                same_lang = [c for c in cands if self.c_lang[c] == self.doc_lang[q]]
                c = (same_lang or cands)[0]
                if c not in resolved:
                    resolved.append(c)
            elif other is not None:
                why = other.status if other.status != "published" else "scheduled"
                message = f"Related: article {slug!r} is not published ({why})"
                severity = "error" if live else "warning"
                problems.append(PinProblem(doc.id, slug, severity, message))
            else:
                message = f"Related: unknown article slug {slug!r}"
                problems.append(PinProblem(doc.id, slug, "error", message))
        return resolved, problems

    def _rank(
        self, queries: np.ndarray, keep: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rank candidates for many documents; keep the best `keep[i]` of query i.

        Returns (query, candidate, score) arrays: queries in the given order, each
        query's candidates in rank order.
        """
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        if self.n == 0 or len(queries) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        # Estimated pairs per query, to cut the queries into blocks of bounded memory.
        starts, ends = self.doc_tag_ptr[queries], self.doc_tag_ptr[queries + 1]
        seg, pos = _ragged(starts, ends - starts)
        tags = self.doc_tag_ids[pos]
        is_long = self.long_id[tags] >= 0
        window = max(self.settings.scan_window, self.settings.limit)
        cost = np.where(is_long, 2 * window + 1, self.df[tags])
        per_query = np.bincount(seg, weights=cost, minlength=len(queries)) + 1
        bounds = np.cumsum(per_query)
        first = 0
        while first < len(queries):
            budget = (bounds[first - 1] if first else 0) + _PAIRS_PER_BLOCK
            last = max(first + 1, int(np.searchsorted(bounds, budget, side="right")))
            parts.append(self._rank_block(queries[first:last], keep[first:last]))
            first = last
        query, candidate, score = zip(*parts, strict=True)
        return np.concatenate(query), np.concatenate(candidate), np.concatenate(score)

    def _rank_block(
        self, queries: np.ndarray, keep: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        settings, n = self.settings, self.n
        starts, ends = self.doc_tag_ptr[queries], self.doc_tag_ptr[queries + 1]
        entry_q, entry_pos = _ragged(starts, ends - starts)
        entry_t = self.doc_tag_ids[entry_pos]
        entry_long = self.long_id[entry_t]
        short = entry_long < 0
        # Short tags: every candidate carrying the tag.
        s_t = entry_t[short]
        s_seg, s_pos = _ragged(self.post_ptr[s_t], self.df[s_t])
        s_q = entry_q[short][s_seg]
        s_w = self.weight[s_t][s_seg]
        # Long tags: the candidates nearest in time, by binary search in the posting list.
        long_entries = np.flatnonzero(~short)
        l_t, l_q = entry_t[long_entries], entry_q[long_entries]
        l_bucket = np.left_shift(np.uint64(1), (self.long_id[l_t] % 64).astype(np.uint64))
        count = np.bincount(l_q, minlength=len(queries))
        start = np.cumsum(count) - count
        q_buckets = np.zeros(len(queries), dtype=np.uint64)
        np.bitwise_or.at(q_buckets, l_q, l_bucket)
        # A query whose long tags fall in distinct buckets of 64 ("clear") lets a window
        # pair carry its tag's weight and bucket: that tag is then known to be shared.
        clear = _popcount(q_buckets) == count
        window = max(settings.scan_window, settings.limit)
        centre = np.searchsorted(self.post_key, l_t * (n + 1) + self.doc_time_pos[queries[l_q]])
        low = np.maximum(self.post_ptr[l_t], centre - window)
        high = np.minimum(self.post_ptr[l_t + 1], centre + window + 1)
        l_seg, l_pos = _ragged(low, high - low)
        keys = np.concatenate((s_q * n + self.post_c[s_pos], l_q[l_seg] * n + self.post_c[l_pos]))
        if len(keys) == 0:
            return queries[:0], queries[:0], np.zeros(0)
        carried = clear[l_q]
        weights = np.concatenate((s_w, np.where(carried, self.weight[l_t], 0.0)[l_seg]))
        counted = np.concatenate(
            (np.zeros(len(s_pos), dtype=np.uint64), np.where(carried, l_bucket, 0)[l_seg])
        )
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        group_start = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        base = np.add.reduceat(weights[order], group_start)
        counted = np.bitwise_or.reduceat(counted[order], group_start)
        unique = keys[group_start]
        pq, pc = unique // n, unique % n
        q = queries[pq]
        # The candidate rules: not itself nor a translation, language, newer articles.
        allowed = self.c_group[pc] != self.doc_group[q]
        if settings.same_language:
            allowed &= self.c_lang[pc] == self.doc_lang[q]
        if settings.exclude_newer:
            allowed &= self.c_days[pc] <= self.doc_days[q]
        pq, pc, q, base = pq[allowed], pc[allowed], q[allowed], base[allowed]
        counted = counted[allowed]
        # The query's other long tags, wherever the candidate is in time, by membership.
        # For a clear query only the tags in buckets the candidate has and that are not
        # counted yet need a look; for the others, every long tag.
        if len(long_entries):
            every = np.uint64(0xFFFF_FFFF_FFFF_FFFF)
            maybe = np.where(clear[pq], self.long_buckets[pc] & q_buckets[pq] & ~counted, every)
            open_pairs = np.flatnonzero(maybe)
            pair, at = _ragged(start[pq[open_pairs]], count[pq[open_pairs]])
            look = (maybe[open_pairs][pair] & l_bucket[at]) != 0
            pair, at = open_pairs[pair[look]], at[look]
            lt = self.long_id[l_t[at]]
            packed = self.has_long[pc[pair], lt >> 3]
            hit = (packed << (lt & 7).astype(np.uint8)) & 0x80 != 0
            base += np.bincount(pair[hit], weights=self.long_weight[lt[hit]], minlength=len(pq))
        if self.section_bonus:
            base = base + self.section_bonus * (self.c_section[pc] == self.doc_section[q])
        score = base
        if settings.half_life_days is not None:
            gap = np.abs(self.c_days[pc] - self.doc_days[q])
            score = base * np.exp2(-gap / settings.half_life_days)
        positive = base > 0
        pq, pc, score = pq[positive], pc[positive], score[positive]
        if len(pq) == 0:
            return queries[:0], queries[:0], np.zeros(0)
        # Top `keep` of each query, one rank per round: the best score, then the best tie-break.
        group_start = np.flatnonzero(np.r_[True, pq[1:] != pq[:-1]])
        group_of = np.repeat(np.arange(len(group_start)), np.diff(np.r_[group_start, len(pq)]))
        need = keep[pq[group_start]]
        tiebreak = self.c_tiebreak[pc]
        live = score.copy()
        exhausted = np.iinfo(np.int64).max
        winners: list[np.ndarray] = []
        for round_number in range(int(need.max())):
            best = np.maximum.reduceat(live, group_start)
            at_best = live == best[group_of]
            first = np.minimum.reduceat(np.where(at_best, tiebreak, exhausted), group_start)
            winner = at_best & (tiebreak == first[group_of])
            winner &= (best > -np.inf)[group_of] & (round_number < need)[group_of]
            chosen = np.flatnonzero(winner)
            if len(chosen) == 0:
                break
            live[chosen] = -np.inf
            winners.append(chosen)
        # Round after round gave each query's next best: order by query, keeping rank order.
        picked = np.concatenate(winners) if winners else np.zeros(0, dtype=np.int64)
        picked = picked[np.argsort(pq[picked], kind="stable")]
        return queries[pq[picked]], pc[picked], score[picked]

    def _fallback(self, q: int, wanted: int, taken: set[int]) -> list[int]:
        """Return up to `wanted` candidates of q's section, closest in time first."""
        members = self.section_members.get(int(self.doc_section[q]), [])
        settings = self.settings
        days, group, lang = self._c_days, self._c_group, self._c_lang
        q_day, q_group, q_lang = float(self.doc_days[q]), self.doc_group[q], self.doc_lang[q]
        centre = bisect.bisect_left(members, int(self.doc_time_pos[q]))
        found: list[int] = []
        # Walk each way from q's date; keep going past `wanted` only through equal dates.
        for step, start in ((-1, centre - 1), (1, centre)):
            count, last_day, i = 0, None, start
            while 0 <= i < len(members):
                c = members[i]
                if count >= wanted and days[c] != last_day:
                    break
                if (
                    c not in taken
                    and group[c] != q_group
                    and not (settings.same_language and lang[c] != q_lang)
                    and not (settings.exclude_newer and days[c] > q_day)
                ):
                    found.append(c)
                    count += 1
                    last_day = days[c]
                i += step
        found.sort(key=lambda c: (abs(days[c] - q_day), self._c_tiebreak[c]))
        return found[:wanted]

    # --- explaining -----------------------------------------------------------

    def _shared(self, q: int, c: int) -> list[int]:
        """Return the tags q and c share, heaviest first."""
        theirs = self._cand_tags[c]
        shared = [t for t in self.doc_tags[q] if t in theirs]
        shared.sort(key=self._tag_rank.__getitem__)
        return shared

    def _score(self, q: int, c: int) -> float:
        """Return the score of one pair, as the vectorised ranking computes it."""
        shared = self._shared(q, c)
        if not shared:
            return 0.0
        base = sum(float(self.weight[t]) for t in shared)
        if self.c_section[c] == self.doc_section[q]:
            base += self.section_bonus
        if self.settings.half_life_days is None:
            return base
        gap = abs(self._c_days[c] - float(self.doc_days[q]))
        return base * 2.0 ** (-gap / self.settings.half_life_days)

    def is_broad(self, name: str) -> bool:
        """Tell whether a tag (by any spelling) is on more than YMAL_BROAD_TAG_SHARE of articles."""
        keys = tag_keys([name], alias_keys(self.settings.tag_aliases))
        t = self.tag_id.get(keys[0], -1) if keys else -1
        return t >= 0 and bool(self.broad[t])

    def tag_weight(self, name: str) -> float | None:
        """Return the weight of a tag (by any spelling), or None if no candidate carries it."""
        keys = tag_keys([name], alias_keys(self.settings.tag_aliases))
        t = self.tag_id.get(keys[0], -1) if keys else -1
        if t < 0 or self.df[t] == 0:
            return None
        return float(self.weight[t])
