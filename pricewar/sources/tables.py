"""Every table on a published page as rows of plain text: HTML <table>s, Markdown pipe tables and
plain-text tables.

Providers publish prices as HTML pages or as Markdown renditions of them, and a Markdown page may
embed an HTML table, so `tables()` reads all kinds from one text, in document order, each with
the heading it sits under and the paragraph that introduces it. A page saved as plain text (a
browser's "copy") has no pipes: its cells are separated by tabs, and a cell holding a line break
runs over several lines; a text table may also align its columns with runs of spaces. Those are
read conservatively (see _plain_events), never inside a pipe table, HTML or code. Struck-through text (<del>, <s>,
~~x~~) is kept but wrapped in STRUCK: pages strike out a price that no longer applies, and an
adapter must tell it from the one charged.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import accumulate

STRUCK = "~~"
STRUCK_TEXT = re.compile(re.escape(STRUCK) + "(.*?)" + re.escape(STRUCK), re.DOTALL)  # group 1: the struck text

# A cell holding only one of these repeats the cell above it, where the caller asks (fill_down).
DITTO = frozenset({"", "^", "〃", '"', "″", "同上"})

Rows = list[list[str]]
_Event = tuple[int, int, str | None, Rows | None]  # (start, end, heading, table): one of the last two is None


@dataclass
class Table:
    """One table: header row first, every row at least as wide as the header."""

    rows: Rows = field(default_factory=list)
    heading: str = ""  # the nearest heading before the table; "" when there is none
    # The last paragraph of text between the previous heading or table and this one, which pages use as
    # a caption ("Batch", "Standard"); "" when there is none. Context, so not part of a table's equality.
    before: str = field(default="", compare=False)


def tables(text: str) -> list[Table]:
    """Every HTML and Markdown pipe table in `text`, in document order; [] when there is none."""
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = _HIDDEN.sub(lambda match: _blank(match.group()), text)
    spans = html_table_spans(text)
    events: list[_Event] = []
    outside = text
    for start, end in spans:
        reader = _HtmlTable()
        reader.feed(text[start:end])
        reader.close()
        if rows := _rectangle(_expand(reader.rows)):
            events.append((start, end, None, rows))
        outside = outside[:start] + _blank(text[start:end]) + outside[end:]
    events += [(at.start(), at.end(), cell_text(at.group(2)), None) for at in _HTML_HEADING.finditer(outside)]
    markdown = _markdown_events(outside)
    events += markdown
    plain = outside
    for start, end, _, rows in markdown:
        plain = plain if rows is None else plain[:start] + _blank(plain[start:end]) + plain[end:]
    events += _plain_events(plain)

    result: list[Table] = []
    heading, previous_end = "", 0
    for start, end, title, rows in sorted(events, key=lambda event: event[0]):
        heading = heading if title is None else title
        result += [Table(rows, heading, _last_paragraph(outside[previous_end:start]))] if rows else []
        previous_end = max(previous_end, end)
    return result


def cell_text(html_text: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, <br> as a line break."""
    reader = _HtmlText()
    reader.feed(_HIDDEN.sub(lambda match: _blank(match.group()), html_text))
    reader.close()
    return _tidy("".join(reader.parts))


def fill_down(rows: Rows, columns: Iterable[int]) -> Rows:
    """Copies of `rows` where, in `columns`, an empty or ditto cell ("^", "〃") repeats the one above.

    Pages flatten merged cells differently, so only the caller knows which columns were merged.
    Pass body rows (`table.rows[1:]`), or the header would be copied into the first row.
    """
    filled = [list(row) for row in rows]
    for column in columns:
        above: str | None = None
        for row in filled:
            if -len(row) <= column < len(row):
                if row[column].strip() in DITTO and above is not None:
                    row[column] = above
                above = row[column]
    return filled


_HIDDEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|template)\b.*?(?:</\1\s*>|\Z)"  # code, never content
    r"|\A---\n.*?\n---[ \t]*(?=\n|\Z)"  # front matter, whose closing --- would read as a heading
    r"|^ {0,3}(```|~~~).*?(?:^ {0,3}\2[^\n]*$|\Z)",  # fenced code: a table there is an example
    re.DOTALL | re.IGNORECASE | re.MULTILINE,
)
_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.{0,1000}?)</h\1\s*>", re.DOTALL | re.IGNORECASE)
_WIDEST = 1000  # columns: HTML's own cap on colspan, and a bound on what a broken page makes us build
_STRUCK_TAGS = frozenset({"del", "s", "strike"})
_BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "dd", "dt", "section", "article"})


