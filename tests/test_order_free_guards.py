"""The guards are order-free: whether a page is accepted depends on the observations before it in time, not on
what arrived before it. A page cut short is refused wherever the cut falls; a model gone from the middle of a page
is a delisting."""

from __future__ import annotations

import itertools
import json
import sqlite3

import pytest

from conftest import shared_file
from pricewar.history import collect, database
from test_history_truth import litellm_file

ALIBABA = "fixtures/alibaba/model-pricing-zh-2026-02-24.md"


@pytest.fixture
def db(tmp_path, no_shipped_history):
    return database.open_db(tmp_path / "h.db")


def feed(prices: dict[str, tuple[float, float]]) -> bytes:
    return litellm_file(prices).encode()


PRICED = {f"model-{n}": (1e-06, 2e-06) for n in range(40)}
PAGES = {  # name: (source, observed at, body)
    "full": ("litellm", "2026-01-01T00:00:00Z", feed(PRICED)),
    "zeros": ("litellm", "2026-01-15T00:00:00Z", feed({model: (0.0, 0.0) for model in PRICED})),
    "outputs gone": ("litellm", "2026-01-15T12:00:00Z", json.dumps({model: {
        "litellm_provider": "deepseek", "mode": "chat", "input_cost_per_token": 1e-06} for model in PRICED}).encode()),
    "cut": ("litellm", "2026-02-01T00:00:00Z", feed({f"model-{n}": (1e-06, 2e-06) for n in range(30)})),
    "cheaper": ("litellm", "2026-03-01T00:00:00Z", feed({model: (5e-07, 1e-06) for model in PRICED})),
}
REFUSED = {"zeros", "outputs gone"}


def record(db, name: str):
    source, observed_at, body = PAGES[name]
    return collect.record_source(db, source, [(f"feed saved {observed_at}", body)], observed_at=observed_at)


def history(db) -> list[tuple]:
    return [tuple(row) for row in db.execute(
        "select source, model, kind, per_mtok, effective_from, effective_to, end_reason, first_seen, last_seen, "
        "changed_after, source_url from prices where source != 'catalog' order by 1, 2, 3, 5")]


def orders():
    """Every order in which the full feed comes before the pages it refuses (an older page arriving after a later
    one it would have refused cannot take back what that one recorded: see the README)."""
    for order in itertools.permutations(PAGES):
        if all(order.index("full") < order.index(name) for name in REFUSED):
            yield order


@pytest.mark.slow
def test_the_guards_refuse_the_same_pages_whatever_the_order(tmp_path, no_shipped_history):
    expected_db = database.open_db(tmp_path / "in-order.db")
    verdicts = {name: record(expected_db, name).status for name in PAGES}
    assert {name for name, status in verdicts.items() if status == "failed"} == REFUSED
    expected = history(expected_db)
    for number, order in enumerate(itertools.islice(orders(), 0, None, 3)):
        db = database.open_db(tmp_path / f"{number}.db")
        got = {name: record(db, name).status for name in order}
        assert got == verdicts, order
        assert history(db) == expected, order


def test_an_older_broken_page_slotting_in_is_weighed_against_what_was_seen_before_it(db):
    assert [record(db, name).status for name in ("full", "cheaper")] == ["ok", "ok"]
    late = record(db, "zeros")  # observed between the two, arriving last: against "full", not against "cheaper"
    assert late.status == "failed" and "80 prices fell to zero at once" in late.error
    late = record(db, "outputs gone")
    assert late.status == "failed" and "only 0 output prices found where 40 were in effect" in late.error


@pytest.mark.slow
def test_every_cut_of_a_real_page_is_refused(db):
    body = shared_file(ALIBABA).read_bytes()
    assert collect.record_source(db, "alibaba", [("page", body)], observed_at="2026-02-24T00:00:00Z").status == "ok"
    accepted = [cut for cut in range(1_000, len(body), 2_357) if collect.record_source(
        db, "alibaba", [("page", body[:cut])], observed_at="2026-02-25T00:00:00Z").status == "ok"]
    assert accepted == []
    cut = collect.record_source(db, "alibaba", [("page", body[:110_000])], observed_at="2026-02-25T00:00:00Z")
    assert "listed 186, and no longer ends with gui-plus — was the download cut short?" in cut.error
    again = collect.record_source(db, "alibaba", [("page", body)], observed_at="2026-02-26T00:00:00Z")
    assert again.status == "ok" and again.changes.counts()["delisted"] == 0


def test_a_model_gone_from_the_middle_of_a_page_is_a_delisting(db):
    body = shared_file(ALIBABA).read_bytes()
    collect.record_source(db, "alibaba", [("page", body)], observed_at="2026-02-24T00:00:00Z")
    row = next(line for line in body.split(b"\n") if line.startswith(b"| qwen-plus-character |"))
    result = collect.record_source(db, "alibaba", [("page", body.replace(row + b"\n", b""))],
                                   observed_at="2026-02-25T00:00:00Z")
    assert result.status == "ok" and result.models == 185 and result.changes.counts()["delisted"] > 0
    with sqlite3.connect(db.conn.execute("pragma database_list").fetchone()[2]) as conn:
        assert conn.execute("select ending from runs where source = 'alibaba' order by id desc limit 1"
                            ).fetchone()[0] == "alibaba/gui-plus"
