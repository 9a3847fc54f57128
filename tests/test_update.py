"""`pricewar update`: faults served by httpx.MockTransport, real deltas, dry runs, two updates at once."""

import asyncio
import json
import os
import re
import subprocess
import sys

import httpx
import pytest
from conftest import shared_file
from typer.testing import CliRunner

from pricewar.cli import app
from pricewar.history import database
from pricewar.price import PricewarError
from pricewar.sources import fetch

runner = CliRunner()
URL = "https://prices.test/models"

OPENROUTER_SMALL = json.dumps({"data": [
    {"id": "deepseek/deepseek-chat", "name": "DeepSeek: V3", "pricing": {"prompt": "0.0000003", "completion": "0.00000088"}},
    {"id": "openai/gpt-4o", "name": "OpenAI: GPT-4o", "pricing": {"prompt": "0.0000025", "completion": "0.00001"}},
]}).encode()


def serve(handler):
    calls = []

    def record(request):
        calls.append(request)
        return handler(request, len(calls))

    return httpx.MockTransport(record), calls


def get(transport, url=URL):
    slept = []

    async def sleep(seconds):
        slept.append(seconds)

    async def run():
        async with fetch.client(transport) as http:
            return await fetch.fetch(http, url, sleep)

    return asyncio.run(run()), slept


def test_a_500_then_a_200_is_retried():
    transport, calls = serve(lambda request, n: httpx.Response(500) if n == 1 else httpx.Response(200, content=b"ok"))
    body, slept = get(transport)
    assert body == b"ok" and len(calls) == 2 and slept == [fetch.BACKOFF_SECONDS]


def test_retry_after_is_honoured_on_429():
    transport, calls = serve(lambda request, n: httpx.Response(429, headers={"Retry-After": "7"}) if n == 1
                             else httpx.Response(200, content=b"ok"))
    assert get(transport) == (b"ok", [7.0])


def test_a_404_is_not_retried():
    transport, calls = serve(lambda request, n: httpx.Response(404))
    with pytest.raises(PricewarError, match=f"{URL} answered 404 Not Found"):
        get(transport)
    assert len(calls) == 1


def test_a_timeout_fails_after_bounded_tries():
    def hang(request, n):
        raise httpx.ReadTimeout("timed out", request=request)

    transport, calls = serve(hang)
    with pytest.raises(PricewarError, match="did not answer within"):
        get(transport)
    assert len(calls) == fetch.ATTEMPTS


def test_a_server_error_that_persists_fails():
    transport, calls = serve(lambda request, n: httpx.Response(503))
    with pytest.raises(PricewarError, match="answered 503 Service Unavailable after 3 tries"):
        get(transport)


def test_an_oversized_body_is_refused(monkeypatch):
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    transport, _ = serve(lambda request, n: httpx.Response(200, content=b"x" * 5000))
    with pytest.raises(PricewarError, match="sent 5,000 bytes, more than the 1,000 bytes"):
        get(transport)
    async def chunks():
        for _ in range(5):
            yield b"x" * 600

    undeclared, _ = serve(lambda request, n: httpx.Response(200, content=chunks()))
    with pytest.raises(PricewarError, match="sent more than the 1,000 bytes"):
        get(undeclared)


def test_the_user_agent_names_pricewar():
    transport, calls = serve(lambda request, n: httpx.Response(200, content=b"ok"))
    get(transport)
    assert calls[0].headers["user-agent"].startswith("pricewar/")


@pytest.fixture(autouse=True)
def _bundled_record_only(no_shipped_history):
    """These tests are about update's mechanics on small pages; the shipped history's part has tests of its own."""


@pytest.fixture
def web(monkeypatch):
    """Serve each URL from a table of handlers; every test here runs without a network."""
    routes = {}

    def handler(request):
        answer = routes.get(str(request.url))
        if answer is None:
            return httpx.Response(404)
        return answer(request) if callable(answer) else answer

    real_client = fetch.client
    monkeypatch.setattr(fetch, "client", lambda transport=None, timeout=20: real_client(httpx.MockTransport(handler),
                                                                                       timeout))
    monkeypatch.setattr(fetch, "BACKOFF_SECONDS", 0)
    return routes


