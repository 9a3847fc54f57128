"""The shipped history against snapshots of LiteLLM's and OpenRouter's files saved apart from the archives
(../shared/fixtures): on each snapshot's day, the history answers what the snapshot says, under the ids the
database gives its models."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from conftest import ok, shared_file
from pricewar.history import database, identity, queries
from pricewar.price import KEY_COLUMNS
from pricewar.sources.providers import litellm, openrouter


@pytest.mark.parametrize(("module", "source", "snapshot", "day"), [
    (litellm, "litellm", "fixtures/litellm/model_prices-2025-07-05.json", "2025-07-05"),
    (openrouter, "openrouter", "fixtures/openrouter/models-2026-08-01.json", "2026-08-01"),
])
def test_the_shipped_history_agrees_with_a_snapshot_saved_apart(module, source, snapshot, day):
    body = shared_file(snapshot).read_bytes()
    ok("compare", "deepseek-chat")  # a fresh install: the record and the shipped history
    db = database.open_db(database.db_path_from_env(os.environ["PRICEWAR_DB"]))  # the one the command used
    said = {price.key: price.per_mtok for price in identity.canonical_models(db, module.parse(body))}
    shipped = {tuple(row[c] for c in KEY_COLUMNS): Decimal(row["per_mtok"])
               for row in queries.prices_at(db, day, sources=[source])}
    agree = sum(1 for key, amount in said.items() if shipped.get(key) == amount)
    assert agree / len(said) >= 0.97 and len(said) > 1000
