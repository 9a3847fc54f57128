"""Every source, on every page it has: a page cut short or a few bytes mangled is refused or read truly, never misread."""

from __future__ import annotations

import random

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import Price, PricewarError
from pricewar.sources.providers import load

# Each source and its pages: "fixtures/..." is a real page under ../shared (skipped when absent), a bare
# name one of this project's own fixtures in tests/fixtures (so every source is checked without ../shared).
PAGES: dict[str, tuple[str, ...]] = {
    "alibaba": ("fixtures/alibaba/model-pricing-zh-2026-02-24.md", "alibaba-model-pricing.html",
                "alibaba-model-pricing-2026-05-28.md", "real/alibaba-model-pricing-cells-per-line-2026-06.md"),
    "anthropic": ("fixtures/anthropic/pricing-2025-12-20.md", "anthropic-pricing.html", "anthropic-one-cache-write.md",
                  "anthropic-nextjs-flight.html", "anthropic-next-data.html", "real/anthropic-pricing-text-2024-03.js",
                  "real/anthropic-pricing-cards-2024-11.html"),
    "deepseek": (
        "fixtures/deepseek/pricing-zh-cn-2025-12-20.md", "fixtures/deepseek/pricing-en-2025-12-20.md",
        "fixtures/deepseek/pricing-en-2026-08-02.md", "fixtures/deepseek/pricing-zh-cn-2026-08-02.md",
        "deepseek-v3.2-transposed.html", "deepseek-offpeak-en.md",
        "fixtures/deepseek/pricing-en-2026-08-16.md", "fixtures/deepseek/pricing-zh-cn-2026-08-16.md",
        "deepseek-peak-rows-zh.md", "real/deepseek-pricing-en-text-2025-01-23.txt",
        "real/deepseek-pricing-en-text-2025-02-26.txt",
    ),
    "genai-prices": ("fixtures/genai-prices/data-2025-07-13.json", "genai-prices-constraints.json"),
    "google": ("fixtures/google/gemini-pricing-2025-11-21.md", "google-pricing.html", "google-br-cells-and-older-sections.md",
               "google-model-names-without-headings.md", "real/google-pricing-paragraph-names-2025-06-24.md"),
    "litellm": ("fixtures/litellm/model_prices-2025-02-06.json", "litellm-edge-cases.json"),
    "minimax": ("fixtures/minimax/pricing-paygo-en-2025-12-20.md", "minimax-pricing-zh.md"),
    "mistral": (
        "fixtures/mistral/pricing-2024-01-03.md", "fixtures/mistral/pricing-2024-02-23.md",
        "mistral-pricing.html", "mistral-usd-and-eur-columns.md", "mistral-nextjs-flight.html",
        "mistral-next-data-eur.html",
    ),
    "moonshot": ("fixtures/moonshot/pricing-chat-zh-cn-2025-12-20.md", "moonshot-pricing-en.html"),
    "openai": (
        "fixtures/openai/pricing-2025-12-20.md", "fixtures/openai/pricing-2025-10-15.md",
        "openai-pricing.html", "openai-per-1k-tokens.md", "openai-tier-headings.md", "openai-script-data-2024.html",
        "real/openai-pricing-empty-headings-2025-09.md",
    ),
    "openrouter": ("fixtures/openrouter/models-2026-08-01.json", "openrouter-edge-cases.json"),
    "one-api": ("one-api-2025-02-09.go",),
    "one-hub": ("one-hub-2024-05-25.json",),
    "onehub-prices": ("onehub-prices-2026-07-24.json",),
    "llm-price-cny": ("llm-price-cny-2025-04-18.md",),
    "llmprice-cn": ("llmprice-cn-2026-03-07.md",),
    "llm-prices": ("llm-prices-2026-08-06.json",),
    "models-dev": ("models-dev-2026-05-05.json",),
    "tokencost": ("tokencost-2024-11-22.json",),
    "volcengine": (
        "fixtures/volcengine/model-service-pricing-payload-2025-12-13.md", "volcengine-quoted-payload.html",
        "volcengine-html-tables.html", "volcengine-markdown-tables.md",
    ),
    "zhipu": ("fixtures/zhipu/docs-glm-4-zh-2025-12-20.md", "zhipu-tabs-input-output.md", "zhipu-single-model-card.md"),
}  # fmt: skip
# Not here: catalog (no page, only its bundled file); alibaba-edge-cases.md and alibaba-cells-per-line.md, refused
# whole for a table they hold that cannot be read (a cut above it rightly reads them); the fixtures that hold no
# prices at all.

# JSON (and Volcano Engine's JSON payload): every cut short copy is refused, none reads.
WHOLE_OR_NOTHING = {
    "fixtures/genai-prices/data-2025-07-13.json", "genai-prices-constraints.json",
    "fixtures/litellm/model_prices-2025-02-06.json", "litellm-edge-cases.json",
    "fixtures/openrouter/models-2026-08-01.json", "openrouter-edge-cases.json",
    "fixtures/volcengine/model-service-pricing-payload-2025-12-13.md", "one-hub-2024-05-25.json",
    "onehub-prices-2026-07-24.json", "llm-prices-2026-08-06.json", "models-dev-2026-05-05.json",
    "tokencost-2024-11-22.json",
}  # fmt: skip
# Every mangled copy of these long pages still reads today (the few copies made rarely touch a price): for
# them the check is only that nothing but PricewarError is raised, not that some copy is refused.
MANGLED_ALWAYS_READ = {"fixtures/alibaba/model-pricing-zh-2026-02-24.md", "fixtures/zhipu/docs-glm-4-zh-2025-12-20.md"}

