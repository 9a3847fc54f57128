"""OpenAI's API pricing page (platform.openai.com/docs/pricing): USD per 1M text tokens.

Two layouts are read.

1. The docs page as Markdown (late 2025), as OpenAI serves it at developers.openai.com/api/docs/pricing.md
(a reader-service copy with a "Title / URL Source / Markdown Content" header, a converter's copy whose
headings are empty and name their section on the next line, or an HTML copy of the tables, reads the same).
Two sections are read: "Text tokens" and "Legacy models", each stating its unit ("Prices per 1M tokens.")
and holding one "Model | Input | Cached input | Output" table per service tier, in any order. Each table's
tier comes from its own label: the line just before it ("Batch", "Flex", "Standard", "Priority": the page's
tabs) or a heading over it ("#### Batch"); a price table in these sections without one, or with two that
disagree, is refused, never taken for Standard. Input -> input, Cached input -> cache_hit, Output -> output;
"-" is no price, never zero. Every row is read, including the text-token prices of realtime, audio and
image models, which is what those rows price. Not read: image- and audio-token tables (the same model ids,
not text tokens), fine-tuning (fine-tuned models' prices under base-model ids), embeddings, video, image
generation, transcription (told apart by its "Estimated cost" column) and tools.

2. The 2024 page (openai.com/pricing), whose text sits in the page's script data rather than in a table:
model ids and "$X / 1M tokens" (or "/ 1K tokens") strings, read only where their pairing is plain: one
model id in one object (a JSON or JavaScript object, or a table row's data) or one run of text, with each
price labelled input, cached input or output by its own words ("/ 1M input tokens") or key ("input":), or
exactly two unlabelled prices, read as input then output. Those prices are Standard: an object naming a
tier is refused. Fine-tuning rows (with a training price), embeddings and single unlabelled prices
(base models) are not read.

Anything unclear raises rather than guesses: a section that does not state its unit, a table without a tier
label or with columns pricewar does not know, a cell with several prices, no Standard text-token table at
all, one object or run pricing several models or one model twice, prices before their model's name, one key
priced twice.
"""

from __future__ import annotations

import html
import re

from pricewar.price import MTOK, Price, PricewarError, parse_money
from pricewar.sources.body import LAYOUT_CHANGED, check_complete, read_text, unique_prices
from pricewar.sources.tables import STRUCK_TEXT, Table, cell_text, html_table_spans, tables

