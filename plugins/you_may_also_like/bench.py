"""Benchmark of You May Also Like: speed against pelican-related-posts, and ranking quality.

Run `make bench-related` (or `PYTHONPATH=plugins python -m you_may_also_like.bench`).

Speed: seeded synthetic archives (Zipf-like tags over 3,000 tags, one broad tag
on about 40% of the articles, 1 to 6 tags each, dates over 10 years, six
sections). For each size, every article's suggestions are computed by our
ranking (index build included) and by the algorithm of the pelican-related-posts
plugin (count shared tags pair by pair with a Counter, `most_common`), on the
same documents. Each measurement runs in a fresh subprocess, which reports its
wall and CPU time and its peak resident memory (VmHWM, the whole process:
interpreter, synthetic documents and ranking); the table shows medians.

Quality: a seeded archive generated from hidden topics (each article belongs
to one story, its tags drawn from that story's vocabulary plus broad tags and
noise, its date near the story's time). precision@4 is the share of the shown
suggestions that belong to the article's own topic; coverage is the share of
articles with a full block.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import chain
from pathlib import Path

import numpy as np

from .core import Document, RelatedIndex
from .settings import YouMayAlsoLikeSettings
from .tags import normalise_tag

SIZES = (1_000, 10_000, 20_000, 100_000)
#: Sizes at which the quadratic baseline is measured; above, it is extrapolated.
BASELINE_SIZES = (1_000, 10_000, 20_000)
SECTIONS = ("Armenia", "Diaspora", "Region", "World", "Culture", "Opinion")
EPOCH = datetime(2016, 1, 1, tzinfo=UTC)
YEARS = 10
LIMIT = 4


# --- Synthetic archives ---------------------------------------------------------


def synthetic_archive(n: int, seed: int = 2025, vocabulary: int = 3_000) -> list[Document]:
    """Return n published articles with Zipf-like tags, one broad tag on ~40%, over 10 years."""
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, vocabulary + 1, dtype=np.float64)
    zipf = 1.0 / ranks
    zipf /= zipf.sum()
    tag_count = rng.integers(1, 7, size=n)
    broad = rng.random(n) < 0.4
    drawn = rng.choice(vocabulary, size=int(tag_count.sum()), p=zipf).tolist()
    seconds = rng.integers(0, YEARS * 365 * 86400, size=n).tolist()
    section = rng.choice(len(SECTIONS), size=n, p=[0.3, 0.2, 0.2, 0.1, 0.1, 0.1]).tolist()
    documents = []
    cursor = 0
    for i in range(n):
        k = int(tag_count[i])
        tags = ["Armenia"] if broad[i] else []
        tags += [f"Topic {t}" for t in drawn[cursor : cursor + k - len(tags)]]
        cursor += k
        documents.append(
            Document(
                id=str(i),
                slug=f"article-{i:06d}",
                date=EPOCH + timedelta(seconds=seconds[i]),
                section=SECTIONS[section[i]],
                tags=tuple(dict.fromkeys(tags)),
            )
        )
    return documents


def topic_archive(n: int, seed: int = 7) -> tuple[list[Document], dict[str, int]]:
    """Return n articles generated from hidden topics, and the topic of each article id."""
    rng = np.random.default_rng(seed)
    topics = max(n // 25, 4)
    shared_pool = [f"Theme {k}" for k in range(60)]
    pool_p = 1.0 / np.arange(1, len(shared_pool) + 1)
    pool_p /= pool_p.sum()
    vocab, section, centre, spread = [], [], [], []
    for topic in range(topics):
        own = [f"Story {topic} tag {k}" for k in range(4)]
        themes = [shared_pool[k] for k in rng.choice(len(shared_pool), 3, replace=False, p=pool_p)]
        vocab.append(own + themes)
        section.append(SECTIONS[int(rng.integers(len(SECTIONS)))])
        centre.append(float(rng.uniform(0, YEARS * 365)))
        spread.append(float(rng.uniform(5, 90)))
    size = 1.0 / np.arange(1, topics + 1) ** 0.7
    article_topic = rng.choice(topics, size=n, p=size / size.sum()).tolist()
    all_tags = [tag for words in vocab for tag in words]
    documents: list[Document] = []
    truth: dict[str, int] = {}
    for i, topic in enumerate(article_topic):
        words = vocab[topic]
        k = int(rng.integers(1, 5))
        # Own tags more likely than the shared themes: weights 3,3,2,2 then 1,1,1.
        p = np.array([3, 3, 2, 2, 1, 1, 1], dtype=np.float64)
        tags = [words[j] for j in rng.choice(len(words), size=k, replace=False, p=p / p.sum())]
        if rng.random() < 0.4:
            tags.append("Armenia")
        if rng.random() < 0.3:  # noise: a tag of another story or theme
            tags.append(all_tags[int(rng.integers(len(all_tags)))])
        if rng.random() < 0.2:
            tags[0] = tags[0].upper()  # a spelling variant of the same tag
        day = min(max(rng.normal(centre[topic], spread[topic]), 0.0), YEARS * 365.0)
        own_section = rng.random() < 0.8
        documents.append(
            Document(
                id=str(i),
                slug=f"story-{i:06d}",
                date=EPOCH + timedelta(days=day),
                section=section[topic] if own_section else SECTIONS[int(rng.integers(6))],
                tags=tuple(dict.fromkeys(tags)),
            )
        )
        truth[str(i)] = topic
    return documents, truth


# --- The two algorithms -----------------------------------------------------------


def ours(documents: list[Document], settings: YouMayAlsoLikeSettings) -> dict[str, list[str]]:
    """Every article's suggestions by our ranking (index build included)."""
    index = RelatedIndex.build(documents, settings)
    return {key: [s.id for s in found] for key, found in index.suggest_all().items()}


