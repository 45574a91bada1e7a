"""Atomic output: a build writes a fresh folder that replaces output/ only on success.

A build that fails or is interrupted (Ctrl-C, SIGTERM) removes its temporary
folder and leaves the previous output/ complete and unchanged. A build killed
outright (SIGKILL) leaves a stale temporary folder beside output/, which the
next build removes; output/ itself is still the previous build.

With `reuse_spare`, the output a swap retires is kept beside the new one as a
spare (`.output-spare-<name>`) instead of being deleted, and the next build
starts from it as its staging folder: the build must then make that folder
hold what it needs (newsdesk_build links the last build's pages into it and
removes everything else), which costs a look at each file instead of removing
one tree and linking another.
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
SPARE_PREFIX = ".output-spare-"


def spare_folder(output: Path) -> Path:
    """Where the output a build retired is kept for the next build (see the module)."""
    resolved = output.resolve()
    return resolved.parent / f"{SPARE_PREFIX}{resolved.name}"


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


def swap_in(staging: Path, output: Path, keep_spare: bool = False) -> None:
    """Replace output/ with the staging folder (two renames on one filesystem); the
    retired output is removed, or kept as the spare."""
    if output.exists():
        retired = Path(tempfile.mkdtemp(prefix=RETIRED_PREFIX, dir=output.resolve().parent))
        os.rmdir(retired)
        os.rename(output, retired)
        os.rename(staging, output)
        if keep_spare:
            spare = spare_folder(output)
            try:
                _remove(spare)
                os.rename(retired, spare)
            except OSError:  # the new output is in place: a spare only saves time
                shutil.rmtree(retired, ignore_errors=True)
        else:
            shutil.rmtree(retired)
    else:
        os.rename(staging, output)


def _staging_folder(output: Path, reuse_spare: bool) -> Path:
    """A new staging folder beside output/: the spare, renamed, when there is one to reuse."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=output.resolve().parent))
    spare = spare_folder(output)
    if reuse_spare and spare.is_dir() and not spare.is_symlink():
        os.rmdir(staging)
        os.rename(spare, staging)
    else:
        _remove(spare)
    return staging


def _remove(path: Path) -> None:
    """Remove a folder, file or link if there is one."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()


def build_atomically(
    output: Path, build: Callable[[Path], None], reuse_spare: bool = False
) -> None:
    """Run build(staging_folder); on success the staging folder becomes output/.

    With `reuse_spare`, the staging folder may hold the output before last (the
    build makes it what it needs) and the output this build retires is kept.
    """
    output.resolve().parent.mkdir(parents=True, exist_ok=True)
    remove_stale_folders(output)
    staging = _staging_folder(output, reuse_spare)
    try:
        with _termination_raises():
            build(staging)
            os.chmod(staging, 0o755)
            swap_in(staging, output, keep_spare=reuse_spare)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
