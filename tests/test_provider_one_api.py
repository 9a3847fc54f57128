"""one-api's Go price table: ratios, constants as Go evaluates them, completion rules, every archived version."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest
from conftest import SHARED, own_fixture  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import Price, PricewarError, canonical_provider
from pricewar.sources import golang
from pricewar.sources.providers import load, one_api

FIXTURE = "one-api-2025-02-09.go"  # the bundle's version of 2025-02-09 11:02 +08:00, whole
BUNDLE = SHARED / "data" / "archives" / "one-api-ratio-history.bundle"
CHINA = timezone(timedelta(hours=8))  # the README's dates are the committer's (+08:00)


def fixture_prices() -> list[Price]:
    return one_api.parse(own_fixture(FIXTURE).read_bytes())


def table(prices: list[Price]) -> dict[tuple[str, str, str], tuple[Decimal, str]]:
    return {(p.provider, p.model, p.kind): (p.per_mtok, p.currency) for p in prices}


def of(prices: list[Price], model: str) -> dict[str, tuple[Decimal, str]]:
    return {p.kind: (p.per_mtok, p.currency) for p in prices if p.model == model}


def go(entries: str, completion: str = "", header: str = "// 1 === ￥0.014 / 1k tokens") -> bytes:
    """A small Go file in the shape of one-api's."""
    return f"""package ratio

const (
\tUSD2RMB   = 7
\tUSD       = 500 // $0.002 = 1 -> $1 = 500
\tMILLI_USD = 1.0 / 1000 * USD
\tRMB       = USD / USD2RMB
)

{header}
var ModelRatio = map[string]float64{{
{entries}
}}
{completion}
""".encode()


def test_is_a_registered_source():
    assert load("one-api") is one_api
    assert one_api.URLS == ("https://raw.githubusercontent.com/songquanpeng/one-api/main/relay/billing/ratio/model.go",)
    assert one_api.ARCHIVE_FILE == "model-ratio.go"
    doc = one_api.__doc__ or ""
    for decision in ("500 / 7", "effective_to", "placeholder", "1 === ￥0.014", "SparkDesk-v1.1 as spark-lite"):
        assert decision in doc


def test_fixture_usd_models():
    prices = table(fixture_prices())
    assert of(fixture_prices(), "gpt-4o") == {"input": (Decimal("5"), "USD"), "output": (Decimal("20"), "USD")}
    assert prices[("openai", "gpt-4o-2024-05-13", "output")] == (Decimal("15"), "USD")  # its own rule: x 3
    assert prices[("openai", "gpt-3.5-turbo-0613", "output")] == (Decimal("2"), "USD")  # 0.75 x 4.0 / 3.0, exactly
    assert of(fixture_prices(), "claude-3-5-sonnet-20240620") == {"input": (Decimal("3"), "USD"),
                                                                 "output": (Decimal("15"), "USD")}
    assert prices[("mistral", "mistral-large-latest", "output")] == (Decimal("24"), "USD")
    assert prices[("cohere", "command-r-plus", "output")] == (Decimal("15"), "USD")
    assert prices[("xai", "grok-beta", "input")] == (Decimal("5"), "USD")


def test_fixture_deepseek_is_in_dollars_with_its_completion_map_entry():
    chat = {p.kind: p for p in fixture_prices() if p.model == "deepseek-chat"}
    assert (chat["input"].provider, chat["input"].per_mtok, chat["input"].currency) == ("deepseek", Decimal("0.14"), "USD")
    assert chat["input"].published == "0.14 * MILLI_USD"
    assert chat["output"].per_mtok == Decimal("0.28")
    assert chat["output"].published == "0.14 * MILLI_USD × 0.28 / 0.14"
    assert of(fixture_prices(), "deepseek-reasoner")["output"] == (Decimal("2.19"), "USD")