class _Post:
    """A stand-in for Pelican's Article: hashed by identity, like Article objects."""

    __slots__ = ("id", "related_posts", "tags")

    def __init__(self, id: str, tags: list[str]) -> None:
        self.id = id
        self.tags = tags
        self.related_posts: list[_Post] = []


def pelican_related_posts(
    documents: list[Document], numentries: int = LIMIT
) -> dict[str, list[str]]:
    """The algorithm of the pelican-related-posts plugin, faithfully, on the same documents.

    Pelican groups tags by slug (generator.tags); the plugin counts, for each
    article, how many tags every other article shares with it by chaining the
    tag lists into a Counter, and keeps `most_common(numentries)`.
    """
    articles = [
        _Post(d.id, list(dict.fromkeys(normalise_tag(t) for t in d.tags)))
        for d in documents
        if d.status == "published"
    ]
    tags: dict[str, list[_Post]] = defaultdict(list)  # generator.tags
    for article in articles:
        for tag in article.tags:
            tags[tag].append(article)
    for article in articles:
        if not article.tags:
            continue
        related = chain(*(tags[tag] for tag in article.tags))
        scores = Counter(related)
        scores.pop(article, None)
        article.related_posts = [other for other, count in scores.most_common(numentries)]
    return {a.id: [other.id for other in a.related_posts] for a in articles}


# --- Measuring one run in this process --------------------------------------------


def _rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB.

    Linux's VmHWM (the high-water mark of this process's own memory). getrusage's
    ru_maxrss is the fallback elsewhere: on Linux it keeps the parent's peak
    across fork and exec, so a small worker would report the benchmark's size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker(algorithm: str, n: int, seed: int) -> dict[str, float]:
    """Generate the archive, time one algorithm on it, return seconds and memory."""
    documents = synthetic_archive(n, seed)
    before = _rss_mib()
    wall, cpu = time.perf_counter(), time.process_time()
    if algorithm == "ours":
        result = ours(documents, YouMayAlsoLikeSettings(limit=LIMIT))
    else:
        result = pelican_related_posts(documents, LIMIT)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    full = sum(len(found) == LIMIT for found in result.values()) / max(len(result), 1)
    return {"wall": wall, "cpu": cpu, "peak_mib": _rss_mib(), "before_mib": before, "full": full}


