"""Measure archive search: indexing time, index size, and what a reader downloads to search.

For the demo site and for a seeded synthetic archive (10,000 articles by
default) it builds the site with the repository's settings, theme and plugins,
indexes the built articles again with the build's own `index_pages` (timed
alone), sizes the Pagefind bundle, then serves the site on 127.0.0.1 and sums
the bytes of every /pagefind/ response Chromium receives while one search runs
on the search page (a fresh browser profile: nothing cached; the built-in
server sends files as they are, so these are bytes on the wire without HTTP
compression; the index files are gzipped by Pagefind itself).

    python -m newsdesk_search.bench [--articles 10000] [--seed 1] [--json report.json]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from textwrap import dedent

from .core import SearchPage, pagefind_config, split_into_parts
from .indexer import BODY_MARKER, index_pages
from .settings import SearchSettings

REPO = Path(__file__).resolve().parents[2]
PLUGINS = REPO / "plugins"
CHROMIUM = Path("/usr/bin/chromium")
#: A word in exactly one demo article, and a common one.
DEMO_QUERIES = ("Zangezur", "election")
#: Synthetic titles end in "(N)", so a number is a word of exactly one article;
#: a dateline town is in about one article in twelve; "border" is one of the
#: synthetic bodies' seventy-odd words, in nearly every article (the worst case).
SYNTHETIC_QUERIES = ("4711", "gyumri", "border")
#: Size of the made-up vocabulary of the Zipf variant, and the ranks of the
#: words searched for there (1 is the most common word, like "the").
ZIPF_VOCABULARY = 50_000
ZIPF_QUERY_RANKS = (20_000, 2_000, 200, 20, 1)
#: What a first search must stay under on the 10,000-article site.
TARGET_BYTES = 300_000


@dataclass
class SearchDownload:
    """What Chromium fetched from the bundle for one first search."""

    query: str
    status: str
    requests: int
    bytes: int
    #: The same responses if the server gzipped the uncompressed ones (pagefind.js,
    #: the entry JSON); Pagefind's index files and WebAssembly are gzipped already.
    bytes_http_gzip: int
    by_file: dict[str, int] = field(default_factory=dict)


@dataclass
class SiteMeasure:
    """The measures of one site."""

    name: str
    articles: int
    #: None when an earlier build was reused (--reuse).
    build_seconds: float | None
    index_seconds: float
    #: CPU seconds of the Pagefind process (the machine may be busy; this is not).
    index_cpu_seconds: float
    bundle_files: int
    bundle_bytes: int
    bundle_parts: dict[str, int]
    searches: list[SearchDownload]


def run_build(settings: Path, output: Path) -> float:
    """Build a site with the project's atomic build command; return the seconds it took."""
    env = {**os.environ, "PYTHONPATH": str(PLUGINS)}
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "newsdesk_build", "-s", str(settings), "-o", str(output)],
        cwd=settings.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build of {settings} failed:\n{process.stdout}\n{process.stderr}")
    return seconds


#: The sort key of an article page (partials/search_facets.html).
SORT_FACET = re.compile(r'<data value="([^"]+)" data-pagefind-sort="date\[value\]">')


def article_pages(output: Path, bundle_dir: str, part_size: int) -> list[SearchPage]:
    """Find the built pages marked for the index (what the build chose), their URLs and parts."""
    entries = []
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        if relative.startswith(bundle_dir + "/"):
            continue
        html = path.read_text(encoding="utf-8")
        if BODY_MARKER in html:
            url = "/" + relative.removesuffix("index.html")
            sort = SORT_FACET.search(html)
            if sort is None:
                raise SystemExit(f"{relative}: no sort key (data-pagefind-sort=date)")
            entries.append((sort.group(1), relative, url))
    return list(split_into_parts(entries, part_size))


def bundle_parts(bundle: Path) -> dict[str, int]:
    """Bytes of the bundle by kind of file."""
    parts: dict[str, int] = {}
    for path in sorted(bundle.rglob("*")):
        if not path.is_file():
            continue
        # bundle/<part>/<file or folder>/…: summed over the parts.
        relative = path.relative_to(bundle)
        kind = relative.parts[1] if len(relative.parts) > 2 else relative.name
        if kind.endswith(".pf_meta"):
            kind = "pagefind.*.pf_meta"
        parts[kind] = parts.get(kind, 0) + path.stat().st_size
    return parts


