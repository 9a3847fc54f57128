"""OpenAI's API pricing page (platform.openai.com/docs/pricing): USD per 1M text tokens.

Read from the Markdown rendition OpenAI serves at developers.openai.com/api/docs/pricing.md (a
reader-service copy with a "Title / URL Source / Markdown Content" header, or an HTML copy of the
tables, reads the same). Two sections are read, by their headings: "Text tokens" and "Legacy
models", each stating "Prices per 1M tokens." and holding one "Model | Input | Cached input |
Output" table per service tier. The tier is the label just before each table ("Batch", "Flex",
"Standard", "Priority": the page's tabs, and the FIRST table is Batch), so every table must carry
one: a price table in these sections without a tier label is refused, never taken for Standard.
Columns: Input -> input, Cached input -> cache_hit, Output -> output; "-" is no price, never zero.
Every row of these tables is read, including the text-token prices of realtime, audio and image
models, which is what those rows price.

Not read: image-token and audio-token tables (the same model ids, but not text tokens), fine-tuning
(prices of fine-tuned models under base-model ids), embeddings (not chat models), video, image
generation, transcription (its own "Text tokens" subsection priced with per-minute estimates, told
apart by its "Estimated cost" column) and tools. Anything unclear raises rather than guesses: a
section that does not state its unit, a table without a tier label or with columns pricewar does
not know, a cell with several prices, no Standard text-token table at all, one key priced twice.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pricewar.pages import LAYOUT_CHANGED, check_complete, read_text, unique_prices
from pricewar.price import MTOK, Price, PricewarError, parse_money
from pricewar.tables import STRUCK_TEXT, Table, cell_text, tables

URLS = ("https://developers.openai.com/api/docs/pricing.md",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("openai", "gpt")

PROVIDER = "openai"

_SECTIONS = frozenset({"text tokens", "legacy models"})
_TIERS = frozenset({"batch", "flex", "standard", "priority"})
_COLUMNS = {"input": "input", "cached input": "cache_hit", "output": "output"}
_HEADING = re.compile(
    r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$|<h[1-6]\b[^>]*>(.{0,1000}?)</h[1-6]\s*>",
    re.MULTILINE | re.IGNORECASE | re.DOTALL,
)
_STATED_UNITS = (
    (re.compile(r"\bper\s+(1\s*M|one\s+million|million)\s+tokens\b", re.IGNORECASE), MTOK),
    (re.compile(r"\bper\s+(1\s*K|1,000|one\s+thousand|thousand)\s+tokens\b", re.IGNORECASE), "per 1K tokens"),
)
_AMOUNT = re.compile(r"\$\s*\d[\d,]*(?:\.\d+)?")
_NO_PRICE = frozenset({"", "-", "–", "—", "n/a"})
_MODEL_ID = re.compile(r"^[a-z0-9][a-z0-9._:-]*$")


def parse(body: bytes) -> list[Price]:
    """Every text-token price on OpenAI's pricing page; PricewarError when there are none."""
    text = read_text(body)
    check_complete(text, "OpenAI's pricing page")
    units = _stated_units(text)
    found: list[Price] = []
    standard = False  # whether the page's main Standard table was read
    for table in tables(text):
        section = _name(table.heading)
        if section not in _SECTIONS:
            continue
        for price in _read_table(table, section, units[section]):
            standard = standard or (section == "text tokens" and price.service_tier == "standard")
            found.append(price)
    prices = unique_prices(found, "OpenAI's pricing page")
    if not standard:
        raise PricewarError(f"OpenAI's pricing page shows no Standard text-token prices — {LAYOUT_CHANGED}")
    return prices


def _read_table(table: Table, section: str, units: set[str]) -> list[Price]:
    """The prices of one tier's table; [] for a table of something else under the same heading."""
    header = [_name(cell) for cell in table.rows[0]]
    kinds = [_COLUMNS.get(label) for label in header[1:]]
    is_price_table = header[0] == "model" and None not in kinds and {"input", "output"} <= set(kinds)
    lines = table.before.splitlines()
    tier = _name(lines[-1]) if lines else ""
    if tier not in _TIERS:
        if is_price_table:
            raise PricewarError(
                f"OpenAI's '{table.heading}' table of {', '.join(row[0] for row in table.rows[1:3])}, ... "
                f"says no service tier (Batch, Flex, Standard, Priority) — {LAYOUT_CHANGED}"
            )
        return []  # e.g. the transcription section's "Text tokens", with per-minute estimates
    if not is_price_table:
        raise PricewarError(
            f"OpenAI's {tier} '{table.heading}' table has columns pricewar cannot read "
            f"({' | '.join(table.rows[0])}) — {LAYOUT_CHANGED}"
        )
    if len(units) != 1:
        stated = " and ".join(sorted(units)) or "nothing"
        raise PricewarError(f"OpenAI's '{table.heading}' section states its unit as {stated} — {LAYOUT_CHANGED}")
    unit = next(iter(units))
    prices: list[Price] = []
    for row in table.rows[1:]:
        model = row[0].strip().lower()
        if not _MODEL_ID.match(model):
            raise PricewarError(f"OpenAI's {tier} table names a model pricewar cannot read: '{row[0]}'")
        for kind, cell in zip(kinds, row[1:]):
            charged = " ".join(STRUCK_TEXT.sub(" ", cell).split())
            if charged.lower() in _NO_PRICE:
                continue
            if len(_AMOUNT.findall(charged)) != 1:
                raise PricewarError(
                    f"OpenAI's {tier} {model} {kind} cell '{charged}' is not one price in dollars — {LAYOUT_CHANGED}"
                )
            money = parse_money(charged, unit=unit)
            prices.append(
                Price(
                    provider=PROVIDER,
                    model=model,
                    kind=str(kind),
                    per_mtok=money.per_mtok,
                    currency=money.currency or "USD",
                    published=charged,
                    unit=money.unit or unit,
                    service_tier=tier,
                    display_name=row[0].strip(),
                    note="legacy model" if section == "legacy models" else "",
                )
            )
    return prices


def _stated_units(text: str) -> defaultdict[str, set[str]]:
    """The units ("per 1M tokens") each section's text states, by heading; a heading used twice gets both."""
    units: defaultdict[str, set[str]] = defaultdict(set)
    headings = list(_HEADING.finditer(text))
    for here, following in zip(headings, [*headings[1:], None]):
        section = text[here.end() : following.start() if following else len(text)]
        name = _name(cell_text(here.group(1) if here.group(1) is not None else here.group(2)))
        units[name] |= {unit for pattern, unit in _STATED_UNITS if pattern.search(section)}
    return units


def _name(text: str) -> str:
    """A heading or label compared loosely: lower-case words ("**Text tokens**" -> "text tokens")."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
