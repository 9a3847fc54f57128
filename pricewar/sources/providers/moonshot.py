"""Moonshot AI's (Kimi's) chat pricing page: CNY per 1M tokens, read from its model tables.

platform.moonshot.cn/docs/pricing/chat (HTML, or a Markdown rendition of it) has one table per model
family, one model per row, under columns 模型 | 计费单位 | 输入价格（缓存命中）| 输入价格（缓存未命中）|
输出价格 | 模型上下文长度; the moonshot-v1 table has a single 输入价格. The English labels of
platform.moonshot.ai (Model, Unit, Input Price (Cache Hit) / (Cache Miss), Output Price) read the same.

Kinds: cache hit -> cache_hit, cache miss or a plain input price -> input, output -> output. The
currency is the cell's own (￥ -> CNY, $ -> USD); the unit is the cell's, else the 计费单位 column's
("1M tokens"), else the price column's. kimi-latest bills by request length: its 请求上下文长度范围
column makes context tiers ("≤ 8,192 tokens" -> "0-8k", "8,192 < 长度 ≤ 32,768 tokens" -> "8k-32k":
a count that is a multiple of 1024 and no round thousand reads in 1024s, as the page itself calls
these "8k/32k/128k"; 128,000 reads "128k" too). Where that model's cell spanned the
tier rows, a Markdown rendition leaves it only in the first row and shifts the later rows' cells one
to the left; such a row is shifted back and read as the model above's.

A badge beside a model id ("kimi-k2-turbo-preview推荐", "... Recommended") is dropped. Empty and "-"
cells are no price; the context-window column is not a price. Refused with PricewarError rather than guessed: a
price without a currency or unit, two amounts in one cell with none struck out, a priced row whose
model cannot be read, a tier label that cannot be read, a page cut short inside a table, and one key
priced twice with different amounts.
"""

from __future__ import annotations

import re

from pricewar.price import Price, PricewarError, parse_money
from pricewar.sources.body import LAYOUT_CHANGED, read_tables
from pricewar.sources.tables import STRUCK_TEXT, Table