def test_fixture_yuan_expressions_are_the_yuan_written_not_go_s_71():
    prices = {p.key[:3]: p for p in fixture_prices()}
    ernie = prices[("baidu", "ernie-4.0-8k", "input")]
    assert (ernie.per_mtok, ernie.currency, ernie.published, ernie.unit) == (
        Decimal("120"), "CNY", "0.120 * RMB", "per 1K tokens")  # Go bills 0.12 x 71 = 8.52 (USD 0.01704 / 1K)
    assert (prices[("zhipu", "glm-3-turbo", "input")].per_mtok, prices[("zhipu", "glm-3-turbo", "output")].per_mtok) \
        == (Decimal("1"), Decimal("1"))
    assert prices[("moonshot", "moonshot-v1-8k", "input")].per_mtok == Decimal("12")
    assert prices[("tencent", "hunyuan-standard-256k", "input")].per_mtok == Decimal("0.5")
    assert prices[("01-ai", "yi-34b-chat-0205", "input")].per_mtok == Decimal("2.5")  # 2.5 / 1000 * RMB
    assert prices[("minimax", "abab6.5s-chat", "input")].per_mtok == Decimal("10")
    assert prices[("zhipu", "glm-4-plus", "input")].per_mtok == Decimal("50")


def test_fixture_plain_ratios_of_chinese_makers_are_yuan_without_the_rounding():
    prices = {p.key[:3]: p for p in fixture_prices()}
    spark = prices[("iflytek", "spark-lite", "input")]  # SparkDesk-v1.1
    assert (spark.per_mtok, spark.currency, spark.published) == (Decimal("18"), "CNY", "ratio 1.2858 (1 = ¥0.014 / 1K)")
    assert ("iflytek", "sparkdesk-v1.1", "input") not in prices
    assert prices[("iflytek", "sparkdesk-v4.0", "output")].per_mtok == Decimal("18")
    assert prices[("360", "360gpt_s2_v9", "input")].per_mtok == Decimal("12")  # 0.8572, not 12.0008
    assert prices[("alibaba", "qwen-turbo", "input")].per_mtok == Decimal("20")  # 1.4286


def test_fixture_free_model_is_a_price_of_zero():
    assert of(fixture_prices(), "glm-4-flash") == {"input": (Decimal("0"), "CNY"), "output": (Decimal("0"), "CNY")}


def test_fixture_skips_placeholders_slips_and_what_is_not_text():
    prices = fixture_prices()
    models = {p.model for p in prices}
    assert not [p for p in prices if p.provider == "google"]  # every gemini-* is the placeholder 1 here
    assert not [p for p in prices if p.provider in ("groq", "stepfun")]  # / 1000000 * USD, StepFun's / 1000 * RMB
    assert not models & {"aqa", "dall-e-3", "whisper-1", "tts-1", "cogview-3", "wanx-v1", "deepl-zh", "bloomz-7b",
                         "qwen-audio-turbo", "text-moderation-latest", "llama3-8b-8192(33)", "bge-large-zh"}
    embedding = {p.kind: p for p in prices if p.model == "text-embedding-3-small"}
    assert list(embedding) == ["input"] and embedding["input"].per_mtok == Decimal("0.02")
    assert embedding["input"].model_type == "embedding"


def test_fixture_count_ids_and_providers():
    prices = fixture_prices()
    assert len(prices) == 404
    assert len({p.key for p in prices}) == 404
    assert all(p.model == p.model.lower() and p.provider == canonical_provider(p.provider) for p in prices)
    assert {p.currency for p in prices} == {"USD", "CNY"}
    assert all(p.effective_from is None and p.effective_to is None for p in prices)
    assert {p.provider for p in prices} == {"openai", "anthropic", "mistral", "cohere", "xai", "deepseek", "baidu",
                                            "zhipu", "alibaba", "iflytek", "tencent", "moonshot", "minimax", "01-ai",
                                            "baichuan", "360"}


DATED_RULE = '''
func GetCompletionRatio(name string) float64 {
\tif strings.HasPrefix(name, "gpt-3.5") {
\t\tif name == "gpt-3.5-turbo" {
\t\t\tnow := time.Now()
\t\t\tif now.After(time.Date(2023, 12, 11, 0, 0, 0, 0, time.UTC)) {
\t\t\t\treturn 2
\t\t\t}
\t\t}
\t\treturn 1.333333
\t}
\treturn 1
}
'''


