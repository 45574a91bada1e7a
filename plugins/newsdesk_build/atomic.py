"""Atomic output: a build writes a fresh folder that replaces output/ only on success.

A build that fails or is interrupted (Ctrl-C, SIGTERM) removes its temporary
folder and leaves the previous output/ complete and unchanged. A build killed
outright (SIGKILL) leaves a stale temporary folder beside output/, which the
next build removes; output/ itself is still the previous build.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".output-staging-"
RETIRED_PREFIX = ".output-retired-"


class BuildInterrupted(Exception):
    """The build received SIGTERM or SIGINT before it finished."""


def remove_stale_folders(output: Path) -> None:
    """Remove staging and retired folders left by builds that were killed."""
    parent = output.resolve().parent
    retired = sorted(parent.glob(f"{RETIRED_PREFIX}*"))
    if not output.exists() and retired:
        # Killed between the two renames of a swap: the retired folder is the
        # last complete output, so it comes back.
        os.rename(retired[-1], output)
        retired = retired[:-1]
    for folder in [*parent.glob(f"{STAGING_PREFIX}*"), *retired]:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _termination_raises() -> Iterator[None]:
    """Turn SIGTERM into an exception so that cleanup code runs."""

    def interrupt(signum: int, frame: object) -> None:
        raise BuildInterrupted(f"received signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def swap_in(staging: Path, output: Path) -> None:
    """Replace output/ with the staging folder (two renames on one filesystem)."""
    if output.exists():
        retired = Path(tempfile.mkdtemp(prefix=RETIRED_PREFIX, dir=output.resolve().parent))
        os.rmdir(retired)
        os.rename(output, retired)
        os.rename(staging, output)
        shutil.rmtree(retired)
    else:
        os.rename(staging, output)


def build_atomically(output: Path, build: Callable[[Path], None]) -> None:
    """Run build(staging_folder); on success the staging folder becomes output/."""
    output.resolve().parent.mkdir(parents=True, exist_ok=True)
    remove_stale_folders(output)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=output.resolve().parent))
    try:
        with _termination_raises():
            build(staging)
            os.chmod(staging, 0o755)
            swap_in(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