URLS = ("https://platform.moonshot.cn/docs/pricing/chat",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("moonshot", "kimi", "月之暗面")

PROVIDER = "moonshot"
PAGE = "Moonshot's pricing page"

_MODEL_LABEL = re.compile(r"^(模型|模型名称|model|model name|model id)$", re.IGNORECASE)
# An API id, then perhaps a badge the page sets beside it: Chinese text ("推荐") or a known English word.
_MODEL_CELL = re.compile(
    r"^(?=[\w.:/-]*[A-Za-z])([A-Za-z0-9][A-Za-z0-9._:/-]*)\s*(?:[^\x00-\x7f]*|recommended|new|hot|latest|beta)$",
    re.IGNORECASE,
)
_PRICE_LABEL = re.compile(r"价格|价|price", re.IGNORECASE)
_CACHE_MISS = re.compile(r"缓存未命中|未命中缓存|cache\s*miss", re.IGNORECASE)
_CACHE_HIT = re.compile(r"缓存命中|命中缓存|cache\s*hit", re.IGNORECASE)
_OUTPUT = re.compile(r"输出|\boutput\b", re.IGNORECASE)
_INPUT = re.compile(r"输入|\binput\b", re.IGNORECASE)
_UNIT_LABEL = re.compile(r"^(计费单位|单位|unit|billing unit|pricing unit)$", re.IGNORECASE)
# The request-length range of kimi-latest, never the model's context window (模型上下文长度).
_TIER_LABEL = re.compile(r"请求上下文|request\s*context|context\s*length\s*range", re.IGNORECASE)
_UNITS = (
    (re.compile(r"\b1\s*M\b|百万|million|\bMTok", re.IGNORECASE), "per 1M tokens"),
    (re.compile(r"\b1\s*K\b|千|thousand", re.IGNORECASE), "per 1K tokens"),
)
_AMOUNT = re.compile(r"(?:US\$|\$|￥|¥)\s*\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s*(?:元|USD|CNY|RMB)")
_COUNT = r"(\d+)(k|m)?"


def parse(body: bytes) -> list[Price]:
    """Every price in Moonshot's pricing tables; PricewarError when there are none."""
    return read_tables(body, PAGE, _read_table)


def _read_table(table: Table) -> list[Price]:
    """The prices in one table with a model column and price columns; [] for any other table."""
    header = table.rows[0]
    model_at = next((index for index, cell in enumerate(header) if _MODEL_LABEL.match(cell)), None)
    kinds = {index: kind for index, cell in enumerate(header) if (kind := _classify(cell))}
    if model_at is None or not kinds:
        return []
    unit_at = next((index for index, cell in enumerate(header) if _UNIT_LABEL.match(cell)), None)
    tier_at = next((index for index, cell in enumerate(header) if _TIER_LABEL.search(cell)), None)
    prices: list[Price] = []
    above: tuple[str, str] | None = None
    for row in table.rows[1:]:
        named = _read_model(row[model_at])
        if named is None and above and tier_at == model_at + 1 and row[-1] == "" and _read_tier(row[model_at]):
            row = [*row[:model_at], "", *row[model_at:-1]]  # the spanned model cell, lost by the rendition
            named = above
        if named is None:
            if any(re.search(r"\d", row[index]) for index in kinds if index < len(row)):
                raise PricewarError(f"{PAGE} has prices for '{row[model_at]}', which is no model id — {LAYOUT_CHANGED}")
            continue
        above = named
        model, display_name = named
        tier = ""
        if tier_at is not None:
            tier = _read_tier(row[tier_at]) or ""
            if not tier:
                raise PricewarError(
                    f"{PAGE} prices {model} for a request length pricewar cannot read ('{row[tier_at]}')"
                )
        unit_hint = _unit_of(row[unit_at]) if unit_at is not None else None
        for index, kind in kinds.items():
            cell_unit = unit_hint or _unit_of(header[index])
            if price := _read_cell(model, display_name, kind, row[index], cell_unit, tier):
                prices.append(price)
    return prices


def _classify(label: str) -> str | None:
    """The kind a column prices, or None when it labels anything else."""
    if not _PRICE_LABEL.search(label):
        return None
    if _CACHE_MISS.search(label):
        return "input"
    if _CACHE_HIT.search(label):
        return "cache_hit"
    if _OUTPUT.search(label):
        return "output"
    if _INPUT.search(label):
        return "input"
    return None


def _read_model(cell: str) -> tuple[str, str] | None:
    """(API id, name as shown) of a model cell, a glued-on badge dropped; None when it names no model."""
    found = _MODEL_CELL.match(cell.strip())
    if not found:
        return None
    return found.group(1).lower(), found.group(1)


def _unit_of(text: str) -> str | None:
    return next((unit for pattern, unit in _UNITS if pattern.search(text)), None)


def _read_tier(label: str) -> str | None:
    """A request-length range as a context tier ("8,192 < 长度 ≤ 32,768 tokens" -> "8k-32k"); None if unreadable."""
    text = label.replace("＜", "<").replace("＞", ">").replace("<=", "≤").replace(">=", "≥")
    text = re.sub(r",\s+|，", "~", text)  # a list's comma ("[0, 32K]"), not a thousands separator ("8,192")
    text = re.sub(r"tokens?|长度|length|input|输入|[\s,]", "", text, flags=re.IGNORECASE)
    if found := re.fullmatch(rf"(?:0[<≤])?[<≤]{_COUNT}", text, re.IGNORECASE):
        return f"0-{_tokens(*found.group(1, 2))}"
    if found := re.fullmatch(rf"{_COUNT}[<≤][<≤]{_COUNT}", text, re.IGNORECASE):
        return f"{_tokens(*found.group(1, 2))}-{_tokens(*found.group(3, 4))}"
    if found := re.fullmatch(rf"[\[(]?{_COUNT}[-–~～][<≤]?{_COUNT}[\])]?", text, re.IGNORECASE):
        return f"{_tokens(*found.group(1, 2))}-{_tokens(*found.group(3, 4))}"
    if found := re.fullmatch(rf"[>≥]{_COUNT}|{_COUNT}[<≤]", text, re.IGNORECASE):
        number, suffix = found.group(1, 2) if found.group(1) else found.group(3, 4)
        return f">{_tokens(number, suffix)}"
    return None


def _tokens(number: str, suffix: str | None) -> str:
    """A token count as a short label: 8192 -> "8k", 131072 -> "128k", 32K -> "32k"."""
    count = int(number)
    if suffix:
        return f"{count}{suffix.lower()}"
    for size, label in ((1_000_000, "m"), (1024 * 1024, "m"), (1000, "k"), (1024, "k")):
        if count and count % size == 0:
            return f"{count // size}{label}"
    return str(count)


def _read_cell(model: str, display_name: str, kind: str, cell: str, unit: str | None, tier: str) -> Price | None:
    """The price a cell charges; None when it holds no number ("", "-", a lone struck-out price)."""
    struck = [text.strip() for text in STRUCK_TEXT.findall(cell) if text.strip()]
    charged = " ".join(STRUCK_TEXT.sub(" ", cell).split())
    if not re.search(r"\d", charged):
        return None
    if len(_AMOUNT.findall(charged)) > 1:
        raise PricewarError(
            f"{PAGE}: {model} {kind} cell '{charged}' shows several prices and none struck out — "
            f"which one is charged? ({LAYOUT_CHANGED})"
        )
    money = parse_money(charged, unit=unit)
    if money.currency is None:
        raise PricewarError(f"{PAGE}: {model} {kind} price '{charged}' names no currency — {LAYOUT_CHANGED}")
    if money.unit is None:
        raise PricewarError(f"{PAGE}: {model} {kind} price '{charged}' names no unit of tokens — {LAYOUT_CHANGED}")
    return Price(
        provider=PROVIDER,
        model=model,
        kind=kind,
        per_mtok=money.per_mtok,
        currency=money.currency,
        published=charged,
        unit=money.unit,
        context_tier=tier,
        display_name=display_name,
        note=f"discounted from {' '.join(struck)}" if struck else "",
    )
