"""The pre-commit hook refuses a commit with a content error; CI runs the check and the build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import PLUGINS, REPO
from test_content_fixtures import FIXTURES, broken_site


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_pre_commit_config_is_valid_and_runs_make_check_on_content():
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    [repo] = config["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local"
    assert hook["entry"] == "make check"
    assert hook["pass_filenames"] is False


def test_ci_workflow_runs_the_check_and_the_build_on_push_and_pull_request():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "site.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as true
    assert set(triggers) == {"push", "pull_request"}
    [job] = workflow["jobs"].values()
    commands = [step.get("run") for step in job["steps"] if step.get("run")]
    assert commands.index("make check") < commands.index("make html")


@pytest.fixture
def editor_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git repository with the fixture site, our hook config and a `make check` target."""
    site = broken_site(tmp_path / "repo")
    shutil.copy(REPO / ".pre-commit-config.yaml", site.root / ".pre-commit-config.yaml")
    (site.root / "Makefile").write_text(
        f"check:\n\tPYTHONPATH={PLUGINS} {sys.executable} -m newsdesk_content.check "
        "-s settings.py\n"
    )
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
    }
    root = site.root
    for command in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "config", "commit.gpgsign", "false"],
        [sys.executable, "-m", "pre_commit", "install"],
        ["git", "add", "."],
        ["git", "commit", "-q", "-m", "A valid site"],
    ):
        result = _run(command, root, env)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    return root, env


def test_a_commit_with_a_content_error_is_refused(editor_repo):
    root, env = editor_repo
    article = root / "content" / "articles" / "2025" / "unknown-author.md"
    shutil.copy(FIXTURES / "articles" / "unknown-author.md", article)
    _run(["git", "add", str(article)], root, env)
    result = _run(["git", "commit", "-m", "Add a story"], root, env)
    assert result.returncode != 0
    assert (
        'content/articles/2025/unknown-author.md:4: error: unknown author "Davit Sarksyan"'
        in result.stdout + result.stderr
    )
    log = _run(["git", "log", "--oneline"], root, env).stdout.splitlines()
    assert len(log) == 1  # nothing was committed

    article.write_text(article.read_text().replace("Sarksyan", "Sargsyan"))
    _run(["git", "add", str(article)], root, env)
    result = _run(["git", "commit", "-m", "Add a story"], root, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Newsdesk content check" in result.stdout + result.stderr
