"""DeepSeek's "Models & Pricing" page: the English one in USD, the Chinese one in CNY, per 1M tokens.

Read from the page's tables (HTML or a Markdown rendition of it). Since 2025 the table is
transposed: a MODEL (模型) row names one column per model, and rows labelled "1M INPUT TOKENS
(CACHE HIT)" / "(CACHE MISS)" / "1M OUTPUT TOKENS" (百万tokens输入（缓存命中）/（缓存未命中）/
百万tokens输出) hold a price per model, or one price spanning every model. Older pages put one model
per row under columns such as "INPUT PRICE (CACHE HIT)"; those are read too.

Kinds: cache hit -> cache_hit, cache miss -> input, output -> output. The currency is the cell's
own ($ -> USD, 元/￥ -> CNY). Row groups "STANDARD PRICE (UTC 00:30-16:30)" and "DISCOUNT PRICE
(UTC 16:30-00:30)" (标准时段 / 优惠时段, in Beijing time on the Chinese page, converted so both
pages give the same key) set time_window "" and "off-peak UTC 16:30-00:30". A struck-through
original before a discounted price records the discounted one, which is what is charged, with the
original in `note`. Footnotes announcing a future policy are prose, outside the tables, and never
read. Anything ambiguous raises rather than guesses: two prices in one cell with none struck out,
a price row that does not match the model columns, one key priced twice.
"""

from __future__ import annotations

import re

from pricewar.pages import LAYOUT_CHANGED, read_text, unique_prices
from pricewar.price import MTOK, Price, PricewarError, parse_money
from pricewar.tables import STRUCK, Table, tables

URLS = (
    "https://api-docs.deepseek.com/quick_start/pricing",
    "https://api-docs.deepseek.com/zh-cn/quick_start/pricing",
)

PROVIDER = "deepseek"

# What _read_window gives a discount label whose hours are not (yet) in sight; never stored.
_HOURS_UNSTATED = "off-peak, hours unstated"

_MODEL_LABEL = re.compile(r"^(model|模型)\s*([(（]\d+[)）])?$", re.IGNORECASE)
_MODEL_ID = re.compile(r"^[A-Za-z0-9][\w.:/-]*$")
_FOOTNOTE = re.compile(r"\s*[(（]\d+[)）]")  # "(1)" glued to a header, a model id or a struck price
_CACHE_MISS = re.compile(r"cache\s*miss|缓存未命中|未命中缓存", re.IGNORECASE)
_CACHE_HIT = re.compile(r"cache\s*hit|缓存命中|命中缓存", re.IGNORECASE)
_OUTPUT = re.compile(r"\boutput\b|输出", re.IGNORECASE)
_INPUT = re.compile(r"\binput\b|输入", re.IGNORECASE)
# A plain input/output label must speak of a price ("MAX OUTPUT" and 输出长度 are token limits).
_PRICED = re.compile(r"\b1\s*M\b|price|百万|价格|元", re.IGNORECASE)
_LIMIT = re.compile(r"\bmax|最大|长度|length", re.IGNORECASE)
_DISCOUNT = re.compile(r"discount|off[- ]?peak|优惠|低谷|闲时", re.IGNORECASE)
_PEAK = re.compile(r"\bpeak\b|高峰", re.IGNORECASE)  # checked after _DISCOUNT, which "off-peak" matches
_STANDARD = re.compile(r"standard|标准", re.IGNORECASE)
_GROUP = re.compile(r"price|时段|价", re.IGNORECASE)
_HOURS = re.compile(r"(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})")
_BEIJING = re.compile(r"北京时间|beijing|(UTC|GMT)\s*\+\s*0?8", re.IGNORECASE)
_UTC = re.compile(r"UTC|GMT")
_AMOUNT = re.compile(r"(?:US\$|\$|￥|¥)\s*\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s*(?:元|USD|CNY|RMB)")
_STRUCK_TEXT = re.compile(re.escape(STRUCK) + "(.*?)" + re.escape(STRUCK), re.DOTALL)


def parse(body: bytes) -> list[Price]:
    """Every price in DeepSeek's pricing tables; PricewarError when there are none."""
    return unique_prices((price for table in tables(read_text(body)) for price in _read_table(table)),
                         "DeepSeek's pricing page")


