"""Anthropic's pricing page (platform.claude.com/docs/en/about-claude/pricing): USD per 1M tokens ("MTok").

Read from the Markdown rendition Anthropic serves at the page's address + ".md" (an HTML copy of the
same tables reads the same). Three sections are read, by their headings:

- "Model pricing": one row per model, columns Base Input Tokens | 5m Cache Writes | 1h Cache Writes |
  Cache Hits & Refreshes | Output Tokens -> kinds input, cache_write, cache_write_1h, cache_hit, output.
- "Batch processing": Batch input | Batch output -> service_tier "batch".
- "Long context pricing": a "≤ 200K input tokens | > 200K input tokens" table of "Input: $3 / MTok"
  cells with no model column; the models are the ones its introducing paragraph names ("... only
  available for Claude Sonnet 4 and Sonnet 4.5"). The "> 200K" prices get context_tier ">200k". The
  "≤ 200K" column must equal each named model's base price, and is not stored twice: the base prices
  keep context_tier "", because the page calls them the "standard rates" of every model and a
  request only reaches the >200K rates with the 1M-context beta; relabelling the base "<=200k" would
  change the identity of a model's price whenever such a beta comes or goes.
  Batch and prompt-caching multipliers on long-context prices are rules, not published prices, and
  are not computed.

Tables elsewhere (tool token counts, third-party platforms) are not prices of the Claude API and are
skipped. The page gives no API model ids, so a model's id is a slug of the name it shows: "Claude
Haiku 3" -> "claude-haiku-3"; a trailing "(deprecated)" goes to `note`, never into the id.
Anything the page leaves unclear raises: a price cell that is not "$N / MTok", two prices in a cell,
a cache-write column with an unknown duration, a long-context table naming no known model or whose
≤ 200K prices disagree with the base ones, one key priced twice.
"""

from __future__ import annotations

import datetime as dt
import re

from pricewar.pages import LAYOUT_CHANGED, check_complete, read_text
from pricewar.price import Money, Price, PricewarError, parse_money
from pricewar.tables import STRUCK_TEXT, Table, tables

