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

A page without those tables is read as runs of text (`paired_prices`): anthropic.com/pricing in 2024
showed a card per model, and the Next.js page carried the same text in its script data (flight chunks,
`__NEXT_DATA__`). A run is a model's name ("Claude 3.5 Sonnet"; in March 2024 a bare "Haiku" under a
"Claude 3 Pricing" heading, which makes it Claude 3 Haiku) and the prices after it up to the next name:
"Input: $0.25 / MTok", or a price with its label beside it ("$3 / MTok", "Input"; "Prompt caching
write" and "read" are cache_write and cache_hit). The visible text and the script data are both read;
what they both price must agree. Refused: a run whose prices and labels do not pair one to one in one
order, a price in running text, a price before any model's name, a bare family name with no
generation above it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from pricewar.price import Money, Price, PricewarError, parse_money
from pricewar.sources.body import LAYOUT_CHANGED, check_complete, read_text
from pricewar.sources.cards import Name, page_strings, paired_prices, price_kind
from pricewar.sources.tables import STRUCK_TEXT, Table, tables

URLS = ("https://platform.claude.com/docs/en/about-claude/pricing.md",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("anthropic", "claude")

PROVIDER = "anthropic"
PAGE = "Anthropic's pricing page"

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
    check_complete(text, PAGE)
    found = tables(text)
    prices: dict[tuple, Price] = {}
    for table in found:
        if _STANDARD_SECTION.match(table.heading) or _BATCH.search(table.heading):
            _add(prices, _read_model_table(table))
    for table in found:  # after the base prices, which a long-context table is checked against
        if _LONG_CONTEXT.search(table.heading):
            _add(prices, _read_context_table(table, prices))
    if not prices:  # no price tables: the 2024 page, a card per model, in its HTML and its script data
        for strings in page_strings(text):
            _add(prices, [_price(display, kind, money, published) for (_, display, _), kind, money, published
                          in paired_prices(_with_generations(strings), _claude_name, PAGE)])
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
        kind = price_kind(label)
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
            kind = price_kind(label) if colon else None
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


# Claude models as the 2024 cards name them: "Claude 3.5 Sonnet", "CLAUDE 2.1", "Claude Instant", or a
# bare "Haiku" under a "Claude 3 Pricing" heading.
_CLAUDE_NAME = re.compile(r"^claude(?:\s+(\d+(?:\.\d+)?))?(?:\s+(opus|sonnet|haiku|instant))?(?:\s+(\d+(?:\.\d+)?))?$", re.I)
_BARE_FAMILY = re.compile(r"^(opus|sonnet|haiku)$", re.IGNORECASE)
_GENERATION = re.compile(r"^claude\s+(\d+(?:\.\d+)?)\s+(?:pricing|prices|models?|family)$", re.IGNORECASE)
_OTHER_SECTION = re.compile(r"^[\w&' -]{0,40}\b(?:pricing|prices|models)$", re.IGNORECASE)


def _with_generations(strings: Iterable[str]) -> Iterator[str]:
    """The strings, a bare family name ("Haiku") completed by the "Claude 3 Pricing" heading above it; a
    heading of another section ("Legacy Model Pricing") ends that generation."""
    generation = None
    for text in strings:
        text = " ".join(text.split())
        if found := _GENERATION.match(text):
            generation = found[1]
        elif _OTHER_SECTION.match(text):
            generation = None
        elif generation and _BARE_FAMILY.match(text):
            text = f"Claude {generation} {text}"
        yield text


def _claude_name(text: str) -> Name | None:
    """(model, display name, False) for a string that is a Claude model's name; a bare family name is a
    name whose model the page does not say (None)."""
    found = _CLAUDE_NAME.match(text)
    if found and (found[1] or found[2]) and not (found[1] and found[3]):
        display = " ".join(["Claude", *(part.capitalize() for part in found.groups() if part)])
        return _slug(display), display, False
    if _BARE_FAMILY.match(text):
        return None, text.capitalize(), False
    return None
