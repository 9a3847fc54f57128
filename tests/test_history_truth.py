"""The history must be true: archives replayed as observed, each date answered as charged then, one id one model."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ok, run, shared_file

from pricewar.history import collect, database, identity, queries
from pricewar.price import KEY_COLUMNS, Price

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="backfill reads archives with git, which is not installed")


def litellm_file(prices: dict[str, tuple[float, float]]) -> str:
    return json.dumps({model: {"litellm_provider": "deepseek", "mode": "chat", "input_cost_per_token": inp,
                               "output_cost_per_token": out} for model, (inp, out) in prices.items()})


def commit(repo: Path, text: str, when: str) -> None:
    (repo / "prices.json").write_text(text)
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@x.test", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x.test"}
    subprocess.run(["git", "add", "prices.json"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", f"snapshot {when}"], cwd=repo, check=True, env=env)


@pytest.fixture
def archive(tmp_path):
    repo = tmp_path / "archive"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    commit(repo, litellm_file({"deepseek-chat": (1.4e-07, 2.8e-07), "deepseek-reasoner": (5.5e-07, 2.19e-06)}),
           "2025-01-20T10:00:00+08:00")
    commit(repo, litellm_file({"deepseek-chat": (2.7e-07, 1.1e-06), "deepseek-reasoner": (5.5e-07, 2.19e-06)}),
           "2025-02-09T09:30:00+08:00")
    commit(repo, '{"deepseek-chat": {"litellm_provider": "deepseek", "input_cost_per_token": 2.7e-07,',
           "2025-02-10T12:00:00+00:00")  # cut short: skipped, never "everything delisted"
    commit(repo, litellm_file({"deepseek-chat": (2.7e-07, 1.1e-06)}), "2025-03-01T00:00:00+00:00")
    return repo


def periods(model: str, kind: str = "input") -> list[tuple]:
    db = database.open_db(os.environ["PRICEWAR_DB"])
    return [tuple(row) for row in db.execute(
        "select per_mtok, effective_from, effective_to, end_reason, changed_after from prices "
        "where source = 'litellm' and model = ? and kind = ? order by effective_from", [model, kind])]


@needs_git
def test_backfill_records_each_version_as_observed_at_its_commit(archive, no_shipped_history):
    result = run("backfill", "litellm", "--git", str(archive), "--file", "prices.json", "--format", "json")
    assert result.exit_code == 1, result.output  # one version could not be read
    summary = json.loads(result.stdout)
    assert (summary["versions"], summary["replayed"], summary["already_replayed"]) == (4, 3, 0)
    assert [f["observed_at"] for f in summary["failed"]] == ["2025-02-10T12:00:00Z"]
    assert "not valid JSON" in summary["failed"][0]["error"] or "JSON" in summary["failed"][0]["error"]
    # the cut took effect the day it was first seen, and happened after the version before it
    assert periods("deepseek-chat") == [
        ("0.14", "2025-01-20", "2025-02-09", "changed", None),
        ("0.27", "2025-02-09", None, None, "2025-01-20T02:00:00Z"),
    ]
    # delisted on the date of the first readable version without it, not by the broken one
    assert periods("deepseek-reasoner") == [("0.55", "2025-01-20", "2025-03-01", "delisted", None)]

    again = json.loads(run("backfill", "litellm", "--git", str(archive), "--file", "prices.json", "-f",
                           "json").stdout)
    assert (again["replayed"], again["already_replayed"], again["new"], again["changed"]) == (0, 4, 0, 0)


@needs_git
def test_backfill_reads_a_bundle_within_dates_and_refuses_what_is_not_git(archive, tmp_path, no_shipped_history):
    bundle = tmp_path / "archive.bundle"
    subprocess.run(["git", "bundle", "create", "-q", str(bundle), "--all"], cwd=archive, check=True)
    summary = json.loads(ok("backfill", "litellm", "--git", str(bundle), "--file", "prices.json", "--until",
                            "2025-01-31", "-f", "json"))
    assert (summary["versions"], summary["replayed"]) == (1, 1)
    assert periods("deepseek-chat") == [("0.14", "2025-01-20", None, None, None)]
    for args, words in [(["--git", str(tmp_path / "nowhere")], "does not exist"),
                        (["--git", str(tmp_path)], "is not a git repository"),
                        (["--git", str(archive / "prices.json")], "cannot read"),
                        (["--git", str(archive), "--file", "other.json"], "no commit"),
                        (["--git", str(archive), "--since", "2025-13-01"], "not a date")]:
        result = run("backfill", "litellm", "--file", "prices.json", *args)
        assert result.exit_code == 2 and words in result.stderr and "Traceback" not in result.output


@pytest.mark.slow
@needs_git
def test_the_real_archives_replay_twice_to_the_same_history(tmp_path, no_shipped_history):
    for name, bundle, until in [("openrouter", "openrouter-models-history.bundle", "2024-10-05"),
                                ("litellm", "litellm-prices-history.bundle", "2025-02-12")]:
        path = str(shared_file(f"data/archives/{bundle}"))
        first = json.loads(ok("backfill", name, "--git", path, "--until", until, "-f", "json"))
        assert first["replayed"] >= 3 and first["failed"] == []
        again = json.loads(ok("backfill", name, "--git", path, "--until", until, "-f", "json"))
        assert (again["replayed"], again["new"], again["changed"], again["delisted"]) == (0, 0, 0, 0)
    # LiteLLM showed the end of DeepSeek's V3 promotion a day early, between two snapshots of 2025-02-06 and -07
    [cut] = [row for row in periods("deepseek-chat") if row[0] == "0.27"]
    assert cut[1] == "2025-02-07" and "2025-02-06" <= cut[4] < "2025-02-07T23:59:59Z"


DEEPSEEK = "fixtures/deepseek/pricing-en-{}.md"


def test_a_saved_page_is_dated_when_it_was_saved_and_order_does_not_matter(tmp_path, monkeypatch):
    old, new = (str(shared_file(DEEPSEEK.format(day))) for day in ("2025-12-20", "2026-08-02"))
    histories = []
    for order in ([(old, "2025-12-20"), (new, "2026-08-02")], [(new, "2026-08-02"), (old, "2025-12-20")]):
        monkeypatch.setenv("PRICEWAR_DB", str(tmp_path / f"{order[0][1]}.db"))
        for page, day in order:
            ok("update", "deepseek", "--source", page, "--observed-at", day, "-q")
        db = database.open_db(os.environ["PRICEWAR_DB"])
        histories.append([tuple(r) for r in db.execute(
            "select model, kind, per_mtok, effective_from, effective_to, end_reason from prices "
            "where source = 'deepseek' order by model, kind, time_window, effective_from")])
    assert histories[0] == histories[1]
    assert ("deepseek-chat", "input", "0.28", "2025-12-20", "2026-08-02", "delisted") in histories[0]
    at = json.loads(ok("compare", "deepseek-chat", "--at", "2026-01-15", "--source", "deepseek", "-f", "json"))
    assert at[0]["input"] == "0.28" and at[0]["effective_from"] == "2025-12-20"


@pytest.mark.parametrize("text, words", [("2026-13-01", "not a date"), ("2999-01-01", "in the future")])
def test_observed_at_must_be_a_past_time(text, words):
    page = str(shared_file(DEEPSEEK.format("2025-12-20")))
    result = run("update", "deepseek", "--source", page, "--observed-at", text)
    assert result.exit_code == 2 and words in result.stderr
    assert run("update", "deepseek", "--observed-at", "2025-01-01").exit_code == 2  # dates a saved page only


# --- a fresh install answers dated questions as charged then ---------------------------------------


def answer(model: str, at: str, *args: str) -> list[dict]:
    return json.loads(ok("compare", model, "--at", at, "-f", "json", *args))


@pytest.mark.parametrize("model, at, currency, expected", [
    ("gpt-4o", "2025-03-01", "USD", ("2.5", "10")),  # after the cut of October 2024
    ("gpt-4o", "2024-09-25", "USD", ("5", "15")),  # OpenRouter's list before it
    ("deepseek-chat", "2024-05-10", "CNY", ("1", "2")),  # the seed article
    ("deepseek-chat", "2025-03-01", "USD", ("0.27", "1.1")),
    ("qwen-long", "2024-05-21", "CNY", ("0.5", "2")),
    ("qwen-max", "2024-10-01", "CNY", ("20", "60")),
    ("moonshot-v1-32k", "2024-06-01", "CNY", ("24", "24")),
])
def test_dated_questions_are_answered_as_charged_then(model, at, currency, expected):
    best = answer(model, at, "-c", currency)
    maker = [row for row in best if row["source"] == "catalog"] or best
    assert (maker[0]["input"], maker[0]["output"]) == expected


def test_nothing_answers_for_a_time_before_it_existed():
    assert answer("*", "2020-01-01") == []
    assert answer("o3", "2025-01-01") == [] and answer("gpt-4o", "2024-01-01") == []
    assert answer("deepseek-v3", "2024-12-01") == []


V4_INPUTS = {"0.14", "0.435", "1.74"}
LATER_THAN_V3 = {("0.56", "1.68"), ("0.28", "0.42"), ("0.14", "0.28")}  # V3.1, V3.2 and V4-Flash in USD


def test_deepseek_v3_never_answers_with_a_later_models_price():
    for month in ("2025-03-01", "2025-09-10", "2025-12-01", "2026-05-01", "2026-08-01"):
        for row in answer("deepseek-v3", month):
            assert (row["input"], row["output"]) not in LATER_THAN_V3, (month, row)
    assert answer("deepseek-v3", "2026-05-01", "--source", "catalog") == []
    assert answer("deepseek-v3", "2025-03-01", "--source", "catalog")[0]["input"] == "0.27"


def test_a_providers_page_loaded_today_keeps_the_war_before_it():
    page = str(shared_file("fixtures/moonshot/pricing-chat-zh-cn-2025-12-20.md"))
    ok("update", "moonshot", "--source", page, "-q")
    [cut] = json.loads(ok("war", "moonshot-v1-32k", "-f", "json"))
    assert (cut["currency"], cut["first"], cut["last"]) == ("CNY", "24", "5")
    assert round(cut["change_pct"], 1) == -79.2


def test_one_id_one_model_at_one_price(tmp_path, no_shipped_history):
    db = database.open_db(tmp_path / "h.db")
    collect.seed(db)
    row = lambda model, amount: Price("anthropic", model, "input", Decimal(amount), "USD")  # noqa: E731
    page = [row("claude-3-5-haiku-latest", "1"), row("claude-3-5-haiku-20241022", "0.8")]
    for prices in (page, page[::-1], page, page[::-1]):
        result = collect.record_prices(db, "litellm", prices, "page")
    assert result.changes.counts() == {"new": 0, "changed": 0, "unchanged": 2, "delisted": 0}
    current = {(r["model"], r["per_mtok"]) for r in db.query(
        "select model, per_mtok from prices where source = 'litellm' and effective_to is null")}
    assert current == {("claude-3.5-haiku", "0.8"), ("claude-3-5-haiku-latest", "1")}


def test_an_alias_priced_like_its_model_joins_it(tmp_path, no_shipped_history):
    db = database.open_db(tmp_path / "h.db")
    collect.seed(db)
    page = [Price("openai", "gpt-4-turbo-2024-04-09", "input", Decimal(10), "USD"),
            Price("openai", "gpt-4-turbo", "input", Decimal(10), "USD")]
    collect.record_prices(db, "litellm", page, "page")
    assert {r["model"] for r in db.query("select model from prices where source = 'litellm'")} == {"gpt-4-turbo"}


def test_a_makers_id_in_another_case_is_the_same_model(tmp_path, no_shipped_history):
    db = database.open_db(tmp_path / "h.db")
    collect.seed(db)
    page = [Price("zhipu", "GLM-4-Air", "input", Decimal("0.14"), "USD"),
            Price("meta-llama", "Llama-3-70B", "input", Decimal("0.5"), "USD")]
    collect.record_prices(db, "genai-prices", page, "page")
    models = {(r["provider"], r["model"]) for r in db.query("select provider, model from prices where source = 'genai-prices'")}
    assert models == {("zhipu", "glm-4-air"), ("meta-llama", "Llama-3-70B")}  # a reseller's path keeps its case


# --- every real page, recorded twice, changes nothing the second time ----------------------------

FIXTURES = [
    ("openrouter", "openrouter/models-2026-08-01.json"), ("litellm", "litellm/model_prices-2025-02-06.json"),
    ("litellm", "litellm/model_prices-2025-07-05.json"), ("genai-prices", "genai-prices/data-2025-07-13.json"),
    ("deepseek", "deepseek/pricing-en-2025-12-20.md"), ("deepseek", "deepseek/pricing-zh-cn-2026-08-02.md"),
    ("deepseek", "deepseek/pricing-en-2026-08-16.md"), ("deepseek", "deepseek/pricing-zh-cn-2026-08-16.md"),
    ("anthropic", "anthropic/pricing-2025-12-20.md"), ("openai", "openai/pricing-2025-12-20.md"),
    ("google", "google/gemini-pricing-2025-11-21.md"), ("mistral", "mistral/pricing-2024-02-23.md"),
    ("moonshot", "moonshot/pricing-chat-zh-cn-2025-12-20.md"), ("minimax", "minimax/pricing-paygo-en-2025-12-20.md"),
    ("alibaba", "alibaba/model-pricing-zh-2026-02-24.md"), ("zhipu", "zhipu/docs-glm-4-zh-2025-12-20.md"),
    ("volcengine", "volcengine/model-service-pricing-payload-2025-12-13.md"),
]


@pytest.mark.parametrize("source, fixture", FIXTURES)
def test_every_real_page_twice_records_nothing_the_second_time(source, fixture):
    """Each page as observed the day it was saved, on a new database holding the shipped history."""
    page = str(shared_file(f"fixtures/{fixture}"))
    saved_on = re.search(r"\d{4}-\d{2}-\d{2}", fixture)[0]
    update = ("update", source, "--source", page, "--observed-at", saved_on, "-f", "json")
    first = json.loads(ok(*update))["sources"][0]
    assert first["status"] == "ok"
    again = json.loads(ok(*update))["sources"][0]
    assert (again["new"], again["changed"], again["delisted"]) == ([], [], [])


def dump(path: str) -> list[tuple]:
    db = database.open_db(path)
    return [tuple(row) for row in db.execute(
        "select source, provider, model, kind, service_tier, context_tier, region, mode, time_window, currency, "
        "per_mtok, effective_from, effective_to, end_reason from prices order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12")]


@pytest.mark.parametrize("fixture", ["litellm/model_prices-2025-07-05.json", "openrouter/models-2026-08-01.json"])
def test_compare_first_or_update_first_gives_the_same_database(tmp_path, monkeypatch, fixture):
    page = str(shared_file(f"fixtures/{fixture}"))
    source = fixture.split("/")[0]
    for name, first in (("compare-first", ["compare", "deepseek-chat"]), ("update-first", None)):
        monkeypatch.setenv("PRICEWAR_DB", str(tmp_path / f"{name}.db"))
        if first:
            ok(*first)
        for _ in range(2):
            ok("update", source, "--source", page, "--observed-at", re.search(r"\d{4}-\d{2}-\d{2}", fixture)[0], "-q")
    assert dump(str(tmp_path / "compare-first.db")) == dump(str(tmp_path / "update-first.db"))


@pytest.mark.parametrize("language", ["en", "zh-cn"])
def test_an_announced_change_ends_the_price_it_replaces_whatever_the_order(tmp_path, monkeypatch, language):
    """The page of 2026-08-02 lists today's price with no end; the page of 2026-08-16 lists it again, ending the day
    the announced peak / off-peak prices start. Recorded in either order, the history is the same, and a date after
    the change answers with the new prices."""
    # each page as fetched (its front matter says when): the announcement was seen three days before the change
    pages = [(str(shared_file(f"fixtures/deepseek/pricing-{language}-{day}.md")), fetched)
             for day, fetched in (("2026-08-02", "2026-08-02"), ("2026-08-16", "2026-08-13"))]
    for name, order in (("forward", pages), ("backward", pages[::-1])):
        monkeypatch.setenv("PRICEWAR_DB", str(tmp_path / f"{name}.db"))
        for page, day in order:
            ok("update", "deepseek", "--source", page, "--observed-at", day, "-q")
    assert dump(str(tmp_path / "forward.db")) == dump(str(tmp_path / "backward.db"))
    currency = "USD" if language == "en" else "CNY"
    before = answer("deepseek-v4-flash", "2026-08-10", "--source", "deepseek", "-c", currency)
    after = answer("deepseek-v4-flash", "2026-09-01", "--source", "deepseek", "-c", currency)
    assert [(row["input"], row["output"]) for row in before] == [("0.14", "0.28") if language == "en" else ("1", "2")]
    assert [(row["input"], row["output"]) for row in after] == [("0.44", "1.32") if language == "en" else ("3", "9")]


@pytest.mark.parametrize("source, fixture, day", [
    ("openrouter", "openrouter/models-2026-08-01.json", "2026-08-01"),
    ("litellm", "litellm/model_prices-2025-07-05.json", "2025-07-05"),
    ("litellm", "litellm/model_prices-2025-02-07.json", "2025-02-07"),
])
def test_the_shipped_history_agrees_with_snapshots_kept_by_other_archives(tmp_path, source, fixture, day):
    """These pages were saved by other repositories than the two archives the history is built from."""
    from pricewar.sources import providers

    db = database.open_db(tmp_path / "h.db")
    collect.seed(db)
    snapshot = identity.canonical_models(db, providers.load(source).parse(shared_file(f"fixtures/{fixture}").read_bytes()))
    shown = {tuple(r[c] for c in KEY_COLUMNS): Decimal(r["per_mtok"])
             for r in queries.prices_at(db, day) if r["source"] == source}
    agrees: dict[tuple, bool] = {}
    for price in snapshot:
        model = (price.provider, price.model)
        agrees[model] = agrees.get(model, True) and shown.get(price.key) == price.per_mtok
    assert sum(agrees.values()) / len(agrees) >= 0.97, [m for m, same in agrees.items() if not same][:10]


@pytest.mark.parametrize("model, listed_on, gone_on", [
    ("text-davinci-003", "2023-10-01", "2024-06-01"),  # shut down 2024-01-04
    ("gpt-4.5", "2025-04-01", "2025-08-01"),  # gpt-4.5-preview, retired in July 2025
])
def test_models_their_makers_retired_answer_nothing_after(model, listed_on, gone_on):
    assert answer(model, listed_on, "--source", "catalog") and answer(model, gone_on, "--source", "catalog") == []


@pytest.mark.slow
@needs_git
def test_every_archive_version_recorded_again_changes_nothing(tmp_path, no_shipped_history):
    """Each version of a week of both archives (two a day), recorded a second time in order: no change at all."""
    from pricewar.sources import archive

    db = database.open_db(tmp_path / "h.db")
    collect.seed(db)
    for name, bundle, file, since, until in [
        ("openrouter", "openrouter-models-history.bundle", "models.json", "2025-03-03", "2025-03-10"),
        ("litellm", "litellm-prices-history.bundle", "model_prices_and_context_window.json", "2025-02-06", "2025-02-12"),
    ]:
        with archive.opened(str(shared_file(f"data/archives/{bundle}"))) as repo:
            versions = list(archive.bodies(repo, file, archive.versions(repo, file, since, until)))
        assert len(versions) >= 5
        for version, body in versions:
            assert collect.record_source(db, name, [("v", body)], observed_at=version.observed_at).status == "ok"
        before = dump_prices(db, "first_seen, changed_after")
        for version, body in versions:
            again = collect.record_source(db, name, [("v", body)], observed_at=version.observed_at)
            assert (again.changes.new, again.changes.changed, again.changes.delisted) == ([], [], []), version
        assert dump_prices(db, "first_seen, changed_after") == before


def dump_prices(db, more: str = "") -> list[tuple]:
    return [tuple(row) for row in db.execute(
        "select source, provider, model, kind, currency, service_tier, context_tier, per_mtok, effective_from, "
        f"effective_to, end_reason {', ' + more if more else ''} from prices order by 1, 2, 3, 4, 5, 6, 7, 9")]


def test_a_maker_gone_over_to_peak_hours_is_not_answered_for_by_an_old_all_day_price():
    """From 2026-08-16 DeepSeek charges by peak and off-peak hours (the bundled record); LiteLLM's shipped history
    still lists deepseek-chat's old all-day price then. The maker's own hours answer, the dearer peak by default."""
    assert any(row["source"] == "litellm" and not row["time_window"] for row in
               answer("deepseek-chat", "2026-09-01", "--source", "litellm"))  # the stale price is there to lose
    own = [row for row in answer("deepseek-chat", "2026-09-01") if row["provider"] == "deepseek"]
    assert [(row["source"], row["time_window"], row["input"], row["output"]) for row in own] == [
        ("catalog", "peak UTC 01:00-04:00,06:00-10:00", "0.44", "1.32")]
    cheap = [row for row in answer("deepseek-chat", "2026-09-01", "--off-peak") if row["provider"] == "deepseek"]
    assert [(row["input"], row["output"]) for row in cheap] == [("0.22", "0.66")]
    assert [(row["input"], row["output"]) for row in answer("deepseek-chat", "2026-08-10")
            if row["provider"] == "deepseek"] == [("0.14", "0.28")]