def test_the_dated_rule_gives_both_prices_with_the_date_the_file_states():
    prices = one_api.parse(go('\t"gpt-3.5-turbo": 0.75,\n\t"gpt-3.5-turbo-0613": 0.75,', DATED_RULE))
    output = sorted(((p.per_mtok, p.effective_from, p.effective_to) for p in prices
                     if p.model == "gpt-3.5-turbo" and p.kind == "output"), key=str)
    assert output == [(Decimal("1.9999995"), None, "2023-12-11"), (Decimal("3"), "2023-12-11", None)]
    assert of(prices, "gpt-3.5-turbo-0613") == {"input": (Decimal("1.5"), "USD"), "output": (Decimal("1.9999995"), "USD")}


SWITCH_AND_MAP = '''
var CompletionRatio = map[string]float64{
\t"llama3-8b-8192(33)": 0.0006 / 0.0003,
\t"deepseek-chat":      0.28 / 0.14,
}

func GetCompletionRatio(name string, channelType int) float64 {
\tmodel := fmt.Sprintf("%s(%d)", name, channelType)
\tif ratio, ok := CompletionRatio[model]; ok {
\t\treturn ratio
\t}
\tif ratio, ok := DefaultCompletionRatio[name]; ok {
\t\treturn ratio
\t}
\tif strings.HasPrefix(name, "qwen-") && strings.HasSuffix(name, "-internet") {
\t\tname = strings.TrimSuffix(name, "-internet")
\t}
\tswitch name {
\tcase "glm-4", "qwen-max":
\t\treturn 3
\tcase "claude-2.1":
\t\treturn 2.750 / 0.650 // ≈4.230769
\t}
\treturn 1
}
'''


def test_completion_map_switch_and_channel_keys():
    prices = one_api.parse(go('\t"deepseek-chat": 1.0 / 1000 * RMB,\n\t"glm-4": 0.1 * RMB,\n'
                              '\t"qwen-max-internet": 0.0024 * RMB,\n\t"claude-2.1": 0.650 * USD,\n'
                              '\t"llama3-8b-8192(33)": 0.0003 / 0.002,', SWITCH_AND_MAP))
    assert table(prices) == {
        ("deepseek", "deepseek-chat", "input"): (Decimal("1"), "CNY"),
        ("deepseek", "deepseek-chat", "output"): (Decimal("2"), "CNY"),
        ("zhipu", "glm-4", "input"): (Decimal("100"), "CNY"),
        ("zhipu", "glm-4", "output"): (Decimal("300"), "CNY"),
        ("alibaba", "qwen-max-internet", "input"): (Decimal("2.4"), "CNY"),
        ("alibaba", "qwen-max-internet", "output"): (Decimal("7.2"), "CNY"),  # the name trimmed, then "qwen-max"
        ("anthropic", "claude-2.1", "input"): (Decimal("650"), "USD"),  # 0.650 * USD: USD 0.65 per 1K
        ("anthropic", "claude-2.1", "output"): (Decimal("2750"), "USD"),  # exact: 0.650 x 2.750 / 0.650
    }  # the channel override "llama3-8b-8192(33)" is no price


@pytest.mark.parametrize(("entry", "expected"), [
    ('"gpt-4": 1 / 1000 * USD', Decimal("0")),  # integer constants divide as integers in Go
    ('"gpt-4": 1.0 / 1000 * USD', Decimal("1")),
    ('"gpt-4": 0.03 * USD', Decimal("30")),  # USD X per 1K
    ('"gpt-4": 15', Decimal("30")),  # a plain ratio
    ('"gpt-4": (2 + 1) * MILLI_USD', Decimal("3")),
    ('"gpt-4": 0x10', Decimal("32")),
])
def test_go_constant_arithmetic(entry, expected):
    assert one_api.parse(go(f"\t{entry},"))[0].per_mtok == expected


def test_rmb_is_seventy_one_in_go_yet_the_yuan_price_is_as_written():
    reader = golang.Reader(golang.tokens(go('\t"glm-4": 0.1 * RMB,').decode()))
    assert (reader.constants["RMB"].value, reader.constants["MILLI_USD"].value) == (Fraction(71), Fraction(1, 2))
    assert one_api.parse(go('\t"glm-4": 0.1 * RMB,'))[0].per_mtok == Decimal("100")


