"""The judged answer: an aggregator's zero is no price, free is shown apart, one row per model, the right kind."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import ok

from pricewar.answers import judge
from pricewar.history import queries

DAY = "2026-08-01"  # shipped data only: the archives' last snapshots are of 2026-07 and 2026-08


@pytest.mark.parametrize("model, stated, expected", [
    ("deepseek-chat", "", "chat"),
    ("text-embedding-3-large", "chat", "embedding"),  # OpenRouter calls it a chat model; its id says otherwise
    ("gpt-image-1-mini", "chat", "image"),
    ("lyria-3-clip-preview", "", "audio"),
    ("gpt-4o-mini-tts", "", "audio"),
    ("omni-moderation-latest", "", "moderation"),
    ("qwen-vl-max", "", "chat"),
    ("deep-research-pro", "image", "image"),  # a type other than chat that a source states stands
    ("openai/whisper-1", "", "audio"),
])
def test_what_kind_of_model(model, stated, expected):
    assert judge.model_type(model, stated) == expected


@pytest.mark.parametrize("model, base", [
    ("qwen-turbo-2024-11-01", "qwen-turbo"), ("gpt-4o-2024-05-13", "gpt-4o"), ("mistral-small-latest", "mistral-small"),
    ("claude-3-5-haiku-20241022", "claude-3-5-haiku"), ("gpt-4-0125-preview", "gpt-4-0125-preview"),
    ("claude-3-5-sonnet@20240620", "claude-3-5-sonnet"), ("deepseek-chat", "deepseek-chat"),
])
def test_ids_of_one_model(model, base):
    assert judge.base_id(model) == base


def test_a_zero_is_a_price_only_from_the_record_or_the_maker():
    assert judge.placeholder("litellm", Decimal(0)) and judge.placeholder("openrouter", Decimal("0"))
    assert not judge.placeholder("catalog", Decimal(0)) and not judge.placeholder("deepseek", Decimal(0))
    assert not judge.placeholder("litellm", Decimal("0.1"))


def ranked(*args: str) -> list[dict]:
    return json.loads(ok("compare", "--at", DAY, *args, "-f", "json"))


def free(row: dict) -> bool:
    return all(Decimal(row[kind] or 0) == 0 for kind in ("input", "output", "cache_hit"))


def test_the_cheapest_models_are_priced_ones_of_the_kind_asked():
    rows = ranked()
    priced = [row for row in rows if not free(row)]
    assert priced and rows[:len(priced)] == priced  # data lists the free offers after every ranked one
    rows = priced
    assert all(judge.model_type(row["model"]) == "chat" for row in rows)
    assert not any(row["source"] in ("litellm", "openrouter") and Decimal(row["input"] or 1) == 0 for row in rows)


def test_free_offers_are_said_apart_not_ranked():
    table = ok("compare", "--at", DAY, "--limit", "3")
    assert "free (price 0, not ranked):" in table and "ernie-lite" in table
    assert "ernie-lite" not in "".join(table.splitlines()[:5])
    data = ranked("ernie-lite", "glm-4-flash", "--at", "2024-09-15", "--currency", "CNY")
    assert {row["model"] for row in data} == {"ernie-lite", "glm-4-flash"} and all(map(free, data))


def test_one_row_per_model_unless_unfolded():
    def tier(row: dict) -> tuple:  # a region, a thinking mode or a context tier is a row of its own
        return row["region"], row["mode"], row["context_tier"]

    folded = [(row["model"], tier(row)) for row in ranked("qwen-turbo*")]
    unfolded = [(row["model"], tier(row)) for row in ranked("qwen-turbo*", "--unfold")]
    assert len(folded) < len(unfolded)
    assert len(folded) == len({(judge.base_id(model), rest) for model, rest in folded})
    also = [(row["model"], row["also_ids"], tier(row)) for row in ranked("qwen-turbo*")]
    assert sorted((model, rest) for base, ids, rest in also for model in [base, *ids]) == sorted(unfolded)


def test_a_time_of_day_tier_is_a_short_label_with_its_hours_in_a_note():
    table = ok("compare", "deepseek-chat", "--vs", "gpt-4o", "--at", "2026-08-20")
    assert "deepseek-chat [peak]" in table and "[peak] UTC" in table
    assert "[peak UTC" not in table


def test_an_empty_dated_answer_says_when_the_model_had_prices():
    table = ok("compare", "deepseek-reasoner", "--at", "2024-03-01")
    assert "no price in effect on 2024-03-01: the earliest known starts 2025-01-20" in table


def test_today_from_prices_seen_long_ago_says_so():
    note = ok("compare", "--limit", "3")
    assert "prices last seen: " in note and "litellm 2026-07-24" in note
    assert "prices last seen" not in ok("compare", "--limit", "3", "--at", DAY)


def moves(*args: str) -> list[dict]:
    return json.loads(ok("changes", "--since", "2025-01-01", "--until", "2025-12-31", *args, "-f", "json"))


def test_one_change_is_one_event_whoever_saw_it_and_under_whichever_id():
    o3 = [row for row in moves("--provider", "openai") if judge.base_id(row["model"]) == "o3" and row["kind"] == "input"]
    assert len(o3) == 1 and o3[0]["date"] == "2025-06-10"  # the record's date, not LiteLLM's day after
    assert set(o3[0]["sources"]) >= {"catalog", "litellm"}


def test_a_change_in_two_published_currencies_is_one_event_in_the_currency_asked():
    deepseek = [row for row in moves("--provider", "deepseek", "--currency", "CNY")
                if row["model"] == "deepseek-chat" and row["kind"] == "input" and row["date"] == "2025-02-08"]
    assert len(deepseek) == 1 and deepseek[0]["currency"] == "CNY"


def test_no_step_of_nothing_and_corrections_only_when_asked():
    rows = moves()
    assert all(row["old"] != row["new"] for row in rows) and not any(row["correction"] for row in rows)
    labelled = [row for row in moves("--corrections") if row["correction"]]
    assert labelled and all(row["source"] in queries.AGGREGATORS for row in labelled)  # only copies correct


@pytest.mark.parametrize("old, new, maker, reason", [
    ("100000", "0.1", None, "unit fix"), ("2690", "0.269", None, "unit fix"), ("5", "0", None, "placeholder"),
    ("1.5", "0.5", "1.5", "the maker's price differs"), ("10", "2", "2", ""), ("10", "2", None, ""),
])
def test_what_an_aggregators_step_is(old, new, maker, reason):
    assert judge.aggregator_correction("litellm", Decimal(old), Decimal(new),
                                       None if maker is None else Decimal(maker)) == reason
    assert judge.aggregator_correction("catalog", Decimal(old), Decimal(new), None) == ""


def test_war_follows_the_price_compare_shows():
    for day in ("2025-03-01", "2026-08-20"):
        [shown] = json.loads(ok("compare", "deepseek-chat", "--at", day, "-f", "json"))
        [line] = json.loads(ok("war", "deepseek-chat", "--until", day, "-f", "json"))
        assert Decimal(line["last"]) == Decimal(shown["input"]), day


def test_the_default_war_follows_the_chinese_flagships_and_narrows_by_provider():
    rows = json.loads(ok("war", "--provider", "alibaba", "-f", "json"))
    assert {row["model"] for row in rows} >= {"qwen-max", "qwen-turbo", "qwen-long"}
    assert {row["provider"] for row in rows} == {"alibaba"}


def test_a_resellers_source_shows_its_prices_with_the_seller_and_markup():
    rows = json.loads(ok("compare", "--source", "openrouter", "--at", DAY, "--limit", "5", "-f", "json"))
    assert rows and {row["seller"] for row in rows} == {"openrouter"}
    table = ok("compare", "gpt-4o", "--via", "all", "--at", DAY)
    assert "seller" in table and "markup" in table and "openrouter" in table


def test_the_html_report_has_the_same_defaults_and_narrows(tmp_path):
    page = tmp_path / "r.html"
    ok("report", "--html", str(page), "--provider", "deepseek", "--type", "chat")
    html = page.read_text(encoding="utf-8")
    assert "deepseek" in html.lower() and "lyria" not in html and "gpt-4o" not in html


def test_a_model_no_source_lists_any_more_is_not_current():
    table = ok("compare", "claude-3-sonnet", "claude-3-haiku*", "--at", DAY)
    # the last copy to list it: the onehub_prices feed, last seen 2025-10-28, for COPY_ANSWERS_DAYS more
    assert "no longer listed by any source, not ranked: claude-3-sonnet (since 2026-04-26)" in table
    [then] = json.loads(ok("compare", "claude-3-sonnet", "--at", "2025-03-01", "-f", "json"))
    assert then["source"] == "catalog"  # before the listings stopped, the record's price answers


def test_an_alias_pointed_at_another_snapshot_and_a_rewritten_entry_are_corrections():
    labelled = {(row["model"], row["kind"]): row["correction"] for row in moves("--corrections") if row["correction"]}
    assert labelled[("gpt-3.5-turbo", "input")] == "alias re-pointed to another snapshot's price"
    assert labelled[("kimi-thinking-preview", "input")] == "unit fix"
    assert labelled[("kimi-thinking-preview", "output")] == "corrected with its other prices"
    assert not any(model.startswith("o3") for model, _ in labelled)  # o3's cut was the maker's


def test_a_resellers_price_beats_no_answer_and_says_whose():
    [row] = json.loads(ok("compare", "codestral-mamba", "--at", "2024-11-15", "-f", "json"))
    assert (row["seller"], row["input"], row["output"]) == ("openrouter", "0.25", "0.25")
    assert "a reseller's price answers" in ok("compare", "codestral-mamba", "--at", "2024-11-15")
    assert {r["seller"] for r in json.loads(ok("compare", "gpt-4o", "--at", DAY, "-f", "json"))} == {"openai"}


def test_cost_answers_as_compare_does_where_only_a_reseller_prices_a_model():
    [row] = json.loads(ok("cost", "codestral-mamba", "--at", "2024-11-15", "--input-tokens", "1M", "-f", "json"))
    assert (row["source"], row["total"]) == ("openrouter", "0.25")


def test_the_whole_market_is_ranked_without_gateway_tables_yet_they_answer_for_a_model_named():
    rows = ranked()
    assert rows and not {row["source"] for row in rows} & set(queries.GATEWAYS)
    [named] = json.loads(ok("compare", "codegeex-4", "-f", "json"))  # only gateways' tables price it
    assert named["source"] in queries.GATEWAYS
