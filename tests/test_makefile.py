"""The Makefile's own interface: `make` alone prints the help, which names every target."""

from __future__ import annotations

import re
import subprocess

from conftest import REPO

# A rule line `name: …` (not `name := …`, not a target-specific `name: export …`).
RULE = re.compile(r"^(?P<name>[a-z][a-z-]*):(?![=:])(?!\s*export\b)", re.MULTILINE)
HELP_LINE = re.compile(r"^  make (?P<name>[a-z][a-z-]*) +(?P<description>\S.*)$")


def run_make(*goals: str) -> str:
    """Run make in the repository (nothing is built by the goals used here); return stdout."""
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), *goals],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_without_a_goal_prints_the_help():
    assert run_make() == run_make("help")


def test_help_lists_every_target_once_with_a_description():
    defined = set(RULE.findall((REPO / "Makefile").read_text(encoding="utf-8")))
    lines = run_make("help").splitlines()
    parsed = [HELP_LINE.match(line) for line in lines]
    assert all(parsed), [line for line, match in zip(lines, parsed, strict=True) if not match]
    listed = [match["name"] for match in parsed]
    assert listed[0] == "help"
    assert len(listed) == len(set(listed))
    assert set(listed) == defined
