"""Whose price: the makers' own by default, a reseller's when asked; the version; a closed pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ok, run

from pricewar import __version__


def sellers(*args: str) -> set[tuple[str, str]]:
    return {(row["provider"], row["source"]) for row in json.loads(ok(*args, "-f", "json"))}


def test_compare_shows_the_makers_own_prices_by_default():
    assert sellers("compare", "gpt-4o", "--at", "2025-03-01") == {("openai", "catalog")}
    everyone = sellers("compare", "gpt-4o", "--at", "2025-03-01", "--via", "all")
    assert {("openai", "catalog"), ("azure", "litellm"), ("openai", "openrouter")} <= everyone
    assert sellers("compare", "gpt-4o", "--at", "2025-03-01", "--via", "openrouter") == {("openai", "openrouter")}
    assert sellers("compare", "gpt-4o", "--at", "2025-03-01", "--via", "azure") == {("azure", "litellm")}


def test_cost_and_war_follow_the_makers_too():
    costs = json.loads(ok("cost", "gpt-4o", "--input-tokens", "1M", "--at", "2025-03-01", "-f", "json"))
    assert {row["provider"] for row in costs} == {"openai"}
    assert {row["provider"] for row in json.loads(ok("war", "o3", "--since", "2025-05-01", "-f", "json"))} == {
        "openai"}


def test_an_unknown_seller_is_a_usage_error_with_a_hint():
    result = run("compare", "gpt-4o", "--via", "azurre")
    assert result.exit_code == 2 and "did you mean azure" in result.stderr


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"pricewar {__version__}"


def test_a_reader_that_stops_early_is_a_success(tmp_path):
    reader = subprocess.Popen(["head", "-n", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run([sys.executable, "-m", "pricewar", "compare", "--via", "all"], stdout=reader.stdin,
                            stderr=subprocess.PIPE, cwd=tmp_path, timeout=120,
                            env={**os.environ, "PRICEWAR_DB": str(tmp_path / "h.db")})
    reader.stdin.close()
    reader.wait()
    assert writer.returncode == 0 and writer.stderr == b""


def test_filters_people_ask_for():
    rows = json.loads(ok("compare", "--max-output", "0.5", "--provider", "deepseek,alibaba", "-p", "zhipu",
                         "--at", "2025-03-01", "-f", "json"))
    assert rows and {row["provider"] for row in rows} <= {"deepseek", "alibaba", "zhipu"}
    assert all(row["output"] is not None and float(row["output"]) <= 0.5 for row in rows)
    blended = json.loads(ok("compare", "--max-blended", "1", "--at", "2025-03-01", "-f", "json"))
    assert blended and all(float(row["blended"]) <= 1 for row in blended)
    result = run("compare", "--max-input", "cheap")
    assert result.exit_code == 2 and "not a number" in result.stderr


def test_a_typo_in_a_model_id_is_not_a_new_model():
    result = run("record", "deepseek", "deepseek-chatt", "--input", "1", "--source", "https://x.test")
    assert result.exit_code == 2 and "did you mean deepseek-chat" in result.stderr and "--new-model" in result.stderr
    assert "Recorded" in ok("record", "deepseek", "deepseek-v9", "--new-model", "--input", "1", "--source",
                            "https://x.test")


def test_economics_says_when_the_node_loses_money_at_any_load():
    text = ok("economics", "--throughput", "50000", "--node-cost", "15", "--price", "0.005")
    assert "loses money at any load" in text
    assert "loses money" not in ok("economics", "--throughput", "50000", "--node-cost", "15", "--price", "0.28")


def test_chat_models_by_default_other_kinds_when_asked():
    chat = {row["model"] for row in json.loads(ok("compare", "--provider", "openai", "-f", "json"))}
    embeddings = {row["model"] for row in json.loads(ok("compare", "--provider", "openai", "--type", "embedding",
                                                        "-f", "json"))}
    assert "text-embedding-3-small" in embeddings and "text-embedding-3-small" not in chat
    assert "gpt-4o" in chat and "gpt-4o" not in embeddings
    named = json.loads(ok("compare", "text-embedding-3-small", "-f", "json"))  # a model named is shown whatever it is
    assert [row["model"] for row in named] == ["text-embedding-3-small"]
    result = run("compare", "--type", "video")
    assert result.exit_code == 2 and "--type" in result.stderr


def test_history_of_several_models_says_whose_each_row_is():
    text = ok("history", "deepseek-v2*")
    assert "model" in text.splitlines()[1] and "DeepSeek deepseek-v2.5" in text
    rows = json.loads(ok("history", "deepseek-v2*", "-f", "json"))
    by_model = {row["model"] for row in rows}
    assert by_model == {"deepseek-v2", "deepseek-v2.5"}
    assert not [row for row in rows if row["model"] == "deepseek-v2.5" and row["effective_from"] < "2024-09-05"]


def test_vs_takes_one_model_a_side():
    result = run("compare", "gpt-4o*", "--vs", "deepseek-chat")
    assert result.exit_code == 2 and "names" in result.stderr and "openai/gpt-4o-2024-05-13" in result.stderr
    versus = json.loads(ok("compare", "deepseek-chat", "--vs", "gpt-4o", "--at", "2025-03-01", "-f", "json"))
    assert (versus["b"]["provider"], versus["b"]["source"]) == ("openai", "catalog")  # OpenAI's, not Azure's