def first_search(base_url: str, query: str, browser) -> SearchDownload:
    """Run one search in a fresh browser profile; sum the bundle's responses."""
    context = browser.new_context()
    sizes: dict[str, int] = {}
    gzipped: dict[str, int] = {}

    def record(response) -> None:
        path = response.url.removeprefix(base_url)
        if path.startswith("/pagefind/") and response.ok:
            body = response.body()
            sizes[path] = len(body)
            plain = path.split("?", 1)[0].endswith((".js", ".json"))
            gzipped[path] = len(gzip.compress(body)) if plain else len(body)

    try:
        page = context.new_page()
        page.on("response", record)
        page.goto(f"{base_url}/search/")
        page.fill("#search-query", query)
        page.press("#search-query", "Enter")
        page.wait_for_function(
            "q => document.querySelector('#search-status').textContent.includes(q)",
            arg=query,
            timeout=120_000,
        )
        page.wait_for_load_state("networkidle")
        status = page.inner_text("#search-status")
    finally:
        context.close()
    by_file = dict(sorted(sizes.items()))
    return SearchDownload(
        query, status, len(by_file), sum(by_file.values()), sum(gzipped.values()), by_file
    )


def measure_site(
    name: str, settings: Path, output: Path, queries: Sequence[str], reuse: bool = False
) -> SiteMeasure:
    """Build (unless reusing a built output), re-index (timed), size and search one site."""
    sys.path.insert(0, str(REPO / "tests"))
    from browser import chromium, serve_folder

    build_seconds = None
    if not (reuse and output.is_dir()):
        print(f"[{name}] building…", flush=True)
        build_seconds = round(run_build(settings, output), 2)
    search_settings = SearchSettings()
    pages = article_pages(output, search_settings.bundle_dir, search_settings.part_size)
    built = "reused the built site" if build_seconds is None else f"built in {build_seconds} s"
    print(f"[{name}] {built}; indexing {len(pages)} articles…", flush=True)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = index_pages(
        output, pages, search_settings.bundle_dir, pagefind_config(search_settings)
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    searches = []
    if CHROMIUM.exists():
        with serve_folder(output) as base_url, chromium() as browser:
            searches = [first_search(base_url, query, browser) for query in queries]
    else:
        print(f"[{name}] no {CHROMIUM}: download sizes not measured", flush=True)
    return SiteMeasure(
        name=name,
        articles=report.pages,
        build_seconds=build_seconds,
        index_seconds=round(report.seconds, 2),
        index_cpu_seconds=round(cpu_seconds, 2),
        bundle_files=report.files,
        bundle_bytes=report.bytes,
        bundle_parts=bundle_parts(output / search_settings.bundle_dir),
        searches=searches,
    )


def synthetic_site(root: Path, count: int, seed: int) -> Path:
    """Write a synthetic archive and a settings file for it; return the settings path."""
    from newsdesk_content.synthetic import generate_archive

    generate_archive(root / "content", count, seed)
    settings = root / "settings.py"
    settings.write_text(
        dedent(
            f"""\
            import sys
            sys.path.insert(0, {str(REPO)!r})
            from pelicanconf import *
            PATH = "content"
            THEME = {str(REPO / "theme")!r}
            PLUGIN_PATHS = [{str(PLUGINS)!r}]
            """
        ),
        encoding="utf-8",
    )
    return settings


def zipf_vocabulary(size: int, seed: int) -> list[str]:
    """Made-up words, distinct, in a seeded order that serves as their frequency rank."""
    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["ar", "el", "in", "on"]
    words: set[str] = set()
    ranked: list[str] = []
    while len(ranked) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in words:
            words.add(word)
            ranked.append(word)
    return ranked


def reword_bodies(content: Path, vocabulary: Sequence[str], seed: int) -> None:
    """Rewrite every article body with words drawn by Zipf's law (rank r has weight 1/r).

    The synthetic generator writes bodies from about seventy words, each in
    nearly every article, so every index chunk is heavy; natural language has
    a few very common words and a long tail of rare ones, which this mimics.
    Headers, titles, summaries and subheadings stay as generated.
    """
    rng = random.Random(seed)
    weights = list(itertools.accumulate(1 / rank for rank in range(1, len(vocabulary) + 1)))
    for path in sorted(content.rglob("*.md")):
        header, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        paragraphs = []
        for paragraph in body.split("\n\n"):
            if paragraph.startswith("#") or not paragraph.strip():
                paragraphs.append(paragraph)
                continue
            words = rng.choices(vocabulary, cum_weights=weights, k=len(paragraph.split()))
            sentences = [words[i : i + 15] for i in range(0, len(words), 15)]
            paragraphs.append(
                " ".join(" ".join(s).capitalize() + "." for s in sentences if s).strip()
            )
        path.write_text(header + "\n\n" + "\n\n".join(paragraphs), encoding="utf-8")


def print_measure(measure: SiteMeasure) -> None:
    """Print one site's measures as a short report."""
    print(f"\n== {measure.name}: {measure.articles} articles indexed")
    if measure.build_seconds is not None:
        print(f"   build (whole site):  {measure.build_seconds:8.2f} s")
    print(
        f"   indexing (Pagefind): {measure.index_seconds:8.2f} s "
        f"({measure.index_cpu_seconds:.2f} s CPU in Pagefind)"
    )
    size = f"{measure.bundle_bytes:,d} bytes in {measure.bundle_files} files"
    print(f"   index bundle:        {size}")
    for part, size in measure.bundle_parts.items():
        print(f"      {part:<26} {size:>12,d}")
    for search in measure.searches:
        verdict = ""
        if measure.articles >= 10_000:
            verdict = "  (under 300 KB)" if search.bytes < TARGET_BYTES else "  (OVER 300 KB)"
        print(
            f"   first search {search.query!r}: {search.bytes:,d} bytes in "
            f"{search.requests} requests{verdict}; {search.bytes_http_gzip:,d} bytes if the "
            f"server gzips JS/JSON — {search.status}"
        )
        for path, size in search.by_file.items():
            print(f"      {path:<48} {size:>9,d}")


def main(argv: list[str] | None = None) -> int:
    """Measure the demo and a synthetic archive; print (and optionally save) the figures."""
    parser = argparse.ArgumentParser(prog="newsdesk_search.bench", description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument(
        "--vocabulary",
        choices=["synthetic", "zipf", "both"],
        default="both",
        help="the generator's bodies as written, bodies re-worded by Zipf's law, or both",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep: reuse the sites built there before"
    )
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="newsdesk-search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    measures = []
    try:
        if not args.skip_demo:
            demo = work / "demo-output"
            measures.append(
                measure_site("demo", REPO / "pelicanconf.py", demo, DEMO_QUERIES, args.reuse)
            )
            print_measure(measures[-1])
        if args.articles and args.vocabulary in ("synthetic", "both"):
            root = work / "synthetic"
            settings = root / "settings.py"
            if not (args.reuse and settings.exists()):
                settings = synthetic_site(root, args.articles, args.seed)
            name = f"synthetic {args.articles} (seed {args.seed})"
            measures.append(
                measure_site(name, settings, root / "output", SYNTHETIC_QUERIES, args.reuse)
            )
            print_measure(measures[-1])
        if args.articles and args.vocabulary in ("zipf", "both"):
            root = work / "synthetic-zipf"
            settings = root / "settings.py"
            vocabulary = zipf_vocabulary(ZIPF_VOCABULARY, args.seed)
            if not (args.reuse and settings.exists()):
                settings = synthetic_site(root, args.articles, args.seed)
                reword_bodies(root / "content" / "articles", vocabulary, args.seed)
            name = f"synthetic {args.articles} (seed {args.seed}), Zipf vocabulary"
            queries = ["4711", *(vocabulary[rank - 1] for rank in ZIPF_QUERY_RANKS)]
            measures.append(measure_site(name, settings, root / "output", queries, args.reuse))
            print_measure(measures[-1])
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps([asdict(m) for m in measures], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
