"""Volcano Engine Ark's "模型服务价格" page: ByteDance's Doubao (and hosted) models, CNY per 1M tokens.

The live page ships no tables in its HTML: it renders a rich-text payload,
`{"version": …, "data": {<zoneId>: {"zoneType": …, "ops": […]}}}`. Zone "0" is the document: a
line starts with a `*` op whose attributes say `heading: h1..h3`, and a table is a `*` op whose
`aceTable` attribute names a row zone (R) and a column zone (C). Each of those lists ids, and the
cell at (row, column) is the text zone `x<row id>x<column id>`. A merged cell is a `mergeCellID`
carried by each row and column it covers; its text sits in its top-left cell and is repeated
across the area, as an HTML rowspan reads. A page that arrives as HTML or Markdown tables instead
is read with pricewar.sources.tables.

Read: tables whose columns 输入 / 缓存命中 / 输出 state 元/百万 token (input, cache_hit, output),
one model per row. A 条件 column (in 千 token) sets context_tier: 输入长度 [0, 32] -> "0-32k",
(32, 128] -> "32k-128k", (128, 256] -> "128k-256k"; where it also bounds the output length, as
doubao-seed-1.6's [0, 32] tier does (output 2 元 for at most 0.2K output tokens, else 8), the tier
says so: "0-32k,out<=200" and "0-32k,out>200", and every price of that row (input and cache hit
too, equal in both) is recorded under it. A 思考 / 非思考 condition sets mode. Tables under a
批量推理 heading are service_tier "batch". Rows say "-" or 不支持 for no price, never zero.

Skipped, as no per-token price of a model: cache storage (元 per 1M tokens per hour), video,
image, 3D and TPM-reservation tables (no input/output column in 元/百万 token), fine-tuning and
prices of fine-tuned endpoints (under a 精调 heading), and tables splitting input by modality
(文本输入 / 图片输入, which pricewar has no dimension for). Anything else that cannot be read
cleanly raises: an unknown condition, a cell that is not a plain amount, one key priced twice.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from pricewar.price import MTOK, Price, PricewarError, decimal, format_amount, per_mtok
from pricewar.sources.body import LAYOUT_CHANGED, check_complete, read_text, unique_prices
from pricewar.sources.tables import DITTO, STRUCK, STRUCK_TEXT, Rows, cell_text, fill_down, tables

URLS = ("https://www.volcengine.com/docs/82379/1544106",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("doubao", "豆包", "火山", "volcengine")

PROVIDER = "bytedance"
PAGE = "Volcano Engine's pricing page"

_PAYLOAD = re.compile(r'\{\s*"version"\s*:')
_QUOTED_PAYLOAD = re.compile(r'"\{\\"version\\"\s*:')  # the same, as a JSON string in a page's script
_SKIPPED_SECTION = re.compile(r"精调|TPM|模型单元")
_BATCH = re.compile(r"批量|离线")
_MODEL_HEADER = re.compile(r"^(模型|model)", re.IGNORECASE)
_CONDITION_HEADER = re.compile(r"^条件")
_THOUSANDS = re.compile(r"千|(?<![a-z])k(?![a-z])", re.IGNORECASE)  # the header's unit: "千 token", "K tokens"
_TOKEN_UNIT = re.compile(r"元\s*/\s*(百万|千)\s*tokens?", re.IGNORECASE)
_MODALITY = re.compile(r"文本|图片|图像|视频|音频|语音")
_MODEL_ID = re.compile(r"^[a-z0-9][a-z0-9._:/-]*$")
_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:元)?$")
_NO_PRICE = frozenset({"-", "—", "–", "/", "不支持", "暂不支持", "无", "n/a"})
_FREE = frozenset({"免费", "限时免费"})
_LENGTH = re.compile(
    r"(输入|输出)长度\s*[\[(（【]\s*(\d+(?:\.\d+)?)\s*([kK])?\s*[,，]\s*(\+?\s*∞|\d+(?:\.\d+)?)\s*([kK])?\s*[\])）】]"
)
_NON_THINKING = re.compile(r"非(深度)?思考(模式)?|关闭(深度)?思考(模式)?|不思考")
_THINKING = re.compile(r"(开启)?(深度)?思考(模式)?")
_CONNECTIVES = re.compile(r"[\s且和及、,，;；]+|并且")

_Section = tuple[tuple[str, ...], Rows]  # (the headings a table sits under, outermost first; its rows)


def parse(body: bytes) -> list[Price]:
    """Every per-token price on Volcano Engine's pricing page; PricewarError when there are none."""
    text = read_text(body)
    payload = _find_payload(text)
    if payload is None:
        check_complete(text, PAGE)
    sections = _page_tables(text) if payload is None else _payload_tables(payload)
    return unique_prices((price for headings, rows in sections for price in _read_table(headings, rows)), PAGE)