def _read_table(table: Table) -> list[Price]:
    """The prices in one table: a model per column (current page) or a model per row (older ones)."""
    prices: list[Price] = []
    models: list[str] = []
    heading_window = _read_window(table.heading) or ""
    window = heading_window
    carried = ""
    for number, row in enumerate(table.rows):
        at = next((index for index, cell in enumerate(row) if _MODEL_LABEL.match(cell)), None)
        if at is not None:
            named = [cell for cell in row[at + 1 :] if cell and not _MODEL_LABEL.match(cell)]
            if any(_classify(cell) for cell in named):
                return prices + _read_model_rows(table.rows[number:], at, window)
            models, window = [_FOOTNOTE.sub("", cell) for cell in named], heading_window
            continue
        label = next((index for index, cell in enumerate(row) if _classify(cell)), None)
        # A row-group cell ("DISCOUNT PRICE (UTC 16:30-00:30)") sets the hours of the rows below it,
        # which a Markdown rendition no longer repeats, and may have broken over two lines.
        lead = " ".join([carried, *row[:label]]).strip()
        if (found := _read_window(lead)) is not None:
            window = found
        carried = lead if found == _HOURS_UNSTATED and label is None else ""
        if label is None or not models:
            continue
        values = [cell for cell in row[label + 1 :] if cell and cell != row[label]]
        if len(values) == 1:
            values *= len(models)  # one cell spanning every model's column
        if len(values) != len(models):
            raise PricewarError(
                f"DeepSeek's '{row[label]}' row has {len(values)} prices for {len(models)} models "
                f"({', '.join(models)}) — {LAYOUT_CHANGED}"
            )
        kind = _classify(row[label]) or ""
        prices += [price for model, cell in zip(models, values) if (price := _read_cell(model, kind, cell, window))]
    return prices


def _read_model_rows(rows: list[list[str]], model_column: int, window: str) -> list[Price]:
    """Prices from the older layout: a header of price columns, then one row per model."""
    kinds = {index: kind for index, cell in enumerate(rows[0]) if (kind := _classify(cell))}
    prices: list[Price] = []
    for row in rows[1:]:
        model = _FOOTNOTE.sub("", row[model_column]) if model_column < len(row) else ""
        if not _MODEL_ID.match(model):
            found = _read_window(" ".join(row))
            window = window if found is None else found
            continue
        for index, kind in kinds.items():
            if index < len(row) and (price := _read_cell(model, kind, row[index], window)):
                prices.append(price)
    return prices


def _classify(label: str) -> str | None:
    """The kind a row or column label prices, or None when it labels anything else."""
    if _CACHE_MISS.search(label):
        return "input"
    if _CACHE_HIT.search(label):
        return "cache_hit"
    if _PRICED.search(label) and not _LIMIT.search(label):
        if _OUTPUT.search(label):
            return "output"
        if _INPUT.search(label):
            return "input"
    return None


def _read_window(label: str) -> str | None:
    """The time_window a row-group label sets ("" for standard hours); None when it is no such label."""
    discount = _DISCOUNT.search(label)
    hours = _HOURS.search(label)
    if not (hours or _GROUP.search(label)):
        return None
    if not discount and _PEAK.search(label):
        # The 2026 pages announce peak-hour prices; recording them as all-day prices would be wrong.
        raise PricewarError(f"DeepSeek's page now prices peak hours ('{label}'), which pricewar cannot read yet")
    if not (discount or _STANDARD.search(label)):
        return None
    if not discount:
        return ""
    if hours is None:
        return _HOURS_UNSTATED
    if _BEIJING.search(label):
        shift = 8 * 60
    elif _UTC.search(label):
        shift = 0
    else:
        raise PricewarError(f"DeepSeek's discount hours '{label}' name no time zone — {LAYOUT_CHANGED}")
    start, end = (_to_utc(hour, minute, shift) for hour, minute in (hours.group(1, 2), hours.group(3, 4)))
    return f"off-peak UTC {start}-{end}"


def _read_cell(model: str, kind: str, cell: str, window: str) -> Price | None:
    """The price a cell charges; None when it holds no number ("-", "", a lone struck-out price)."""
    if window == _HOURS_UNSTATED:
        raise PricewarError(f"DeepSeek's page shows discounted prices without their hours — {LAYOUT_CHANGED}")
    struck = [text for found in _STRUCK_TEXT.findall(cell) if (text := _FOOTNOTE.sub("", found).strip())]
    # A footnote marker ("(5)" after a struck price) is a number too, and must not be read as the price.
    charged = " ".join(_FOOTNOTE.sub("", _STRUCK_TEXT.sub(" ", cell)).split())
    if not re.search(r"\d", charged):
        return None
    if len(_AMOUNT.findall(charged)) > 1:
        raise PricewarError(
            f"DeepSeek's {model} {kind} cell '{charged}' shows several prices and none struck out — "
            f"which one is charged? ({LAYOUT_CHANGED})"
        )
    money = parse_money(charged, unit=MTOK)  # the page states its prices per 1M tokens
    if money.currency is None:
        raise PricewarError(f"DeepSeek's {model} {kind} price '{charged}' names no currency — {LAYOUT_CHANGED}")
    return Price(
        provider=PROVIDER,
        model=model,
        kind=kind,
        per_mtok=money.per_mtok,
        currency=money.currency,
        published=charged,
        unit=money.unit or MTOK,
        time_window=window,
        note=f"discounted from {' '.join(struck)}" if struck else "",
    )


def _to_utc(hour: str, minute: str, shift: int) -> str:
    """A wall-clock time `shift` minutes ahead of UTC as UTC "HH:MM" (Beijing 00:30 -> 16:30)."""
    minutes = (int(hour) * 60 + int(minute) - shift) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