@pytest.mark.parametrize(("ratio", "yuan_per_1k"), [
    ("0.8572", "0.012"), ("0.5715", "0.008"), ("1.2858", "0.018"), ("0.0715", "0.001"), ("7.143", "0.1"),
    ("8.572", "0.12"), ("1.4286", "0.02"), ("0.1429", "0.002"), ("1", "0.014"), ("10", "0.14"), ("0.05", "0.0007"),
    ("0", "0"), ("0.5", "0.007"),
])
def test_plain_yuan_ratios_undo_the_rounding_at_their_last_decimal(ratio, yuan_per_1k):
    assert one_api._yuan_per_1k(Fraction(ratio), [("num", ratio)]) == Fraction(yuan_per_1k)


def test_a_plain_yuan_ratio_before_the_file_states_the_scale_is_skipped():
    body = go('\t"ERNIE-Bot": 1, // 0.012元/千tokens\n\t"gpt-4": 15,', header="")
    assert [p.model for p in one_api.parse(body)] == ["gpt-4"]


@pytest.mark.parametrize(("body", "words"), [
    (b"", "came back empty"),
    (b"   \n", "came back empty"),
    (b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "got HTML"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b'{"gpt-4": 15}', "not Go source"),
    (b"# one-api\n\nmodel ratios", "not Go source"),
    (b"package ratio\n\nvar x = 1\n", "declares no ModelRatio"),
    (b'package ratio\nvar ModelRatio = map[string]float64{\n\t"davinci-002"  1,\n}\n', "not valid Go"),
    (b'package ratio\nvar ModelRatio = map[string]float64{\n\t"gpt-4": 15,\n\t"gpt-4": 16,\n}\n', "twice"),
    (b'package ratio\nvar ModelRatio = map[string]float64{\n\t"gpt-4": 15,\n\t"gpt-4-32k": 3', "cut short"),
    (b'package ratio\nvar ModelRatio = map[string]float64{\n\t"dall-e-3": 20,\n}\n', "No prices found"),
    (go('\t"gpt-4": 15,', "func GetCompletionRatio(name string) float64 {\n\tfor {\n\t}\n}\n"), "does not know"),
])
def test_unexpected_bodies_raise_a_sentence_naming_the_source(body, words):
    with pytest.raises(PricewarError) as raised:
        one_api.parse(body)
    message = str(raised.value)
    assert "one-api" in message and words in message


