"""llmprice.cn (flanker/llmprice.cn): one hand-kept Markdown table of LLM API prices per 1M tokens (README.md).

The table is `厂商 | 模型 | 输入价格 | 输出价格 | 上下文 Token 长度 | 最大输入 Token | 最大输出 Token` (at first
`模型名称`, `参数级别`, `上下文长度`, `输入` / `输出` length limits, `限流` and `备注`). Only 厂商, 模型, 输入价格 and
输出价格 are read; a column of any other name raises PricewarError naming it, and so does a vendor pricewar
cannot place (VENDORS; a Latin name not listed is taken as canonical_provider of it).

Amounts are per 1M tokens, though the unit is not written. A cell "0.5 元", "40元" or a bare "0.8" is CNY.
From 2024-06-06 dollar prices appear as "35元 ($5)", the yuan at the list's own 7 CNY per USD: that yuan is no
price anyone published, so the dollar figure is recorded, in USD (in 2026 DeepSeek's rows are written so too,
"1.96 元 ($0.28)", and give USD 0.28). A row of a Western maker (WESTERN) that shows only yuan is skipped rather
than converted back. "免费" is a price of zero; "-", an empty cell or any other text is no price.

provider = the vendor's maker id; model = the 模型 cell lower-cased, bracketed remarks dropped and spaces as
hyphens ("deepseek-chat(v3)" -> deepseek-chat, "Claude 3.5 Sonnet" -> claude-3.5-sonnet, "GPT-5 mini" ->
gpt-5-mini, "ERNIE-Speed-8K" -> ernie-speed-8k); `display_name` keeps the cell as written. The list states no
dates: every price has effective_from None.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pricewar.price import MTOK, Price, PricewarError, canonical_provider, decimal
from pricewar.sources.body import LAYOUT_CHANGED, check_complete, read_text, unique_prices
from pricewar.sources.tables import Table, tables

URLS = ("https://raw.githubusercontent.com/flanker/llmprice.cn/main/README.md",)
# The file that holds a snapshot in each commit of an archive (`pricewar backfill`).
ARCHIVE_FILE = "README.md"

SOURCE = "the llmprice.cn list (flanker/llmprice.cn)"

# The 厂商 cell, lower-cased -> the maker's id.
VENDORS = {
    "openai": "openai", "anthropic": "anthropic", "google": "google", "deepseek": "deepseek",
    "阿里通义千问": "alibaba", "通义千问": "alibaba", "百度文心一言": "baidu", "百度文心": "baidu",
    "字节豆包": "bytedance", "月之暗面": "moonshot", "月之暗面 moonshot": "moonshot", "零一万物": "01-ai",
    "百川智能": "baichuan", "智谱": "zhipu", "腾讯混元": "tencent", "minimax": "minimax",
}
WESTERN = frozenset({"openai", "anthropic", "google", "mistral", "xai"})

# A column header -> what it holds; None for what is read from no column (lengths, limits, remarks).
COLUMNS = {
    "厂商": "vendor", "模型": "model", "模型名称": "model", "输入价格": "input", "输出价格": "output",
    "参数级别": None, "上下文长度": None, "上下文 token 长度": None, "输入": None, "输出": None,
    "最大输入 token": None, "最大输出 token": None, "限流": None, "备注": None,
}

_CELL = re.compile(r"(?:(\d+(?:\.\d+)?)\s*元?)?\s*(?:[（(]?\s*\$\s*(\d+(?:\.\d+)?)\s*[）)]?)?")
_FREE = "免费"
_BRACKETS = re.compile(r"[（(][^（()）]*[）)]")


def parse(body: bytes) -> list[Price]:
    """Every price in the list's table; PricewarError when there is none or the table's layout is unknown."""
    text = read_text(body)
    check_complete(text, SOURCE)
    return unique_prices((price for table in tables(text) for price in _read_table(table)), SOURCE)


def _read_table(table: Table) -> list[Price]:
    at: dict[str, int] = {}
    for index, cell in enumerate(table.rows[0]):
        label = " ".join(cell.split()).lower()
        if label not in COLUMNS:
            raise PricewarError(f"{SOURCE} has a column '{cell}' that pricewar cannot place — {LAYOUT_CHANGED}")
        if COLUMNS[label] is not None:
            at[COLUMNS[label]] = index
    if len(at) < 4:
        raise PricewarError(f"{SOURCE} has a table without a vendor, model, input and output price column — "
                            f"{LAYOUT_CHANGED}")
    prices: list[Price] = []
    for row in table.rows[1:]:
        name = row[at["model"]].strip()
        if name:
            prices += _row_prices(_maker(row[at["vendor"]]), name, row[at["input"]], row[at["output"]])
    return prices


def _maker(vendor: str) -> str:
    key = " ".join(vendor.split()).lower()
    if key in VENDORS:
        return VENDORS[key]
    if key.isascii() and re.fullmatch(r"[a-z0-9][a-z0-9 .\-]*", key):
        return canonical_provider(key.replace(" ", "-"))
    raise PricewarError(f"{SOURCE} names a vendor '{vendor}' that pricewar cannot place — {LAYOUT_CHANGED}")


def _row_prices(maker: str, name: str, input_cell: str, output_cell: str) -> list[Price]:
    read = {kind: found for kind, cell in (("input", input_cell), ("output", output_cell))
            if (found := _amount(cell)) is not None}
    if maker in WESTERN and any(currency != "USD" for _, currency, _ in read.values()):
        return []  # only the list's yuan at 7 per dollar: no price anyone published
    model = re.sub(r"\s+", "-", " ".join(_BRACKETS.sub(" ", name).split()).lower())
    return [Price(provider=maker, model=model, kind=kind, per_mtok=amount, currency=currency, published=published,
                  unit=MTOK, display_name=name)
            for kind, (amount, currency, published) in read.items()]


def _amount(cell: str) -> tuple[Decimal, str, str] | None:
    """(amount, currency, as published) of a price cell; None for no price ("-", "", words)."""
    text = " ".join(cell.split())
    if text == _FREE:
        return Decimal(0), "CNY", text
    found = _CELL.fullmatch(text)
    if not text or found is None or not any(found.groups()):
        return None
    yuan, dollars = found.groups()
    if dollars is not None:
        return decimal(dollars), "USD", f"${dollars} / 1M tokens"
    return decimal(yuan), "CNY", f"{yuan} 元 / 1M tokens"
