"""Alibaba Cloud Model Studio (百炼) "模型调用价格" page: Qwen and hosted third-party LLMs, CNY per 1M tokens.

Read from the Chinese page, section by section, in page order, in three layouts: HTML; a Markdown conversion
with pipe tables; and a Markdown export with every table cell on a line (or paragraph) of its own, bold header
labels first (see _CellBlock: its cells are regrouped into rows, and a table is read only when that is possible
one way only).

A page is read whole or refused: every table of a text-model section is read, or the page is refused with a
sentence naming the table's section (family / model group / region tab / sub-heading) and what in it cannot be
read. What is left out is left out by one of the rules below, never because it could not be read.

- Only text-generation sections are read (## 文本生成-千问 / -千问-开源版 / -第三方模型, and ## 行业模型);
  image, speech, video, embedding, rerank and NLU sections are skipped, and so are the Omni and Audio
  models inside them, whose prices depend on the modality of each token (audio, image, video).
- Each region tab starts with a sentence "在 中国内地/全球/国际/美国部署模式 下…" (or "仅支持中国内地部署模式",
  "服务部署范围为中国内地时…", "服务部署范围仅支持中国内地。"), or is a heading naming the region ("## 中国内地"),
  which gives `region` "cn" / "global" / "international" / "us" / "eu" (欧盟) / "japan" (日本) to the tables
  after it, up to the next section heading. A 服务部署范围 column instead gives each row its own region. The
  金融云 (finance cloud) tab is known and not recorded: whether a heading, a sentence or a 服务部署范围 cell
  names it, or it is a table right after another one in a model group that lists 金融云 among its tabs (the
  conversion lost that tab's label). Refused: a region heading (a level-2 heading its tab's sentence follows)
  or sentence naming a region REGIONS does not place, a table with no region at all, and a table right after
  another one in a group whose tabs do not include 金融云.
  Prices are as written: 元 -> CNY (the Chinese page gives international prices in 元 too), $ -> USD;
  the unit comes from the column header (每百万Token / 每千Token) unless the cell states its own.
- Columns: 模型名称 (the API model id: the cell's first word, lower-cased; display_name keeps it as shown),
  模式, 单次请求的输入Token数/范围 (a tier: "0<Token≤32K" -> "0-32k", "无阶梯计价" / "不区分阶梯" -> ""),
  输入单价 -> input, 输出单价 -> output, and 免费额度: a free quota ("各100万Token", with its validity
  "有效期：…", a paragraph of its own in the one-cell-per-line export) is no price, and is not recorded. Any
  other column (a cache price among them: no rule reads one yet) refuses the page. An output column split
  into 非思考模式 / 思考模式 gives mode "non-thinking" / "thinking"; one output column for both modes gives
  mode ""; a split by anything else (text / audio) refuses the page. A model marked "Batch调用 半价" also gets
  service_tier "batch" prices at exactly half, as the page states; "上下文缓存 享有折扣" names no amount, so no
  cache price is recorded.
- Merged cells: the Markdown conversion drops the cells a row inherits from a merged cell above (a model
  and mode spanning its tier rows, a free-quota note, one price spanning several models). Each short row's
  cells are placed by what they hold (model id, mode, tier, price, note) and the dropped ones are filled
  down from the row above; a note such as 限时免费 spanning both price columns is no price. A row that can be
  placed no way, or whose price can be placed more than one way, or with some prices written and others
  inherited, is not guessed at: it refuses the page, as does a header that does not describe every column.
  The one-cell-per-line export drops blank cells too: its tables per access region join rows of tables with
  no 模式 or tier column (2026-05: 美国 has no 模式, 欧盟 no tiers), so a model's row that leaves out a 模式 or
  tier cell between two it has is blank there (a merged mode or tier never spans into a new model's row).
- Free, limited-time-free (限时免费) and free-trial-only models record no price; "-" is no price, never zero.
  A page cut short is read up to the cut: a last row that looks cut and an unclosed HTML table are not. A
  one-cell-per-line table is read only when something after it proves it ended (a heading, another table, a
  sentence no cell holds): one that runs to the end of the page may have lost rows, and since any row can
  change how its cells regroup, or make the whole table unreadable, no row of it is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from pricewar.price import MTOK, Price, PricewarError, normalize, parse_money
from pricewar.sources.body import LAYOUT_CHANGED, check_complete, read_text, unique_prices
from pricewar.sources.tables import STRUCK_TEXT, Table, cell_text, fill_down, html_table_spans, tables

URLS = ("https://help.aliyun.com/zh/model-studio/model-pricing",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("qwen", "通义", "百炼", "model studio")

PROVIDER = "alibaba"

REGIONS = {"中国内地": "cn", "全球": "global", "国际": "international", "美国": "us", "欧盟": "eu", "日本": "japan"}
# The finance cloud's tab: a cloud of its own for financial institutions, whose prices are not recorded.
_NOT_RECORDED = "金融云"
_TABS = {**REGIONS, _NOT_RECORDED: _NOT_RECORDED}  # every deployment tab this module places

_TEXT_SECTION = re.compile(r"^(文本生成|行业模型)")
_PER_MODALITY = re.compile(r"omni|audio|音频|语音", re.IGNORECASE)  # priced per token of each modality
_REGION_LINE = re.compile(
    r"^(?:(?:在|仅支持)\s*(\S{1,12}?)部署模式|服务部署范围为\s*(\S{1,12}?)时|服务部署范围仅支持\s*(\S{1,12}?)[。；，,.])"
)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")
_HIDDEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|template)\b.*?(?:</\1\s*>|\Z)|^ {0,3}(```|~~~).*?(?:^ {0,3}\2[^\n]*$|\Z)",
    re.DOTALL | re.IGNORECASE | re.MULTILINE,
)
_HTML_PAGE = re.compile(r"<(?:html|body|p|div|h[1-6])\b", re.IGNORECASE)
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.{0,1000}?)</h\1\s*>", re.DOTALL | re.IGNORECASE)
_QUOTE_TAG = re.compile(r"<(?:blockquote|aside|figure|pre|h[1-6])\b", re.IGNORECASE)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")  # Markdown's "\-" is a plain "-"

_MODEL_ID = re.compile(r"^(?=[^/]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9._:/-]*$")
_TIER = re.compile(r"^(\d+(?:\.\d+)?[KkMm]?)\s*[<＜]\s*Token\s*(?:≤|<=|＜=|<)\s*(\d+(?:\.\d+)?[KkMm]?)$")
_BLANK = "\0"  # a mode or tier cell the one-cell-per-line export left out as blank
_NO_TIERS = frozenset({"无阶梯计价", "不区分阶梯", _BLANK})
_DASH = frozenset({"", "-", "—", "–", "--", "/", "N/A"})
_AMOUNT = r"(?:US\$|\$|￥|¥)?\s*\d[\d,]*(?:\.\d+)?\s*(?:元|美元|USD|CNY|RMB)?"
_PRICE = re.compile(rf"^{_AMOUNT}(?:\s*/\s*(?:每)?\s*(?:百万|千|1M|1K)\s*Tokens?)?$", re.IGNORECASE)
_CURRENCY_AMOUNT = re.compile(r"\d\s*(?:元|美元|USD|CNY|RMB)|(?:\$|￥|¥)\s*\d", re.IGNORECASE)
_WIDEST = 40  # columns; a wider "table" is no price table, and would make placing its cells slow
_QUOTA_TERM = re.compile(r"^有效期[：:]")  # the validity of the free quota in the cell above ("有效期：…90天内")
_BATCH_HALF = re.compile(r"batch.*半价", re.IGNORECASE)

# Column roles, and the cell types (see _cell_type) each one can hold.
MODEL, REGION, MODE, TIER, PRICE, QUOTA, UNKNOWN = "model", "region", "mode", "tier", "price", "quota", "unknown"
_ACCEPTS = {
    MODEL: {"model", "empty"},
    REGION: {"region"},
    MODE: {"mode", "empty"},
    TIER: {"tier", "empty"},
    PRICE: {"price", "empty", "note", "region"},
    QUOTA: {"model", "mode", "tier", "empty", "note", "region", "unclear"},
}


class _Unreadable(Exception):
    """A table this module will not guess at, with what in it cannot be read (parse() turns it into the
    PricewarError that refuses the page, naming the table's section)."""


@dataclass(frozen=True)
class _Column:
    role: str
    kind: str = ""
    mode: str = ""
    unit: str | None = None
    currency: str | None = None
    service_tier: str = "standard"


@dataclass
class _Block:
    """A table's source, read (by rows()) only in a section whose prices are recorded."""

    source: str
    markdown: bool
    at_end: bool = False  # the page ends inside this table, without a line break: it may have been cut

    def rows(self) -> tuple[Table, list[int] | None, bool]:
        """The table, with how many cells each row had in the Markdown source (None for HTML), and False."""
        if not self.markdown:
            # tables() runs a <blockquote> note ("Batch调用 半价") into the model id before it: break the line.
            found = tables(_QUOTE_TAG.sub(r"<br>\g<0>", self.source))
            if len(found) != 1:
                raise _Unreadable("its HTML does not read as one table")
            return found[0], None, False
        lines = self.source.split("\n")
        if self.at_end and len(lines) > 2:
            last = lines[-1].rstrip()
            if not last.endswith("|") or len(_raw_cells(last)) < len(_raw_cells(lines[0])):
                lines.pop()  # a row cut short would inherit the prices of the row above
        found = tables("\n".join(lines))
        if len(found) != 1:
            raise _Unreadable("its Markdown does not read as one table")
        body = [cells for cells in map(_raw_cells, lines[2:]) if any(cell.strip() for cell in cells)]
        widths = [len(_raw_cells(lines[0])), *map(len, body)]
        # tables() pads short rows; [] when the rows it kept cannot be matched to these lines (then skipped).
        return found[0], widths if len(widths) == len(found[0].rows) else [], False


@dataclass
class _CellBlock:
    """A table exported with each cell on a line (or paragraph) of its own: the bold header labels first."""

    source: str
    closed: bool  # a line after it proves the table ended; else the page may have been cut inside it

    def rows(self) -> tuple[Table, list[int], bool]:
        """The cells regrouped into rows, how many cells each row has, and True (blank cells dropped: see _align).

        A header label is bold; a note under it ("有效期：…", "> 思维链+回答") belongs to it, and a quoted note ("> Batch调用半价")
        or a free quota's validity ("有效期：…") to the cell above it. Trailing labels naming a thinking mode are a second
        header row splitting the output price. A row starts at a model id, or at a tier when the row so far already has
        one (a merged model cell spanning its tiers); how the cells of each row fill the columns is left to _align,
        which refuses any row it cannot place one way only.
        """
        header: list[str] = []
        body: list[str] = []
        for paragraph in re.split(r"\n[ \t]*\n", self.source.strip()):
            text = _cell_text(paragraph)
            if not text:
                continue
            noted = paragraph.lstrip().startswith(">")
            if not body and paragraph.lstrip().startswith("**"):
                header.append(text)
            elif not body and header and (noted or _cell_type(text) != "model"):
                header[-1] += "\n" + text
            elif body and (noted or _QUOTA_TERM.match(text)):
                body[-1] += "\n" + text
            else:
                body.append(text)
        split = len(header)
        while split > 1 and "思考" in header[split - 1] and not re.search(r"单价|价格", header[split - 1]):
            split -= 1
        top, second = header[:split], header[split:]
        width = len(top) - 1 + len(second) if second else len(top)
        has_tier = any(_column(label).role == TIER for label in top)
        rows: list[list[str]] = []
        row_has_tier = False
        for cell in body:
            kind = _cell_type(cell)
            if not rows or kind == "model" or (has_tier and kind == "tier" and row_has_tier):
                rows.append([])
                row_has_tier = False
            rows[-1].append(cell)
            row_has_tier = row_has_tier or kind == "tier"
        if not top or not rows or _cell_type(rows[0][0]) != "model":
            raise _Unreadable("its cells, laid out one per line, do not start with a header and a model id")
        head = [top, second] if second else [top]
        table = Table([row + [""] * (width - len(row)) for row in [*head, *rows]])
        return table, [len(row) for row in [*head, *rows]], True


def parse(body: bytes) -> list[Price]:
    """Every text-model price on Model Studio's pricing page; PricewarError when there is none, or when a
    text-model table cannot be read (the sentence names its section and what in it cannot be read)."""
    text, page = read_text(body), "Alibaba Model Studio's pricing page"
    check_complete(text, page)
    found = list(_price_tables(text, page))
    prices: list[Price] = []
    for rows, region, where in found:
        if rows is not None:
            try:
                prices += _read_table(*rows, region)
            except _Unreadable as reason:
                raise _refusal(page, where, reason) from None
    if not prices and any(rows is None for rows, _, _ in found):
        raise PricewarError(
            f"{page} ends inside a table laid out one cell per line — was the download cut short? Try again."
        )
    return unique_prices(prices, page)


def _refusal(page: str, where: str, reason: object) -> PricewarError:
    return PricewarError(f"{page} has a section pricewar cannot read ({where}): {reason} — {LAYOUT_CHANGED}")


# A table's rows (None for a one-cell-per-line table the page may have been cut inside), the region its tab
# names (None when none: then each row's 服务部署范围 cell must), and where it stands ("文本生成-千问 / 千问Max / 中国内地").
_Found = tuple[tuple[Table, list[int] | None, bool] | None, str | None, str]


def _price_tables(text: str, page: str) -> Iterator[_Found]:
    """The tables of text-model sections, in page order; PricewarError naming the section where one cannot be
    read, or where a region heading or sentence names a region that REGIONS does not place."""
    family = subsection = tab = group = ""
    region: str | None = None
    tabs: set[str] = set()  # the tab labels a subsection lists before its tabs ("中国内地", "全球", "金融云")
    after_table = False
    items = list(_document(text))
    for index, item in enumerate(items):
        reading = bool(_TEXT_SECTION.match(family)) and not _PER_MODALITY.search(subsection)
        section = " / ".join(part for part in (family, subsection) if part)
        where = " / ".join(part for part in (section, tab, group) if part)
        if isinstance(item, (_Block, _CellBlock)):
            if reading and isinstance(item, _CellBlock) and not item.closed:
                if region != _NOT_RECORDED:
                    yield None, region, where
            elif reading:
                try:
                    rows = item.rows()
                except _Unreadable as reason:
                    raise _refusal(page, where, reason) from None
                if len(rows[0].rows) < 2:
                    continue  # a header alone (the page repeats some headers as empty tables)
                if after_table and _NOT_RECORDED not in tabs:
                    raise _refusal(page, where, "a table follows the one before it with no heading or sentence "
                                   "naming its deployment region (a tab whose label the conversion lost?)")
                # Right after another table where the group lists 金融云 among its tabs: that tab, its label lost.
                if not after_table and region != _NOT_RECORDED:
                    yield rows, region, where
            after_table = True
            continue
        line = _clean(item)
        if not line:
            continue
        after_table = False
        if heading := _HEADING.match(line):
            level, title = len(heading.group(1)), (heading.group(2) or "").strip()
            if title in _TABS:  # a region tab exported as a heading ("## 中国内地")
                region, tab, group = _TABS[title], title, ""
            elif level == 2 and _REGION_LINE.match(_next_line(items, index)):  # a tab: its sentence follows
                if reading:
                    raise _refusal(page, section, f"its region heading “{title}” names a deployment region "
                                   f"pricewar does not place (it knows {', '.join(REGIONS)})")
                region, tab, group = None, title, ""
            elif level <= 3:
                region, tab, group, tabs = None, "", "", set()
                family, subsection = (title, "") if level <= 2 else (family, title)
            else:
                group = title  # "##### 更多模型", "#### 华北2（北京）"
        elif sentence := _REGION_LINE.match(line):
            name = next(name for name in sentence.groups() if name)
            if name not in _TABS and reading:
                opening = re.split("[，。,]", line)[0]
                raise _refusal(page, section, f"the sentence “{opening}…” names a deployment region pricewar does "
                               f"not place (it knows {', '.join(REGIONS)})")
            region, tab, group = _TABS.get(name), name, ""
        elif line in _TABS:
            tabs.add(line)


def _clean(item: str) -> str:
    """A line of text as a heading or a sentence is matched: links, bold and quote marks dropped."""
    return _LINK.sub(r"\1", item).replace("**", "").strip().lstrip(">").strip()


def _next_line(items: list[str | _Block | _CellBlock], index: int) -> str:
    """The first line of text after items[index], before any table; "" when a table or the end comes first."""
    lines = (_clean(item) if isinstance(item, str) else None for item in items[index + 1 :])  # None: a table
    return next((line for line in lines if line != ""), None) or ""


def _document(text: str) -> Iterator[str | _Block]:
    """The page in order: each line of text outside tables, and each table."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _HIDDEN.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)
    is_html = bool(_HTML_PAGE.search(text)) and not any(
        "|" in line and _SEPARATOR.match(line) for line in text.split("\n")
    )
    start = 0
    for table_start, table_end in html_table_spans(text, closed_only=True):
        yield from _outside(text[start:table_start], is_html)
        yield _Block(text[table_start:table_end], markdown=False)
        start = table_end
    yield from _outside(text[start:], is_html)


def _outside(text: str, is_html: bool) -> Iterator[str | _Block | _CellBlock]:
    """Lines, Markdown pipe tables and one-cell-per-line tables of text outside HTML tables."""
    if is_html:
        marked = _HTML_HEADING.sub(lambda m: f"<br>{'#' * int(m.group(1))} {m.group(2)}<br>", text)
        yield from cell_text(marked).split("\n")
        return
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and _PIPE.search(lines[i]) and "|" in lines[i + 1] and _SEPARATOR.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and lines[end].strip() and _PIPE.search(lines[end]) and not _HEADING.match(lines[end]):
                end += 1
            yield _Block("\n".join(lines[i:end]), markdown=True, at_end=end == len(lines))
            i = end
            continue
        if _is_model_label(lines[i]) and (i == 0 or not lines[i - 1].strip()):
            end = i + 1
            while end < len(lines) and not _ends_cells(lines[end], starts_paragraph=not lines[end - 1].strip()):
                end += 1
            # A closing line cut short may not be what the whole page has there: only a whole line proves it.
            yield _CellBlock("\n".join(lines[i:end]), closed=end < len(lines) - 1)
            i = end
            continue
        yield lines[i]
        i += 1


def _is_model_label(line: str) -> bool:
    """A bold paragraph naming the model column: the first header cell of a one-cell-per-line table."""
    line = line.strip()
    return (
        line.startswith(("**模型", "**model", "**Model"))
        and len(line) < 100
        and _column(_cell_text(line)).role == MODEL
    )


def _ends_cells(line: str, starts_paragraph: bool) -> bool:
    """A line no one-cell-per-line table runs into: a heading, another table or its header, or a paragraph
    that is a sentence (a region tab's "服务部署范围为…时，…。"), which no cell is."""
    if _HEADING.match(line) or line.lstrip().startswith(("|", "<table")) or _is_model_label(line):
        return True
    if not starts_paragraph or line.lstrip().startswith(">"):
        return False  # a quoted note belongs to the cell above it
    text = _cell_text(line)
    return bool(_REGION_LINE.match(text)) or text.endswith("。")


def _cell_text(paragraph: str) -> str:
    """A cell's text as a pipe table holds it: quote marks, bold and link targets dropped, escapes undone."""
    lines = (line.strip().lstrip(">").strip() for line in paragraph.split("\n"))
    text = "\n".join(line for line in lines if line)
    return _ESCAPED.sub(r"\1", _LINK.sub(r"\1", text).replace("**", ""))


def _raw_cells(line: str) -> list[str]:
    line = line.strip().removeprefix("|")
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return _PIPE.split(line)


def _read_table(table: Table, widths: list[int] | None, blanks: bool, region: str | None) -> list[Price]:
    """The prices in one table; _Unreadable saying what when a column, a row or a price cannot be read."""
    rows = table.rows
    if widths is not None and len(widths) != len(rows):
        raise _Unreadable("its rows could not be matched to the lines of the page")
    while rows and not any(rows[0]):  # the conversion's empty header row above the real one
        rows, widths = rows[1:], widths[1:] if widths else widths
    if len(rows) < 2:
        return []  # a header alone
    columns, skip = _columns(rows, widths, len(table.rows[0]))
    if not columns or columns[0].role != MODEL:
        raise _Unreadable("its first column is not the model's")
    if all(column.role != PRICE for column in columns):
        return []  # every column is known, and none is a price
    if not region and all(column.role != REGION for column in columns):
        raise _Unreadable("no region heading or sentence above it, nor a 服务部署范围 column, says where its prices apply")
    body = rows[skip:]
    body_widths = widths[skip:] if widths else [len(row) for row in body]  # HTML rows are whole
    roles = [column.role for column in columns]
    aligned = [_align(row[:width], roles, blanks) for row, width in zip(body, body_widths)]
    filled = fill_down(aligned, range(len(columns)))
    prices: list[Price] = []
    for row in filled:
        prices += _read_row(row, columns, region)
    return prices


def _columns(rows: list[list[str]], widths: list[int] | None, width: int) -> tuple[list[_Column], int]:
    """The columns of a table and how many header rows describe them (a second row may split a column)."""
    header = _trim(rows[0][: widths[0]] if widths else rows[0])
    second = _trim(rows[1][: widths[1]] if widths else rows[1])
    is_split = bool(second) and not any(_cell_type(cell) in ("model", "tier", "price") for cell in second)
    if not is_split:
        labels = [(top, "") for top in header]
    elif len(header) == len(second) == width:  # an HTML table: spans already repeated in both rows
        labels = [(top, "" if sub == top else sub) for top, sub in zip(header, second)]
    else:  # Markdown: the second row's cells split the one output column of the first
        split = [index for index, top in enumerate(header) if _column(top).kind == "output"]
        if len(header) - 1 + len(second) != width or len(split) != 1:
            raise _Unreadable(f"its second header row ({' / '.join(second)}) does not split one output price column")
        at = split[0]
        labels = [*((top, "") for top in header[:at]), *((header[at], sub) for sub in second)]
        labels += [(top, "") for top in header[at + 1 :]]
    if len(labels) != width:
        raise _Unreadable(f"its header names {len(labels)} columns and its rows have {width}")
    columns = []
    for top, sub in labels:
        label = " ".join((f"{top} / {sub}" if sub else top).split())
        column = _column(label)
        if column.role == UNKNOWN:
            raise _Unreadable(f"its column “{label}” is not one pricewar knows")
        if sub and (column.role != PRICE or not column.mode):
            raise _Unreadable(f"its price column “{label}” is split by something other than thinking mode")
        columns.append(column)
    return columns, 2 if is_split else 1


def _column(label: str) -> _Column:
    """What a header label names: a price (kind, mode, unit, currency), a model, a tier... or UNKNOWN."""
    flat = " ".join(label.split())
    if re.search(r"模型名称|^模型$|^模型\s*ID|^model", flat, re.IGNORECASE):
        return _Column(MODEL)
    if flat == "服务部署范围":
        return _Column(REGION)
    if flat == "模式":
        return _Column(MODE)
    if re.search(r"输入Token(数|范围)|单次请求", flat):
        return _Column(TIER)
    if "免费额度" in flat:
        return _Column(QUOTA)
    if re.search(r"缓存|cache", flat, re.IGNORECASE) or not re.search(r"单价|价格|price", flat, re.IGNORECASE):
        return _Column(UNKNOWN)
    kind = "input" if "输入" in flat else "output" if "输出" in flat else ""
    if not kind:
        return _Column(UNKNOWN)
    unit = MTOK if re.search(r"百万|1M|MTok", flat, re.IGNORECASE) else "per 1K tokens" if "千" in flat else None
    currency = "CNY" if re.search(r"元|CNY|RMB", flat) else "USD" if re.search(r"\$|USD|美元", flat) else None
    tier = "batch" if re.search(r"batch|批量|批处理", flat, re.IGNORECASE) else "standard"
    return _Column(PRICE, kind, _mode(flat), unit, currency, tier)


def _mode(label: str) -> str:
    """The thinking mode a price column is for: "非思考模式" -> non-thinking, "思考模式" -> thinking."""
    if re.search(r"非思考和思考|思考和非思考", label):
        return ""  # one price for both modes
    if "非思考" in label:
        return "non-thinking"
    return "thinking" if "思考" in label else ""


def _model_id(cell: str) -> str:
    """The model id a model cell starts with; notes ("Batch调用 半价") follow it on the same or later lines."""
    return cell.split(None, 1)[0] if cell.strip() else ""


def _cell_type(cell: str) -> str:
    """model, region, mode, tier, price, empty ("-"), note (text with no amount) or unclear (an amount in prose)."""
    first = cell.split("\n", 1)[0].strip()
    charged = STRUCK_TEXT.sub(" ", cell).strip()
    if charged in _DASH and not STRUCK_TEXT.search(cell):
        return "empty"
    if first in _TABS:
        return "region"
    if _MODEL_ID.match(_model_id(cell)) and not _CURRENCY_AMOUNT.search(cell):
        return "model"
    if _TIER.match(first) or first in _NO_TIERS:
        return "tier"
    if "思考" in first and len(first) <= 12:
        return "mode"
    if _PRICE.match(charged) or (not charged and STRUCK_TEXT.search(cell)):
        return "price"
    return "unclear" if _CURRENCY_AMOUNT.search(cell) else "note"


def _align(cells: list[str], roles: list[str], blanks: bool = False) -> list[str]:
    """A row's cells in the columns they belong to; "" where the row inherits a merged cell from above.

    The conversion drops inherited cells, so a short row is placed by what its cells hold: inherited cells lead (model,
    mode, tier) or trail (a quota note, or every price column at once), and a note in a price column may span the price
    columns after it; with `blanks` (blank cells dropped), a model's row may leave out a mode or tier cell between two
    it has (_BLANK, never filled from above). Exactly one placement must fit, or the table is unreadable.
    """
    if not cells or len(roles) > _WIDEST:
        raise _Unreadable(f"it has {len(roles)} columns, more than any price table")
    types = [_cell_type(cell) for cell in cells]
    found: set[tuple[tuple[int, int], ...]] = set()
    for start in range(len(roles) - len(cells) + 1):
        if PRICE in roles[:start]:
            break  # an inherited price leading a row: which prices span down cannot be told
        found.update(_placements(types, roles, start, (), blanks))
    if not found or (len(found) > 1 and "price" in types):
        shown = " | ".join(cell.split("\n", 1)[0] for cell in cells)
        ways = "in no way" if not found else "in more than one way"
        raise _Unreadable(f"the cells of its row “{shown}” fit its columns {ways}")
    rows = [_placed(cells, roles, spans) for spans in found]
    # A row without a price that fits more than one way ("free trial" | "free quota") is a row without a
    # price either way; where the ways disagree it holds "?", which no row below can inherit as a price.
    return [cells[0] if len(set(cells)) == 1 else "?" for cells in zip(*rows)]


def _placed(cells: list[str], roles: list[str], spans: tuple[tuple[int, int], ...]) -> list[str]:
    row = [""] * spans[0][0] + [_BLANK] * (spans[-1][1] + 1 - spans[0][0]) + [""] * (len(roles) - 1 - spans[-1][1])
    for cell, (first, last) in zip(cells, spans):
        for column in range(first, last + 1):
            # A blank price written on the page is no price; only inherited cells are filled from above.
            row[column] = cell or ("-" if roles[column] in (PRICE, QUOTA) else "")
    return row


def _placements(
    types: list[str], roles: list[str], at: int, spans: tuple[tuple[int, int], ...], blanks: bool
) -> Iterator[tuple[tuple[int, int], ...]]:
    """Every way the cells after `spans` fit from column `at` on: (first, last) column of each cell."""
    if len(spans) == len(types):
        priced = any(roles[column] == PRICE for first, last in spans for column in range(first, last + 1))
        inherited = roles[at:]
        if priced and PRICE in inherited:
            return  # some prices written, others inherited: which ones span down cannot be told
        if spans[0][0] == 0 and (TIER in inherited or MODE in inherited):
            return  # a new model inheriting the previous one's tier or mode is not a merged cell
        yield spans
        return
    kind = types[len(spans)]
    room = len(roles) - at - (len(types) - len(spans) - 1)  # columns this cell may take, leaving one each
    if blanks and room > 1 and spans and spans[0][0] == 0 and roles[at] in (MODE, TIER):
        yield from _placements(types, roles, at + 1, spans, blanks)  # a blank mode or tier, left out
    for last in range(at, at + max(room, 0)):
        if kind not in _ACCEPTS[roles[last]] or (last > at and roles[last] != PRICE):
            break
        if last > at and (kind not in ("note", "empty") or roles[at] != PRICE):
            break  # only a note or a dash spans columns, and only price columns
        yield from _placements(types, roles, last + 1, (*spans, (at, last)), blanks)


def _read_row(row: list[str], columns: list[_Column], region: str | None) -> list[Price]:
    """The prices one (aligned, filled-down) row gives."""
    if not any(column.role == PRICE and _cell_type(cell) == "price" for column, cell in zip(columns, row)):
        return []
    if _cell_type(row[0]) != "model":
        raise _Unreadable(f"a row with prices has no model id (“{row[0].split(chr(10), 1)[0]}”)")
    display = _model_id(row[0])
    batch = bool(_BATCH_HALF.search(row[0][len(display) :]))
    tier = ""
    for column, cell in zip(columns, row):
        if column.role == REGION:
            region = _TABS.get(cell.split("\n", 1)[0].strip())
        if column.role == TIER:
            first = cell.split("\n", 1)[0].strip()
            if (match := _TIER.match(first)) is None and first not in _NO_TIERS:
                raise _Unreadable(f"its tier “{first}” is not a range of input tokens")
            tier = f"{match.group(1)}-{match.group(2)}".lower() if match else ""  # "0<Token≤32K" -> "0-32k"
    if region == _NOT_RECORDED:
        return []
    if not region:
        raise _Unreadable("no region heading or sentence above it, nor a 服务部署范围 cell, says where its prices apply")
    prices: list[Price] = []
    for column, cell in zip(columns, row):
        if column.role != PRICE or _cell_type(cell) != "price":
            continue
        struck = [text.strip() for text in STRUCK_TEXT.findall(cell) if text.strip()]
        charged = " ".join(STRUCK_TEXT.sub(" ", cell).split())
        if not charged:
            continue  # a struck-out price alone is no longer charged
        money = parse_money(charged, currency=column.currency, unit=column.unit)
        if money.currency is None or money.unit is None:
            missing = "currency" if money.currency is None else "unit"
            raise _Unreadable(f"the price “{charged}” of {display} states no {missing}, nor does its column")
        price = Price(
            provider=PROVIDER,
            model=display.lower(),
            kind=column.kind,
            per_mtok=money.per_mtok,
            currency=money.currency,
            published=charged,
            unit=money.unit,
            service_tier=column.service_tier,
            context_tier=tier,
            region=region,
            mode=column.mode,
            display_name=display,
            note=f"discounted from {' '.join(struck)}" if struck else "",
        )
        prices.append(price)
        if batch and column.service_tier == "standard":
            prices.append(_half(price))
    return prices


def _half(price: Price) -> Price:
    """The Batch price of a model the page marks "Batch调用 半价": half the real-time price, exactly."""
    return replace(
        price,
        per_mtok=normalize(price.per_mtok / Decimal(2)),
        service_tier="batch",
        published=f"{price.published} × 50% (Batch调用 半价)",
        note="Batch调用 半价: half the real-time price",
    )


def _trim(row: list[str]) -> list[str]:
    """A row without the empty cells tables() pads it with."""
    return row[: max((index + 1 for index, cell in enumerate(row) if cell), default=0)]
