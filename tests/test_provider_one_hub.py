"""one-hub's price list: ratios to USD or recovered CNY, channels to makers, the DeepSeek placeholder, the archive."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal

import pytest
from conftest import SHARED, own_fixture

from pricewar.price import PricewarError, canonical_provider
from pricewar.sources import archive, ratios
from pricewar.sources.providers import load, one_hub

FIXTURE = own_fixture("one-hub-2024-05-25.json")  # MartialBE/one-hub@32bd486b (prices branch), 2024-05-25 17:58 +08:00
BUNDLE = SHARED / "data" / "archives" / "one-hub-prices-history.bundle"
BEIJING = dt.timezone(dt.timedelta(hours=8))


def table(prices) -> dict[tuple[str, str, str], tuple[Decimal, str]]:
    return {(p.provider, p.model, p.kind): (p.per_mtok, p.currency) for p in prices}


def test_is_a_registered_source():
    assert load("one-hub") is one_hub
    assert one_hub.URLS == ("https://raw.githubusercontent.com/MartialBE/one-hub/prices/prices.json",)
    assert one_hub.ARCHIVE_FILE == "prices.json"
    assert "暂定" in (one_hub.__doc__ or "")  # the placeholder rule is documented


def test_the_fixture_reads_yuan_exactly_and_dollars_as_ratio_times_two():
    prices = table(one_hub.parse(FIXTURE.read_bytes()))
    assert len(prices) == 224
    cny, usd = "CNY", "USD"
    assert {key: prices[key] for key in [
        ("deepseek", "deepseek-chat", "input"), ("deepseek", "deepseek-chat", "output"),
        ("alibaba", "qwen-long", "input"), ("alibaba", "qwen-long", "output"),
        ("zhipu", "glm-3-turbo", "input"), ("baidu", "ernie-speed", "output"), ("baidu", "ernie-lite-8k", "input"),
        ("iflytek", "spark-lite", "input"), ("tencent", "hunyuan-lite", "output"),
        ("baidu", "ernie-4.0", "input"), ("alibaba", "qwen-vl-plus", "input"),
        ("alibaba", "text-embedding-v1", "input"),
        ("01ai", "yi-34b-chat-0205", "input"), ("tencent", "hunyuan-standard", "input"),
        ("openai", "gpt-4o", "input"), ("openai", "gpt-4o", "output"),
        ("anthropic", "claude-3-haiku-20240307", "output"), ("google", "gemini-1.5-flash-latest", "output"),
        ("mistral", "mistral-medium-latest", "input"),
    ]} == {
        ("deepseek", "deepseek-chat", "input"): (Decimal("1"), cny),  # 0.0714, not 0.9996
        ("deepseek", "deepseek-chat", "output"): (Decimal("2"), cny),  # 0.1429, not 2.0006
        ("alibaba", "qwen-long", "input"): (Decimal("0.5"), cny),  # 0.0357
        ("alibaba", "qwen-long", "output"): (Decimal("2"), cny),
        ("zhipu", "glm-3-turbo", "input"): (Decimal("1"), cny),
        ("baidu", "ernie-speed", "output"): (Decimal("0"), cny),  # free, as written
        ("baidu", "ernie-lite-8k", "input"): (Decimal("0"), cny),
        ("iflytek", "spark-lite", "input"): (Decimal("0"), cny),  # SparkDesk-v1.1
        ("tencent", "hunyuan-lite", "output"): (Decimal("0"), cny),
        ("baidu", "ernie-4.0", "input"): (Decimal("120"), cny),  # 8.572: rounded by hand, up, to 3 decimals
        ("alibaba", "qwen-vl-plus", "input"): (Decimal("8"), cny),  # 0.5715: rounded up
        ("alibaba", "text-embedding-v1", "input"): (Decimal("0.7"), cny),  # 0.05: exact, read as it is
        ("01ai", "yi-34b-chat-0205", "input"): (Decimal("2.5"), cny),  # 0.1786
        ("tencent", "hunyuan-standard", "input"): (Decimal("4.5"), cny),  # 0.3214
        ("openai", "gpt-4o", "input"): (Decimal("5"), usd),
        ("openai", "gpt-4o", "output"): (Decimal("15"), usd),
        ("anthropic", "claude-3-haiku-20240307", "output"): (Decimal("1.25"), usd),
        ("google", "gemini-1.5-flash-latest", "output"): (Decimal("0.53"), usd),  # 0.265 x 2, as one-hub had it
        ("mistral", "mistral-medium-latest", "input"): (Decimal("2.7"), usd),
    }


def test_what_is_skipped_and_how_prices_are_written():
    prices = one_hub.parse(FIXTURE.read_bytes())
    models = {p.model for p in prices}
    rows = json.loads(FIXTURE.read_bytes())
    assert {row["type"] for row in rows} == {"tokens", "times"}
    assert not models & {row["model"].lower() for row in rows if row["type"] == "times"}  # per call
    assert not models & {"dall-e-2", "dall-e-3", "tts-1", "whisper-1", "cogview-3"}  # images, characters, minutes
    assert not models & {"llama3-70b-8192", "gemma-7b-it", "hunyuan-pro", "sd3"}  # Groq hosts, Stability's channel
    assert "sparkdesk-v1.1" not in models and "sparkdesk-v3.5" in models
    assert {p.provider for p in prices} == {"openai", "google", "anthropic", "baidu", "zhipu", "alibaba", "iflytek",
                                            "360", "tencent", "baichuan", "minimax", "deepseek", "moonshot",
                                            "mistral", "01ai", "cohere"}
    for price in prices:
        assert price.provider == canonical_provider(price.provider) and price.model == price.model.lower()
        assert price.currency == ratios.CHANNELS[next(c for c, m in ratios.CHANNELS.items()
                                                      if m.provider == price.provider)].currency
        assert price.unit == "per 1M tokens" and price.effective_from is None
    chat = {p.kind: p for p in prices if p.model == "deepseek-chat"}
    assert chat["input"].published == "ratio 0.0714 × ¥14/M"
    assert {p.kind: p.published for p in prices if p.model == "gpt-4o"} == {
        "input": "ratio 2.5 × $2/M", "output": "ratio 7.5 × $2/M"}


def test_the_deepseek_placeholder_is_skipped_and_the_first_versions_models_key_is_read():
    # rows as the first version (2024-03-28 13:37) wrote them: "models", and DeepSeek at one-hub's tentative 0.75
    body = json.dumps([
        {"models": "deepseek-chat", "type": "tokens", "channel_type": 28, "input": 0.75, "output": 0.75},
        {"models": "deepseek-coder", "type": "tokens", "channel_type": 28, "input": 0.75, "output": 0.75},
        {"models": "glm-3-turbo", "type": "tokens", "channel_type": 16, "input": 0.3572, "output": 0.3572},
        {"models": "gpt-4", "type": "tokens", "channel_type": 1, "input": 15, "output": 30},
    ]).encode()
    assert table(one_hub.parse(body)) == {
        ("zhipu", "glm-3-turbo", "input"): (Decimal("5"), "CNY"),
        ("zhipu", "glm-3-turbo", "output"): (Decimal("5"), "CNY"),
        ("openai", "gpt-4", "input"): (Decimal("30"), "USD"),
        ("openai", "gpt-4", "output"): (Decimal("60"), "USD"),
    }
    real = json.dumps([{"model": "deepseek-chat", "type": "tokens", "channel_type": 28, "input": 0.0714,
                        "output": 0.1429}]).encode()
    assert table(one_hub.parse(real)) == {("deepseek", "deepseek-chat", "input"): (Decimal("1"), "CNY"),
                                          ("deepseek", "deepseek-chat", "output"): (Decimal("2"), "CNY")}


@pytest.mark.parametrize(("ratio", "currency", "expected"), [
    ("0.0714", "CNY", "1"),  # the README's 0.0714 = CNY 1 per 1M, not 0.9996
    ("0.1429", "CNY", "2"),
    ("0.0357", "CNY", "0.5"),
    ("0.0214", "CNY", "0.3"),
    ("0.0429", "CNY", "0.6"),
    ("0.5715", "CNY", "8"),  # hand-rounded up
    ("8.572", "CNY", "120"),  # hand-rounded to 3 decimals
    ("0.0707", "CNY", "0.99"),  # a price with cents survives
    ("0.0107", "CNY", "0.15"),
    ("0.05", "CNY", "0.7"),  # under 3 decimals: nothing was rounded, read exactly
    ("1", "CNY", "14"),
    ("0", "CNY", "0"),
    ("0.0001", "CNY", "0.001"),  # never recovered to free
    ("0.0375", "USD", "0.075"),  # dollars: ratio x 2, exactly
    ("0.4", "USD", "0.8"),
    ("0.0249", "USD", "0.0498"),
])
def test_a_ratio_stands_for_the_simplest_price_it_can_have_been_rounded_from(ratio, currency, expected):
    assert ratios.amount(ratio, currency) == Decimal(expected)


@pytest.mark.parametrize(("body", "words"), [
    (b"", "came back empty"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "got HTML"),
    (b'{"data": []}', "holds no list of prices"),
    (b'"prices.json"', "holds no list of prices"),
    (b"[]", "No prices found"),
    (b'[{"model": "mj_imagine", "type": "times", "channel_type": 34, "input": 50, "output": 50}]', "No prices found"),
    (b'[{"model": "deepseek-chat", "type": "tokens", "channel_type": 28, "input": 0.75, "output": 0.75}]',
     "No prices found"),
    (b'[{"model": "llama3-8b-8192", "type": "tokens", "channel_type": 31, "input": 0.1, "output": 0.1}]',
     "No prices found"),
    (b'[{"model": "gpt-4", "type": "tokens", "channel_type": 1, "input": "15", "output": -1}]', "No prices found"),
    # beyond any price, or more digits than exact arithmetic keeps: skipped, never rounded
    (b'[{"model": "gpt-4", "type": "tokens", "channel_type": 1, "input": 1e400, '
     b'"output": 1.2345678901234567890123456789}]', "No prices found"),
])
def test_unexpected_bodies_raise_a_sentence_naming_the_source(body, words):
    with pytest.raises(PricewarError) as raised:
        one_hub.parse(body)
    message = str(raised.value)
    assert "one-hub" in message and words in message
    assert message[0].isupper() and message.endswith(("?", "."))


@pytest.mark.skipif(not BUNDLE.exists(), reason=f"{BUNDLE} is absent (clone the project beside its shared/ folder)")
@pytest.mark.skipif(shutil.which("git") is None, reason="the archive is read with git, which is not installed")
def test_every_version_of_the_archive_parses_and_shows_the_readmes_dates():
    with archive.opened(str(BUNDLE)) as repo:
        items = archive.versions(repo, one_hub.ARCHIVE_FILE)
        bodies = archive.bodies(repo, one_hub.ARCHIVE_FILE, items)
        parsed = [(version, table(one_hub.parse(body))) for version, body in bodies]
    assert len(items) == len(parsed) == 38
    assert len(parsed[-1][1]) == 322

    def first(facts: dict) -> str:
        """The Beijing date (the README's, the commits' own zone) of the first version holding all of `facts`."""
        wanted = {key: (Decimal(value), currency) for key, (value, currency) in facts.items()}
        version = next(version for version, prices in parsed if all(prices.get(key) == wanted[key] for key in wanted))
        stamp = dt.datetime.strptime(version.observed_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
        return stamp.astimezone(BEIJING).date().isoformat()

    cny, usd = "CNY", "USD"
    assert parsed[0][0].observed_at == "2024-03-28T05:37:42Z"  # the version that says "models"
    assert ("openai", "gpt-4", "input") in parsed[0][1]
    assert not any(key[1] == "deepseek-chat" for key in parsed[0][1])  # 0.75 / 0.75 until then: a placeholder
    assert first({("deepseek", "deepseek-chat", "input"): ("1", cny),
                  ("deepseek", "deepseek-chat", "output"): ("2", cny)}) == "2024-05-09"
    assert first({("alibaba", "qwen-long", "input"): ("0.5", cny),
                  ("alibaba", "qwen-long", "output"): ("2", cny)}) == "2024-05-22"
    assert first({("zhipu", "glm-3-turbo", "input"): ("1", cny)}) == "2024-05-22"
    assert first({("baidu", "ernie-speed", "input"): ("0", cny), ("baidu", "ernie-speed", "output"): ("0", cny),
                  ("baidu", "ernie-lite-8k", "input"): ("0", cny)}) == "2024-05-22"
    assert first({("iflytek", "spark-lite", "input"): ("0", cny),
                  ("tencent", "hunyuan-lite", "input"): ("0", cny)}) == "2024-05-25"
    assert first({("openai", "gpt-4o", "input"): ("5", usd), ("openai", "gpt-4o", "output"): ("15", usd)}) \
        == "2024-05-14"
    assert first({("anthropic", "claude-3-5-sonnet-20240620", "input"): ("3", usd)}) == "2024-06-21"
    assert first({("google", "gemini-1.5-flash", "input"): ("0.075", usd)}) == "2024-08-31"
    assert first({("zhipu", "glm-4-flash", "input"): ("0", cny), ("zhipu", "glm-4-flash", "output"): ("0", cny)}) \
        == "2024-08-31"
    assert first({("alibaba", "qwen-turbo", "input"): ("0.3", cny),
                  ("alibaba", "qwen-turbo", "output"): ("0.6", cny)}) == "2024-09-22"
    # before the cuts, the same feed read the list prices of the day
    assert parsed[0][1][("zhipu", "glm-3-turbo", "input")] == (Decimal("5"), cny)
    assert parsed[0][1][("baidu", "ernie-speed", "output")] == (Decimal("8"), cny)
