"""The war as moves (answers/moves.py), read back from a freshly seeded history: the May 2024 sequence in order
with its lags and tiers, a rise, o3's cut, and the sources that prove each move."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest

from pricewar.answers import moves

MAY = ("2024-05-01", "2024-05-31")


@pytest.fixture(scope="module")
def db(seeded_db):
    return seeded_db


@pytest.fixture(scope="module")
def may(db):
    return moves.moves(db, *MAY)


def one(found, date, provider, tier):
    [move] = [m for m in found if (m.date, m.provider, m.tier) == (date, provider, tier)]
    return move


def test_the_may_2024_price_war_in_order_with_its_lags(may):
    wanted = [("2024-05-06", "deepseek", "launch", "budget", None, None),
              ("2024-05-11", "zhipu", "cut", "budget", "deepseek", 5),
              ("2024-05-15", "bytedance", "launch", "flagship", "openai", 2),
              ("2024-05-15", "bytedance", "launch", "budget", "zhipu", 4),
              ("2024-05-21", "alibaba", "cut", "flagship", "bytedance", 6),
              ("2024-05-21", "alibaba", "cut", "budget", "bytedance", 6),
              ("2024-05-21", "baidu", "free", "budget", "alibaba", 0),
              ("2024-05-22", "tencent", "cut", "flagship", "alibaba", 1),
              ("2024-05-22", "tencent", "free", "budget", "iflytek", 0)]
    makers = {w[1] for w in wanted}
    seen = [(m.date, m.provider, m.what, m.tier, m.answers and m.answers.provider, m.lag_days)
            for m in may if m.provider in makers]
    assert seen == wanted
    assert [m.date for m in may] == sorted(m.date for m in may)


def test_the_moves_of_may_2024_name_their_models_and_sizes(may):
    deepseek = one(may, "2024-05-06", "deepseek", "budget")
    assert [m.model for m in deepseek.models] == ["deepseek-chat", "deepseek-v2"]
    assert deepseek.lead.price() == "1 / 2 CNY" and deepseek.size is None
    qwen = one(may, "2024-05-21", "alibaba", "budget")
    assert qwen.lead.model == "qwen-long"
    assert (qwen.size.kind, qwen.size.old, qwen.size.new, qwen.size.change_pct) == \
        ("input", Decimal(20), Decimal("0.5"), Decimal("-97.5"))
    assert {m.model for m in qwen.models} == {"qwen-long", "qwen-plus", "qwen-turbo"}
    assert {m.model for m in one(may, "2024-05-21", "alibaba", "flagship").models} >= {"qwen-max"}
    assert {m.model for m in one(may, "2024-05-21", "baidu", "budget").models} == {"ernie-speed", "ernie-lite"}
    doubao = one(may, "2024-05-15", "bytedance", "flagship")
    assert [m.model for m in doubao.models] == ["doubao-pro-32k", "doubao-pro-128k"]  # the cheapest leads
    assert doubao.sentence() == ("ByteDance launched doubao-pro-32k at 0.8 / 2 CNY and doubao-pro-128k at 5 / 9 CNY "
                                 "2 days after OpenAI launched gpt-4o at 5 / 15 USD")
    assert [m.model for m in one(may, "2024-05-15", "bytedance", "budget").models] == ["doubao-lite-32k"]
    tencent = one(may, "2024-05-22", "tencent", "flagship")
    assert tencent.size.change_pct == Decimal("-87.5") and tencent.lead.model == "hunyuan-standard-256k"
    assert [m.model for m in one(may, "2024-05-22", "tencent", "budget").models] == ["hunyuan-lite"]


def test_the_sentences_say_who_moved_what_and_whom_it_answered(may):
    assert one(may, "2024-05-11", "zhipu", "budget").sentence() == (
        "Zhipu AI cut glm-3-turbo by 80.0% (input 5 → 1 CNY) 5 days after DeepSeek launched deepseek-chat at 1 / 2 CNY")
    assert one(may, "2024-05-21", "baidu", "budget").sentence() == (
        "Baidu made ernie-lite and ernie-speed free the same day as Alibaba cut qwen-long by 97.5%")
    assert one(may, "2024-05-06", "deepseek", "budget").sentence() == (
        "DeepSeek launched deepseek-chat and deepseek-v2 at 1 / 2 CNY")
    assert one(may, "2024-05-22", "tencent", "flagship").sentence().startswith("Tencent launched hunyuan-pro at "
                                                                                "30 / 100 CNY and cut hunyuan-standard-256k by 87.5% (input 120 → 15 CNY) 1 day after Alibaba cut qwen-max by 66.7%")


def test_each_tier_says_how_it_was_decided(may):
    assert one(may, "2024-05-11", "zhipu", "budget").tier_reason == "basket member: glm-3-turbo is zhipu's budget slot"
    deepseek = one(may, "2024-05-06", "deepseek", "budget").tier_reason
    assert deepseek.startswith("serves both of deepseek's slots; deepseek-chat at 1.25 CNY") and "budget" in deepseek
    assert "below the market: 1.25 CNY vs the other makers' budget median" in deepseek
    qwen = one(may, "2024-05-21", "alibaba", "budget")
    long = next(m for m in qwen.models if m.model == "qwen-long")
    assert long.tier_reason.startswith("qwen-long at 20 CNY (blended 3:1) is nearer alibaba's budget member (qwen-turbo")
    assert one(may, "2024-05-21", "baidu", "budget").tier_reason.startswith("free: ")


def test_a_listing_or_the_price_before_a_cut_is_no_launch(may):
    launched = {(m.date, model.model) for m in may for model in m.models if model.what in ("launch", "free")}
    assert ("2024-05-20", "qwen-long") not in launched  # the record's price before the 2024-05-21 cut
    assert ("2024-05-21", "hunyuan-standard-256k") not in launched  # derived from the 87.5% cut
    assert not any(model == "qwen1.5-72b-chat" for _, model in launched)  # a LISTING: start not published


def test_the_end_of_deepseeks_promotion_is_a_rise(db):
    [move] = [m for m in moves.moves(db, "2025-02-08", "2025-02-08", provider="deepseek")]
    assert (move.what, move.tier) == ("rise", "budget")
    assert {m.model for m in move.models} >= {"deepseek-chat"}
    assert move.size.change_pct > 0 and move.size.kind in ("input", "output")
    assert move.sentence().startswith("DeepSeek raised deepseek-chat by ")


def test_deepseeks_later_moves(db):
    found = moves.moves(db, "2025-09-01", "2026-04-30", provider="deepseek")
    by = {(m.date, m.tier): m.what for m in found}
    # deepseek-chat serves both of DeepSeek's slots until V4, so its tier is the market's: at 3.5 CNY blended in
    # 2025 it is nearer the other makers' flagship median (6) than their budget median (1.1)
    assert by[("2025-09-05", "flagship")] == "rise"  # V3.1: deepseek-chat 2 → 4 CNY input
    assert by[("2025-09-29", "flagship")] == "cut"  # V3.2-Exp
    assert by[("2026-04-24", "budget")] == "cut"  # V4: deepseek-chat becomes v4-flash at 1 / 2 CNY
    assert by[("2026-04-24", "flagship")] == "launch"  # deepseek-v4-pro at 3 / 6 CNY


def test_o3_cut_by_80_percent_in_the_flagship_tier(db):
    [move] = [m for m in moves.moves(db, "2025-06-10", "2025-06-10", provider="openai")]
    assert (move.what, move.tier, move.lead.model, move.size.change_pct) == ("cut", "flagship", "o3", Decimal(-80))
    assert "nearer openai's flagship member (gpt-4.1" in move.tier_reason
    assert move.sentence().startswith("OpenAI cut o3 by 80.0% (input 10 → 2 USD)")


def test_a_window_answers_a_move_made_before_it_and_a_maker_filter_keeps_whom_it_answered(db):
    [zhipu] = moves.moves(db, "2024-05-11", "2024-05-11", provider="zhipu")
    assert (zhipu.answers.provider, zhipu.answers.date, zhipu.lag_days) == ("deepseek", "2024-05-06", 5)


def test_every_move_names_its_sources_and_date_and_reads_as_json(db):
    found = moves.moves(db, "2024-05-01", "2026-12-08")
    assert len(found) > 40
    for move in found:
        assert move.sources and move.source_url and move.date, move
    data = json.loads(json.dumps([m.as_dict() for m in found]))
    zhipu = next(d for d in data if (d["date"], d["provider"]) == ("2024-05-11", "zhipu"))
    assert zhipu["size"] == {"kind": "input", "dimensions": ["standard", "", "", "", ""], "currency": "CNY",
                             "old": "5", "new": "1", "change_pct": "-80.0"}
    assert zhipu["answers"]["provider"] == "deepseek" and zhipu["lag_days"] == 5
    assert zhipu["sources"][0] == "catalog" and zhipu["effective"] == "2024-05-11"
    assert next(d for d in data if d["provider"] == "deepseek")["price"] == "1 / 2 CNY"


def test_comparable_tiers_answer_each_other(db):
    found = moves.moves(db, "2024-05-01", "2026-12-08")
    for move in found:
        if move.answers is not None:
            assert move.answers.tier == move.tier and move.answers.provider != move.provider
            assert 0 <= move.lag_days <= moves.ANSWER_DAYS and move.answers.date <= move.date


def test_the_whole_war_answers_in_a_few_seconds(db):
    started = time.perf_counter()
    moves.moves(db, "2024-05-01", "2026-12-08")
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("level, references, tier", [
    (Decimal(20), {"flagship": Decimal(120), "budget": Decimal(8)}, "budget"),  # 2.5× above vs 6× below
    (Decimal(50), {"flagship": Decimal(120), "budget": Decimal(8)}, "flagship"),
    (Decimal(0), {"flagship": Decimal(120), "budget": Decimal(8)}, "budget"),
    (Decimal("17.5"), {"flagship": Decimal("3.5"), "budget": Decimal("0.7")}, "flagship"),
])
def test_a_tier_is_the_nearer_in_log_scale(level, references, tier):
    assert moves.nearer(level, references) == tier


@pytest.mark.parametrize("prices, level", [
    ({"input": Decimal(1), "output": Decimal(2)}, Decimal("1.25")),
    ({"input": Decimal(20)}, Decimal(20)),
    ({"output": Decimal(6)}, Decimal(6)),
    ({}, None),
])
def test_a_level_blends_three_input_to_one_output(prices, level):
    assert moves.level_of(prices) == level


def test_deepseeks_off_peak_discount_is_a_cut_from_the_all_day_price(db):
    found = moves.moves(db, "2025-02-26", "2025-02-26", provider="deepseek")
    chat = next(m for m in found if "deepseek-chat" in {x.model for x in m.models})
    step = next(s for x in chat.models if x.model == "deepseek-chat" for s in x.steps if s.kind == "input")
    assert (chat.what, step.old, step.new, step.currency) == ("cut", Decimal(2), Decimal(1), "CNY")
    assert step.dimensions[4] == "off-peak UTC 16:30-00:30" and step.change_pct == Decimal(-50)
    reasoner = next(m for m in found if "deepseek-reasoner" in {x.model for x in m.models})
    assert reasoner.size.change_pct == Decimal(-75) and reasoner.sources == ("catalog",)
    assert "(off-peak UTC 16:30-00:30) 2 → 1 CNY" in chat.sentence()


def test_a_first_peak_price_above_the_all_day_one_is_a_rise(db):
    from pricewar.answers import hours

    steps = [s for s in hours.window_steps(db, "2026-08-16", "2026-08-16") if s.model == "deepseek-v4-flash"]
    peak = {s.kind: (s.old, s.new) for s in steps if s.dimensions[4].startswith("peak")}
    assert peak["input"] == (Decimal(1), Decimal(3)) and all(s.currency == "CNY" for s in steps)
    assert all(s.sources == ("catalog",) for s in steps)  # the maker's dated record, never a copy's first sight
    [rise] = [m for m in moves.moves(db, "2026-08-16", "2026-08-16", provider="deepseek") if m.tier == "budget"]
    assert rise.what == "rise"