class _HtmlText(HTMLParser):
    """Collects text: <br> and block ends as line breaks, struck text marked (feed it no scripts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.write(STRUCK if tag in _STRUCK_TAGS else "\n" if tag == "br" or tag in _BLOCK_TAGS else "")

    def handle_endtag(self, tag: str) -> None:
        self.write(STRUCK if tag in _STRUCK_TAGS else "\n" if tag in _BLOCK_TAGS else "")

    def handle_data(self, data: str) -> None:
        self.write(re.sub(r"\s+", " ", data))  # HTML collapses whitespace; only <br> breaks a line


@dataclass
class _Cell:
    rowspan: int
    colspan: int
    parts: list[str] = field(default_factory=list)


class _HtmlTable(_HtmlText):
    """Reads one outermost <table>; a table nested in a cell reads as part of that cell's text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[_Cell]] = []
        self._cell: _Cell | None = None
        self._depth = 0  # of <table>s: only the outermost one's rows and cells are this table's

    def write(self, text: str) -> None:
        if self._cell is not None:
            self._cell.parts.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._depth += tag == "table"
        if tag not in ("tr", "td", "th"):
            super().handle_starttag(tag, attrs)
        elif self._depth > 1:  # keep the cells of a nested table apart in the outer cell's text
            self.write("\n" if tag == "tr" else " ")
        elif tag == "tr":
            self._cell = None  # HTML lets a page leave out </td> and </tr>
            self.rows.append([])
        else:
            named = dict(attrs)
            self._cell = _Cell(_span(named.get("rowspan"), 65534), _span(named.get("colspan"), _WIDEST))
            if not self.rows:  # a cell before any <tr>
                self.rows.append([])
            self.rows[-1].append(self._cell)

    def handle_endtag(self, tag: str) -> None:
        if self._depth == 1 and tag in ("td", "th", "tr"):
            self._cell = None
        elif self._depth > 1 and tag == "table":
            self.write("\n")
        self._depth -= tag == "table"
        super().handle_endtag(tag)


def _span(value: str | None, limit: int) -> int:
    """A rowspan/colspan attribute as a count; 0 ("to the end") and nonsense are clamped."""
    count = int(value) if value and value.strip().isdigit() else 1
    return limit if count == 0 else min(count, limit)


def _expand(rows: list[list[_Cell]]) -> Rows:
    """The grid the page shows: a spanned cell's text repeated in every row and column it covers."""
    grid: Rows = []
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows left, text) of cells spanning down

    def take(column: int) -> str:
        left, text = pending.pop(column)
        if left > 1:
            pending[column] = (left - 1, text)
        return text

    for row in rows:
        out: list[str] = []
        for cell in row:
            while len(out) in pending:
                out.append(take(len(out)))
            text = _tidy("".join(cell.parts))
            for _ in range(cell.colspan):
                if cell.rowspan > 1 and len(out) < _WIDEST:
                    pending[len(out)] = (cell.rowspan - 1, text)
                out.append(text)
        while any(column >= len(out) for column in pending):
            out.append(take(len(out)) if len(out) in pending else "")
        grid.append(out)
    return grid


def html_table_spans(text: str, *, closed_only: bool = False) -> list[tuple[int, int]]:
    """Where each outermost <table> starts and ends; an unclosed one runs to the end, or with
    `closed_only` is left out (a page cut short inside it)."""
    spans: list[tuple[int, int]] = []
    depth = start = 0
    for tag in _TABLE_TAG.finditer(text):
        if not tag.group(1):
            start = tag.start() if depth == 0 else start
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, tag.end()))
    if depth and not closed_only:
        spans.append((start, len(text)))
    return spans


