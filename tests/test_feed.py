"""`pricewar changes --format atom`: a feed a reader subscribes to, and `--fail-on-change`, an exit status cron
acts on. The feed is checked as a reader's parser reads it: xml.etree, and feedparser when it is installed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from conftest import ok, run
from pricewar.output import feed

NS = {"a": "http://www.w3.org/2005/Atom"}
MAY_2024 = ("--since", "2024-05-01", "--until", "2024-05-31")
HOSTILE = "<script>alert(\"x\")</script> & 'q' \x1b[31m]]>"


def parsed(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall("a:entry", NS)


def lab_cut(url: str = "https://lab.test/b?x=1&y='2'", model: str = "lab-1") -> None:
    """A maker of its own with one model: input 2 → 1 (-50%) and output 8 → 10 (+25%) USD on 2025-03-10."""
    ok("record", "feedlab", model, "--new-provider", "Feed Lab", "--new-model", "--input", "2", "--output", "8",
       "--effective", "2025-03-01", "--url", "https://lab.test/a")
    ok("record", "feedlab", model, "--input", "1", "--output", "10", "--effective", "2025-03-10", "--url", url)


def test_the_feed_is_atom_with_one_entry_per_row_of_the_json():
    rows = json.loads(ok("changes", *MAY_2024, "--format", "json"))
    root = parsed(ok("changes", *MAY_2024, "--format", "atom"))
    assert len(rows) >= 10
    assert root.findtext("a:id", namespaces=NS).startswith("urn:uuid:")
    assert root.findtext("a:title", namespaces=NS) == "pricewar: price changes, 2024-05-01 to 2024-05-31"
    assert root.findtext("a:author/a:name", namespaces=NS) == "pricewar"
    assert root.findtext("a:updated", namespaces=NS) == max(r["date"] for r in rows) + "T00:00:00Z"
    found = entries(root)
    assert len(found) == len(rows)
    for row, entry in zip(rows, found):  # the same events, in the same order
        assert entry.findtext("a:updated", namespaces=NS) == row["date"] + "T00:00:00Z"
        assert row["model"] in entry.findtext("a:title", namespaces=NS)
        assert entry.findtext("a:content", namespaces=NS) and entry.find("a:content", NS).get("type") == "html"


def test_titles_name_the_maker_model_kind_and_the_percentage_the_table_shows():
    root = parsed(ok("changes", *MAY_2024, "--format", "atom"))
    titles = [entry.findtext("a:title", namespaces=NS) for entry in entries(root)]
    assert "Alibaba cut qwen-long input 97.5% (20 → 0.5 CNY per 1M tokens)" in titles
    assert "Zhipu AI cut glm-3-turbo output 80.0% (5 → 1 CNY per 1M tokens)" in titles
    table = ok("changes", *MAY_2024)
    assert "-97.5%" in table and "Alibaba" in table


def test_a_rise_is_raised_and_a_feed_in_another_currency_says_it_was_converted():
    lab_cut()
    root = parsed(ok("changes", "--provider", "feedlab", "--since", "2025-01-01", "--format", "atom"))
    titles = [entry.findtext("a:title", namespaces=NS) for entry in entries(root)]
    assert titles == ["Feed Lab cut lab-1 input 50.0% (2 → 1 USD per 1M tokens)",
                      "Feed Lab raised lab-1 output 25.0% (8 → 10 USD per 1M tokens)"]
    content = entries(root)[0].findtext("a:content", namespaces=NS)
    assert "Flagged" not in content and "Seen by record." in content
    converted = parsed(ok("changes", "--provider", "feedlab", "--since", "2025-01-01", "--format", "atom",
                          "--currency", "EUR"))
    entry = entries(converted)[0]
    assert " EUR per 1M tokens)" in entry.findtext("a:title", namespaces=NS)
    assert "Converted from USD at USD→EUR" in entry.findtext("a:content", namespaces=NS)


def test_ids_are_stable_across_runs_and_unique():
    first = ok("changes", "--since", "2020-01-01", "--format", "atom", "--corrections")
    second = ok("changes", "--since", "2020-01-01", "--format", "atom", "--corrections")
    assert first == second  # the same history gives the same bytes: a reader sees nothing new
    ids = [entry.findtext("a:id", namespaces=NS) for entry in entries(parsed(first))]
    assert len(ids) > 400 and len(set(ids)) == len(ids)
    assert all(i.startswith("urn:uuid:") for i in ids)
    # an entry keeps its id in a narrower window, sorted otherwise: the id is the event's, not the page's
    narrow = parsed(ok("changes", *MAY_2024, "--format", "atom", "--sort", "date", "--corrections"))
    assert {entry.findtext("a:id", namespaces=NS) for entry in entries(narrow)} <= set(ids)


def test_an_id_is_the_event_not_the_sources_that_saw_it():
    record = {"provider": "deepseek", "model": "deepseek-chat", "kind": "input", "service_tier": "standard",
              "context_tier": "", "region": "", "mode": "", "time_window": "", "currency": "USD",
              "date": "2024-09-05", "old": Decimal("0.27"), "new": Decimal("0.14"), "correction": None}
    same = feed.entry_id(record)
    assert feed.entry_id({**record, "source": "litellm", "sources": ["catalog", "litellm"]}) == same
    assert feed.entry_id({**record, "old": Decimal("0.270")}) == same  # 0.27 and 0.270 are one amount
    assert feed.entry_id({**record, "model": "deepseek-chat-0628"}) == same  # a snapshot's step is the model's
    for other in ({"kind": "output"}, {"date": "2024-09-06"}, {"new": Decimal("0.13")}, {"currency": "CNY"},
                  {"service_tier": "batch"}, {"correction": "a blank filled"}):
        assert feed.entry_id({**record, **other}) != same


def test_the_feed_id_is_the_question_asked():
    def feed_id(*args: str) -> str:
        return parsed(ok("changes", *args, "--format", "atom")).findtext("a:id", namespaces=NS)

    assert feed_id("--since", "30d") == feed_id("--since", "30d")
    assert feed_id("--since", "30d") != feed_id("--since", "30d", "--provider", "deepseek")


@pytest.mark.parametrize("record, expected", [
    ({"old": Decimal("0.27"), "new": Decimal("0.14")}, "DeepSeek cut deepseek-chat input 48.1% (0.27 → 0.14 USD per 1M tokens)"),
    ({"old": Decimal("1"), "new": Decimal("0")}, "DeepSeek cut deepseek-chat input 100.0% (1 → 0 USD per 1M tokens)"),
    ({"old": Decimal("0"), "new": Decimal("0.5")}, "DeepSeek raised deepseek-chat input (0 → 0.5 USD per 1M tokens)"),
    ({"kind": "cache_hit", "service_tier": "batch"},
     "DeepSeek cut deepseek-chat [batch] cache hit 50.0% (2 → 1 USD per 1M tokens)"),
    ({"correction": "a unit fix", "also_ids": ["deepseek-chat-0628"]},
     "correction: DeepSeek cut deepseek-chat input 50.0% (2 → 1 USD per 1M tokens)"),
    ({"old": Decimal("1.9871234"), "new": Decimal("0.99356170"), "currency": "EUR", "fx": {"rate": "0.9"}},
     "DeepSeek cut deepseek-chat input 50.0% (1.99 → 0.9936 EUR per 1M tokens)"),
])
def test_title(record, expected):
    base = {"provider": "deepseek", "provider_name": "DeepSeek", "model": "deepseek-chat", "kind": "input",
            "service_tier": "standard", "context_tier": "", "region": "", "mode": "", "time_window": "",
            "currency": "USD", "unit": "per 1M tokens", "old": Decimal("2"), "new": Decimal("1"), "fx": None,
            "correction": None, "also_ids": []}
    assert feed.title({**base, **record}) == expected


def test_hostile_names_and_addresses_are_text():
    lab_cut(url="https://lab.test/b?x=1&y=\"><script>", model=HOSTILE)
    text = ok("changes", "--provider", "feedlab", "--since", "2025-01-01", "--format", "atom")
    assert "\x1b" not in text and "<script" not in text  # escaped, and no character XML cannot hold
    root = parsed(text)
    assert not root.findall(".//script") and not root.findall(".//{http://www.w3.org/2005/Atom}script")
    entry = entries(root)[0]
    title = entry.findtext("a:title", namespaces=NS)
    assert title.startswith("Feed Lab cut <script>alert(\"x\")</script> & 'q' \ufffd[31m]]> input 50.0%")
    content = entry.findtext("a:content", namespaces=NS)  # HTML text: the name escaped inside it, once more
    assert "&lt;script&gt;" in content and "<script" not in content
    # an address no IRI can be is no link: it is named in the text
    assert entry.find("a:link", NS) is None
    assert "Source: https://lab.test/b?x=1&amp;y=&quot;&gt;&lt;script&gt;" in content


def test_a_reader_that_is_not_a_browser_reads_the_feed():
    feedparser = pytest.importorskip("feedparser", reason="feedparser is not installed (pip install feedparser)")
    lab_cut(model=HOSTILE)
    text = ok("changes", "--since", "2024-05-01", "--format", "atom")
    rows = json.loads(ok("changes", "--since", "2024-05-01", "--format", "json"))
    read = feedparser.parse(text.encode("utf-8"))
    assert not read.bozo, read.get("bozo_exception")
    assert read.version == "atom10"
    assert read.feed.title.startswith("pricewar: price changes, 2024-05-01 to ")
    assert len(read.entries) == len(rows)
    assert len({e.id for e in read.entries}) == len(rows)
    lab = next(e for e in read.entries if e.title.startswith("Feed Lab cut"))
    assert lab.title.startswith("Feed Lab cut <script>")  # text, as the reader shows it
    assert lab.link == "https://lab.test/b?x=1&y='2'"
    assert lab.updated_parsed[:3] == (2025, 3, 10)
    assert "<script" not in lab.content[0].value


def test_an_empty_window_is_a_valid_feed_with_no_entry():
    root = parsed(ok("changes", "--since", "2020-01-01", "--until", "2020-02-01", "--format", "atom"))
    assert entries(root) == []
    assert root.findtext("a:updated", namespaces=NS).endswith("T00:00:00Z")


def test_feed_url_is_the_self_link_and_only_for_a_feed():
    root = parsed(ok("changes", *MAY_2024, "--format", "atom", "--feed-url", "https://example.test/prices.xml"))
    link = root.find("a:link", NS)
    assert (link.get("rel"), link.get("href")) == ("self", "https://example.test/prices.xml")
    for args, said in ((("--feed-url", "https://example.test/f.xml"), "only with --format atom"),
                       (("--format", "atom", "--feed-url", "javascript:alert(1)"), "is not an http")):
        result = run("changes", *args)
        assert result.exit_code == 2 and said in result.stderr and len(result.stderr.splitlines()) == 1


def test_an_unknown_format_is_one_sentence_naming_atom():
    result = run("changes", "--format", "rss")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --format: 'rss' is not one of table, json, csv, markdown, atom"
    assert run("compare", "--format", "atom").exit_code == 2  # a feed of changes only


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "atom"])
def test_fail_on_change_exits_3_when_a_change_is_listed(fmt):
    result = run("changes", *MAY_2024, "--format", fmt, "--fail-on-change")
    assert result.exit_code == 3, result.output
    assert "qwen-long" in result.stdout  # the changes are printed all the same


def test_fail_on_change_exits_0_when_none():
    result = run("changes", "--since", "2020-01-01", "--until", "2020-02-01", "--fail-on-change")
    assert result.exit_code == 0 and "no price changes in this window" in result.stdout
    assert run("changes", "--since", "2020-01-01", "--until", "2020-02-01", "--format", "json",
               "--fail-on-change").stdout.strip() == "[]"
    assert run("changes", *MAY_2024).exit_code == 0  # without the flag, changes are no failure


def test_fail_on_change_with_a_threshold():
    lab_cut()
    window = ("--provider", "feedlab", "--since", "2025-01-01", "--fail-on-change")
    assert run("changes", *window, "--min-change", "40").exit_code == 3  # the 50% cut
    assert run("changes", *window, "--min-change", "60").exit_code == 0
    result = run("changes", *window, "--since", "2099-01-01")  # a usage error stays 2, never "no change"
    assert result.exit_code == 2 and "in the future" in result.stderr
