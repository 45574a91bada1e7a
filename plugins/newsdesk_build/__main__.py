"""Build the site atomically: `python -m newsdesk_build [-s pelicanconf.py] [-o output]`.

Pelican runs through `newsdesk_build.engine` (bodies rendered in parallel and
cached in CACHE_PATH/newsdesk_build/, pages rendered again only when their
inputs changed) into a staging folder that replaces the output folder only on
success. In a terminal a status line shows the phase, the count and the time
left; the build ends with one summary line on stdout, in a terminal or not.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from pelican.log import init as init_logging
from pelican.settings import read_settings

from newsdesk_build.atomic import BuildInterrupted, build_atomically
from newsdesk_build.engine import (
    BuildState,
    NewsdeskPelican,
    engine_state,
    load_manifest,
    save_manifest,
    seed_staging,
)
from newsdesk_build.progress import BuildCounts, Progress, summary_line

logger = logging.getLogger("newsdesk_build")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="newsdesk_build", description=__doc__.split("\n")[0])
    parser.add_argument("-s", "--settings", default="pelicanconf.py", type=Path)
    parser.add_argument(
        "-o",
        "--output",
        default=None,
        type=Path,
        help="output folder (default: OUTPUT_PATH from the settings)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help=(
            "render every page and every body again (ignore the caches of earlier builds; "
            "the search index is still reused when every indexed page is byte-identical)"
        ),
    )
    parser.add_argument(
        "--timings", action="store_true", help="after the summary, print each phase's seconds"
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


def cache_folder(settings: dict) -> Path:
    """Where the build keeps its caches (CACHE_PATH/newsdesk_build)."""
    return Path(settings["CACHE_PATH"]) / "newsdesk_build"


def run_pelican(
    settings_path: Path,
    staging: Path,
    output: Path | None = None,
    progress: Progress | None = None,
    full: bool = False,
) -> BuildCounts:
    """Run Pelican's whole pipeline with its output in the staging folder."""
    progress = progress or Progress(enabled=False)
    settings = read_settings(str(settings_path), override={"OUTPUT_PATH": str(staging)})
    cache = cache_folder(settings)
    previous = {} if full or output is None else load_manifest(cache, output)
    progress.start("linking the last build's pages")
    # Always: the staging folder may be the spare, holding the output before last.
    seeded = seed_staging(output, staging, previous) if output is not None else set()
    state = BuildState(cache, previous, seeded, progress, full=full)
    progress.start("checking content")
    with engine_state(state):
        counts = NewsdeskPelican(settings).run()
    if output is not None:
        save_manifest(cache, output, staging, state.manifest)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Build the site; return the process exit code."""
    args = parse_arguments(argv)
    started = time.monotonic()
    init_logging(level=logging.INFO if args.verbose else logging.WARNING, fatal="errors")
    output = args.output
    if output is None:
        output = Path(read_settings(str(args.settings))["OUTPUT_PATH"])
    progress = Progress()
    counts: list[BuildCounts] = []
    try:
        build_atomically(
            output,
            lambda staging: counts.append(
                run_pelican(args.settings, staging, output, progress, args.full)
            ),
            reuse_spare=True,
        )
    except (KeyboardInterrupt, BuildInterrupted):
        progress.finish()
        print(f"build interrupted; {output}/ left as it was", file=sys.stderr)
        return 130
    except Exception as error:  # any failure: report it, keep the old output
        progress.finish()
        message = str(error) or error.__class__.__name__
        print(f"build failed: {message}", file=sys.stderr)
        print(f"{output}/ left as it was", file=sys.stderr)
        if args.verbose:
            raise
        return 1
    progress.finish()
    print(summary_line(counts[0], time.monotonic() - started), flush=True)
    if args.timings:
        print(progress.timings_table(), flush=True)
        done = counts[0]
        print(
            f"  articles recalled as last read (files unchanged): {done.articles_recalled:,}; "
            f"bodies rendered: {done.bodies_rendered:,}, from the cache: {done.bodies_cached:,}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