_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_ENDS_TABLE = re.compile(r"^\s*$|^ {0,3}(#{1,6}(\s|$)|```|~~~|>|([-*_])( *\3){2,} *$)")
_PIPE = re.compile(r"(?<!\\)\|")  # an escaped pipe \| is text, not a column break
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_STRUCK_TAG = re.compile(r"</?(?:del|s|strike)\b[^>]*>", re.IGNORECASE)
_LINK = re.compile(r"!?\[([^\]]*)\]\((?:<[^<>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]*)>", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|</?(?:p|div|li|ul|ol|dd|dt|section|article)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def _markdown_events(text: str) -> list[_Event]:
    """Headings (ATX and setext) and pipe tables of Markdown text, with their offsets."""
    events: list[_Event] = []
    lines = text.split("\n")
    offsets = list(accumulate((len(line) + 1 for line in lines), initial=0))
    after_table = 0  # the first line after the last table: a table row is never a setext heading
    i = 0
    while i < len(lines):
        line = lines[i]
        if heading := _ATX.match(line):
            events.append((offsets[i], offsets[i] + len(line), _markdown_cell(heading.group(1) or ""), None))
        elif i > after_table and "|" in line and _SEPARATOR.match(line) and _PIPE.search(lines[i - 1]):
            end = i + 1
            while end < len(lines) and not _ENDS_TABLE.match(lines[end]):
                end += 1
            last = end  # a line without a pipe is a row (as in GFM) only between rows, else it is prose
            while not _PIPE.search(lines[last - 1]):
                last -= 1
            if table := _rectangle([_markdown_row(row) for row in [lines[i - 1], *lines[i + 1 : last]]]):
                events.append((offsets[i - 1], offsets[last], None, table))
            i = after_table = end
            continue
        elif i > after_table and _SETEXT.match(line) and lines[i - 1].strip() and not _ATX.match(lines[i - 1]):
            events.append((offsets[i - 1], offsets[i] + len(line), _markdown_cell(lines[i - 1]), None))
        i += 1
    return events


_SPACES = re.compile(r" {2,}")
_NOT_PLAIN = re.compile(r"\||<[A-Za-z/!]")  # a pipe or an HTML tag: a line of some other kind of table


def _plain_events(text: str) -> list[_Event]:
    """Plain-text tables, with their offsets: a paragraph's lines split by tabs (a browser's copy of a
    table), or a run of at least two lines aligned in the same number of columns by runs of spaces."""
    lines = text.split("\n")
    offsets = list(accumulate((len(line) + 1 for line in lines), initial=0))
    events: list[_Event] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        end = i
        while end < len(lines) and lines[end].strip():
            end += 1
        events += _tab_tables(lines, offsets, i, end) or _spaced_tables(lines, offsets, i, end)
        i = end
    return events


def _tab_tables(lines: list[str], offsets: list[int], start: int, end: int) -> list[_Event]:
    """The tab-separated table in the paragraph lines[start:end], from its first line with a tab to its last."""
    tabbed = [i for i in range(start, end) if "\t" in lines[i].strip() and not _NOT_PLAIN.search(lines[i])]
    if not tabbed or any(_NOT_PLAIN.search(lines[i]) for i in range(tabbed[0], tabbed[-1])):
        return []
    rows = _tab_rows([lines[i].strip() for i in range(tabbed[0], tabbed[-1] + 1)])
    if len(rows) < 2:
        return []
    return [(offsets[tabbed[0]], offsets[tabbed[-1]] + len(lines[tabbed[-1]]), None, _rectangle(rows))]


def _tab_rows(lines: list[str]) -> Rows:
    """Rows from a browser's copy of a table: cells joined by tabs, rows and a cell's own line breaks by
    newlines. A row takes lines until it holds as many tabs as the widest line; a line without a tab
    continues a cell: the last one of a row that is full or goes on, else the first one of the next row
    (a merged cell a row-group label opens, as in "STANDARD PRICE\n(UTC 00:30-16:30)\t1M TOKENS...")."""
    counts = [line.count("\t") for line in lines]
    widest = max(counts)
    rows: Rows = []
    tabs = 0  # in the row being built, rows[-1]
    carried: list[str] = []  # lines opening the next row's first cell
    for at, (line, count) in enumerate(zip(lines, counts)):
        if count == 0:
            following = next((c for c in counts[at + 1 :] if c), 0)
            if tabs < widest and tabs + following > widest:
                carried.append(line)
            else:
                rows[-1][-1] += "\n" + line
            continue
        cells = line.split("\t")
        if not rows or tabs == widest or tabs + count > widest or carried:
            rows.append(["\n".join([*carried, cells[0]]), *cells[1:]])
            tabs, carried = count, []
        else:
            rows[-1][-1] += "\n" + cells[0]
            rows[-1] += cells[1:]
            tabs += count
    return [[_tidy(cell) for cell in row] for row in rows]


def _spaced_tables(lines: list[str], offsets: list[int], start: int, end: int) -> list[_Event]:
    """Runs of at least two lines of lines[start:end] that split into the same number (at least two) of
    columns by runs of two or more spaces, each column starting (or ending) at the same place on every line."""
    events: list[_Event] = []
    i = start
    while i < end:
        run = i
        while run < end and (cells := _spaced_cells(lines[run])) and len(cells) == len(_spaced_cells(lines[i])):
            run += 1
        found = [_spaced_cells(lines[at]) for at in range(i, run)]
        if run - i >= 2 and _aligned(found):
            events.append((offsets[i], offsets[run - 1] + len(lines[run - 1]), None,
                           [[_tidy(text) for _, text, _ in row] for row in found]))
        i = max(run, i + 1)
    return events


def _spaced_cells(line: str) -> list[tuple[int, str, int]]:
    """(start column, text, end column) of each cell of a line whose cells are set apart by 2+ spaces;
    [] for a line of fewer than two cells, an indented one (code) or one holding a tab, pipe or tag."""
    if "\t" in line or _NOT_PLAIN.search(line) or line.startswith("    ") or not _SPACES.search(line.strip()):
        return []
    cells, column = [], 0
    for part in re.split(r"( {2,})", line.rstrip()):
        width = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in part)
        if part and not part.startswith("  "):
            cells.append((column, part, column + width))
        column += width
    return cells if len(cells) >= 2 else []


