"""Output: Rich tables for people; JSON, CSV and Markdown for programs. No I/O besides the console given."""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from pricewar.output.screen import Screen, cell_len, one_column_each
from pricewar.price import format_amount

FORMATS = ("table", "json", "csv", "markdown")


@dataclass
class Grid:
    """Rows of text under named columns, with a title above and notes below."""

    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    title: str = ""
    notes: list[str] = field(default_factory=list)
    right: set[str] = field(default_factory=set)  # columns of numbers, aligned right
    optional: tuple[str, ...] = ()  # columns a narrow terminal may go without, the least useful first
    shrink: tuple[str, ...] = ()  # columns of long text a narrow terminal may cut short (…)
    styles: list[str | None] = field(default_factory=list)  # a row's colour on a terminal: "cut", "rise" or None


def trend(change_pct: Decimal | None) -> str | None:
    """How a row of changes is coloured on a terminal (Grid.styles): a cut, a rise, or neither."""
    return None if not change_pct else "cut" if change_pct < 0 else "rise"


def pct_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


SHOWN_DIGITS = 6


def show_amount(value: Decimal | None, exact: bool = True) -> str:
    """A published price as people read it: at most 6 significant digits, so a feed's float noise
    (1.00000000000000015) reads 1 (JSON and the database keep it exact); a converted one to 2 decimals
    (4 significant digits below 1)."""
    if value is None:
        return "—"
    return _shown(value, exact)


@functools.lru_cache(maxsize=4096)  # a table of thousands of rows shows a few hundred distinct prices
def _shown(value: Decimal, exact: bool) -> str:  # equal amounts (2.5, 2.50) show alike, so they may share
    if exact:
        digits = len(value.normalize().as_tuple().digits)
        return format_amount(value if digits <= SHOWN_DIGITS else round(value, SHOWN_DIGITS - 1 - value.adjusted()))
    if abs(value) >= 1:
        return f"{value:.2f}"
    if value == 0:
        return "0"
    return format_amount(round(value, 3 - value.adjusted()))


def clean(text: str) -> str:
    """Text from the outside world, made safe for a terminal: no escape codes, no control characters."""
    text = str(text)
    if text.isprintable():  # nearly every cell: no need to look at each character
        return text
    return "".join(ch if ch.isprintable() or ch == " " else "\ufffd" for ch in str(text))


_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[-+]?\d[\d.,]*%?$")


def inert(cell: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula ("=HYPERLINK(...)"): quoted with a leading '."""
    return "'" + cell if _FORMULA.match(cell) and not _NUMBER.match(cell) else cell


def print_grid(console: Screen, grid: Grid, fmt: str, fit: int | None = None) -> None:
    """The grid in a format; a table made to fit `fit` columns when given (a terminal's width)."""
    if fmt == "table":
        print_aligned(console, narrowed(grid, fit) if fit else grid, fit)
    elif fmt == "csv":
        import csv

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(grid.columns)
        writer.writerows([inert(clean(cell)) for cell in row] for row in grid.rows)
        console.file.write(out.getvalue())
    elif fmt == "markdown":
        lines = []
        if grid.title:
            lines += [f"**{_md(grid.title)}**", ""]
        lines.append("| " + " | ".join(_md(c) for c in grid.columns) + " |")
        lines.append("|" + "|".join("---:" if c in grid.right else "---" for c in grid.columns) + "|")
        lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in grid.rows]
        if grid.notes:
            lines += [""] + [_md(note) for note in grid.notes]
        console.file.write("\n".join(lines) + "\n")
    else:
        raise ValueError(fmt)


GAP = 2  # spaces between columns
MIN_SHRUNK = 16  # a cut column keeps at least this many characters, unless the table cannot fit then
LAST_SHRUNK = 8


def _widths(columns: list[str], rows: list[list[str]]) -> list[int]:
    return [max([cell_len(column), *(cell_len(row[i]) for row in rows)]) for i, column in enumerate(columns)]


