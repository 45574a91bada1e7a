"""Build the site atomically: `python -m newsdesk_build [-s pelicanconf.py] [-o output]`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from newsdesk_build.atomic import BuildInterrupted, build_atomically

logger = logging.getLogger("newsdesk_build")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="newsdesk_build", description=__doc__)
    parser.add_argument("-s", "--settings", default="pelicanconf.py", type=Path)
    parser.add_argument(
        "-o",
        "--output",
        default=None,
        type=Path,
        help="output folder (default: OUTPUT_PATH from the settings)",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


def run_pelican(settings_path: Path, staging: Path) -> None:
    """Run Pelican's whole pipeline with its output in the staging folder."""
    settings = read_settings(str(settings_path), override={"OUTPUT_PATH": str(staging)})
    Pelican(settings).run()


def main(argv: list[str] | None = None) -> int:
    """Build the site; return the process exit code."""
    args = parse_arguments(argv)
    init_logging(level=logging.INFO if args.verbose else logging.WARNING, fatal="errors")
    output = args.output
    if output is None:
        output = Path(read_settings(str(args.settings))["OUTPUT_PATH"])
    try:
        build_atomically(output, lambda staging: run_pelican(args.settings, staging))
    except (KeyboardInterrupt, BuildInterrupted):
        print(f"build interrupted; {output}/ left as it was", file=sys.stderr)
        return 130
    except Exception as error:  # any failure: report it, keep the old output
        message = str(error) or error.__class__.__name__
        print(f"build failed: {message}", file=sys.stderr)
        print(f"{output}/ left as it was", file=sys.stderr)
        if args.verbose:
            raise
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
