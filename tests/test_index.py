"""The price index on the seeded history: the basket's value and chain-linked level in yuan and dollars recomputed by
hand from the catalog's published prices on three dates, a replacement and an entry reported as events, a slot
entering that moves nothing, a gap (a retired member) never filled, each maker's own index and the change over a
window, every figure sourced."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pricewar.answers import basket
from pricewar.answers.index import index
from pricewar.price import UsageError

D = Decimal
# The members the bundled catalog publishes in CNY, blended (3 x input + output) / 4 per 1M tokens, all unchanged
# from 2024-06-05 to 2024-08-08:
#   qwen-turbo 2/6 -> 3, qwen-max 40/120 -> 60, ernie-3.5-8k 12/12 -> 12, ernie-4.0-8k 120/120 -> 120,
#   doubao-lite-32k 0.3/0.6 -> 0.375, doubao-pro-32k 0.8/2 -> 1.1, deepseek-chat 1/2 -> 1.25 (twice: DeepSeek's
#   flagship and budget slot), abab6.5s-chat 10/10 -> 10, abab6.5-chat 30/30 -> 30, moonshot-v1-8k 12/12 -> 12,
#   moonshot-v1-128k 60/60 -> 60, hunyuan-standard 4.5/5 -> 4.625, hunyuan-pro 30/100 -> 47.5, glm-4-air 1/1 -> 1,
#   glm-4 100/100 -> 100.                                                             sum: 464.1
CNY_PART = D("464.1")
# The members published in USD: claude-3-haiku 0.25/1.25 -> 0.5, claude-3-opus 15/75 -> 30, gemini-1.5-pro
# 3.5/10.5 -> 5.25, gpt-4o 5/15 -> 7.5, and
#   2024-07-17: gemini-1.5-flash 0.35/1.05 -> 0.525, gpt-3.5-turbo-0125 0.5/1.5 -> 0.75    sum: 44.525
#   2024-07-18: gpt-4o-mini 0.15/0.6 -> 0.2625 replaces gpt-3.5-turbo-0125                 sum: 44.0375
#   2024-08-08: gemini-1.5-flash cut to 0.075/0.3 -> 0.13125                               sum: 43.64375
USD_PART = {"2024-07-17": D("44.525"), "2024-07-18": D("44.0375"), "2024-08-08": D("43.64375")}
# ECB USD->CNY of each day (6 significant digits, as pricewar's fx gives them)
USD_CNY = {"2024-07-17": D("7.25919"), "2024-07-18": D("7.25773"), "2024-08-08": D("7.17228")}


@pytest.fixture(scope="module")
def db(seeded_db):
    return seeded_db


@pytest.fixture(scope="module")
def summer(db):
    return index(db, "2024-07-17", "2024-08-08", "CNY")


def test_three_dates_in_yuan_recomputed_by_hand(summer):
    # 2024-07-17: 464.1 + 44.525 x 7.25919 = 464.1 + 323.21543475 = 787.31543475
    # 2024-07-18: 464.1 + 44.0375 x 7.25773 = 464.1 + 319.612284875 = 783.712284875
    # 2024-08-08: 464.1 + 43.64375 x 7.17228 = 464.1 + 313.02519525 = 777.12519525
    expected = {"2024-07-17": D("787.31543475"), "2024-07-18": D("783.712284875"), "2024-08-08": D("777.12519525")}
    for day, value in expected.items():
        assert CNY_PART + USD_PART[day] * USD_CNY[day] == value
        point = summer.point(day)
        assert point.value == value
        assert len(point.priced) == 22 and point.missing == ()
        assert {member.rate.value for member in point.priced if member.rate} == {USD_CNY[day]}
        assert {member.rate.date for member in point.priced if member.rate} == {day}
    # the 22 slots are the same every day of the window, so the chain telescopes: level = 100 x value / first value
    assert summer.point("2024-07-17").level == 100
    for day in ("2024-07-18", "2024-08-08"):
        assert round(summer.point(day).level, 18) == round(100 * expected[day] / expected["2024-07-17"], 18)
    assert round(summer.point("2024-08-08").level, 6) == D("98.705698")


def test_a_day_in_dollars_recomputed_by_hand(db):
    # 2024-07-18 in USD: the yuan members at the ECB CNY->USD 0.137784, but DeepSeek publishes deepseek-chat in
    # dollars too (0.14/0.28 -> 0.175), and a price published in the index's currency is the one taken:
    #   (464.1 - 2 x 1.25) x 0.137784 + 2 x 0.175 + 44.0375 = 63.6010944 + 0.35 + 44.0375 = 107.9885944
    point = index(db, "2024-07-18", "2024-07-18", "USD").point("2024-07-18")
    assert point.value == D("107.9885944")
    deepseek = [member for member in point.priced if member.slot.maker == "deepseek"]
    assert [(m.blended_per_mtok, m.published_currency, m.rate) for m in deepseek] == [(D("0.175"), "USD", None)] * 2
    assert {(m.rate.value, m.rate.base) for m in point.priced if m.rate} == {(D("0.137784"), "CNY")}


def test_every_figure_names_its_source_and_effective_date(summer):
    point = summer.point("2024-08-08")
    flash = next(member for member in point.priced if member.slot.model == "gemini-1.5-flash")
    assert (flash.source, flash.effective_from, flash.published_currency) == ("catalog", "2024-08-08", "USD")
    assert all(member.source and member.effective_from for member in point.priced)


def test_a_replacement_is_an_event_and_moves_the_level_by_the_price_difference(summer):
    assert [(e.day, e.kind, e.slot.model, e.before.model) for e in summer.events] == [
        ("2024-07-18", "replaced", "gpt-4o-mini", "gpt-3.5-turbo-0125")]
    # OpenAI's own index: (0.2625 + 7.5) x 7.25773 / ((0.75 + 7.5) x 7.25919)
    openai = summer.point("2024-07-18").makers["openai"]
    assert round(openai, 18) == round(100 * D("7.7625") * D("7.25773") / (D("8.25") * D("7.25919")), 18)


def test_a_slot_entering_moves_nothing_and_a_price_change_moves_it(db):
    found = index(db, "2024-05-09", "2024-05-11", "CNY")
    assert [(e.day, e.kind, e.slot.maker, e.slot.tier, e.slot.model) for e in found.events] == [
        ("2024-05-10", "enters", "zhipu", "budget", "glm-3-turbo")]
    first, entered, cut = found.daily
    # glm-3-turbo enters on 2024-05-10 at 5/5 -> 5: the link leaves it out
    assert entered.value - first.value != 0
    assert entered.level == 100 * (entered.value - 5) / first.value
    # Zhipu's own index: glm-4 alone (100) on 2024-05-09, glm-3-turbo joins without moving it, then cuts to 1/1
    assert (first.makers["zhipu"], entered.makers["zhipu"]) == (100, 100)
    assert cut.makers["zhipu"] == 100 * D(101) / D(105)
    assert "alibaba" not in first.makers  # not yet in the basket


def test_the_change_over_a_window_and_a_maker_entering_inside_it(db):
    found = index(db, "2024-05-14", "2024-05-21", "CNY")
    changes = {change.who: change for change in found.changes()}
    # Alibaba enters on 2024-05-20 at qwen-max 40/120 + qwen-turbo 6/14 (120 + 8 = 128); on 2024-05-21 it cut them
    # to 40/120 -> 60 and 2/6 -> 3: 63 / 128 - 1 = -50.78125 %
    alibaba = changes["alibaba"]
    assert (alibaba.first, alibaba.last, alibaba.percent) == ("2024-05-20", "2024-05-21", D("-50.78125"))
    assert changes["bytedance"].first == "2024-05-15" and changes["bytedance"].percent == 0
    basket_change = changes["basket"]
    assert basket_change.percent == (found.point("2024-05-21").level / 100 - 1) * 100
    assert basket_change.percent < -8
    within = {change.who: change for change in found.changes("2024-05-20", "2024-05-20")}
    assert within["basket"].percent == 0


def test_a_retired_member_leaves_a_gap_that_is_reported_and_never_filled(db, monkeypatch):
    # deepseek-v2's prices end on 2024-09-05, months before deepseek-v3 enters its (test) slot on 2024-12-26
    text = json.dumps({"version": 1, "written": "2026-12-08", "blend": [3, 1], "rules": ["A test basket."],
                       "slots": [{"maker": "deepseek", "tier": "flagship", "members": [
                           {"model": "deepseek-v2", "from": "2024-05-06", "why": "test"},
                           {"model": "deepseek-v3", "from": "2024-12-26", "why": "test"}]},
                           {"maker": "deepseek", "tier": "budget", "members": [
                               {"model": "deepseek-chat", "from": "2024-05-06", "why": "test"}]}]})
    monkeypatch.setattr(basket, "load", lambda: basket.parse(text))
    found = index(db, "2024-09-01", "2024-12-31", "USD")
    assert [(e.day, e.kind, e.slot.model, e.until) for e in found.events] == [
        ("2024-09-05", "gap", "deepseek-v2", "2024-12-25"),
        ("2024-12-26", "replaced", "deepseek-v3", None),
        ("2024-12-26", "returns", "deepseek-v3", None)]
    gap = found.events[0]
    assert "no price in effect on 2024-09-05" in gap.why
    during = found.point("2024-10-01")
    assert [slot.model for slot, _why in during.missing] == ["deepseek-v2"]
    assert "the last known ended 2024-09-05" in during.missing[0][1]
    assert [member.slot.model for member in during.priced] == ["deepseek-chat"]
    # deepseek-chat's dollar price held that autumn (0.14/0.28): neither the gap nor deepseek-v3's entry after it
    # moves the level, though the basket's value falls and rises by a whole slot
    assert {point.level for point in found.daily} == {100}
    assert found.point("2024-09-04").value > found.point("2024-09-05").value == D("0.175")


def test_the_shipped_basket_has_no_gap_over_the_whole_history(db):
    for currency in ("CNY", "USD"):
        found = index(db, "2024-01-25", "2026-12-08", currency, every="month")
        assert [e for e in found.events if e.kind in ("gap", "returns")] == []
        assert all(point.missing == () for point in found.daily)
        assert len(found.daily[-1].priced) == 22


def test_points_every_week_or_month_keep_both_ends(db):
    weekly = index(db, "2024-07-17", "2024-08-08", "CNY", every="week")
    assert [point.day for point in weekly.points] == ["2024-07-17", "2024-07-24", "2024-07-31", "2024-08-07",
                                                       "2024-08-08"]
    monthly = index(db, "2024-07-17", "2024-09-03", "CNY", every="month")
    assert [point.day for point in monthly.points] == ["2024-07-17", "2024-08-01", "2024-09-01", "2024-09-03"]
    assert monthly.points[1] is monthly.point("2024-08-01")  # the same daily chain, only fewer points returned


def test_as_dict_is_json_with_exact_strings_and_the_rates_used(summer):
    data = json.loads(json.dumps(summer.as_dict()))
    assert (data["currency"], data["basket_version"], data["blend"]) == ("CNY", 1, [3, 1])
    assert data["points"][0]["value"] == "787.31543475" and data["points"][0]["level"] == "100"
    assert data["changes"][0]["who"] == "basket"
    assert data["events"][0]["kind"] == "replaced"
    assert {rate["date"] for rate in data["rates"]} >= set(USD_CNY)
    assert data["points"][0]["priced"][0]["source"] == "catalog"


@pytest.mark.parametrize("since, until, currency, every, says", [
    ("2024-05-10", "2024-05-09", "CNY", "day", "comes after"),
    ("2024-13-01", "2024-05-09", "CNY", "day", "YYYY-MM-DD"),
    ("2024-05-01", "2024-05-09", "CNY", "year", "every"),
])
def test_a_bad_question_is_one_sentence(db, since, until, currency, every, says):
    with pytest.raises(UsageError, match=says):
        index(db, since, until, currency, every=every)