URLS = ("https://platform.claude.com/docs/en/about-claude/pricing.md",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("anthropic", "claude")

PROVIDER = "anthropic"

_MODEL_HEADER = re.compile(r"^models?$", re.IGNORECASE)
_STANDARD_SECTION = re.compile(r"^(model )?pric(ing|es)$", re.IGNORECASE)
_BATCH = re.compile(r"\bbatch", re.IGNORECASE)
_LONG_CONTEXT = re.compile(r"long[- ]context", re.IGNORECASE)
_BOUND = re.compile(r"^(≤|<=|<|≥|>=|>)\s*(\d+(?:\.\d+)?)\s*([KM])\b", re.IGNORECASE)
_AMOUNT = re.compile(r"\$\s*\d[\d,]*(?:\.\d+)?")
_NO_PRICE = frozenset({"", "-", "–", "—", "n/a"})
_TRAILING_NOTE = re.compile(r"\s*\(([^()]*)\)\s*$")
_MODEL_ID = re.compile(r"^claude-[a-z0-9][a-z0-9.-]*$")
_NAMED_MODEL = re.compile(r"\b(Opus|Sonnet|Haiku)\s+(\d+(?:\.\d+)?)\b")
_DATED = re.compile(r"\b(through|until|starting|from|effective)\s+([A-Z][a-z]+\s+\d{1,2},?\s+\d{4})", re.IGNORECASE)
_NEGATION = re.compile(r"\b(not|except|excluding|unavailable)\b", re.IGNORECASE)
_OPERATORS = {"≤": "<=", "<=": "<=", "<": "<", "≥": ">=", ">=": ">=", ">": ">"}


def parse(body: bytes) -> list[Price]:
    """Every Claude API price on Anthropic's pricing page; PricewarError when there are none."""
    text = read_text(body)
    check_complete(text, "Anthropic's pricing page")
    found = tables(text)
    prices: dict[tuple, Price] = {}
    for table in found:
        if _STANDARD_SECTION.match(table.heading) or _BATCH.search(table.heading):
            _add(prices, _read_model_table(table))
    for table in found:  # after the base prices, which a long-context table is checked against
        if _LONG_CONTEXT.search(table.heading):
            _add(prices, _read_context_table(table, prices))
    if not prices:
        raise PricewarError(f"no prices found on Anthropic's pricing page — {LAYOUT_CHANGED}")
    return list(prices.values())


def _add(prices: dict[tuple, Price], new: list[Price]) -> None:
    for price in new:
        known = prices.setdefault((price.key, price.effective_from), price)
        if known.per_mtok != price.per_mtok:
            raise PricewarError(
                f"Anthropic's pricing page gives {price.display_name} two {price.service_tier} {price.kind} prices "
                f"({known.published} and {price.published}) — {LAYOUT_CHANGED}"
            )


def _read_model_table(table: Table) -> list[Price]:
    """A table with a Model column and price columns; [] when it has no column of prices."""
    header, body = table.rows[0], table.rows[1:]
    at = next((index for index, cell in enumerate(header) if _MODEL_HEADER.match(cell)), None)
    if at is None:
        return []
    prices: list[Price] = []
    for column, label in enumerate(header):
        kind = _classify(label)
        cells = [row[column] for row in body]
        if kind is None or column == at or not any(_AMOUNT.search(cell) for cell in cells):
            continue  # not a price column: a token count, a tool choice, a note
        tier = "batch" if _BATCH.search(label) or _BATCH.search(table.heading) else "standard"
        for row, cell in zip(body, cells):
            if (money := _read_cell(cell, f"{row[at]} {label}")) is None:
                continue
            display_name, note = _display_name(row[at])
            start, end = _dates(note)
            prices.append(_price(display_name, kind, money, cell, service_tier=tier, note=note,
                                 effective_from=start, effective_to=end))
    return prices


def _read_context_table(table: Table, prices: dict[tuple, Price]) -> list[Price]:
    """The long-context table: a column per prompt-length bound, "Input: $3 / MTok" cells."""
    bounds = [found for cell in table.rows[0] if (found := _BOUND.match(cell))]
    below = [_OPERATORS[bound[1]].startswith("<") for bound in bounds]
    if len(table.rows[0]) != 2 or below != [True, False]:  # "up to N" first, then "over N"
        raise PricewarError(
            f"Anthropic's long-context table has columns pricewar cannot read ({' | '.join(table.rows[0])}) "
            f"— {LAYOUT_CHANGED}"
        )
    base = {(p.model, p.kind): p for p in prices.values() if p.service_tier == "standard" and not p.context_tier}
    names = {f"Claude {family} {version}" for family, version in _NAMED_MODEL.findall(table.before)}
    models = sorted((_slug(name), name) for name in names)
    unknown = [name for model, name in models if (model, "input") not in base]
    if not models or unknown or _NEGATION.search(table.before):
        raise PricewarError(
            f"Anthropic's long-context prices are for models pricewar cannot tell ('{table.before}') — "
            f"{LAYOUT_CHANGED}"
        )
    tier = _OPERATORS[bounds[1][1]] + bounds[1][2] + bounds[1][3].lower()
    result: list[Price] = []
    for row in table.rows[1:]:
        for column, cell in enumerate(row):
            label, colon, published = cell.partition(":")
            kind = _classify(label) if colon else None
            if cell and (column > 1 or kind not in ("input", "output")):
                raise PricewarError(
                    f"Anthropic's long-context cell '{cell}' is not 'Input: $N / MTok' — {LAYOUT_CHANGED}"
                )
            if not cell or (money := _read_cell(published, f"long-context {label}")) is None:
                continue
            for model, name in models:
                if column == 1:
                    result.append(_price(name, str(kind), money, published, context_tier=tier))
                elif (known := base.get((model, str(kind)))) is None or known.per_mtok != money.per_mtok:
                    raise PricewarError(
                        f"Anthropic's long-context table prices {name} {kind} up to {table.rows[0][0]} at "
                        f"{published.strip()}, but its base price is {known.published if known else 'missing'} "
                        f"— {LAYOUT_CHANGED}"
                    )
    return result


def _classify(label: str) -> str | None:
    """The kind a column label prices ("5m Cache Writes" -> cache_write); None for anything else."""
    text = label.lower()
    if "cach" in text:
        if re.search(r"\b(hits?|reads?|refresh)", text):
            return "cache_hit"
        if "write" in text:
            if re.search(r"\b(1\s*h|1[- ]hour|60\s*m)", text):
                return "cache_write_1h"
            if re.search(r"\b(5\s*m|5[- ]minute)", text) or not re.search(r"\d", text):
                return "cache_write"
            raise PricewarError(f"Anthropic's page prices a cache write pricewar does not know: '{label}'")
        return None
    if re.search(r"\binput\b", text):
        return "input"
    if re.search(r"\boutput\b", text):
        return "output"
    return None


def _read_cell(cell: str, what: str) -> Money | None:
    """The "$N / MTok" a cell charges; None when it holds no price ("", "-")."""
    charged = " ".join(STRUCK_TEXT.sub(" ", cell).split())
    if charged.lower() in _NO_PRICE:
        return None
    amounts = _AMOUNT.findall(charged)
    if len(amounts) != 1:
        problem = "several prices" if amounts else "no price in dollars"
        raise PricewarError(f"Anthropic's {what} cell '{charged}' shows {problem} — {LAYOUT_CHANGED}")
    money = parse_money(charged)
    if money.unit is None:
        raise PricewarError(f"Anthropic's {what} price '{charged}' names no unit — {LAYOUT_CHANGED}")
    return money


def _display_name(cell: str) -> tuple[str, str]:
    """The model's name as shown, and what follows it as its note: a trailing parenthetical such as
    "deprecated", or a line under the name such as "Introductory pricing through August 31, 2026"."""
    name, _, below = cell.strip().partition("\n")
    note = _TRAILING_NOTE.search(name)
    if note:
        name, below = name[: note.start()], " ".join(filter(None, (note.group(1), below)))
    return name.strip(), " ".join(below.split())


def _dates(note: str) -> tuple[str | None, str | None]:
    """Dates a model's note puts on its price: "through August 31, 2026" ends it on September 1,
    "starting September 1, 2026" starts it then; (None, None) when it names none."""
    start = end = None
    for found in _DATED.finditer(note):
        try:
            day = dt.datetime.strptime(" ".join(found.group(2).replace(",", " ").split()), "%B %d %Y").date()
        except ValueError:
            raise PricewarError(f"Anthropic's page dates a price '{note}', which pricewar cannot read") from None
        if found.group(1).lower() in ("through", "until"):
            end = (day + dt.timedelta(days=1)).isoformat()
        else:
            start = day.isoformat()
    return start, end


def _slug(display_name: str) -> str:
    """A stable id from the name the page shows: "Claude Haiku 3" -> "claude-haiku-3"."""
    model = "-".join(display_name.lower().split())
    if not _MODEL_ID.match(model):
        raise PricewarError(f"Anthropic's page names a model pricewar cannot read: '{display_name}'")
    return model


def _price(display_name: str, kind: str, money: Money, cell: str, **dimensions: str) -> Price:
    return Price(
        provider=PROVIDER,
        model=_slug(display_name),
        kind=kind,
        per_mtok=money.per_mtok,
        currency=money.currency or "USD",
        published=" ".join(STRUCK_TEXT.sub(" ", cell).split()),
        unit=money.unit or "",
        display_name=display_name,
        **dimensions,
    )