def archive_stats(n: int, seed: int) -> str:
    """One line describing a synthetic archive as generated."""
    documents = synthetic_archive(n, seed)
    tags = Counter(normalise_tag(t) for d in documents for t in d.tags)
    broad = tags["armenia"] / n
    top = max(count for tag, count in tags.items() if tag != "armenia") / n
    mean = sum(len(d.tags) for d in documents) / n
    return (
        f"{n:,} articles: {len(tags):,} distinct tags (Zipf s=1 over 3,000), 'Armenia' on"
        f" {broad:.0%}, the next most common tag on {top:.0%}, {mean:.2f} tags per article"
        f" (1 to 6), dates over {YEARS} years, {len(SECTIONS)} sections"
    )


def measure(algorithm: str, n: int, seed: int) -> dict[str, float]:
    """Run worker() in a fresh Python process so that its peak memory is its own."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-m", "you_may_also_like.bench", "--worker", algorithm, str(n)]
    process = subprocess.run(
        [*command, "--seed", str(seed)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(process.stdout)


# --- Quality -------------------------------------------------------------------


def quality(n: int, seed: int) -> list[tuple[str, float, float]]:
    """Return (name, precision@4, coverage) of each ranking on a hidden-topic archive."""
    documents, truth = topic_archive(n, seed)
    default = YouMayAlsoLikeSettings(limit=LIMIT)
    systems: list[tuple[str, Callable[[], dict[str, list[str]]]]] = [
        ("ours (defaults)", lambda: ours(documents, default)),
        ("ours, no freshness", lambda: ours(documents, replace(default, half_life_days=None))),
        ("ours, no fallback", lambda: ours(documents, replace(default, fallback=False))),
        ("shared-tag count (related-posts)", lambda: pelican_related_posts(documents, LIMIT)),
    ]
    rows = []
    for name, run in systems:
        result = run()
        shown = [(key, other) for key, found in result.items() for other in found]
        hits = sum(truth[key] == truth[other] for key, other in shown)
        precision = hits / max(len(shown), 1)
        coverage = sum(len(result.get(d.id, [])) == LIMIT for d in documents) / len(documents)
        rows.append((name, precision, coverage))
    return rows


# --- The report -------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(prog="you_may_also_like.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--baseline-sizes", type=int, nargs="*", default=list(BASELINE_SIZES))
    parser.add_argument("--quality-size", type=int, default=20_000)
    parser.add_argument("--worker", nargs=2, metavar=("ALGORITHM", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        algorithm, n = args.worker
        print(json.dumps(worker(algorithm, int(n), args.seed)))
        return 0

    print(f"You May Also Like benchmark: medians of {args.runs} runs, seeds {args.seed}+run.")
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs.")
    if args.sizes:
        print(f"Archive: {archive_stats(max(args.sizes), args.seed)}.")
    print(
        "Each cell: every article's suggestions (limit 4), index build included, in a fresh"
        " process;"
    )
    print("wall = elapsed seconds, cpu = the process's CPU seconds (other jobs on the machine")
    print("inflate wall, not cpu); peak = that process's peak resident memory (VmHWM), the")
    print("synthetic documents included (docs = its peak before ranking).")
    print()
    rows: dict[int, dict[str, float]] = {}
    for n in args.sizes:
        runs = [measure("ours", n, args.seed + r) for r in range(args.runs)]
        row = {
            "wall": _median([r["wall"] for r in runs]),
            "cpu": _median([r["cpu"] for r in runs]),
            "peak": max(r["peak_mib"] for r in runs),
            "docs": _median([r["before_mib"] for r in runs]),
            "full": _median([r["full"] for r in runs]),
        }
        if n in args.baseline_sizes:
            base = [measure("baseline", n, args.seed + r) for r in range(args.runs)]
            row["base_wall"] = _median([r["wall"] for r in base])
            row["base_cpu"] = _median([r["cpu"] for r in base])
            row["base_peak"] = max(r["peak_mib"] for r in base)
        rows[n] = row
        print(f"  (measured {n:,} articles)", file=sys.stderr, flush=True)

    measured = [n for n in args.sizes if "base_wall" in rows[n]]
    header = (
        f"{'articles':>9} | {'ours wall':>9} | {'ours cpu':>8} | {'peak':>8} | {'docs':>7} |"
        f" {'full':>6} | {'r-p wall':>9} | {'r-p cpu':>8} | {'speed-up wall':>13} | {'cpu':>5}"
    )
    print(header)
    print("-" * len(header))
    estimated = False
    for n in args.sizes:
        row = rows[n]
        mark = " "
        if "base_wall" not in row and measured:
            largest = max(measured)
            scale = (n / largest) ** 2
            row["base_wall"] = rows[largest]["base_wall"] * scale
            row["base_cpu"] = rows[largest]["base_cpu"] * scale
            mark, estimated = "*", True
        if "base_wall" in row:
            base = f"{mark}{row['base_wall']:>6.2f} s | {mark}{row['base_cpu']:>5.2f} s"
            ratio = (
                f"{row['base_wall'] / row['wall']:>12.0f}x | {row['base_cpu'] / row['cpu']:>4.0f}x"
            )
        else:
            base, ratio = f"{'-':>9} | {'-':>8}", f"{'-':>13} | {'-':>5}"
        print(
            f"{n:>9,} | {row['wall']:>7.2f} s | {row['cpu']:>6.2f} s | {row['peak']:>4.0f} MiB |"
            f" {row['docs']:>3.0f} MiB | {row['full']:>6.1%} | {base} | {ratio}"
        )
    if estimated:
        print(
            f"r-p = pelican-related-posts. * not run (quadratic: minutes); estimated as its"
            f" time at {max(measured):,} x (N / {max(measured):,})^2."
        )
    print()
    print("Targets (this 2-core machine):")
    checks = []
    if 100_000 in rows:
        r = rows[100_000]
        checks.append(
            (
                "100,000 articles in under 30 s",
                f"wall {r['wall']:.2f} s, cpu {r['cpu']:.2f} s",
                r["wall"] < 30,
            )
        )
        checks.append(
            ("100,000 articles under 1.5 GiB peak", f"{r['peak']:.0f} MiB", r["peak"] < 1536)
        )
    if 100_000 in rows and 10_000 in rows:
        wall = rows[100_000]["wall"] / rows[10_000]["wall"]
        cpu = rows[100_000]["cpu"] / rows[10_000]["cpu"]
        checks.append(
            ("time(100k) / time(10k) at most 15", f"wall {wall:.1f}, cpu {cpu:.1f}", wall <= 15)
        )
    if 20_000 in measured:
        r = rows[20_000]
        wall, cpu = r["base_wall"] / r["wall"], r["base_cpu"] / r["cpu"]
        value = f"wall {wall:.0f}x, cpu {cpu:.0f}x"
        checks.append(("at 20,000 at least 20x related-posts", value, wall >= 20))
    for label, value, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}: {value}")

    print(f"\nRanking quality: hidden-topic archive of {args.quality_size:,} articles (seed 7)")
    print(f"{'ranking':<34} | {'precision@4':>11} | {'coverage':>8}")
    print("-" * 60)
    results = quality(args.quality_size, 7)
    for name, precision, coverage in results:
        print(f"{name:<34} | {precision:>11.3f} | {coverage:>8.1%}")
    by_name = {name: (p, c) for name, p, c in results}
    ours_p, ours_c = by_name["ours (defaults)"]
    base_p, _ = by_name["shared-tag count (related-posts)"]
    print(f"  [{'ok' if ours_p > base_p else 'MISSED'}] ours beats shared-tag count on precision@4")
    print(f"  [{'ok' if ours_c == 1.0 else 'MISSED'}] 100% coverage with the fallback on")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