# --- every version of the archive ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def history():
    """(version, local commit day, prices or None, body) for each version of the bundle, oldest first."""
    if not BUNDLE.exists():
        pytest.skip(f"{BUNDLE} is absent (clone the project beside its shared/ folder to run this test)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    from pricewar.sources import archive

    found = []
    with archive.opened(str(BUNDLE)) as repo:
        versions = archive.versions(repo, one_api.ARCHIVE_FILE)
        for version, body in archive.bodies(repo, one_api.ARCHIVE_FILE, versions):
            day = datetime.fromisoformat(version.observed_at).astimezone(CHINA).date()
            try:
                prices = one_api.parse(body)
            except PricewarError:
                prices = None
            found.append((version, day.isoformat(), prices, body))
    return found


def first(history, condition) -> str:
    return next(day for _, day, prices, _ in history if prices is not None and condition(table(prices)))


def test_every_version_parses_but_the_one_that_does_not_compile(history):
    assert len(history) == 109
    failed = [(version.observed_at, body) for version, _, prices, body in history if prices is None]
    assert [observed for observed, _ in failed] == ["2024-01-01T09:06:17Z"]
    assert b'"davinci-002"                1,' in failed[0][1]  # no ':' — Go does not compile it
    newest = history[-1][2]
    assert len(newest) == 464
    assert all(p.model == p.model.lower() and p.provider == canonical_provider(p.provider)
               for _, _, prices, _ in history if prices for p in prices)


def test_readme_launch_dates(history):
    assert first(history, lambda t: ("openai", "gpt-4-1106-preview", "input") in t) == "2023-11-10"
    assert first(history, lambda t: t.get(("openai", "gpt-4-1106-preview", "output")) == (Decimal("30"), "USD")) \
        == "2023-11-10"
    assert first(history, lambda t: t.get(("openai", "gpt-4o", "input")) == (Decimal("5"), "USD")
                 and t.get(("openai", "gpt-4o", "output")) == (Decimal("15"), "USD")) == "2024-05-21"
    assert first(history, lambda t: t.get(("anthropic", "claude-3-5-sonnet-20240620", "output"))
                 == (Decimal("15"), "USD")) == "2024-06-30"


def test_readme_yuan_facts(history):
    def deepseek_one_two(t):
        return t.get(("deepseek", "deepseek-chat", "input")) == (Decimal("1"), "CNY") \
            and t.get(("deepseek", "deepseek-chat", "output")) == (Decimal("2"), "CNY")

    assert first(history, deepseek_one_two) == "2024-04-26"
    held = [day for _, day, prices, _ in history if prices is not None and deepseek_one_two(table(prices))]
    assert (held[0], held[-1]) == ("2024-04-26", "2024-12-22")  # then USD 0.14 from 2025-01-31
    assert first(history, lambda t: t.get(("zhipu", "glm-3-turbo", "input")) == (Decimal("1"), "CNY")) == "2025-02-02"
    assert first(history, lambda t: ("zhipu", "glm-3-turbo", "input") in t) == "2024-03-02"  # at ¥5 before
    assert first(history, lambda t: t.get(("zhipu", "glm-4-flash", "output")) == (Decimal("0"), "CNY")) == "2025-02-02"
    for model in (("baidu", "ernie-speed-8k"), ("baidu", "ernie-speed-128k"), ("iflytek", "spark-lite")):
        amounts = {t[(*model, "input")][0] for t in (table(p) for _, _, p, _ in history if p) if (*model, "input") in t}
        assert amounts and Decimal("0") not in amounts  # never free here


def test_gemini_flash_is_a_placeholder_until_it_is_priced(history):
    listed = [day for _, day, _, body in history if b'"gemini-1.5-flash":' in body]
    assert listed[0] == "2024-08-06"
    priced = first(history, lambda t: ("google", "gemini-1.5-flash", "input") in t)
    assert priced == "2025-02-12"
    assert first(history, lambda t: t.get(("google", "gemini-1.5-flash", "input")) == (Decimal("0.075"), "USD")) \
        == "2025-02-12"


def test_the_dated_completion_rule_in_the_archive(history):
    dated = [day for _, day, prices, _ in history if prices and any(p.effective_from == "2023-12-11" for p in prices)]
    assert (dated[0], dated[-1]) == ("2023-11-10", "2024-03-14")
    versions = [prices for _, day, prices, _ in history if day == "2023-11-10"]
    assert sorted((p.per_mtok, p.effective_from, p.effective_to) for p in versions[0]
                  if (p.model, p.kind) == ("gpt-3.5-turbo-16k", "output")) == [
        (Decimal("3.999999"), None, "2023-12-11"), (Decimal("6"), "2023-12-11", None)]


def test_every_yuan_comment_agrees_with_the_ratio_read(history):
    comment = re.compile(r'"([^"]+)":\s*([0-9.]+),?\s*//\s*[￥¥]?\s*([0-9.]+)\s*(?:元)?\s*/\s*(?:1k|千)')
    checked = set()
    for _, _, prices, body in history:
        if not prices or "1 === ￥0.014".encode() not in body:
            continue
        read = {p.model: p for p in prices if p.kind == "input"}
        for key, ratio, yuan in comment.findall(body.decode()):
            model = one_api.RENAMED.get(key.lower(), key.lower())
            if model in read and read[model].published.startswith("ratio"):
                assert read[model].per_mtok == Decimal(yuan) * 1000, (key, ratio, yuan)
                checked.add((key, ratio))
    assert len(checked) == 34  # 2023-07-23 -> 2025-02-16, every one agrees