# --- the rich-text payload ---------------------------------------------------------------------


def _find_payload(text: str) -> object | None:
    """The page's rich-text payload, as is or JSON-quoted in a script; None when there is none."""
    decoder = json.JSONDecoder()
    try:
        if plain := _PAYLOAD.search(text):
            return decoder.raw_decode(text, plain.start())[0]
        if quoted := _QUOTED_PAYLOAD.search(text):
            return decoder.raw_decode(decoder.raw_decode(text, quoted.start())[0])[0]
    except (ValueError, RecursionError):
        raise PricewarError(f"{PAGE} holds a broken data payload — was the download cut short? Try again.") from None
    return None


def _payload_tables(document: object) -> list[_Section]:
    """The tables of the page's rich-text payload, each with the headings above it."""
    zones = document.get("data") if isinstance(document, dict) else None
    if not isinstance(zones, dict) or not _ops(zones, "0"):
        raise PricewarError(f"{PAGE}'s data payload has no document in it — {LAYOUT_CHANGED}")

    sections: list[_Section] = []
    path: list[str] = []  # heading text by level, h1 first
    level = 0  # of the line being read; 0 for body text
    line: list[str] = []
    for op in _ops(zones, "0"):
        insert, attributes = op
        if insert == "*" and "aceTable" in attributes:
            sections.append((tuple(path), _payload_grid(zones, str(attributes["aceTable"]).split())))
        elif insert == "*" and "lmkr" in attributes:
            heading = re.fullmatch(r"h([1-6])", str(attributes.get("heading", "")))
            level, line = (int(heading.group(1)) if heading else 0), []
        elif isinstance(insert, str):
            *ended, rest = insert.split("\n")
            for part in ended:
                if level:
                    path = _under(path, level, "".join([*line, part]).strip())
                level, line = 0, []
            line.append(rest)
    return [(tuple(heading for heading in headings if heading), rows) for headings, rows in sections]


def _under(path: list[str], level: int, title: str) -> list[str]:
    """The headings in force after a heading of `level` (1 for h1) titled `title`."""
    return [*path[: level - 1], *[""] * (level - 1 - len(path)), title]


def _payload_grid(zones: dict, names: list[str]) -> Rows:
    """One table's rows of cell text, merged cells repeated over the area they cover."""
    kinds = {str(_zone(zones, name).get("zoneType")): name for name in names}
    rows, columns = _ids(zones, kinds.get("R", "")), _ids(zones, kinds.get("C", ""))
    grid = [[_zone_text(zones, f"x{row}x{column}") for column, _ in columns] for row, _ in rows]
    areas: dict[str, tuple[list[int], list[int]]] = {}
    for axis, ids in enumerate((rows, columns)):
        for index, (_, merges) in enumerate(ids):
            for merge in merges:
                areas.setdefault(merge, ([], []))[axis].append(index)
    for row_indexes, column_indexes in areas.values():
        if row_indexes and column_indexes:
            area = [(r, c) for r in sorted(set(row_indexes)) for c in sorted(set(column_indexes))]
            text = next((grid[r][c] for r, c in area if grid[r][c]), "")  # the top-left cell, as a rule
            for r, c in area:
                grid[r][c] = text
    return grid


def _zone(zones: dict, name: str) -> dict:
    zone = zones.get(name)
    return zone if isinstance(zone, dict) else {}


def _ops(zones: dict, name: str) -> list[tuple[object, dict]]:
    """A zone's ops as (insert, attributes); malformed ops are left out."""
    ops = _zone(zones, name).get("ops")
    return [
        (op.get("insert"), op["attributes"] if isinstance(op.get("attributes"), dict) else {})
        for op in (ops if isinstance(ops, list) else [])
        if isinstance(op, dict)
    ]


def _ids(zones: dict, name: str) -> list[tuple[str, list[str]]]:
    """The row (or column) ids a table zone lists, each with the merged cells it takes part in."""
    found = []
    for insert, attributes in _ops(zones, name):
        if isinstance(insert, dict) and isinstance(insert.get("id"), str):
            merges = attributes.get("mergeCellID")
            found.append((insert["id"], [m for m in merges.split(",") if m] if isinstance(merges, str) else []))
    return found


