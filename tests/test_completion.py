"""Shell completion: bash really completing a line through the script `pricewar completion bash` prints, with
model ids and providers from the history, and never a database made or an error shown while it does."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ok, run

ROOT = Path(__file__).resolve().parent.parent
BASH = shutil.which("bash")
# bash: the script, then one Tab at word $1 of the words after it; what it offers, one a line
TAB = 'source <(pricewar completion bash); cword=$1; shift; COMP_WORDS=("$@"); COMP_CWORD=$cword; COMPREPLY=(); ' \
      '_pricewar_completion pricewar; printf "%s\\n" "${COMPREPLY[@]}"'


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A history holding the bundled record and one model recorded by hand."""
    path = tmp_path_factory.mktemp("completion") / "pricewar.db"
    env = {**os.environ, "PRICEWAR_DB": str(path), "PYTHONPATH": str(ROOT)}
    recorded = subprocess.run([sys.executable, "-m", "pricewar", "record", "deepseek", "tabbed-test-model",
                               "--new-model", "--input", "1", "--output", "2", "--effective", "2024-07-01",
                               "--url", "https://example.com/announcement"], capture_output=True, text=True, env=env)
    assert recorded.returncode == 0, recorded.stderr
    return path


@pytest.fixture
def bin_dir(tmp_path):
    """A `pricewar` on PATH that runs this checkout."""
    folder = tmp_path / "bin"
    folder.mkdir()
    command = folder / "pricewar"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pricewar "$@"\n')
    command.chmod(0o755)
    return folder


def tab(bin_dir, history, *words: str, db_env: bool = True) -> list[str]:
    """What bash offers at a Tab after `words` (the last is the word being completed)."""
    if BASH is None:
        pytest.skip("bash is not installed")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
    env.pop("PRICEWAR_DB")
    if db_env:
        env["PRICEWAR_DB"] = str(history)
    result = subprocess.run([BASH, "--norc", "--noprofile", "-c", TAB, "tab", str(len(words) - 1), *words],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return [line for line in result.stdout.splitlines() if line]


def test_bash_completes_command_names(bin_dir, history):
    assert tab(bin_dir, history, "pricewar", "comp") == ["compare", "completion"]
    assert "economics" in tab(bin_dir, history, "pricewar", "")


def test_bash_completes_model_ids_from_the_history(bin_dir, history):
    offered = tab(bin_dir, history, "pricewar", "compare", "deepseek-c")
    assert "deepseek-chat" in offered and "deepseek-coder" in offered
    assert all(word.startswith("deepseek-c") for word in offered)
    assert tab(bin_dir, history, "pricewar", "compare", "deepseek-chat", "--vs", "tabbed-") == ["tabbed-test-model"]
    assert tab(bin_dir, history, "pricewar", "history", "tabbed-t") == ["tabbed-test-model"]
    assert tab(bin_dir, history, "pricewar", "economics", "--model", "tabbed") == ["tabbed-test-model"]


def test_a_word_bash_split_at_a_colon_is_completed_whole(bin_dir, history):
    """bash makes `deepseek-chat:f` three words (COMP_WORDBREAKS), and replaces the last only."""
    assert tab(bin_dir, history, "pricewar", "compare", "deepseek-chat", ":", "f") == ["free"]
    assert tab(bin_dir, history, "pricewar", "compare", "deepseek-chat", ":") == [":free"]
    assert "deepseek-chat:free" in tab(bin_dir, history, "pricewar", "compare", "deepseek-chat")


def test_bash_completes_options_and_their_values(bin_dir, history):
    assert tab(bin_dir, history, "pricewar", "compare", "--cur") == ["--currency"]
    assert tab(bin_dir, history, "pricewar", "compare", "-p", "deepseek,zh") == ["deepseek,zhipu"]
    assert tab(bin_dir, history, "pricewar", "war", "--provider", "moon") == ["moonshot"]
    assert tab(bin_dir, history, "pricewar", "changes", "--format", "") == ["table", "json", "csv", "markdown", "atom"]
    assert tab(bin_dir, history, "pricewar", "compare", "--via", "open")[0] == "openrouter"
    assert tab(bin_dir, history, "pricewar", "compare", "--via", "ma")[:2] == ["makers", "mancer"]
    assert "CNY" in tab(bin_dir, history, "pricewar", "cost", "-c", "C")
    assert tab(bin_dir, history, "pricewar", "completion", "") == ["bash", "zsh", "fish"]


def test_db_on_the_line_is_the_one_read_and_never_made(bin_dir, history, tmp_path):
    on_line = tab(bin_dir, history, "pricewar", "compare", "--db", str(history), "tabbed", db_env=False)
    assert on_line == ["tabbed-test-model"]
    missing = tmp_path / "none" / "pricewar.db"
    assert tab(bin_dir, history, "pricewar", "compare", "--db", str(missing), "deepseek-c", db_env=False) == []
    assert not missing.parent.exists()


def test_a_tab_typed_at_an_interactive_bash(bin_dir, history, tmp_path):
    """The whole way: an interactive bash on a terminal, the script sourced, a line typed and Tab pressed."""
    import pty
    import select
    import time

    if BASH is None:
        pytest.skip("bash is not installed")
    rc = tmp_path / "bashrc"
    rc.write_text("PS1='READY> '\nsource <(pricewar completion bash)\n")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "PRICEWAR_DB": str(history), "TERM": "dumb"}
    pid, terminal = pty.fork()
    if pid == 0:  # the child: bash, reading the terminal
        os.execve(BASH, [BASH, "--noprofile", "--rcfile", str(rc), "-i"], env)

    def read_until(wanted: str, seconds: float = 30) -> str:
        seen, end = "", time.monotonic() + seconds
        while wanted not in seen and time.monotonic() < end:
            if select.select([terminal], [], [], 0.2)[0]:
                try:
                    seen += os.read(terminal, 4096).decode(errors="replace")
                except OSError:
                    break
        return seen

    try:
        assert "READY> " in read_until("READY> ")
        os.write(terminal, b"pricewar history tabbed-t\t")
        assert "pricewar history tabbed-test-model " in read_until("tabbed-test-model ")
        os.write(terminal, b"\x15pricewar compare deepseek-chat:f\t")  # ^U: a new line
        assert "pricewar compare deepseek-chat:free " in read_until("free ")
    finally:
        os.write(terminal, b"\x15exit\n")
        os.waitpid(pid, 0)
        os.close(terminal)