def narrowed(grid: Grid, width: int) -> Grid:
    """The grid made to fit `width` columns: optional columns dropped (least useful first), then long text
    cut short with "…"; a note says what was hidden. A grid that fits is returned as it is."""
    columns, rows = list(grid.columns), [[clean(cell) for cell in row] for row in grid.rows]

    def total() -> int:
        return sum(_widths(columns, rows)) + GAP * (len(columns) - 1)

    hidden = []
    for name in grid.optional:
        if total() <= width:
            break
        if name in columns:
            index = columns.index(name)
            hidden.append(columns.pop(index))
            rows = [row[:index] + row[index + 1:] for row in rows]
    cut = False
    for floor in (MIN_SHRUNK, LAST_SHRUNK, 4):  # cut each long column a little before any a lot
        for name in grid.shrink:
            excess = total() - width
            if excess <= 0 or name not in columns:
                continue
            index = columns.index(name)
            room = max(_widths(columns, rows)[index] - excess, floor, cell_len(name))
            for row in rows:
                if cell_len(row[index]) > room:
                    row[index], cut = _cut(row[index], room), True
    if not hidden and not cut:
        return grid
    said = ([f"hidden to fit {width} columns: {', '.join(hidden)}"] if hidden else []) + (
        ["long names cut short (…)"] if cut else [])
    # the hint on a line of its own: wrapped into a long list of columns it would be cut in two
    return Grid(columns, rows, grid.title, [*grid.notes, "; ".join(said), "--wide shows everything"], grid.right,
                styles=grid.styles)


def _cut(text: str, room: int) -> str:
    while cell_len(text) > room - 1:
        text = text[:-1]
    return text + "…"


def print_aligned(console: Screen, grid: Grid, fit: int | None = None) -> None:
    """Columns padded to their widest cell (wide CJK characters count twice); thousands of rows stay fast:
    str.ljust and rjust pad in C, told the few extra columns a wide character takes."""
    columns = list(zip(*grid.rows)) if grid.rows else [() for _ in grid.columns]
    padded = []
    for name, column in zip(grid.columns, columns):
        # a column all printable, or all ASCII, is checked whole: most are
        whole = "".join(column) if all(type(cell) is str for cell in column) else "\0"
        if not whole.isprintable():
            column = [clean(cell) for cell in column]
            whole = "".join(column)
        wider = None if one_column_each(whole) else [cell_len(cell) - len(cell) for cell in column]
        pad = str.rjust if name in grid.right else str.ljust
        if wider is None:
            width = max(cell_len(name), max(map(len, column), default=0))
            padded.append([pad(cell, width) for cell in column] + [pad(name, width - (cell_len(name) - len(name)))])
            continue
        width = max([cell_len(name), *(len(cell) + more for cell, more in zip(column, wider))])
        padded.append([pad(cell, width - more) for cell, more in zip(column, wider)]
                      + [pad(name, width - (cell_len(name) - len(name)))])
    lines = ["  ".join(parts).rstrip() for parts in zip(*padded)] if padded else [""]
    if grid.title:  # on a terminal, titles and notes wrap at its width
        console.print(clean(grid.title), style="bold", width=fit)
    console.print(lines[-1], style="bold")
    if grid.styles and console.color:  # a cut green, a rise red, as the HTML report has them
        lines = [console.styled(line, style) if style else line for line, style in zip(lines, grid.styles)] \
            + lines[len(grid.styles):]
    console.file.write("".join(line + "\n" for line in lines[:-1]))
    for note in grid.notes:
        console.print(clean(note), style="dim", width=fit)


def _md(text: str) -> str:
    return clean(text).replace("|", "\\|").replace("\n", " ")


def print_data(console: Screen, data: object, fmt: str) -> None:
    """Data as data: JSON, or CSV with one row per record, one column per field (nested fields flattened as
    `fx_rate`), exact decimal numbers, ISO dates, empty cells for nothing; no units or symbols in a cell."""
    if fmt == "json":
        print_json(console, data)
        return
    records = [_flat(record) for record in (data if isinstance(data, list) else [data])]
    columns = list(dict.fromkeys(name for record in records for name in record))
    # a field that is a nested object in some records and null in others is only its flattened columns
    columns = [name for name in columns if not (any(other.startswith(name + "_") for other in columns)
                                                and all(record.get(name) is None for record in records))]
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([inert(clean(_cell(record.get(name)))) for name in columns] for record in records)
    console.file.write(out.getvalue())


def _flat(record: dict, prefix: str = "") -> dict:
    flat: dict = {}
    for name, value in record.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{name}_"))
        else:
            flat[prefix + name] = value
    return flat


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, list):
        return ";".join(_cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def print_json(console: Screen, data: object) -> None:
    import json

    console.file.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return format_amount(value)
    raise TypeError(type(value).__name__)
