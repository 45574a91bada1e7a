"""Run the W3C Nu HTML checker (vnu.jar from the npm package vnu-jar, on Java) over pages."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

requires_nu_checker = pytest.mark.skipif(
    not VNU.exists() or shutil.which("java") is None,
    reason="needs Java and node_modules/vnu-jar (make test installs them)",
)


def nu_errors(pages: list[Path]) -> list[str]:
    """Check the pages in one run of the checker; return its errors as `file:line: message`."""
    process = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(process.stderr or process.stdout)
    return [
        f"{message['url'].removeprefix('file:')}:{message.get('lastLine')}: {message['message']}"
        for message in report["messages"]
        if message["type"] == "error"
    ]
