"""The price index's basket (catalog/basket.json): a valid, versioned file whose every member the bundled catalog
prices, each maker's flagship and budget slot, the member serving each slot on a day, and the members that enter."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from pricewar.answers import basket
from pricewar.answers.basket import Slot
from pricewar.price import PricewarError

MAKERS = {"deepseek", "alibaba", "zhipu", "moonshot", "bytedance", "baidu", "tencent", "minimax", "openai",
          "anthropic", "google"}


def shipped() -> dict:
    return json.loads(resources.files("pricewar.catalog").joinpath("basket.json").read_text(encoding="utf-8"))


def test_the_file_is_versioned_written_blended_3_to_1_and_states_its_rules():
    data = shipped()
    assert (data["version"], data["written"], data["blend"]) == (1, "2026-12-08", [3, 1])
    assert basket.version() == 1 and basket.blend() == (3, 1)
    assert len(data["rules"]) >= 5 and all(rule.endswith(".") for rule in data["rules"])
    assert any("chain-linked" in rule for rule in data["rules"])
    assert any("no price" in rule for rule in data["rules"])


def test_every_maker_has_one_flagship_and_one_budget_slot():
    slots = [(slot["maker"], slot["tier"]) for slot in shipped()["slots"]]
    assert sorted(slots) == sorted((maker, tier) for maker in MAKERS for tier in ("flagship", "budget"))


def test_every_member_is_a_model_the_bundled_catalog_prices_by_its_from_day():
    catalog = json.loads(resources.files("pricewar.catalog").joinpath("catalog.json").read_text(encoding="utf-8"))
    first = {}
    for price in catalog["prices"]:
        key = (price["provider"], price["model"])
        first[key] = min(first.get(key, "9999"), price["effective_from"])
    late = []
    for slot in shipped()["slots"]:
        for member in slot["members"]:
            key = (slot["maker"], member["model"])
            assert key in first, f"{key} is not in the catalog"
            if first[key] > member["from"]:
                late.append((key, member["from"], first[key]))
            assert member["why"]
    # the dates a member enters are the catalog's first published price of it, or later
    assert late == []


@pytest.mark.parametrize("day, expected", [
    ("2024-01-24", []),
    ("2024-01-25", [("openai", "budget", "gpt-3.5-turbo-0125", "2024-01-25")]),
    ("2024-05-13", None),  # checked below: gpt-4o serves OpenAI's flagship slot from its launch day
    ("2025-01-20", None),
])
def test_the_slots_of_a_day_are_its_serving_members_sorted_by_maker_and_tier(day, expected):
    found = basket.slots_on(day)
    assert found == sorted(found, key=lambda slot: (slot.maker, slot.tier))
    if expected is not None:
        assert [(s.maker, s.tier, s.model, s.since) for s in found] == expected


def test_members_serve_from_their_from_day_until_the_next_enters():
    def member(day, maker, tier):
        return next(s.model for s in basket.slots_on(day) if (s.maker, s.tier) == (maker, tier))

    assert member("2024-05-12", "openai", "flagship") == "gpt-4-turbo"
    assert member("2024-05-13", "openai", "flagship") == "gpt-4o"
    assert member("2025-01-19", "deepseek", "flagship") == "deepseek-chat"
    assert member("2025-01-20", "deepseek", "flagship") == "deepseek-chat"  # a reasoning line is no flagship
    assert member("2026-04-24", "deepseek", "flagship") == "deepseek-v4-pro"
    assert member("2026-12-08", "anthropic", "flagship") == "claude-opus-4-8"
    assert len(basket.slots_on("2024-05-29")) == 20  # Google enters on 2024-05-30
    assert len(basket.slots_on("2024-05-30")) == 22


def test_the_changes_of_a_window_are_entries_and_replacements_in_day_order():
    changes = basket.changes_of_members("2024-05-13", "2024-05-20")
    assert [(day, new.maker, new.tier, new.model, old and old.model) for day, new, old in changes] == [
        ("2024-05-13", "openai", "flagship", "gpt-4o", "gpt-4-turbo"),
        ("2024-05-15", "bytedance", "budget", "doubao-lite-32k", None),
        ("2024-05-15", "bytedance", "flagship", "doubao-pro-32k", None),
        ("2024-05-20", "alibaba", "budget", "qwen-turbo", None),
        ("2024-05-20", "alibaba", "flagship", "qwen-max", None),
    ]
    assert basket.changes_of_members("2024-05-14", "2024-05-14") == []
    assert changes[0][1] == Slot("openai", "flagship", "gpt-4o", "2024-05-13")


GOOD = {"version": 2, "written": "2026-12-08", "blend": [3, 1], "rules": ["One rule."],
        "slots": [{"maker": "deepseek", "tier": "budget",
                   "members": [{"model": "deepseek-chat", "from": "2024-05-06", "why": "cheap"}]}]}


def bad(**changes) -> str:
    data = json.loads(json.dumps(GOOD))
    for path, value in changes.items():
        *parents, last = path.split("__")
        where = data
        for part in parents:
            where = where[int(part)] if part.isdigit() else where[part]
        where[last] = value
    return json.dumps(data)


def test_a_good_file_parses():
    parsed = basket.parse(json.dumps(GOOD))
    assert parsed.version == 2 and parsed.slots_on("2024-05-06") == [Slot("deepseek", "budget", "deepseek-chat",
                                                                          "2024-05-06")]


@pytest.mark.parametrize("text, names", [
    (bad(slots__0__tier="premium"), ["slot 1", "deepseek", "unknown tier 'premium'"]),
    (bad(slots__0__members=[{"model": "a", "from": "2024-05-06", "why": "x"},
                            {"model": "b", "from": "2024-05-06", "why": "x"}]),
     ["slot 1 (deepseek budget) member 2 (b)", "not after the previous member's (a, 2024-05-06)"]),
    (bad(slots=GOOD["slots"] * 2), ["slot 2 (deepseek budget)", "second budget slot of deepseek"]),
    (bad(slots__0__members__0__from="2024-5-6"), ["member 1 (deepseek-chat)", "YYYY-MM-DD"]),
    (bad(slots__0__members__0__why=""), ["member 1 (deepseek-chat)", "why"]),
    (bad(blend=[3]), ["blend"]),
    (bad(version=0), ["version"]),
    ("[1, 2", ["not JSON"]),
])
def test_a_bad_file_is_one_sentence_naming_the_entry(text, names):
    with pytest.raises(PricewarError) as raised:
        basket.parse(text)
    for name in names:
        assert name in str(raised.value)
    assert str(raised.value).startswith("basket.json")
