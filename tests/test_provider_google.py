"""Google's Gemini API pricing page: model sections, paid tier only, context tiers, batch, modalities."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources.providers import google, load

REAL = "fixtures/google/gemini-pricing-2025-11-21.md"
CUT_SHORT = "ends inside a table — was the download cut short"
TABLE_HEAD = "|  | Free Tier | Paid Tier, per 1M tokens in USD |\n|---|---|---|\n"

Key = tuple[str, str, str, str, str]  # model, service tier, kind, context tier, mode


def priced(prices: list[Price]) -> dict[Key, Decimal]:
    """(model, service_tier, kind, context_tier, mode) -> per_mtok; fails on a key emitted twice."""
    table = {(p.model, p.service_tier, p.kind, p.context_tier, p.mode): p.per_mtok for p in prices}
    assert len(table) == len(prices)
    return table


def of(model: str, tier: str = "standard", **amounts: str) -> dict[Key, Decimal]:
    """Expected prices of one model and service tier: input="2", output_le200k="12", cache="0.2" (cache_hit)."""
    result = {}
    for name, amount in amounts.items():
        kind, _, context = name.partition("_")
        kind = "cache_hit" if kind == "cache" else kind
        context = {"le200k": "<=200k", "gt200k": ">200k", "le128k": "<=128k", "gt128k": ">128k"}.get(context, "")
        result[(model, tier, kind, context, "")] = Decimal(amount)
    return result


def tiered(model: str, tier: str, **amounts: tuple[str, str]) -> dict[Key, Decimal]:
    """Expected prompt-length tiered prices: input=("2.00", "4.00") for <=200k and >200k."""
    return of(model, tier, **{f"{kind}_{side}": pair[i] for kind, pair in amounts.items()
                              for i, side in enumerate(("le200k", "gt200k"))})


@pytest.fixture(scope="module")
def real() -> list[Price]:
    return google.parse(shared_file(REAL).read_bytes())


def test_is_a_registered_source():
    assert load("google") is google
    assert google.URLS == ("https://ai.google.dev/gemini-api/docs/pricing.md.txt",)
    assert "Gemini API pricing page" in (google.__doc__ or "")


def test_real_page_models_are_exactly_the_token_priced_ones(real):
    # Imagen and Veo are priced per image / per second, Gemma only on the free tier: none of them.
    assert {p.model for p in real} == {
        "gemini-3-pro-preview",
        "gemini-3-pro-image-preview",
        "gemini-2.5-pro",
        "gemini-2.5-flash",
        "gemini-2.5-flash-preview-09-2025",
        "gemini-2.5-flash-lite",
        "gemini-2.5-flash-lite-preview-09-2025",
        "gemini-2.5-flash-native-audio-preview-09-2025",
        "gemini-2.5-flash-image",
        "gemini-2.5-flash-preview-tts",
        "gemini-2.5-pro-preview-tts",
        "gemini-2.0-flash",
        "gemini-2.0-flash-lite",
        "gemini-embedding-001",
        "gemini-robotics-er-1.5-preview",
        "gemini-2.5-computer-use-preview-10-2025",
    }
    assert len(real) == 78


def test_gemini_3_pro_preview_by_prompt_length_standard_and_batch(real):
    table = priced(real)
    expected = {
        **tiered("gemini-3-pro-preview", "standard", input=("2", "4"), output=("12", "18"), cache=("0.2", "0.4")),
        **tiered("gemini-3-pro-preview", "batch", input=("1", "2"), output=("6", "9"), cache=("0.2", "0.4")),
    }
    assert {key: value for key, value in table.items() if key[0] == "gemini-3-pro-preview"} == expected


def test_gemini_2_5_pro_by_prompt_length(real):
    table = priced(real)
    assert {key: table[key] for key in table if key[:2] == ("gemini-2.5-pro", "standard")} == {
        ("gemini-2.5-pro", "standard", "input", "<=200k", ""): Decimal("1.25"),
        ("gemini-2.5-pro", "standard", "input", ">200k", ""): Decimal("2.50"),
        ("gemini-2.5-pro", "standard", "output", "<=200k", ""): Decimal(10),
        ("gemini-2.5-pro", "standard", "output", ">200k", ""): Decimal(15),
        ("gemini-2.5-pro", "standard", "cache_hit", "<=200k", ""): Decimal("0.125"),
        ("gemini-2.5-pro", "standard", "cache_hit", ">200k", ""): Decimal("0.25"),
    }
    assert table[("gemini-2.5-pro", "batch", "input", "<=200k", "")] == Decimal("0.625")
    assert table[("gemini-2.5-pro", "batch", "output", ">200k", "")] == Decimal("7.5")


def test_flash_records_the_text_price_of_a_cell_that_prices_modalities_apart(real):
    flash = [p for p in real if p.model == "gemini-2.5-flash"]
    assert priced(flash) == {
        **of("gemini-2.5-flash", input="0.30", output="2.50", cache="0.03"),
        **of("gemini-2.5-flash", "batch", input="0.15", output="1.25", cache="0.03"),
    }
    standard_input = next(p for p in flash if p.kind == "input" and p.service_tier == "standard")
    assert (standard_input.published, standard_input.note, standard_input.display_name) == (
        "$0.30 (text / image / video)",
        "text / image / video (audio priced apart)",
        "Gemini 2.5 Flash",
    )
    assert priced([p for p in real if p.model == "gemini-2.0-flash-lite"]) == {
        **of("gemini-2.0-flash-lite", input="0.075", output="0.30"),
        **of("gemini-2.0-flash-lite", "batch", input="0.0375", output="0.15"),
    }


def test_per_image_audio_only_and_storage_prices_are_not_token_prices(real):
    kinds = {(p.model, p.service_tier, p.kind) for p in real}
    # "$0.039 per image" output and "$10.00 (audio)" TTS output are skipped; their text inputs are not.
    assert {k for k in kinds if k[0] == "gemini-2.5-flash-image"} == {
        ("gemini-2.5-flash-image", "standard", "input"),
        ("gemini-2.5-flash-image", "batch", "input"),
    }
    assert {k for k in kinds if k[0] == "gemini-2.5-flash-preview-tts"} == {
        ("gemini-2.5-flash-preview-tts", "standard", "input"),
        ("gemini-2.5-flash-preview-tts", "batch", "input"),
    }
    image_preview = priced([p for p in real if p.model == "gemini-3-pro-image-preview"])
    assert image_preview == {
        **of("gemini-3-pro-image-preview", input="2.00", output="12.00"),
        **of("gemini-3-pro-image-preview", "batch", input="1.00", output="6.00"),
    }
    # storage ($4.50 / $1.00 per hour) never becomes a cache price
    assert {p.per_mtok for p in real if p.kind == "cache_hit"} == {
        Decimal(v) for v in ("0.2", "0.4", "0.125", "0.25", "0.03", "0.01", "0.025")
    }


def test_every_real_price_is_a_paid_tier_usd_price_per_mtok(real):
    for price in real:
        assert (price.provider, price.currency, price.unit, price.region, price.mode, price.time_window) == (
            "google", "USD", MTOK, "", "", ""
        )
        assert price.per_mtok > 0  # the free tier's "Free of charge" is never the paid price
        assert price.effective_from is None
    names = {p.model: p.display_name for p in real}
    assert names["gemini-3-pro-image-preview"] == "Gemini 3 Pro Image Preview"  # mis-decoded 🍌 dropped
    assert names["gemini-2.5-flash-native-audio-preview-09-2025"] == "Gemini 2.5 Flash Native Audio (Live API)"


def test_br_separated_cells_and_older_section_layouts():
    prices = google.parse(own_fixture("google-br-cells-and-older-sections.md").read_bytes())
    live = ("gemini-2.0-flash-live-001", "gemini-2.0-flash-live-preview-04-09")
    assert priced(prices) == {
        **tiered("gemini-2.5-pro", "standard", input=("1.25", "2.50"), output=("10", "15")),
        ("gemini-2.5-pro", "standard", "cache_hit", "<=200k", ""): Decimal("0.125"),
        ("gemini-2.5-pro", "standard", "cache_hit", ">200k", ""): Decimal("0.25"),
        # "### Flex", with "≤" and an output cell of "-" (no price, never zero)
        ("gemini-2.5-pro", "flex", "input", "<=200k", ""): Decimal("0.625"),
        ("gemini-2.5-pro", "flex", "input", ">200k", ""): Decimal("1.25"),
        # no id in code: the AI Studio link's ?model= names it; thinking and non-thinking prices
        **of("gemini-2.5-flash-preview-04-17", input="0.15", cache="0.0375"),
        ("gemini-2.5-flash-preview-04-17", "standard", "output", "", "non-thinking"): Decimal("0.60"),
        ("gemini-2.5-flash-preview-04-17", "standard", "output", "", "thinking"): Decimal("3.50"),
        # no id at all: a slug of the heading
        **of("gemini-1.5-flash-8b", input_le128k="0.0375", input_gt128k="0.075",
             output_le128k="0.15", output_gt128k="0.30"),
        # one section, two ids, priced alike
        **{key: value for model in live for key, value in of(model, input="0.35", output="1.50").items()},
        **of("gemini-2.5-flash-preview-tts", input="0.50"),
    }
    published = {(p.model, p.kind, p.mode): (p.published, p.display_name) for p in prices}
    assert published[("gemini-2.5-flash-preview-04-17", "output", "thinking")] == (
        "Thinking: $3.50",
        "Gemini 2.5 Flash Preview",  # the 🍌 dropped
    )
    slugged = {p.note for p in prices if p.model == "gemini-1.5-flash-8b"}
    assert slugged == {"the page shows no model id; this is a slug of its name"}
    assert not [p for p in prices if p.per_mtok == Decimal(99)]  # the example in a code block


def test_html_rendition_agrees_with_the_markdown_one(real):
    from_html = google.parse(own_fixture("google-pricing.html").read_bytes())
    shown = {"gemini-3-pro-preview", "gemini-2.5-flash"}
    assert sorted(from_html, key=repr) == sorted((p for p in real if p.model in shown), key=repr)


def test_free_of_charge_in_the_paid_column_is_zero_and_blank_cells_are_no_price():
    page = (
        "## Gemini Free Thing\n\n*`gemini-free-thing`*\n\n" + TABLE_HEAD
        + "| Input price | Free of charge | Free of charge |\n"
        + "| Output price | Free of charge | Not available |\n"
        + "| Context caching price | Not available | - |\n"
        + "| Grounding with Google Search | Not available | 1,500 RPD (free), then $35 / 1,000 grounded prompts |\n"
    )
    prices = google.parse(page.encode())
    assert priced(prices) == {("gemini-free-thing", "standard", "input", "", ""): Decimal(0)}
    assert [p.published for p in prices] == ["Free of charge"]


def test_a_page_cut_short_inside_a_price_cell_is_refused_not_misread():
    body = shared_file(REAL).read_bytes()
    cell = body.index(b"$15.00, prompts")
    with pytest.raises(PricewarError, match=CUT_SHORT):
        google.parse(body[: cell + 2])  # "$1" must never be read as Gemini 2.5 Pro's $15.00
    html = own_fixture("google-pricing.html").read_bytes()
    with pytest.raises(PricewarError, match=CUT_SHORT):
        google.parse(html[: html.index(b"$12.00") + 2])


@pytest.mark.parametrize(
    ("page", "message"),
    [
        pytest.param(b"", "no prices found on Google's Gemini API pricing page", id="empty"),
        pytest.param(b"## Gemini 2.5 Pro\n\n*`gemini-2.5-pro`*\n\nNo table today.\n",
                     "no prices found", id="no table"),
        pytest.param(("## Gemma 3\n\n" + TABLE_HEAD + "| Input price | Free of charge | Not available |\n").encode(),
                     "no prices found", id="free tier only"),
        pytest.param((b"## Imagen 3\n\n*`imagen-3.0-generate-002`*\n\n|  | Free Tier | Paid Tier, per Image in USD |\n"
                      b"|---|---|---|\n| Image price | Not available | $0.03 |\n"),
                     "no prices found", id="priced per image"),
    ],
)
def test_pages_without_token_prices_are_refused(page: bytes, message: str):
    with pytest.raises(PricewarError, match=message):
        google.parse(page)


def section(cell: str, model: str = "gemini-x") -> str:
    return f"## Gemini X\n\n*`{model}`*\n\n{TABLE_HEAD}| Input price | Free of charge | {cell} |\n"


@pytest.mark.parametrize(
    ("page", "message"),
    [
        pytest.param(section("$0.50 through December 31, 2026. $1.00 starting January 1, 2027."),
                     "cannot read the Gemini X standard input price", id="dated prices"),
        pytest.param(section("$1.00<br />$2.00"), "several prices for the same tokens", id="two untiered prices"),
        pytest.param(section("$1.00 (text)<br />$2.00 (text / image)"), "several prices for the same tokens",
                     id="two text prices"),
        pytest.param(section("$1.00, prompts <= 200k tokens<br />$2.00"), "several prices for the same tokens",
                     id="a tiered and an untiered price"),
        pytest.param(section("~~$2.00~~ $1.00"), "strikes out a price", id="struck-out price"),
        pytest.param(section("0.30 USD"), "cannot read", id="a number without a dollar sign"),
        pytest.param(section("Cached: $0.10"), "cannot read", id="an unknown label"),
        pytest.param(section("$0.10 (cached)"), "cannot read", id="an unknown qualifier"),
        pytest.param(section("$1.00") + "\n" + section("$1.50"), "gives gemini-x two input prices", id="one key twice"),
        pytest.param(section("$1.00").replace("Free Tier", "Paid Tier (Flex), per 1M tokens in USD"),
                     "2 paid-tier columns", id="two paid columns"),
        pytest.param(TABLE_HEAD + "| Input price | Free of charge | $1.00 |\n", "no model name comes before",
                     id="a price table before any heading"),
        pytest.param(section("$10.00").removesuffix("0.00 |\n"), CUT_SHORT, id="cut inside the last row"),
        pytest.param(b"<h2>Gemini X</h2><p><code>gemini-x</code></p><table><tr><th></th><th>Free Tier</th>"
                     b"<th>Paid Tier, per 1M tokens in USD</th></tr><tr><td>Input price</td><td>-</td><td>$1",
                     CUT_SHORT, id="cut inside an HTML table"),
    ],
)
def test_unclear_prices_are_refused_rather_than_guessed(page, message: str):
    with pytest.raises(PricewarError, match=message):
        google.parse(page if isinstance(page, bytes) else page.encode())


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("$10.00 (including thinking tokens)", {("", ""): ("10", "$10.00 (including thinking tokens)", "")}),
        ("$0.60 (non-thinking)<br />$3.50 (thinking)", {
            ("", "non-thinking"): ("0.60", "$0.60 (non-thinking)", ""),
            ("", "thinking"): ("3.50", "$3.50 (thinking)", ""),
        }),
        ("$0.10 (text)<br />$0.70 (audio)<br />$0.039 per image*", {
            ("", ""): ("0.10", "$0.10 (text)", "text (audio priced apart)"),
        }),
        ("$0.01 / 1,000 tokens (text)", {("", ""): ("10", "$0.01 / 1,000 tokens (text)", "text")}),
    ],
)
def test_qualifiers_in_a_price_cell(cell: str, expected: dict):
    prices = google.parse(section(cell).encode())
    assert {(p.context_tier, p.mode): (p.per_mtok, p.published, p.note) for p in prices} == {
        key: (Decimal(amount), published, note) for key, (amount, published, note) in expected.items()
    }


def test_same_price_repeated_for_one_key_is_recorded_once():
    prices = google.parse((section("$1.00") + "\n" + section("$1.00")).encode())
    assert priced(prices) == {("gemini-x", "standard", "input", "", ""): Decimal(1)}


# Layout 6: model names in bold lines, paragraphs or code spans, beside section headings that name no model ----------

REAL_PARAGRAPH_NAMES = "real/google-pricing-paragraph-names-2025-06-24.md"  # "Gemini 1.5 Pro" a paragraph, cells broken
NAMES_WITHOUT_HEADINGS = "google-model-names-without-headings.md"
SLUGGED = "the page shows no model id; this is a slug of its name"


def test_real_page_naming_a_model_in_a_paragraph_reads_its_table_as_that_model():
    prices = google.parse(own_fixture(REAL_PARAGRAPH_NAMES).read_bytes())
    table = priced(prices)
    assert len(prices) == 39
    assert {p.model for p in prices} == {
        "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite-preview", "gemini-2.5-flash-native-audio",
        "gemini-2.5-flash-preview-tts", "gemini-2.5-pro-preview-tts", "gemini-2.0-flash", "gemini-2.0-flash-lite",
        "gemini-1.5-flash", "gemini-1.5-flash-8b", "gemini-1.5-pro",
    }  # Gemma 3 (a paragraph, free tier only), Imagen and Veo (per image, per second): none
    # "Gemini 1.5 Pro" is a line of its own after Gemini 1.5 Flash-8B's table: its prices are its own
    assert {key: value for key, value in table.items() if key[0] == "gemini-1.5-pro"} == {
        **of("gemini-1.5-pro", input_le128k="1.25", input_gt128k="2.50", output_le128k="5.00",
             output_gt128k="10.00"),
        ("gemini-1.5-pro", "standard", "cache_hit", "<=128k", ""): Decimal("0.3125"),
        ("gemini-1.5-pro", "standard", "cache_hit", ">128k", ""): Decimal("0.625"),
    }
    assert table[("gemini-1.5-flash-8b", "standard", "input", "<=128k", "")] == Decimal("0.0375")
    # rows the copy broke across lines ("$1.25, prompts <= 200k tokens  " / "$2.50, prompts > 200k tokens |")
    assert {key: value for key, value in table.items() if key[0] == "gemini-2.5-pro"} == {
        **tiered("gemini-2.5-pro", "standard", input=("1.25", "2.50"), output=("10.00", "15.00")),
        ("gemini-2.5-pro", "standard", "cache_hit", "<=200k", ""): Decimal("0.31"),
        ("gemini-2.5-pro", "standard", "cache_hit", ">200k", ""): Decimal("0.625"),
    }
    assert priced([p for p in prices if p.model == "gemini-2.0-flash-lite"]) == of(
        "gemini-2.0-flash-lite", input="0.075", output="0.30"
    )
    for price in prices:
        assert (price.currency, price.unit, price.region, price.effective_from) == ("USD", MTOK, "", None)
        assert SLUGGED in price.note  # this copy shows no ids in code
    pro = next(p for p in prices if p.model == "gemini-1.5-pro" and p.context_tier == ">128k" and p.kind == "output")
    assert (pro.display_name, pro.published) == ("Gemini 1.5 Pro", "$10.00, prompts > 128k tokens")


@pytest.mark.parametrize(
    "name_line",
    [
        pytest.param(r"**\1**", id="bold line"),
        pytest.param(r"\1", id="paragraph"),
        pytest.param(r"#### \1", id="deeper heading"),
        pytest.param("", id="gone, ids in code only"),
    ],
)
def test_real_page_reads_alike_with_its_model_headings_as_bold_lines_or_paragraphs(real, name_line: str):
    import re

    text = shared_file(REAL).read_text(encoding="utf-8")
    prices = google.parse(re.sub(r"^## (.+)$", name_line, text, flags=re.MULTILINE).encode())
    assert {(p.key, p.per_mtok) for p in prices} == {(p.key, p.per_mtok) for p in real}
    # "### Enterprise" comes right before Gemini 3 Pro Preview's name: never its name
    assert {p.display_name for p in prices if p.model == "gemini-3-pro-preview"} == (
        {""} if not name_line else {"Gemini 3 Pro Preview"}
    )


def test_names_in_bold_lines_paragraphs_and_code_spans():
    prices = google.parse(own_fixture(NAMES_WITHOUT_HEADINGS).read_bytes())
    assert priced(prices) == {
        **tiered("gemini-3-pro-preview", "standard", input=("2.00", "4.00"), output=("12.00", "18.00")),
        ("gemini-3-pro-preview", "batch", "input", "<=200k", ""): Decimal("1.00"),
        ("gemini-3-pro-preview", "batch", "input", ">200k", ""): Decimal("2.00"),
        # "**Gemini Embedding**" names it, "*`gemini-embedding-001`*" gives its id
        **of("gemini-embedding-001", input="0.15"),
        # the id in code in a paragraph names it; "**Standard**" and "**Batch**" are its tiers
        **of("gemini-2.5-flash", input="0.30", output="2.50"),
        **of("gemini-2.5-flash", "batch", input="0.15"),
        # a line of its own, rows broken across lines; the list item before it names nothing
        **of("gemini-1.5-pro", input_le128k="1.25", input_gt128k="2.50", output_le128k="5.00",
             output_gt128k="10.00"),
    }
    names = {p.model: (p.display_name, p.note) for p in prices}
    assert names["gemini-3-pro-preview"] == ("Gemini 3 Pro Preview", "")  # never "Enterprise", 🍌 dropped
    assert names["gemini-embedding-001"] == ("Gemini Embedding", "")
    assert names["gemini-2.5-flash"] == ("", "text / image / video (audio priced apart)")
    assert names["gemini-1.5-pro"] == ("Gemini 1.5 Pro", SLUGGED)


def test_html_names_in_bold_paragraphs_and_code():
    table = ("<table><tr><th></th><th>Free Tier</th><th>Paid Tier, per 1M tokens in USD</th></tr>"
             "<tr><td>Input price</td><td>-</td><td>$0.15</td></tr></table>")
    page = (f"<html><body><h2>Enterprise</h2><p><strong>Gemini 2.5 Flash</strong></p>"
            f"<p><em><code>gemini-2.5-flash</code></em></p><h3>Batch</h3>{table}"
            f"<p>Gemini 1.5 Pro</p>{table}</body></html>")
    prices = google.parse(page.encode())
    assert priced(prices) == {**of("gemini-2.5-flash", "batch", input="0.15"), **of("gemini-1.5-pro", input="0.15")}
    assert {p.display_name for p in prices} == {"Gemini 2.5 Flash", "Gemini 1.5 Pro"}


UNNAMED = "no model name comes before"


@pytest.mark.parametrize(
    "page",
    [
        pytest.param("### Enterprise\n\nFor large-scale deployments.\n\n" + TABLE_HEAD
                     + "| Input price | Free of charge | $1.00 |\n", id="a section heading that is no model"),
        pytest.param("**Paid Tier**\n\n" + TABLE_HEAD + "| Input price | Free of charge | $1.00 |\n",
                     id="a bold line that is no model"),
        pytest.param("### Gemini Developer API Pricing  |  Gemini API  |  Google AI for Developers\n\n"
                     "Our smallest and most cost effective model, built for at scale usage.\n\n" + TABLE_HEAD
                     + "| Input price | Free of charge | $0.075 |\n", id="the page's title, names lost"),
        pytest.param(section("$1.00") + "\nOur smallest and most cost effective model, built for at scale usage.\n\n"
                     + TABLE_HEAD + "| Input price | Free of charge | $0.075 |\n",
                     id="another model's description, its name lost"),
        pytest.param("Priced like `gemini-2.5-flash` and `gemini-2.0-flash`.\n\n" + TABLE_HEAD
                     + "| Input price | Free of charge | $1.00 |\n", id="a paragraph naming two ids"),
        pytest.param("Gemini 2.5 Flash-Lite is our fastest model\n\n" + TABLE_HEAD
                     + "| Input price | Free of charge | $1.00 |\n", id="a sentence, not a name"),
        pytest.param(b"<html><body><h3>Enterprise</h3><p>Vertex AI</p><table><tr><th></th><th>Free Tier</th>"
                     b"<th>Paid Tier, per 1M tokens in USD</th></tr><tr><td>Input price</td><td>-</td>"
                     b"<td>$0.15</td></tr></table></body></html>", id="an HTML section heading"),
    ],
)
def test_a_table_whose_model_the_page_does_not_name_is_refused(page):
    with pytest.raises(PricewarError, match=UNNAMED):
        google.parse(page if isinstance(page, bytes) else page.encode())


def test_a_free_tier_only_table_needs_no_name():
    page = section("$1.00") + "\nOur open model.\n\n" + TABLE_HEAD + "| Input price | Free of charge | Not available |\n"
    assert priced(google.parse(page.encode())) == of("gemini-x", input="1.00")


def test_a_deeper_heading_inside_a_model_section_keeps_its_model():
    page = "## Gemini X\n\n*`gemini-x`*\n\n#### Rates\n\n" + TABLE_HEAD + "| Input price | Free of charge | $1.00 |\n"
    assert priced(google.parse(page.encode())) == of("gemini-x", input="1.00")


def test_a_page_cut_inside_a_row_broken_across_lines_is_refused():
    body = own_fixture(REAL_PARAGRAPH_NAMES).read_bytes()
    cut = body.index(b"$2.50, prompts > 200k tokens |")
    with pytest.raises(PricewarError, match=CUT_SHORT):
        google.parse(body[: cut + 2])


def test_update_dry_run_shows_the_paragraph_named_model_and_records_nothing(no_shipped_history):
    from conftest import run

    for _ in range(2):  # the dry run recorded nothing, so the second one shows the same
        result = run("update", "google", "--source", str(own_fixture(REAL_PARAGRAPH_NAMES)), "--dry-run")
        assert result.exit_code == 0, result.output
        assert "gemini-1.5-pro" in result.output


@pytest.mark.parametrize(
    ("intro", "model"),
    [
        pytest.param("Text is priced the same as `gemini-2.5-flash`.", "gemini-2.5-flash-image", id="another's id"),
        pytest.param("Our model, `gemini-2.5-flash-image-preview`, draws.", "gemini-2.5-flash-image-preview",
                     id="its own id"),
    ],
)
def test_an_id_in_prose_under_a_name_is_its_id_only_if_it_is_the_names(intro: str, model: str):
    page = f"## Gemini 2.5 Flash Image\n\n{intro}\n\n" + TABLE_HEAD + "| Input price | Free of charge | $1.00 |\n"
    assert priced(google.parse(page.encode())) == of(model, input="1.00")