URLS = ("https://developers.openai.com/api/docs/pricing.md",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("openai", "gpt")

PROVIDER = "openai"
PAGE = "OpenAI's pricing page"

_SECTIONS = frozenset({"text tokens", "legacy models"})
_TIERS = frozenset({"batch", "flex", "standard", "priority"})
_COLUMNS = {"input": "input", "cached input": "cache_hit", "output": "output"}
_HEADING = re.compile(
    r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$"  # ATX: "### Text tokens", or "### " left empty
    r"|^[ \t]*([^\s|<][^\n]*)\n {0,3}(=+|-+)[ \t]*$"  # setext: a line underlined with === or ---
    r"|<h([1-6])\b[^>]*>(.{0,1000}?)</h[1-6]\s*>",
    re.MULTILINE | re.IGNORECASE | re.DOTALL,
)
# Where a heading is no heading: comments, scripts and styles, fenced code.
_NOT_TEXT = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|template)\b.*?(?:</\1\s*>|\Z)|^ {0,3}(```|~~~).*?(?:^ {0,3}\2[^\n]*$|\Z)",
    re.DOTALL | re.IGNORECASE | re.MULTILINE,
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
    check_complete(text, PAGE)
    found = _table_prices(text)
    if not found:  # no price table in the sections read: the 2024 page keeps its prices in script data
        return unique_prices(_bundle_prices(text), PAGE)
    prices = unique_prices(found, PAGE)
    if not any(p.service_tier == "standard" and p.note != "legacy model" for p in prices):
        raise PricewarError(f"{PAGE} shows no Standard text-token prices — {LAYOUT_CHANGED}")
    return prices


# Layout 1: the docs page's tables -----------------------------------------------------------------


class _Heading:
    """A heading and what its own text (up to the next heading) states: its name, its unit."""

    def __init__(self, level: int, name: str, units: set[str]) -> None:
        self.level, self.name, self.units = level, name, units
        self.tier = _tier(name)


def _table_prices(text: str) -> list[Price]:
    """The prices of every tier table in the sections read; [] when the page has none."""
    found: list[Price] = []
    for path, table in _placed_tables(text):
        sections = [heading.name for heading in path if heading.tier is None]
        if sections and sections[-1] in _SECTIONS:
            found += _read_table(table, sections[-1], path)
    return found


def _placed_tables(text: str):
    """Each table with the headings it sits under, outermost first.

    The page is cut at its headings and each piece's tables read apart, so a table knows its whole path: a
    tier heading ("#### Batch") names the tier of the section over it, even at that section's own level.
    """
    visible = _NOT_TEXT.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)
    in_tables = html_table_spans(visible)
    starts = [
        found
        for found in _HEADING.finditer(visible)
        if not any(start <= found.start() < end for start, end in in_tables)
    ]
    path: list[_Heading] = []
    for here, following in zip([None, *starts], [*starts, None]):
        piece = text[here.start() if here else 0 : following.start() if following else len(text)]
        if here is not None:
            heading = _heading(here, piece)
            while path and _ends(path[-1], heading):
                path.pop()
            path.append(heading)
        for table in tables(piece):
            yield list(path), table


def _ends(open_: _Heading, new: _Heading) -> bool:
    """Whether a new heading closes an open one: one as deep or deeper does, except a tier heading at its
    section's own level ("### Text tokens" then "### Batch"), which names that section's tier."""
    return open_.level >= new.level and not (new.tier and open_.tier is None and open_.level == new.level)


def _heading(found: re.Match, piece: str) -> _Heading:
    if found.group(1) is not None:
        level, title = len(found.group(1)), found.group(2) or ""
    elif found.group(3) is not None:
        level, title = (1 if found.group(4).startswith("=") else 2), found.group(3)
    else:
        level, title = int(found.group(5)), cell_text(found.group(6))
    name = _name(cell_text(title))
    if not name:  # a converter's empty heading, its title on the next line ("### \n\nText tokens")
        lines = [line for line in piece[found.end() - found.start() :].splitlines() if line.strip()]
        name = _name(cell_text(lines[0])) if lines and len(lines[0]) < 80 and "|" not in lines[0] else ""
    units = {unit for pattern, unit in _STATED_UNITS if pattern.search(piece)}
    return _Heading(level, name, units)


def _read_table(table: Table, section: str, path: list[_Heading]) -> list[Price]:
    """The prices of one tier's table; [] for a table of something else under the same heading."""
    header = [_name(cell) for cell in table.rows[0]]
    kinds = [_COLUMNS.get(label) for label in header[1:]]
    is_price_table = header[0] == "model" and None not in kinds and {"input", "output"} <= set(kinds)
    lines = table.before.splitlines()
    labels = {heading.tier for heading in path if heading.tier} | ({_tier(lines[-1])} if lines else set())
    labels.discard(None)
    models = ", ".join(row[0] for row in table.rows[1:3])
    if len(labels) != 1:
        if not is_price_table:
            return []  # e.g. the transcription section's "Text tokens", with per-minute estimates
        said = " and ".join(sorted(labels)) if labels else "no service tier (Batch, Flex, Standard, Priority)"
        raise PricewarError(f"OpenAI's '{section}' table of {models}, ... says {said} — {LAYOUT_CHANGED}")
    tier = labels.pop()
    if not is_price_table:
        raise PricewarError(
            f"OpenAI's {tier} '{section}' table has columns pricewar cannot read "
            f"({' | '.join(table.rows[0])}) — {LAYOUT_CHANGED}"
        )
    units = next((heading.units for heading in reversed(path) if heading.units), set())
    if len(units) != 1:
        stated = " and ".join(sorted(units)) or "nothing"
        raise PricewarError(f"OpenAI's '{section}' section states its unit as {stated} — {LAYOUT_CHANGED}")
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
            note = "legacy model" if section == "legacy models" else ""
            prices.append(_price(model, str(kind), charged, unit, tier, row[0].strip(), note))
    return prices


def _tier(label: str) -> str | None:
    """The service tier a label names ("Batch", "**Standard**", "Flex processing"), or None."""
    name = re.sub(r" (tier|processing)$", "", _name(label))
    return name if name in _TIERS else None


# Layout 2: the 2024 page's script data ------------------------------------------------------------

_JS_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(.))", re.DOTALL)
_FAMILIES = (
    r"gpt-\d(?:[a-z0-9.-]*[a-z0-9])?|chatgpt-[a-z0-9.-]*[a-z0-9]|o\d(?:-[a-z0-9.-]*[a-z0-9])?"
    r"|(?:davinci|babbage)-\d{3}|text-embedding-[a-z0-9.-]*[a-z0-9]"
)
# A model id standing alone: a whole string, or a run's first word before its prices or a label.
_MODEL = re.compile(
    rf"(?<![\w.:/-])({_FAMILIES})(?=\s*(?:$|[\"'`<>|,;:()\[\]{{}}$–—]|US\$|(?i:input|output|prompt|completion)\b))",
    re.MULTILINE,
)
# Any name of a model, display names too ("GPT-4o mini"): one that is not the object's model makes it ambiguous.
_MENTION = re.compile(
    rf"(?<![\w.:/-])(?:{_FAMILIES})(?:[ -](?:mini|nano|turbo|pro|preview|instruct|vision|realtime|audio|search|latest))*",
    re.IGNORECASE,
)
_TOKEN_PRICE = re.compile(
    r"(?:US)?\$\s?\d[\d,]*(?:\.\d+)?\s*(?:/|per)\s*1\s?([MK])\s+((?:[A-Za-z*]+\s+){0,3}?)tokens\b", re.IGNORECASE
)
_LABEL_BEFORE = re.compile(r"\b(cached input|cached|input|output|prompt|completion|training)\W{0,4}$", re.IGNORECASE)
_LABELS = {
    "": "", "input": "input", "prompt": "input", "output": "output", "completion": "output",
    "cached input": "cache_hit", "cached": "cache_hit", "training": "training",
}  # fmt: skip
_TIER_WORD = re.compile(r"\b(batch|flex|priority)\b", re.IGNORECASE)
_OBJECT = re.compile(r"\{[^{}]*\}")
_RUN_BREAK = re.compile(r"[\"`\n]|<[^>]*>")
_DEPTH = 100  # levels of nested objects reduced; deeper ones are read as text