def source_urls(name):
    from pricewar.sources import providers

    return providers.load(name).URLS


def update(*args):
    return runner.invoke(app, ["update", *args])


def test_failed_sources_record_nothing_and_the_others_are_recorded(web):
    web[source_urls("openrouter")[0]] = httpx.Response(200, content=OPENROUTER_SMALL)
    web[source_urls("litellm")[0]] = httpx.Response(200, content=b'{"gpt-4o": {"input_cost_per_token": 2.5e-06, ')
    web[source_urls("genai-prices")[0]] = httpx.Response(200, content=b"<!doctype html><html>Sign in</html>")
    # deepseek: not served at all (404)
    result = update("openrouter", "litellm", "genai-prices", "deepseek", "--format", "json")
    assert result.exit_code == 1 and "unexpected" not in result.stderr
    report = {s["source"]: s for s in json.loads(result.stdout)["sources"]}
    assert report["openrouter"]["status"] == "ok" and len(report["openrouter"]["new"]) == 4
    for name in ("litellm", "genai-prices", "deepseek"):
        assert report[name]["status"] == "failed" and report[name]["error"]
    assert "404" in report["deepseek"]["error"]
    db = database.open_db(os.environ["PRICEWAR_DB"])
    assert {r["source"] for r in db.query("select distinct source from prices")} == {"catalog", "openrouter"}
    statuses = {r["source"]: r["status"] for r in db["runs"].rows}
    assert statuses == {"catalog": "ok", "openrouter": "ok", "litellm": "failed", "genai-prices": "failed",
                        "deepseek": "failed"}


def test_summary_table_and_exit_codes(web):
    web[source_urls("openrouter")[0]] = httpx.Response(200, content=OPENROUTER_SMALL)
    result = update("openrouter")
    assert result.exit_code == 0
    assert "openrouter  ok" in result.stdout.replace("  ok ", "  ok ")
    assert result.stderr == ""  # not a terminal: no progress, nothing on stderr
    quiet = update("openrouter", "--quiet")
    assert quiet.exit_code == 0 and quiet.stdout == ""  # nothing changed, nothing to say


def test_a_price_change_is_reported_old_to_new(web, tmp_path):
    web[source_urls("openrouter")[0]] = httpx.Response(200, content=OPENROUTER_SMALL)
    update("openrouter")
    cheaper = OPENROUTER_SMALL.replace(b'"0.0000003"', b'"0.00000025"')
    web[source_urls("openrouter")[0]] = httpx.Response(200, content=cheaper)
    result = update("openrouter", "--quiet")
    assert result.exit_code == 0
    assert "0.3 → 0.25 USD" in result.stdout and "-16.7%" in result.stdout


def test_another_url_can_stand_in_for_a_source(web):
    web["https://mirror.test/models.json"] = httpx.Response(200, content=OPENROUTER_SMALL)
    result = update("openrouter", "--source", "https://mirror.test/models.json", "--format", "json")
    report = json.loads(result.stdout)["sources"][0]
    assert result.exit_code == 0 and report["location"] == "https://mirror.test/models.json"
    assert {(p["model"], p["kind"], p["price"]) for p in report["new"]} >= {("deepseek-chat", "input", "0.3")}


def test_usage_errors_exit_2():
    assert update("nowhere").exit_code == 2
    assert "unknown source 'nowhere'" in update("nowhere").stderr
    both = update("openrouter", "litellm", "--source", "x.json")
    assert both.exit_code == 2 and "name exactly one source" in both.stderr
    missing = update("openrouter", "--source", "/no/such/file.json")
    assert missing.exit_code == 2 and "cannot read /no/such/file.json" in missing.stderr


def scraped_prices() -> int:
    """Prices recorded from sources other than the bundled record, which every command loads first."""
    db = database.open_db(os.environ["PRICEWAR_DB"])
    return db.execute("select count(*) from prices where source != 'catalog'").fetchone()[0]


def saved(name, *args):
    result = update(name, "--source", *args, "--format", "json")
    return result, json.loads(result.stdout)["sources"][0]


