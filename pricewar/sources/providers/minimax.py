"""MiniMax's pay-as-you-go pricing page: text models in USD per 1M tokens, read from its "Text" table.

platform.minimax.io/docs/guides/pricing-paygo (HTML, or its Markdown rendition) prices text models in
a table Model | Input | Output | Prompt caching Read | Prompt caching Write, cells such as
"$0.3 / M tokens". The Chinese site's labels (模型 | 输入 | 输出 | 缓存读取 | 缓存写入) read the same.
Kinds: input, output, cache read -> cache_hit, cache write -> cache_write. Currency and unit are the
cell's own ($ -> USD, 元/￥ -> CNY; "/ M tokens" -> per 1M tokens).

Only tables with a model column and such price columns are read. The page's audio (speech, per
million characters or per voice), video (per clip), music and image prices are not per-token text
prices and have no kind here, so their tables ("Model | Price") are passed over, as is the rate-limit
table (RPM / TPM).

Model ids: MiniMax's API takes "MiniMax-M2"; the page shows that name in bold, not as code. Every
other source in pricewar (the bundled record, OpenRouter's "minimax/minimax-m2") stores it as
"minimax-m2", and history only lines up under one spelling, so the id is the name lower-cased and
`display_name` keeps MiniMax's casing. A model cell may carry a description on a second line
("MiniMax-M2-Stable<br />High Concurrency, Commercial Use"): only id-like lines name models, and a
cell naming several models gives each the row's prices.

Empty and "-" cells are no price. Refused with PricewarError rather than guessed: a price without a
currency or unit, two amounts in one cell with none struck out, a priced row naming no model, a page
cut short inside a table, and one key priced twice with different amounts.
"""

from __future__ import annotations

import re

from pricewar.price import Price, PricewarError, parse_money
from pricewar.sources.body import LAYOUT_CHANGED, read_tables
from pricewar.sources.tables import STRUCK_TEXT, Table

URLS = ("https://platform.minimax.io/docs/guides/pricing-paygo",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("minimax",)

PROVIDER = "minimax"
PAGE = "MiniMax's pricing page"

_MODEL_LABEL = re.compile(r"^(model|models|模型|模型名称)$", re.IGNORECASE)
_MODEL_ID = re.compile(r"^(?=[\w.:/-]*[A-Za-z])[A-Za-z0-9][\w.:/-]*$")
_BULLET = re.compile(r"^[•·*\-–]\s*")
_CACHE = re.compile(r"cach|缓存", re.IGNORECASE)
_CACHE_WRITE = re.compile(r"\bwrite\b|写入|创建|存储", re.IGNORECASE)
_CACHE_READ = re.compile(r"\bread\b|\bhit\b|读取|命中", re.IGNORECASE)
# A bare "Input" / "Output" header, or one that speaks of a price ("Input price", 输入价格).
_INPUT = re.compile(r"^(input|输入)\b|^(input|输入).*(price|价格)", re.IGNORECASE)
_OUTPUT = re.compile(r"^(output|输出)\b|^(output|输出).*(price|价格)", re.IGNORECASE)
_LIMIT = re.compile(r"max|limit|最大|长度|length|window|上下文", re.IGNORECASE)
_AMOUNT = re.compile(r"(?:US\$|\$|￥|¥)\s*\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s*(?:元|USD|CNY|RMB)")
# A price per character, voice, image or clip is no per-token price, whatever its column says.
_NOT_TOKENS = re.compile(r"character|voice|image|video|second|minute|字符|音色|张|秒|分钟|次", re.IGNORECASE)


def parse(body: bytes) -> list[Price]:
    """Every per-token text price on MiniMax's pricing page; PricewarError when there are none."""
    return read_tables(body, PAGE, _read_table)


def _read_table(table: Table) -> list[Price]:
    """The prices in a table of text models and per-token price columns; [] for any other table."""
    header = table.rows[0]
    model_at = next((index for index, cell in enumerate(header) if _MODEL_LABEL.match(cell)), None)
    kinds = {index: kind for index, cell in enumerate(header) if (kind := _classify(cell))}
    if model_at is None or not kinds:
        return []
    prices: list[Price] = []
    for row in table.rows[1:]:
        names = [line for raw in row[model_at].split("\n") if _MODEL_ID.match(line := _BULLET.sub("", raw.strip()))]
        if not names:
            if any(re.search(r"\d", row[index]) for index in kinds):
                raise PricewarError(f"{PAGE} has prices for '{row[model_at]}', which names no model — {LAYOUT_CHANGED}")
            continue
        for name in names:
            prices += [price for index, kind in kinds.items() if (price := _read_cell(name, kind, row[index]))]
    return prices


def _classify(label: str) -> str | None:
    """The kind a column prices, or None when it labels anything else (RPM, a per-clip "Price")."""
    if _CACHE.search(label):
        if _CACHE_WRITE.search(label):
            return "cache_write"
        if _CACHE_READ.search(label):
            return "cache_hit"
        return None
    if _LIMIT.search(label):
        return None
    if _OUTPUT.search(label):
        return "output"
    if _INPUT.search(label):
        return "input"
    return None


def _read_cell(name: str, kind: str, cell: str) -> Price | None:
    """The price a cell charges; None when it holds no number ("", "-", a lone struck-out price)."""
    struck = [text.strip() for text in STRUCK_TEXT.findall(cell) if text.strip()]
    charged = " ".join(STRUCK_TEXT.sub(" ", cell).split())
    if not re.search(r"\d", charged):
        return None
    if len(_AMOUNT.findall(charged)) > 1:
        raise PricewarError(
            f"{PAGE}: {name} {kind} cell '{charged}' shows several prices and none struck out — "
            f"which one is charged? ({LAYOUT_CHANGED})"
        )
    if _NOT_TOKENS.search(charged):
        raise PricewarError(f"{PAGE}: {name} {kind} price '{charged}' is not per token — {LAYOUT_CHANGED}")
    money = parse_money(charged)
    if money.currency is None:
        raise PricewarError(f"{PAGE}: {name} {kind} price '{charged}' names no currency — {LAYOUT_CHANGED}")
    if money.unit is None:
        raise PricewarError(f"{PAGE}: {name} {kind} price '{charged}' names no unit of tokens — {LAYOUT_CHANGED}")
    return Price(
        provider=PROVIDER,
        model=name.lower(),
        kind=kind,
        per_mtok=money.per_mtok,
        currency=money.currency,
        published=charged,
        unit=money.unit,
        display_name=name,
        note=f"discounted from {' '.join(struck)}" if struck else "",
    )
