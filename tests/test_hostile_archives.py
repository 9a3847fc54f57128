"""An archive is as untrusted as a web page: a version that is a folder or weighs more than a page may is skipped
and reported without being read whole, git's failures are failures in git's words with exit 1, and what the user
names (a location, a file) is taken literally."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import run
from pricewar.sources import body
from test_history_truth import commit, litellm_file, needs_git

pytestmark = needs_git


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    repo = tmp_path / "archive"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, litellm_file({"deepseek-chat": (1.4e-07, 2.8e-07)}), "2025-01-20T10:00:00+08:00")
    return repo


def backfill(repo: Path, *extra: str):
    return run("backfill", "litellm", "--git", str(repo), "--file", "prices.json", "--format", "json", *extra)


def input_prices() -> list[str]:
    import sqlite3

    with sqlite3.connect(os.environ["PRICEWAR_DB"]) as conn:
        return [row[0] for row in conn.execute("select per_mtok from prices where source = 'litellm' and "
                                               "kind = 'input' order by effective_from")]


def test_a_version_where_the_file_is_a_folder_is_skipped_and_the_rest_replayed(repo, no_shipped_history):
    env = {**os.environ, "GIT_COMMITTER_DATE": "2025-02-01T00:00:00Z", "GIT_AUTHOR_DATE": "2025-02-01T00:00:00Z",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x.test", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x.test"}
    subprocess.run(["git", "rm", "-q", "prices.json"], cwd=repo, check=True, env=env)
    (repo / "prices.json").mkdir()
    (repo / "prices.json" / "inside").write_text("{}")
    subprocess.run(["git", "add", "prices.json"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "a folder"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "rm", "-q", "-r", "prices.json"], cwd=repo, check=True, env=env)
    commit(repo, litellm_file({"deepseek-chat": (2.7e-07, 1.1e-06)}), "2025-03-01T00:00:00+00:00")
    result = backfill(repo)
    assert result.exit_code == 1 and "Traceback" not in result.output
    summary = json.loads(result.stdout)
    assert summary["replayed"] == 2 and [f["error"] for f in summary["failed"]] == [
        "prices.json is a tree at this commit, not a file"]
    assert input_prices() == ["0.14", "0.27"]  # the pipe kept in step after the folder


def test_a_version_heavier_than_a_page_is_skipped_unread(repo, no_shipped_history, monkeypatch):
    commit(repo, litellm_file({f"deepseek-chat-{n}": (2.7e-07, 1.1e-06) for n in range(100)}),
           "2025-03-01T00:00:00+00:00")
    monkeypatch.setattr(body, "MAX_BYTES", 2000)  # the second version weighs more
    result = backfill(repo)
    summary = json.loads(result.stdout)
    assert result.exit_code == 1 and summary["replayed"] == 1
    assert summary["failed"][0]["error"].endswith("more than the 2,000 a page may")


def test_a_corrupt_pack_is_a_failure_in_gits_words(repo, no_shipped_history):
    for number in range(2, 4):
        commit(repo, litellm_file({f"model-{n}": (n * 1e-08, n * 2e-08) for n in range(number * 100)}),
               f"2025-0{number}-01T00:00:00+00:00")
    git(repo, "repack", "-q", "-a", "-d")
    pack = next((repo / ".git" / "objects" / "pack").glob("*.pack"))
    pack.chmod(0o644)
    data = bytearray(pack.read_bytes())
    for at in range(len(data) // 2, len(data) // 2 + 200):
        data[at] ^= 0xFF
    pack.write_bytes(bytes(data))
    result = backfill(repo)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "git cat-file failed (fatal:" in result.stderr and "corrupt" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_what_the_user_names_is_taken_literally(repo, tmp_path, no_shipped_history, monkeypatch):
    pattern = run("backfill", "litellm", "--git", str(repo), "--file", "*.json")
    assert pattern.exit_code == 2 and "no commit in" in pattern.stderr  # not every JSON file: the one named so
    bundle = tmp_path / "-q.bundle"
    git(repo, "bundle", "create", str(bundle), "--all")
    monkeypatch.chdir(tmp_path)
    named = run("backfill", "litellm", "--git=-q.bundle", "--file", "prices.json", "--format", "json")
    assert named.exit_code == 0, named.output
    assert json.loads(named.stdout)["replayed"] == 1
