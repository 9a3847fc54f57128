"""Hostile and broken sources, served for real on 127.0.0.1: each fails alone, in bounded time and memory."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import run

from pricewar.history import database
from pricewar.sources import fetch, providers

GOOD = json.dumps({"data": [
    {"id": "deepseek/deepseek-chat", "name": "DeepSeek V3",
     "pricing": {"prompt": "0.00000027", "completion": "0.0000011"}},
    {"id": "openai/gpt-4o", "name": "GPT-4o", "pricing": {"prompt": "0.0000025", "completion": "0.00001"}},
]}).encode()
BOMB = gzip.compress(gzip.compress(b"0" * (64 * 1024 * 1024), 9), 9)  # 64 MiB of zeros in a few kB, twice packed


class Hostile(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, body: bytes, **headers: str) -> None:
        self.send_response(200)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/ok":
            self.answer(GOOD)
        elif path == "/gzip":
            self.answer(gzip.compress(GOOD), Content_Encoding="gzip")
        elif path == "/bomb":
            self.answer(BOMB, Content_Encoding="gzip, gzip")
        elif path == "/not-gzip":
            self.answer(GOOD, Content_Encoding="gzip")
        elif path == "/brotli":
            self.answer(GOOD, Content_Encoding="br")
        elif path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", str(10**6))
            self.end_headers()
            try:
                for _ in range(600):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/endless":  # no length, never ends
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"0" * 65536)
            except OSError:
                pass
        elif path == "/deep":
            self.answer(b"[" * 200_000 + b"]" * 200_000)
        elif path == "/surrogate":
            self.answer(GOOD.replace(b"openai/gpt-4o", b"openai/gpt-4o\\ud800"))


@pytest.fixture(scope="module")
def hostile():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch, no_shipped_history):
    """No backoff between tries; the bundled record only."""
    monkeypatch.setattr(fetch, "BACKOFF_SECONDS", 0)


def scraped(source: str) -> int:
    db = database.open_db(os.environ["PRICEWAR_DB"])
    return db.execute("select count(*) from prices where source = ?", [source]).fetchone()[0]


@pytest.mark.parametrize("path, words", [
    ("/bomb", "unpacks to more than"),
    ("/not-gzip", "says its page is gzip-compressed, but it is not"),
    ("/brotli", "encoded as 'br'"),
    ("/loop", "redirects in a loop"),
    ("/drip", "took more than"),
    ("/endless", "more than the"),
    ("/deep", "not valid JSON"),
    ("/surrogate", "not valid Unicode"),
])
def test_a_hostile_page_fails_its_source_in_one_sentence_and_in_time(hostile, path, words):
    started = time.monotonic()
    result = run("update", "openrouter", "--source", hostile + path, "--timeout", "0.3", "--format", "json")
    took = time.monotonic() - started
    report = json.loads(result.stdout)["sources"][0]
    assert result.exit_code == 1 and report["status"] == "failed" and words in report["error"], report["error"]
    assert "this is a bug" not in report["error"] and "Traceback" not in result.output
    assert took < 10, took
    assert scraped("openrouter") == 0


def test_a_compressed_page_is_read(hostile):
    result = run("update", "openrouter", "--source", hostile + "/gzip", "--format", "json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)["sources"][0]["new"]) == 4


def test_one_hostile_source_leaves_the_others_recorded(hostile, monkeypatch):
    monkeypatch.setattr(providers.load("openrouter"), "URLS", (hostile + "/ok",))
    monkeypatch.setattr(providers.load("litellm"), "URLS", (hostile + "/bomb",))
    monkeypatch.setattr(providers.load("genai-prices"), "URLS", (hostile + "/loop",))
    monkeypatch.setattr(providers.load("deepseek"), "URLS", (hostile + "/drip",))
    result = run("update", "openrouter", "litellm", "genai-prices", "deepseek", "--timeout", "0.3", "-f", "json")
    status = {s["source"]: s["status"] for s in json.loads(result.stdout)["sources"]}
    assert result.exit_code == 1
    assert status == {"openrouter": "ok", "litellm": "failed", "genai-prices": "failed", "deepseek": "failed"}
    assert scraped("openrouter") == 4 and scraped("litellm") == scraped("deepseek") == 0


PEAK = """
import resource, runpy, sys
sys.argv = ["pricewar", *sys.argv[1:]]
try:
    runpy.run_module("pricewar", run_name="__main__")
finally:
    print("peak-kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


@pytest.mark.slow
@pytest.mark.parametrize("how", ["bomb", "endless", "file"])
def test_memory_stays_bounded(hostile, tmp_path, how):
    """The installed command, in its own process: peak RSS under 300 MB whatever the page weighs."""
    if how == "file":
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero here")
        target = "/dev/zero"
    else:
        target = f"{hostile}/{how}"
    command = [sys.executable, "-c", PEAK, "update", "litellm", "--source", target, "--timeout", "5"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={**os.environ, "PRICEWAR_DB": str(tmp_path / "h.db")})
    peak_mb = int(done.stderr.rsplit("peak-kb", 1)[1].split()[0]) / 1024
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr and "this is a bug" not in done.stderr
    assert "more than the 33,554,432 bytes" in done.stderr or "larger than the 33,554,432 bytes" in done.stderr
    assert peak_mb < 300, peak_mb