def _aligned(rows: list[list[tuple[int, str, int]]]) -> bool:
    """Whether every column after the first starts, or ends, at the same place on every row."""
    return all(len({row[column][0] for row in rows}) == 1 or len({row[column][2] for row in rows}) == 1
               for column in range(1, len(rows[0])))


def _markdown_row(line: str) -> list[str]:
    """The cells of one pipe-table line; leading and trailing pipes are optional."""
    line = line.strip().removeprefix("|")
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return [_markdown_cell(cell) for cell in _PIPE.split(line)]


def _markdown_cell(raw: str) -> str:
    """Plain text of a Markdown cell: formatting and inline HTML dropped, escapes honoured."""
    escaped: list[str] = []

    def protect(match: re.Match[str]) -> str:  # an escaped character is literal, never markup
        escaped.append(match.group(1))
        return f"\x00{len(escaped) - 1}\x00"

    text = _BR.sub("\n", _ESCAPE.sub(protect, raw))
    text = _TAG.sub("", _LINK.sub(r"\1", _AUTOLINK.sub(r"\1", _STRUCK_TAG.sub(STRUCK, text))))
    text = html.unescape(text.replace("**", "").replace("`", ""))
    return _tidy(_PLACEHOLDER.sub(lambda match: escaped[int(match.group(1))], text))


def _last_paragraph(text: str) -> str:
    """Plain text of the last paragraph (blank-line or HTML-block separated) in `text` that has any."""
    for chunk in reversed(_PARAGRAPH_BREAK.split(text)):
        if plain := _markdown_cell(chunk):
            return plain
    return ""


def _rectangle(rows: Rows) -> Rows | None:
    """Rows padded to the header's width, blank body rows dropped; None when nothing is left.

    Wider rows keep their extra cells (GFM drops them): where a rendition flattened a merged
    cell, real prices shift into them.
    """
    if not rows:
        return None
    header, body = rows[0], [row for row in rows[1:] if any(row)]
    padded = [row + [""] * (len(header) - len(row)) for row in [header, *body]]
    return padded if any(any(row) for row in padded) else None


def _tidy(text: str) -> str:
    text = re.sub(r"[\u200b-\u200d\ufeff]", "", text)  # zero-width anchors that docs sites add
    text = re.sub(r"~~\s*(.*?)\s*~~", STRUCK + r"\1" + STRUCK, text, flags=re.DOTALL)
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _blank(text: str) -> str:
    """Spaces in place of `text`, keeping its line breaks so offsets and lines stay put."""
    return re.sub(r"[^\n]", " ", text)