def test_litellm_real_delta_is_exactly_the_deepseek_cut():
    first, _ = saved("litellm", str(shared_file("fixtures/litellm/model_prices-2025-02-06.json")))
    assert first.exit_code == 0
    result, report = saved("litellm", str(shared_file("fixtures/litellm/model_prices-2025-02-07.json")))
    assert result.exit_code == 0
    changed = {(c["provider"], c["model"], c["kind"], c["old"], c["new"]) for c in report["changed"]}
    deepseek = {c for c in changed if c[1] == "deepseek-chat" and c[0] == "deepseek"}
    assert {(c[2], c[3], c[4]) for c in deepseek} == {
        ("input", "0.14", "0.27"), ("output", "0.28", "1.1"), ("cache_hit", "0.014", "0.07")}
    assert changed == deepseek
    assert report["new"] and not report["delisted"]


def test_deepseek_turnover_from_v3_2_to_v4():
    saved("deepseek", str(shared_file("fixtures/deepseek/pricing-en-2025-12-20.md")))
    result, report = saved("deepseek", str(shared_file("fixtures/deepseek/pricing-en-2026-08-02.md")))
    assert result.exit_code == 0 and report["status"] == "ok"
    assert {p["model"] for p in report["new"]} == {"deepseek-v4-flash", "deepseek-v4-pro"}
    assert {p["model"] for p in report["delisted"]} == {"deepseek-chat", "deepseek-reasoner"}
    assert not report["changed"]
    rows = json.loads(runner.invoke(app, ["compare", "--source", "deepseek", "-f", "json"]).stdout)
    assert {r["model"] for r in rows} == {"deepseek-v4-flash", "deepseek-v4-pro"}


def test_a_page_with_no_prices_records_nothing(tmp_path):
    page = tmp_path / "empty.md"
    page.write_text("# DeepSeek API pricing\n\nPrices are shown after you sign in.\n")
    result, report = saved("deepseek", str(page))
    assert result.exit_code == 1 and report["status"] == "failed"
    table = update("deepseek", "--source", str(page))
    assert table.exit_code == 1
    assert table.stderr.splitlines() == [
        "deepseek: failed: no prices found on DeepSeek's pricing page — has its layout changed?; nothing recorded "
        "for deepseek",
        "1 of 1 sources failed; nothing was recorded.",
    ]
    assert "no prices found" in report["error"]
    assert scraped_prices() == 0


def test_a_mass_disappearance_fails_the_source():
    saved("openrouter", str(shared_file("fixtures/openrouter/models-2026-08-01.json")))
    db = database.open_db(os.environ["PRICEWAR_DB"])
    before = db["prices"].count
    shrunk = shared_file("fixtures/openrouter/models-2026-08-01.json").parent / "models-2026-08-01.json"
    data = json.loads(shrunk.read_bytes())
    data["data"] = data["data"][:10]
    small = os.path.join(os.path.dirname(os.environ["PRICEWAR_DB"]), "small.json")
    with open(small, "w") as handle:
        json.dump(data, handle)
    result, report = saved("openrouter", small)
    assert result.exit_code == 1 and "has the page changed?" in report["error"]
    assert db["prices"].count == before
    assert db.execute("select count(*) from prices where end_reason = 'delisted'").fetchone()[0] == 0


