"""A judged answer kept in the database (answers/memo.py) is the answer judging again would give: any write to
what it was judged from, by pricewar or by hand, asks again; a write landing while it is judged is never hidden;
a database that cannot be written still answers."""

from __future__ import annotations

import os
import sqlite3
from decimal import Decimal

import pytest

from conftest import ok
from pricewar.answers import market, memo
from pricewar.history import collect, database
from pricewar.price import Price

DAY = "2026-12-01"


@pytest.fixture
def path(no_shipped_history) -> str:
    ok("compare", "deepseek-chat")  # a new database with the bundled record
    return os.environ["PRICEWAR_DB"]


def whole_market(db, currency: str = "USD"):
    return market.priced_offers(db, DAY, currency, [])


def kept_answers(path: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*) from answer_memo").fetchone()[0]


def test_an_answer_asked_again_is_the_one_judged(path):
    reader = database.open_reader(path)
    first = whole_market(reader)  # judging copied the yuan's rates in: kept from the next asking on
    assert whole_market(reader) == first and kept_answers(path) == 1
    again = whole_market(database.open_reader(path))
    assert again == first and len(first) > 100
    assert any(offer.rate is not None for offer in whole_market(reader, "CNY"))  # converted, its rate kept too
    assert whole_market(database.open_reader(path), "CNY") == whole_market(reader, "CNY")
    changes = market.changes(reader, "2024-01-01", DAY)
    assert changes and market.changes(database.open_reader(path), "2024-01-01", DAY) == changes


def test_a_recorded_price_asks_again(path):
    db = database.open_db(path)
    whole_market(database.open_reader(path))
    price = Price(provider="deepseek", model="deepseek-chat", kind="input", per_mtok=Decimal("0.01"),
                  currency="USD", effective_from="2026-11-30")
    collect.record_prices(db, "record", [price], "a test announcement")
    answer = {(o.model, o.dimensions): o for o in whole_market(database.open_reader(path))}
    assert answer["deepseek-chat", ("standard", "", "", "", "")].prices["input"] == Decimal("0.01")


def test_a_hand_edit_asks_again(path):
    before = whole_market(database.open_reader(path))
    with sqlite3.connect(path) as conn:  # as sqlite-utils or Datasette would: no pricewar code runs
        conn.execute("delete from prices where provider = 'deepseek'")
    after = whole_market(database.open_reader(path))
    assert any(o.provider == "deepseek" for o in before) and not any(o.provider == "deepseek" for o in after)


def test_a_write_while_judging_is_not_hidden(path):
    conn = database.open_reader(path).conn

    def judge_while_a_writer_commits() -> list:
        with sqlite3.connect(path) as other:
            other.execute("update providers set name = name where id = 'deepseek'")
        return ["judged before the write landed"]

    answer = memo.remembered(database.open_reader(path), ["a question"], judge_while_a_writer_commits, list, list)
    assert answer == ["judged before the write landed"]
    assert conn.execute("select count(*) from answer_memo").fetchone()[0] == 0  # judging again is the only answer


def test_a_database_that_cannot_be_written_still_answers(path):
    expected = whole_market(database.open_reader(path))
    with sqlite3.connect(path) as conn:
        conn.execute("delete from answer_memo")
    read_only = database.Reader(sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None))
    assert whole_market(read_only) == expected
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("begin immediate")  # an update holds the write lock: the answer does not wait for it
    try:
        assert whole_market(database.open_reader(path)) == expected
    finally:
        locker.execute("rollback")
    assert kept_answers(path) == 0


def test_other_code_asks_again(path, monkeypatch):
    calls = []

    def judge() -> list:
        calls.append(1)
        return [len(calls)]

    reader = database.open_reader(path)
    assert memo.remembered(reader, ["q"], judge, list, list) == [1]
    assert memo.remembered(reader, ["q"], judge, list, list) == [1]
    monkeypatch.setattr(memo, "code_stamp", lambda: "another version of pricewar")
    assert memo.remembered(reader, ["q"], judge, list, list) == [2]


def test_only_a_few_answers_are_kept(path):
    reader = database.open_reader(path)
    for number in range(memo.KEPT + 5):
        memo.remembered(reader, ["q", number], lambda: [number], list, list)
    assert kept_answers(path) == memo.KEPT
    assert memo.remembered(reader, ["q", memo.KEPT + 4], lambda: ["judged again"], list, list) == [memo.KEPT + 4]


def test_the_commands_agree_with_the_kept_answer(path):
    import json

    first = ok("compare", "--at", DAY, "-f", "json")
    assert ok("compare", "--at", DAY, "-f", "json") == first and kept_answers(path) == 1
    ok("record", "deepseek", "deepseek-chat", "--input", "0.01", "--output", "0.02", "--effective", "2026-11-30",
       "--source", "https://example.com/a-test-announcement")
    ranked = {row["model"]: row for row in json.loads(ok("compare", "--at", DAY, "-f", "json"))}
    assert (ranked["deepseek-chat"]["input"], ranked["deepseek-chat"]["source"]) == ("0.01", "record")
    assert ok("cost", "--at", DAY, "--input-tokens", "1M", "-f", "json").count('"deepseek-chat"') >= 1


def test_a_load_larger_than_the_table_keeps_the_triggers(path):
    db = database.open_db(path)
    triggers = {row[0] for row in db.execute("select name from sqlite_master where type = 'trigger'")}
    rows = db.execute("select count(*) from prices").fetchone()[0]
    many = [Price(provider="deepseek", model=f"model-{number}", kind="input", per_mtok=Decimal("0.5"), currency="USD")
            for number in range(rows + 10)]  # more than the table holds: its indexes and triggers made after
    collect.record_prices(db, "litellm", many, "a large feed")
    assert {row[0] for row in db.execute("select name from sqlite_master where type = 'trigger'")} == triggers
    generation = db.execute("select generation from data_generation").fetchone()[0]
    db.execute("insert into prices (source, provider, model, kind, currency, per_mtok, first_seen, last_seen) "
               "values ('by hand', 'deepseek', 'x', 'input', 'USD', '1', '2026-01-01', '2026-01-01')")
    assert db.execute("select generation from data_generation").fetchone()[0] == generation + 1