def _zone_text(zones: dict, name: str) -> str:
    """A cell's text: its lines, tidied, struck-through runs marked as pricewar.sources.tables marks them."""
    parts = []
    for insert, attributes in _ops(zones, name):
        if not isinstance(insert, str) or (insert == "*" and ("lmkr" in attributes or "aceTable" in attributes)):
            continue
        struck = any(attributes.get(style) for style in ("strikethrough", "strike"))
        parts.append(f"{STRUCK}{insert}{STRUCK}" if struck and insert.strip() else insert)
    lines = (" ".join(line.split()) for line in "".join(parts).replace("\u200b", "").split("\n"))
    return "\n".join(line for line in lines if line)


# --- an HTML or Markdown rendition ------------------------------------------------------------

_HEADING = re.compile(
    r"<h([1-6])\b[^>]*>(.{0,1000}?)</h\1\s*>|^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$",
    re.DOTALL | re.IGNORECASE | re.MULTILINE,
)
_CODE = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|template)\b.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_HTML_TABLE = re.compile(r"<table\b.*?(?:</table\s*>|\Z)", re.DOTALL | re.IGNORECASE)


def _page_tables(text: str) -> list[_Section]:
    """The tables of an HTML or Markdown page, each with every heading above it, not just the nearest.

    A 批量推理 heading may sit above a nearer 计费单价 one, so the page is cut at its headings and
    each piece's tables are read under the headings seen so far.
    """
    text = _CODE.sub(" ", text)  # a heading or table in a script is no part of the page
    inside = [(table.start(), table.end()) for table in _HTML_TABLE.finditer(text)]
    headings = [
        found for found in _HEADING.finditer(text) if not any(start <= found.start() < end for start, end in inside)
    ]
    sections: list[_Section] = []
    path: list[str] = []
    starts = [0, *(found.start() for found in headings)]
    ends = [*starts[1:], len(text)]
    for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if number:
            found = headings[number - 1]
            level = int(found.group(1)) if found.group(1) else len(found.group(3))
            title = cell_text(found.group(2) if found.group(1) else found.group(4))
            path = _under(path, level, title)
        sections += [((*path, table.heading), table.rows) for table in tables(text[start:end])]
    return [(tuple(heading for heading in headings if heading), rows) for headings, rows in sections]


# --- price tables ------------------------------------------------------------------------------


def _read_table(headings: tuple[str, ...], rows: Rows) -> list[Price]:
    """The prices in one table; [] for a table that holds no per-token price of a model."""
    if not rows or any(_SKIPPED_SECTION.search(heading) for heading in headings):
        return []
    header = rows[0]
    if any(_SKIPPED_SECTION.search(cell) for cell in header):
        return []
    kinds = {index: kind for index, cell in enumerate(header) if (kind := _classify(cell))}
    units = {index: found for index in kinds if (found := _TOKEN_UNIT.search(header[index]))}
    if not kinds:
        return []
    if any(_MODALITY.search(header[index]) for index in kinds):
        return []  # input priced per modality (文本输入 / 图片输入): no dimension to keep them apart
    named = [header[index] for index in kinds]
    if len(set(kinds.values())) < len(kinds) or any(_BATCH.search(cell) for cell in named):
        raise PricewarError(f"{PAGE} has a table with price columns pricewar cannot tell apart ({', '.join(named)})")
    model_at = next((index for index, cell in enumerate(header) if _MODEL_HEADER.match(cell)), None)
    if model_at is None:
        raise PricewarError(
            f"{PAGE} has a price table without a model column ({' | '.join(header)}) — {LAYOUT_CHANGED}"
        )
    condition_at = next((index for index, cell in enumerate(header) if _CONDITION_HEADER.match(cell)), None)
    tier = "batch" if any(_BATCH.search(heading) for heading in headings) else "standard"

    prices: list[Price] = []
    for row in fill_down(rows[1:], [model_at]):
        if len(set(row)) == 1:
            continue  # a label spanning the whole row
        name, *notes = row[model_at].split("\n")
        if not name:
            continue
        context_tier, mode = "", ""
        if condition_at is not None:
            context_tier, mode = _read_condition(row[condition_at], header[condition_at], name)
        for index, kind in kinds.items():
            read = _read_amount(row[index], name, kind)
            if read is None:
                continue
            amount, charged, struck = read
            unit_text = units[index]
            unit = MTOK if unit_text.group(1) == "百万" else "per 1K tokens"
            prices.append(
                Price(
                    provider=PROVIDER,
                    model=_model_id(name),
                    kind=kind,
                    per_mtok=per_mtok(amount, unit),
                    currency="CNY",
                    published=f"{charged} {unit_text.group()}" if amount or charged[:1].isdigit() else charged,
                    unit=unit,
                    service_tier=tier,
                    context_tier=context_tier,
                    mode=mode,
                    display_name=name,
                    note="; ".join([*notes, *([f"discounted from {struck}"] if struck else [])]),
                )
            )
    return prices


