"""Build progress: one self-rewriting status line in a terminal, and the closing summary.

In a terminal the line shows the phase, the count done out of the total, and
the time left (estimated from the phase's pace so far). Elsewhere (CI logs, a
pipe) it prints nothing while the build runs; the one-line summary is printed
either way, so a log says what the build did.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

#: The status line is redrawn at most this often (seconds).
REDRAW_INTERVAL = 0.1


@dataclass
class BuildCounts:
    """What one build did, for the summary line."""

    articles: int = 0
    pages_read: int = 0
    #: Files whose bytes were written (new or changed).
    written: int = 0
    #: Files rendered again whose bytes came out the same (left untouched).
    unchanged: int = 0
    #: Files whose inputs had not changed: not rendered at all (kept from the last build).
    skipped: int = 0
    #: Bodies rendered from Markdown, and bodies taken from the content cache.
    bodies_rendered: int = 0
    bodies_cached: int = 0
    #: Articles recalled from the read cache (their files unchanged), not read again.
    articles_recalled: int = 0
    #: Seconds spent after the pages were written (search index, sitemaps, redirects).
    finishing_seconds: float = 0.0


def summary_line(counts: BuildCounts, seconds: float) -> str:
    """The closing line: articles read, pages written, unchanged and skipped, seconds."""
    return (
        f"Built {counts.articles:,} article{'s' if counts.articles != 1 else ''} and "
        f"{counts.pages_read:,} page{'s' if counts.pages_read != 1 else ''}: "
        f"{counts.written:,} file{'s' if counts.written != 1 else ''} written, "
        f"{counts.unchanged:,} unchanged, "
        f"{counts.skipped:,} skipped (inputs unchanged) in {seconds:.2f} s"
        f" ({counts.finishing_seconds:.2f} s of it finishing: search index, sitemaps)"
    )


def format_eta(seconds: float) -> str:
    """Seconds left as `12 s` or `3 min 05 s`."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"


@dataclass
class Progress:
    """A phase-by-phase status line; silent unless the stream is a terminal."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    enabled: bool | None = None
    phase: str = ""
    total: int = 0
    done: int = 0
    #: Each phase that ended, with its wall seconds, in order (`--timings` prints them).
    timings: list[tuple[str, float]] = field(default_factory=list)
    _started: float = 0.0
    _drawn: float = 0.0
    _width: int = 0

    def __post_init__(self) -> None:
        if self.enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            self.enabled = bool(isatty and isatty())

    def start(self, phase: str, total: int = 0) -> None:
        """Begin a phase of `total` steps (0: a phase without a count)."""
        self._end_phase()
        self.phase, self.total, self.done = phase, total, 0
        self._started = time.monotonic()
        self._draw(force=True)

    def step(self, count: int = 1) -> None:
        """Count steps done in the current phase."""
        self.done += count
        self._draw()

    def finish(self) -> None:
        """End the current phase and clear the status line (before the summary or an error)."""
        self._end_phase()
        self.phase = ""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def timings_table(self) -> str:
        """Each phase's wall seconds, one per line."""
        width = max((len(phase) for phase, _ in self.timings), default=0)
        return "\n".join(f"  {phase:<{width}}  {seconds:7.2f} s" for phase, seconds in self.timings)

    def _end_phase(self) -> None:
        if self.phase:
            self.timings.append((self.phase, time.monotonic() - self._started))

    def line(self) -> str:
        """The status line as it is drawn now."""
        if not self.total:
            return f"{self.phase}…"
        done = min(self.done, self.total)
        text = f"{self.phase}: {done:,}/{self.total:,}"
        elapsed = time.monotonic() - self._started
        if done and elapsed > 0.5:
            left = elapsed / done * (self.total - done)
            text += f", {format_eta(left)} left"
        return text

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < REDRAW_INTERVAL:
            return
        self._drawn = now
        text = self.line()
        padding = max(0, self._width - len(text))
        self.stream.write("\r" + text + " " * padding)
        self.stream.flush()
        self._width = len(text)