CUT_BYTES = 2_000_000  # bytes parsed by the cut check, about, whatever the page's size: every cut up to 1.4 KB
MANGLE_BYTES = 600_000  # likewise for the mangled copies, between MANGLED_MIN and MANGLED_MAX of them
MANGLED_MIN, MANGLED_MAX = 10, 400
MANGLING = b'0123456789-.,:;|$#<>/()" {}[]eEZx\n\t\x00\xff'  # bytes that mean something to one source or another


def page_id(page: str) -> str:
    return page.rsplit("/", 1)[-1]


def pages() -> list:
    return [
        pytest.param(source, page, id=f"{source}:{page_id(page)}")
        for source, source_pages in PAGES.items()
        for page in source_pages
    ]


def pages_of_own() -> list[tuple[str, str]]:
    """(source, page) of every page kept in tests/fixtures that a source reads."""
    return [(source, page) for source, source_pages in PAGES.items() for page in source_pages
            if not page.startswith("fixtures/")]


def body_of(page: str) -> bytes:
    return (shared_file(page) if page.startswith("fixtures/") else own_fixture(page)).read_bytes()


def priced(prices: list[Price]) -> set:
    return {(p.key, p.per_mtok) for p in prices}


@pytest.mark.parametrize(("source", "page"), pages())
def test_a_page_cut_short_is_refused_or_gives_only_prices_the_whole_page_has(source: str, page: str):
    parse = load(source).parse
    body = body_of(page)
    whole = priced(parse(body))
    body = body.rstrip()  # cutting trailing whitespace cuts nothing
    step = max(1, len(body) * len(body) // CUT_BYTES)
    outcomes = set()
    for cut in range(0, len(body), step):
        try:
            prices = parse(body[:cut])
        except PricewarError:
            outcomes.add("refused")
            continue
        outcomes.add("read")
        assert priced(prices) <= whole, f"cut at byte {cut} of {len(body)} gave a price the whole page does not"
    assert outcomes == ({"refused"} if page in WHOLE_OR_NOTHING else {"read", "refused"})


@pytest.mark.parametrize(("source", "page"), pages())
def test_mangled_bytes_never_raise_anything_but_pricewar_error(source: str, page: str):
    parse = load(source).parse
    body = body_of(page)
    rng = random.Random(f"{source}:{page}")
    outcomes = set()
    for _ in range(min(MANGLED_MAX, max(MANGLED_MIN, MANGLE_BYTES // len(body)))):
        mangled = bytearray(body)
        for _ in range(rng.randint(1, 4)):
            mangled[rng.randrange(len(mangled))] = rng.choice(MANGLING)
        try:
            prices = parse(bytes(mangled))
        except PricewarError:
            outcomes.add("refused")
        else:
            outcomes.add("read")
            assert all(isinstance(p, Price) and p.per_mtok >= 0 for p in prices)
    if page not in MANGLED_ALWAYS_READ:
        assert outcomes == {"read", "refused"}


@pytest.mark.parametrize("source", PAGES)
def test_random_bytes_are_refused(source: str):
    parse = load(source).parse
    rng = random.Random(source)
    for _ in range(200):
        with pytest.raises(PricewarError):
            parse(rng.randbytes(rng.randrange(400)))


ALL_PAGES = sorted({page for pages in PAGES.values() for page in pages})


@pytest.mark.parametrize("source", sorted(PAGES))
def test_every_page_through_every_sources_guards(tmp_path, source, no_shipped_history):
    """Another source's page, given to this one: refused in one sentence, or read into valid prices; the run
    is recorded as ok or failed, never as a bug."""
    from pricewar.history import collect, database

    db = database.open_db(tmp_path / f"{source}.db")
    for page in ALL_PAGES:
        path = shared_file(page) if page.startswith("fixtures/") else own_fixture(page)
        result = collect.record_source(db, source, [(page, path.read_bytes())], dry_run=True)
        assert result.status in ("ok", "failed") and "this is a bug" not in result.error, (page, result.error)
        if page in PAGES[source] and result.status == "failed":
            assert "no prices" in result.error or "cut short" in result.error, (page, result.error)


@pytest.mark.parametrize(("source", "page"), pages_of_own(), ids=lambda value: page_id(value))
def test_each_own_page_recorded_twice_records_nothing_the_second_time(tmp_path, no_shipped_history, source, page):
    """Recording is idempotent on every page this project keeps, real or hand-made (the real pages under
    ../shared are recorded twice by test_history_truth)."""
    from pricewar.history import collect, database

    db = database.open_db(tmp_path / "h.db")
    body = body_of(page)
    first = collect.record_source(db, source, [(page, body)])
    assert (first.status, first.error) == ("ok", "")
    periods = "select id, per_mtok, effective_from, effective_to, end_reason, first_seen from prices order by id"
    rows = db.execute(periods).fetchall()
    second = collect.record_source(db, source, [(page, body)])
    assert (second.status, second.changes.new, second.changes.changed, second.changes.delisted) == ("ok", [], [], [])
    assert db.execute(periods).fetchall() == rows  # only "last seen" may move