def completing(words: str, cword: int, **env: str) -> subprocess.CompletedProcess:
    """The protocol the bash script speaks, run directly."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_PRICEWAR_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(cword), **env}
    return subprocess.run([sys.executable, "-m", "pricewar"], capture_output=True, text=True, env=env, timeout=60)


def test_no_database_yet_is_no_model_ids_and_none_is_made(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "PRICEWAR_DB"}
    data_home = tmp_path / "data-home"
    result = subprocess.run([sys.executable, "-m", "pricewar"], capture_output=True, text=True, timeout=60, env={
        **env, "XDG_DATA_HOME": str(data_home), "PYTHONPATH": str(ROOT), "_PRICEWAR_COMPLETE": "complete_bash",
        "COMP_WORDS": "pricewar compare deepseek-c", "COMP_CWORD": "2"})
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")
    assert not data_home.exists()


@pytest.mark.parametrize("content", [b"not a database at all", None])
def test_a_broken_history_completes_nothing_and_says_nothing(tmp_path, content):
    path = tmp_path / "broken.db"
    if content is None:  # an SQLite file that is not pricewar's
        sqlite3.connect(path).execute("create table other (a)").connection.close()
    else:
        path.write_bytes(content)
    result = completing(f"pricewar compare --db {path} deepseek-c", 4)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")


def test_a_bad_config_file_does_not_break_completion(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("currency = CNY\n")
    result = completing("pricewar compare --cur", 2, PRICEWAR_CONFIG=str(config))
    assert (result.stdout.split(), result.stderr) == (["--currency"], "")


def test_completing_loads_only_the_command_on_the_line(history, tmp_path):
    """Its module alone (`-X importtime` cannot say: importlib.import_module bypasses it)."""
    listing = tmp_path / "modules.txt"
    code = ("import atexit, os, runpy, sys; atexit.register(lambda: open(os.environ['LISTING'], 'w')"
            ".write('\\n'.join(sys.modules))); runpy.run_module('pricewar', run_name='__main__')")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PRICEWAR_DB": str(history), "_PRICEWAR_COMPLETE": "complete_bash",
           "COMP_WORDS": "pricewar compare deepseek-chat", "COMP_CWORD": "2", "LISTING": str(listing)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.splitlines()[0] == "deepseek-chat"
    loaded = set(listing.read_text().split())
    assert {"pricewar.cli.compare", "pricewar.cli.completion"} <= loaded
    assert not loaded & {"pricewar.cli.update", "pricewar.cli.money", "pricewar.cli.reports", "pydantic", "sqlite_utils"}


def test_the_completion_command_prints_each_shells_script(monkeypatch):
    bash = ok("completion", "bash")
    assert "_PRICEWAR_COMPLETE=complete_bash $1" in bash and "complete -o default -F _pricewar_completion pricewar" in bash
    assert "compdef _pricewar_completion pricewar" in ok("completion", "zsh")
    assert ok("completion", "fish").startswith("complete --command pricewar ")
    monkeypatch.setenv("SHELL", "/usr/bin/zsh")
    assert ok("completion") == ok("completion", "zsh")
    result = run("completion", "tcsh")
    assert (result.exit_code, result.stderr) == (2, "error: no completion for the shell 'tcsh': pricewar completes "
                                                    "bash, zsh and fish\n")
    monkeypatch.setenv("SHELL", "/bin/ksh")
    result = run("completion")
    assert (result.exit_code, result.stderr) == (2, "error: name the shell: bash, zsh or fish (SHELL is 'ksh')\n")


def test_the_script_also_comes_from_the_variable_as_click_spells_it():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for instruction in ("source_bash", "bash_source"):
        printed = subprocess.run([sys.executable, "-m", "pricewar"], capture_output=True, text=True, timeout=60,
                                 env={**env, "_PRICEWAR_COMPLETE": instruction})
        assert printed.returncode == 0 and printed.stdout.strip() == ok("completion", "bash").strip()


def test_zsh_and_fish_get_model_ids_too(history):
    env = {"PRICEWAR_DB": str(history), "_TYPER_COMPLETE_ARGS": "pricewar history tabbed-te"}
    zsh = completing("", 0, _PRICEWAR_COMPLETE="complete_zsh", **env)
    assert zsh.stdout.startswith("_arguments '*: :((") and '"tabbed-test-model"' in zsh.stdout
    fish = completing("", 0, _PRICEWAR_COMPLETE="complete_fish", _TYPER_COMPLETE_FISH_ACTION="get-args", **env)
    assert fish.stdout.split() == ["tabbed-test-model"]
