"""Wrong data is refused, never stored: signs, exponents, digits, duplicate keys, zeros and vanished kinds."""

from __future__ import annotations

import json
import os
from decimal import Decimal

import pytest
from conftest import ok, run, shared_file

from pricewar.history import database
from pricewar.price import PricewarError, parse_money
from pricewar.sources.providers import deepseek, litellm, openrouter


@pytest.fixture(autouse=True)
def _bundled_record_only(no_shipped_history):
    pass


@pytest.mark.parametrize("text, words", [
    ("$-0.28", "negative"), ("-$0.28", "negative"), ("−0.28元", "negative"),
    ("$1e400", "exponent"), ("0.5E-3 元", "exponent"),
])
def test_a_price_cell_with_a_sign_or_an_exponent_is_refused(text, words):
    with pytest.raises(PricewarError, match=words):
        parse_money(text)


@pytest.mark.parametrize("text, amount", [("$0.28", "0.28"), ("2 – 3 元", "2"), ("GPT-4 $0.28 / MTok", "4")])
def test_ordinary_cells_still_read(text, amount):
    assert parse_money(text).amount == Decimal(amount)


@pytest.mark.parametrize("wrong", ["$-0.28", "$1e400"])
def test_a_deepseek_page_with_a_wrong_number_is_refused(wrong):
    page = shared_file("fixtures/deepseek/pricing-en-2025-12-20.md").read_text()
    assert "$0.28" in page
    with pytest.raises(PricewarError):
        deepseek.parse(page.replace("$0.28", wrong, 1).encode())


def litellm_entry(**fields) -> dict:
    return {"litellm_provider": "openai", "mode": "chat", **fields}


def test_litellm_numbers_are_read_as_written():
    body = ('{"tiny": {"litellm_provider": "openai", "input_cost_per_token": 1e-400, "output_cost_per_token": 2e-6},'
            ' "long": {"litellm_provider": "openai", "input_cost_per_token": 0.' + "1" * 60 + '}}').encode()
    prices = {(p.model, p.kind): p.per_mtok for p in litellm.parse(body)}
    assert prices == {("tiny", "output"): Decimal(2)}  # 1e-400 is skipped, not stored as 0; 60 digits, not rounded


def test_a_key_given_twice_with_different_values_is_refused():
    body = b'{"gpt-x": {"litellm_provider": "openai", "input_cost_per_token": 1e-6, "input_cost_per_token": 9e-6}}'
    with pytest.raises(PricewarError, match="'input_cost_per_token' twice with different values"):
        litellm.parse(body)
    same = b'{"gpt-x": {"litellm_provider": "openai", "input_cost_per_token": 1e-6, "input_cost_per_token": 1e-6}}'
    assert litellm.parse(same)[0].per_mtok == 1


@pytest.mark.parametrize("value, words", [("1,5", "ambiguous"), ("1_000", "ambiguous"), ("1e309", "digits"),
                                          ("1e-20", "no real price"), ("NaN", "not a number")])
def test_record_refuses_numbers_it_cannot_store_exactly(value, words):
    result = run("record", "deepseek", "deepseek-chat", "--input", value, "--source", "https://x.test")
    assert result.exit_code == 2 and words in result.stderr and "bug" not in result.stderr


def test_the_bundled_record_is_not_read_from_a_file(tmp_path):
    page = tmp_path / "catalog.json"
    page.write_text('{"prices": [{"provider": "x", "model": "y", "currency": "ZZZ", "input": "999"}]}')
    result = run("update", "catalog", "--source", str(page))
    assert result.exit_code == 2 and "pricewar record" in result.stderr


def test_a_resellers_display_name_never_answers_for_a_makers_model():
    page = json.dumps({"data": [{"id": "openai/fake-o3", "name": "o3",
                                 "pricing": {"prompt": "0.000001", "completion": "0.000001"}},
                                {"id": "openai/o3", "name": "OpenAI: o3",
                                 "pricing": {"prompt": "0.000002", "completion": "0.000008"}}]}).encode()
    assert len(openrouter.parse(page)) == 4
    path = os.path.join(os.path.dirname(os.environ["PRICEWAR_DB"]), "models.json")
    with open(path, "wb") as handle:
        handle.write(page)
    ok("update", "openrouter", "--source", path, "-q")
    rows = json.loads(ok("compare", "o3", "--via", "openrouter", "-f", "json"))
    assert {row["model"] for row in rows} == {"o3"} and all(row["input"] == "2" for row in rows)
    resold = json.loads(ok("compare", "fake-o3", "--via", "openrouter", "-f", "json"))
    assert {row["model"] for row in resold} == {"fake-o3"}


def test_an_id_with_brackets_is_named_exactly():
    ok("record", "deepseek", "odd[1]", "--new-model", "--input", "1", "--source", "https://x.test")
    assert [row["model"] for row in json.loads(ok("compare", "odd[1]", "-f", "json"))] == ["odd[1]"]


@pytest.mark.parametrize("break_it, words", [
    (lambda entry: {k: (0 if k.endswith("_cost_per_token") else v) for k, v in entry.items()}, "fell to zero"),
    (lambda entry: {k: v for k, v in entry.items() if not k.startswith("output_cost")}, "only 0 output prices"),
])
def test_a_mass_drop_to_zero_or_a_vanished_kind_fails_the_source(tmp_path, break_it, words):
    real = shared_file("fixtures/litellm/model_prices-2025-07-05.json")
    ok("update", "litellm", "--source", str(real), "-q")
    data = json.loads(real.read_bytes())
    broken = {key: break_it(entry) if isinstance(entry, dict) and key != "sample_spec" else entry
              for key, entry in data.items()}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    db = database.open_db(os.environ["PRICEWAR_DB"])
    before = [tuple(row) for row in db.execute("select * from prices")]
    result = run("update", "litellm", "--source", str(path), "-f", "json")
    report = json.loads(result.stdout)["sources"][0]
    assert result.exit_code == 1 and words in report["error"], report["error"]
    assert [tuple(row) for row in db.execute("select * from prices")] == before