def _classify(header: str) -> str | None:
    """The kind a column header prices, or None: only input/cache-hit/output stated in 元 per tokens."""
    if not _TOKEN_UNIT.search(header) or re.search(r"小时|存储|/\s*(张|个|秒)", header):
        return None
    if "缓存命中" in header or "命中缓存" in header:
        return "cache_hit"
    if "输出" in header:
        return "output"
    if "输入" in header:
        return "input"
    return None


def _read_amount(cell: str, model: str, kind: str) -> tuple[Decimal, str, str] | None:
    """(amount, its text, a struck-out list price or "") a price cell charges; None for "-", 不支持, blank.

    Never zero unless the page says free (免费).
    """
    struck = " ".join(part.strip() for part in STRUCK_TEXT.findall(cell))
    text = " ".join(STRUCK_TEXT.sub(" ", cell).split())
    if text.lower() in _NO_PRICE or text in DITTO:
        return None
    if text in _FREE:
        return Decimal(0), text, struck
    found = _AMOUNT.match(text)
    if found and STRUCK not in text and (not struck or _AMOUNT.match(struck)):
        return decimal(found.group(1)), text, struck
    raise PricewarError(f"{PAGE} shows {model} {kind} as '{cell}', which is not a plain amount — {LAYOUT_CHANGED}")


def _read_condition(cell: str, header: str, model: str) -> tuple[str, str]:
    """(context_tier, mode) from a 条件 cell such as "输入长度 [0, 32]\\n且输出长度 [0, 0.2]"."""
    text = cell.strip()
    if text in _NO_PRICE or not text:
        return "", ""
    thousands = _THOUSANDS.search(header) is not None
    tiers: list[str] = []
    for found in _LENGTH.finditer(text):
        which, low, low_k, high, high_k = found.groups()
        if not (thousands or low_k or high_k or re.search(r"tokens?", header, re.IGNORECASE)):
            raise PricewarError(f"{PAGE} gives {model}'s condition '{text}' without a unit — {LAYOUT_CHANGED}")
        scale = 1000 if (thousands or low_k or high_k) else 1
        low_tokens = decimal(low) * scale
        high_tokens = None if "∞" in high else decimal(high) * scale
        tiers.append(_length_label(which == "输出", low_tokens, high_tokens))
    rest = _LENGTH.sub(" ", text)
    mode = ""
    if _NON_THINKING.search(rest):
        mode, rest = "non-thinking", _NON_THINKING.sub(" ", rest)
    elif re.search("思考", rest):
        mode, rest = "thinking", _THINKING.sub(" ", rest)
    if _CONNECTIVES.sub("", rest) or not (tiers or mode):
        raise PricewarError(f"{PAGE} prices {model} under a condition pricewar cannot read: '{text}'")
    return ",".join(tiers), mode


def _length_label(output: bool, low: Decimal, high: Decimal | None) -> str:
    """ "0-32k", "32k-128k", ">256k" for input; "out<=200", "out>200" for output."""
    if output:
        if high is None:
            return f"out>{_tokens(low)}"
        return f"out<={_tokens(high)}" if low == 0 else f"out{_tokens(low)}-{_tokens(high)}"
    return f">{_tokens(low)}" if high is None else f"{_tokens(low)}-{_tokens(high)}"


def _tokens(count: Decimal) -> str:
    """A token count as a tier bound: 0, 200, 32k, 1m."""
    for size, suffix in ((1_000_000, "m"), (1_000, "k")):
        if count and count % size == 0:
            return f"{format_amount(count / size)}{suffix}"
    return format_amount(count)


def _model_id(name: str) -> str:
    """The API id the page shows, lower-case; a slug of the name when it is not one."""
    lowered = name.strip().lower()
    return lowered if _MODEL_ID.match(lowered) else re.sub(r"\s+", "-", lowered)