def _bundle_prices(text: str) -> list[Price]:
    """The prices of every object and run of text in the page's data that pairs one model with its prices."""
    text = _unescaped(text)
    found: list[Price] = []

    def reduce(match: re.Match) -> str:
        inner = match.group()[1:-1]
        if _MODEL.search(inner) and _TOKEN_PRICE.search(inner):
            found.extend(_unit_prices(inner, "one object"))
            return "\n"
        return f" {inner} "  # a model's cell or a price's cell: its row decides

    for _ in range(_DEPTH):
        text, reduced = _OBJECT.subn(reduce, text)
        if not reduced:
            break
    for run in _RUN_BREAK.split(text):
        found += _run_prices(run)
    return found


def _run_prices(run: str) -> list[Price]:
    """A run of text: each model id owns the prices that follow it, up to the next one."""
    models = list(_MODEL.finditer(run))
    if not models:
        return []
    if _TOKEN_PRICE.search(run, 0, models[0].start()):
        raise PricewarError(
            f"OpenAI's pricing data (the 2024 page's script text) gives prices before the model "
            f"'{models[0].group(1)}' in '{' '.join(run.split())[:120]}' — {LAYOUT_CHANGED}"
        )
    ends = [model.start() for model in models[1:]] + [len(run)]
    return [price for model, end in zip(models, ends) for price in _unit_prices(run[model.start() : end], "one run")]