def test_dry_run_writes_nothing():
    result = update("litellm", "--source", str(shared_file("fixtures/litellm/model_prices-2025-02-06.json")), "--dry-run",
                    "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["dry_run"] and report["sources"][0]["new"]
    db = database.open_db(os.environ["PRICEWAR_DB"])
    assert db["prices"].count == 0 and db["runs"].count == 0


def test_two_updates_at_once_record_once(tmp_path):
    page = str(shared_file("fixtures/deepseek/pricing-en-2025-12-20.md"))
    command = [sys.executable, "-m", "pricewar", "update", "deepseek", "--source", page, "--format", "json"]
    # from tmp_path, so that `python -m` imports the installed pricewar and not the source tree
    first, second = (subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
                     for _ in range(2))
    finished = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == second.returncode == 0, [e.decode() for _, e in finished]
    outputs = [json.loads(stdout)["sources"][0] for stdout, _ in finished]
    assert first.returncode == second.returncode == 0
    news = sorted(len(o["new"]) for o in outputs)
    assert news[0] == 0 and news[1] > 0  # the second found everything already recorded
    assert sorted(len(o["changed"]) + len(o["delisted"]) for o in outputs)[0] == 0
    db = database.open_db(os.environ["PRICEWAR_DB"])
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"


@pytest.fixture
def loopback():
    """A real HTTP server on 127.0.0.1 that misbehaves in the ways the path names."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == "/slow":
                time.sleep(1.5)
            if self.path == "/truncated":
                self.send_response(200)
                self.send_header("Content-Length", str(len(OPENROUTER_SMALL)))
                self.end_headers()
                self.wfile.write(OPENROUTER_SMALL[:40])
                self.close_connection = True
                return
            if self.path == "/reset":
                self.connection.close()
                return
            body = OPENROUTER_SMALL if self.path in ("/ok", "/slow") else b"<html>Just a moment...</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("path, words", [
    ("/slow", "did not answer within 0.3 s (3 tries)"),
    ("/truncated", "could not reach"),
    ("/reset", "could not reach"),
    ("/html", "got HTML"),
])
def test_a_misbehaving_server_on_loopback_fails_the_source_cleanly(loopback, monkeypatch, path, words):
    monkeypatch.setattr(fetch, "BACKOFF_SECONDS", 0)
    result = update("openrouter", "--source", loopback + path, "--timeout", "0.3", "--format", "json")
    report = json.loads(result.stdout)["sources"][0]
    assert result.exit_code == 1 and report["status"] == "failed" and words in report["error"]
    assert scraped_prices() == 0


def test_a_server_on_loopback_that_behaves(loopback):
    result = update("openrouter", "--source", loopback + "/ok", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["sources"][0]["status"] == "ok"


def test_another_providers_page_is_refused_not_read():
    result, report = saved("deepseek", str(shared_file("fixtures/moonshot/pricing-chat-zh-cn-2025-12-20.md")))
    assert result.exit_code == 1 and "never mentions deepseek — is it the right page" in report["error"]
    result, report = saved("minimax", str(shared_file("fixtures/mistral/pricing-2024-01-03.md")))
    assert result.exit_code == 1 and "never mentions minimax" in report["error"]
    assert scraped_prices() == 0


def test_a_first_load_does_not_list_its_history_as_todays_changes():
    result = update("catalog")
    assert result.exit_code == 0
    assert re.search(r"catalog: first load, [\d,]+ prices of [\d,]+ models recorded; its \d+ dated price changes "
                     r"are in `pricewar changes --source catalog`", result.stdout)
    assert "Price changes" not in result.stdout
    again = update("catalog", "--format", "json")
    assert json.loads(again.stdout)["sources"][0]["first_load"] is False


def test_offline_every_source_is_one_line_saying_the_network_is_unreachable(web, monkeypatch):
    def no_network(request):
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    for name in ("openrouter", "deepseek", "litellm"):
        for url in source_urls(name):
            web[url] = no_network
    result = update("catalog", "openrouter", "deepseek", "litellm", "--quiet")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == ["the network is unreachable: none of the 3 sources answered ([Errno -2] Name or service not "
                     "known); the bundled record was loaded (first use); `pricewar update` again when online"]
    assert re.match(r"catalog: first load, [\d,]+ prices of [\d,]+ models recorded; its \d+ dated price changes "
                    r"are in `pricewar changes --source catalog`\ncatalog: new prices for ", result.stdout)
    again = update("openrouter", "deepseek")
    assert again.exit_code == 1 and "nothing new was recorded; the history already held the bundled record" in \
        again.stderr and "deepseek: failed" not in again.stderr


def test_one_source_refused_among_unreachable_ones_is_told_apart(web):
    web[source_urls("openrouter")[0]] = httpx.Response(200, content=b"<!doctype html><html>Sign in</html>")
    result = update("openrouter", "deepseek")  # deepseek: 404, openrouter: a page that is not its list
    assert result.exit_code == 1 and "network is unreachable" not in result.stderr
    assert "openrouter: failed" in result.stderr and "2 of 2 sources failed" in result.stderr