def _unit_prices(unit: str, what: str) -> list[Price]:
    """The prices of one model in one object or run of text; [] when it is not a model's token prices."""
    models = sorted({model.group(1) for model in _MODEL.finditer(unit)})
    priced = list(_TOKEN_PRICE.finditer(unit))
    if not models or not priced:
        return []
    where = f"OpenAI's pricing data (the 2024 page's script text): {what} of '{' '.join(unit.split())[:120]}'"
    if len(models) > 1:
        raise PricewarError(f"{where} prices {', '.join(models)} together — {LAYOUT_CHANGED}")
    model = models[0]
    names = {mention.lower().replace(" ", "-") for mention in _MENTION.findall(unit)}
    others = {name for name in names if model != name and not model.startswith(name + "-")}
    if others:
        raise PricewarError(f"{where} names {', '.join(sorted(others))} beside {model} — {LAYOUT_CHANGED}")
    labels = [_label(unit, found, where) for found in priced]
    if "training" in labels or model.startswith("text-embedding"):
        return []  # a fine-tuning row (prices of fine-tuned models) or an embedding model
    if _TIER_WORD.search(unit):
        raise PricewarError(f"{where} names a service tier beside its prices — {LAYOUT_CHANGED}")
    if not any(labels):
        if len(priced) == 1:
            return []  # one price of something (a base model's usage): not an input or output price
        if len(priced) != 2:
            raise PricewarError(f"{where} gives {len(priced)} prices without saying which is which — {LAYOUT_CHANGED}")
        labels = ["input", "output"]
    elif not all(labels):
        raise PricewarError(f"{where} labels some prices and not others — {LAYOUT_CHANGED}")
    if len(set(labels)) != len(labels):
        raise PricewarError(f"{where} gives {model} two prices of one kind — {LAYOUT_CHANGED}")
    unit_name = {"M": MTOK, "K": "per 1K tokens"}
    return [
        _price(model, kind, " ".join(found.group().split()), unit_name[found.group(1).upper()], "standard", model, "")
        for kind, found in zip(labels, priced)
    ]


def _label(unit: str, found: re.Match, where: str) -> str:
    """What a price is for, from its own words ("1M cached input tokens") or the key or word just before it."""
    inside = " ".join(found.group(2).replace("*", " ").lower().split())
    before = _LABEL_BEFORE.search(unit, max(0, found.start() - 40), found.start())
    outside = before.group(1).lower() if before else ""
    if inside not in _LABELS:
        raise PricewarError(f"{where} prices '{inside} tokens', which pricewar does not read — {LAYOUT_CHANGED}")
    if inside and outside and _LABELS[inside] != _LABELS[outside]:
        raise PricewarError(f"{where} labels '{found.group()}' as {outside} — {LAYOUT_CHANGED}")
    return _LABELS[inside or outside]


def _unescaped(text: str) -> str:
    """The page's text with its script strings' escapes undone, strings within strings included."""

    def undo(match: re.Match) -> str:
        code, byte, char = match.groups()
        if code or byte:
            point = int(code or byte, 16)
            return "\ufffd" if 0xD800 <= point <= 0xDFFF else chr(point)
        return {"n": "\n", "r": "\n", "t": " "}.get(char, char)

    for _ in range(4):  # Next.js pages nest a JSON string in a script string
        text, undone = _JS_ESCAPE.subn(undo, text)
        if not undone:
            break
    return html.unescape(text)


# Both layouts ----------------------------------------------------------------------------------


def _price(model: str, kind: str, published: str, unit: str, tier: str, display: str, note: str) -> Price:
    money = parse_money(published, unit=unit)
    return Price(
        provider=PROVIDER,
        model=model,
        kind=kind,
        per_mtok=money.per_mtok,
        currency=money.currency or "USD",
        published=published,
        unit=money.unit or unit,
        service_tier=tier,
        display_name=display,
        note=note,
    )


def _name(text: str) -> str:
    """A heading or label compared loosely: lower-case words ("**Text tokens**" -> "text tokens")."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
