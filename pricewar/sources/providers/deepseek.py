"""DeepSeek's "Models & Pricing" page: the English one in USD, the Chinese one in CNY, per 1M tokens.

Read from the page's tables (HTML or a Markdown rendition of it). Since 2025 the table is
transposed: a MODEL (模型) row names one column per model, and rows labelled "1M INPUT TOKENS
(CACHE HIT)" / "(CACHE MISS)" / "1M OUTPUT TOKENS" (百万tokens输入（缓存命中）/（缓存未命中）/
百万tokens输出) hold a price per model, or one price spanning every model. Older pages put one model
per row under columns such as "INPUT PRICE (CACHE HIT)"; those are read too.

Kinds: cache hit -> cache_hit, cache miss -> input, output -> output. The currency is the cell's
own ($ -> USD, 元/￥ -> CNY). Row groups "STANDARD PRICE (UTC 00:30-16:30)" and "DISCOUNT PRICE
(UTC 16:30-00:30)" (标准时段 / 优惠时段, in Beijing time on the Chinese page, converted so both
pages give the same key) set time_window "" and "off-peak UTC 16:30-00:30".

Since 2026-08 each price label spans two rows, OFF-PEAK and PEAK (低谷时段 / 高峰时段), and the
peak hours are stated once, in prose under the table ("Peak hours: 9:00–12:00 and 14:00–18:00
(Beijing Time, UTC+8)"). Both are recorded, in UTC so both pages give the same key:
"peak UTC 01:00-04:00,06:00-10:00" and "off-peak outside peak UTC 01:00-04:00,06:00-10:00", each
ending " weekdays" when the page says peak pricing is for weekdays only. Such rows with no peak
hours on the page raise: the hours are never guessed.

A table may instead give one row per model and period, the period (OFF-PEAK / PEAK, 空闲时段 /
高峰时段) in the second column; where the model cell is merged over both rows, a Markdown rendition
gives the second row one cell fewer ("| 高峰时段 | 0.10元 | 3.0元 | 9.0元 |"), which is read as that
model's other period.

A table introduced by a sentence saying when its prices take effect ("The new prices take effect at
16:00 UTC on August 16, 2026, as follows:", "新价格将于北京时间 2026 年 8 月 17 日 00:00 开始生效") is
future-dated: its prices get effective_from, the UTC day of that moment (the day's last price stands
for the day), and the undated prices of the same models, which it replaces, get it as effective_to.

A struck-through original before a discounted price records the discounted one, which is what is
charged, with the original in `note`. A page saved as plain text loses the strike: there a cell
"$0.07(5) $0.014" whose marker's footnote says the table shows "the original price and the
discounted price" is read the same way, and such a marked price alone is refused. A footnote
announcing a future policy adds no price: only PEAK / OFF-PEAK rows in a table make the page's peak
hours matter. Anything ambiguous raises
rather than guesses: two prices in one cell with none struck out, a price row that does not match
the model columns, a row whose label or hours a rendition lost, one key priced twice.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from pricewar.price import MTOK, Price, PricewarError, parse_money
from pricewar.sources.body import LAYOUT_CHANGED, check_complete, read_text, unique_prices
from pricewar.sources.tables import STRUCK_TEXT, Table, tables

URLS = (
    "https://api-docs.deepseek.com/quick_start/pricing",
    "https://api-docs.deepseek.com/zh-cn/quick_start/pricing",
)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("deepseek",)

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
_DISCOUNT = re.compile(r"discount|off[- ]?peak|优惠|低谷|空闲|闲时", re.IGNORECASE)
# "(all other hours are off-peak)" beside the peak hours speaks of no other hours.
_REST_OFF_PEAK = re.compile(r"[(（]\s*(?:all\s+other\s+hours\s+are\s+off[- ]?peak|其余(?:时间|时段)?(?:均)?为(?:空闲|低谷)时段)"
                            r"\s*[)）]", re.IGNORECASE)
_PEAK = re.compile(r"(?<!off-)(?<!off )(?<!non-)\bpeak\b|高峰", re.IGNORECASE)  # never the peak of "off-peak"
_STANDARD = re.compile(r"standard|标准", re.IGNORECASE)
_GROUP = re.compile(r"price|时段|价", re.IGNORECASE)
# A cell that only names its hours: the OFF-PEAK / PEAK sub-row of a price label. A label stating
# hours or saying DISCOUNT is a row group of the older layout, read by _read_window instead.
_TIER = re.compile(
    r"(?:(?P<off>off[- ]?peak|低谷|空闲|闲时|优惠)|peak|高峰)(?:\s*(?:hours?|time|prices?|pricing)|时段价格|时段|价格)?",
    re.IGNORECASE,
)
_HOURS = re.compile(r"(\d{1,2})[:：](\d{2})\s*(?:[-–—~～至到]|to)\s*(\d{1,2})[:：](\d{2})")
_BEIJING = re.compile(r"北京时间|beijing|(UTC|GMT)\s*\+\s*0?8", re.IGNORECASE)
_UTC = re.compile(r"UTC|GMT")
_UTC_CLOCK = re.compile(r"\b(?:UTC|GMT)\b(?!\s*\+\s*0?8)")  # UTC as the clock, not as Beijing's offset
_WEEKDAYS = re.compile(
    r"\bweekdays?\b|monday\s*(?:to|through|-|–|—)\s*friday|\bmon\s*[-–]\s*fri\b|工作日|周一\s*[至到~～-]\s*周五"
    r"|星期一\s*[至到~～-]\s*星期五",
    re.IGNORECASE,
)
_AMOUNT = re.compile(r"(?:US\$|\$|￥|¥)\s*\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s*(?:元|USD|CNY|RMB)")
# Cutting a page into sentences and table cells, to find the one stating the peak hours.
_HIDDEN = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_BREAK = re.compile(r"</?(?:p|div|li|ul|ol|tr|td|th|table|h[1-6]|section|article)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")
# A single line break is a Markdown soft wrap, inside the sentence; a blank line, a list item, a table
# row or a heading starts another.
_SENTENCE_END = re.compile(r"\n\s*\n|\n(?=[ \t]*(?:[-*+>#|]|\d+[.)]\s))|[|。！？；]|[.!?;](?=\s)")
# When a table's prices take effect, from the sentence introducing it.
_TAKES_EFFECT = re.compile(r"\b(?:takes?|took)\s+effect|\beffective\s+(?:from|on|at|as\s+of)|\bstarting\s+(?:from|on|at)"
                           r"|\bonwards\b|生效|起执行|起实行", re.IGNORECASE)
_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), 1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = (
    re.compile(r"\b(?P<year>20\d\d)\s*[-/年]\s*(?P<number>\d{1,2})\s*[-/月]\s*(?P<day>\d{1,2})(?!\d)\s*日?"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>20\d\d)\b", re.IGNORECASE),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>20\d\d)\b", re.IGNORECASE),
)
_CLOCK = re.compile(r"(?<![\d:])(\d{1,2})[:：](\d{2})(?![\d:])")
# A price marked "(n)" whose footnote (n) says the table shows the original price and the discounted one.
_LIST_NOTE = re.compile(r"^\s*[(（](\d+)[)）](?=.*(?:original|list)\s+price)(?=.*discount)", re.IGNORECASE | re.MULTILINE)
_UNTIL = re.compile(r"\buntil\b|\bthrough\b|截至|截止|之前", re.IGNORECASE)
_LIST_AND_CHARGED = re.compile(r"^(?P<list>\S+?)\s*[(（](?P<mark>\d+)[)）]\s*(?P<charged>.*)$", re.DOTALL)


@dataclass(frozen=True)
class _Page:
    """What the whole page says that one table's prices depend on."""

    peak_hours: Callable[[], str]  # "UTC 01:00-04:00,06:00-10:00", read only when a table has PEAK rows
    list_marks: frozenset[str]  # footnote markers of a list price shown beside the charged one
    discount_end: Callable[[], str | None]  # the UTC day a discount shown beside list prices ends, if stated


def parse(body: bytes) -> list[Price]:
    """Every price in DeepSeek's pricing tables; PricewarError when there are none."""
    text = read_text(body)
    check_complete(text, "DeepSeek's pricing page")
    found = tables(text)
    if found and re.search(r"[|\t]", text.rstrip().rsplit("\n", 1)[-1]):
        # The page always has notes below its table; ending on a row means the row may have lost
        # cells, and one model's price would be read as spanning every model.
        raise PricewarError("DeepSeek's pricing page ends inside its table — was the download cut short? Try again.")
    # Only a page whose tables have PEAK / OFF-PEAK rows needs its peak hours (the 2026-08 note announcing
    # them has no such rows), so they are read at the first such row, once.
    page = _Page(functools.cache(lambda: _peak_hours(text)), frozenset(_LIST_NOTE.findall(text)),
                 functools.cache(lambda: _discount_end(text)))
    prices: list[Price] = []
    starts: dict[str, str] = {}  # model -> the day a table announcing its new prices says they take effect
    for table in found:
        read = _read_table(table, page)
        if read and (start := _start(table.before)):
            read = [replace(price, effective_from=start) for price in read]
            starts.update((price.model, min(start, starts.get(price.model, start))) for price in read)
        prices += read
    # The announced prices replace the model's prices of today: those end when they start.
    prices = [replace(price, effective_to=starts[price.model])
              if price.effective_from is None and price.model in starts else price for price in prices]
    return unique_prices(prices, "DeepSeek's pricing page")


def _start(before: str) -> str | None:
    """The UTC day the prices of a table start, when the sentence introducing it says; None when it does not."""
    stated = {_moment(sentence) for sentence in _SENTENCE_END.split(before) if _TAKES_EFFECT.search(sentence)}
    stated.discard(None)
    if len(stated) > 1:
        raise PricewarError(f"DeepSeek's pricing page says a table's prices take effect on {' and '.join(sorted(stated))}"
                            f" — {LAYOUT_CHANGED}")
    return stated.pop() if stated else None


def _discount_end(text: str) -> str | None:
    """The UTC day the page says its discount ends ("until 2025-02-08 16:00 (UTC)"); None when it says none."""
    ends = {_moment(sentence) for sentence in _sentences(text)[:-1]
            if _DISCOUNT.search(sentence) and _UNTIL.search(sentence)} - {None}
    if len(ends) > 1:
        raise PricewarError(f"DeepSeek's pricing page says its discount ends on several days ({', '.join(sorted(ends))})"
                            f" — {LAYOUT_CHANGED}")
    return ends.pop() if ends else None


def _moment(sentence: str) -> str | None:
    """The UTC day of the moment a sentence names ("16:00 UTC on August 16, 2026", "北京时间 2026 年 8 月 17 日
    00:00"); None when it names no date; PricewarError when it names two, or a time without its time zone."""
    sentence = " ".join(sentence.split())
    dates = {(int(found["year"]), int(found["number"]) if "number" in found.groupdict() else _MONTHS[found["month"].lower()],
              int(found["day"])) for pattern in _DATES for found in pattern.finditer(sentence)}
    if not dates:
        return None
    clocks = set(_CLOCK.findall(sentence))
    if len(dates) > 1 or len(clocks) > 1:
        raise PricewarError(f"DeepSeek's pricing page says new prices take effect at several moments ('{sentence}') "
                            f"— {LAYOUT_CHANGED}")
    timed = bool(clocks)
    hour, minute = clocks.pop() if clocks else ("0", "0")
    if _BEIJING.search(sentence) and not _UTC_CLOCK.search(sentence):
        shift = 8
    elif _UTC.search(sentence) or not timed and not _BEIJING.search(sentence):
        shift = 0  # a bare date is a day, as pricewar's dates are
    else:
        raise PricewarError(f"DeepSeek's pricing page says when new prices take effect ('{sentence}') in no single "
                            f"time zone — {LAYOUT_CHANGED}")
    try:
        moment = datetime(*dates.pop(), int(hour), int(minute)) - timedelta(hours=shift)
    except ValueError:
        raise PricewarError(f"DeepSeek's pricing page names no real moment in '{sentence}' — {LAYOUT_CHANGED}") from None
    return moment.date().isoformat()


def _read_table(table: Table, page: _Page) -> list[Price]:
    """The prices in one table: a model per column (current page) or a model per row (older ones)."""
    prices: list[Price] = []
    models: list[str] = []
    heading_window = _read_window(table.heading) or ""
    window = heading_window
    carried = ""
    above: tuple[str, str] | None = None  # (kind, tier) of a labelled OFF-PEAK or PEAK row
    tiered: dict[bool, str] = {}  # whether a price row names its hours -> the first such row's label
    for number, row in enumerate(table.rows):
        at = next((index for index, cell in enumerate(row) if _MODEL_LABEL.match(cell)), None)
        if at is not None:
            named = [cell for cell in row[at + 1 :] if cell and not _MODEL_LABEL.match(cell)]
            if any(_classify(cell) for cell in named):
                return prices + _read_model_rows(table.rows[number:], at, window, page)
            models, window, above = [_FOOTNOTE.sub("", cell) for cell in named], heading_window, None
            continue
        label = next((index for index, cell in enumerate(row) if _classify(cell)), None)
        tier_at = [index for index, cell in enumerate(row) if _tier(cell)]
        # A rendition that lost merged cells drops the label from a label's second row, which then
        # opens with its tier ("| PEAK | $0.006 | $0.044 |").
        anchor = tier_at[0] if label is None and tier_at else label
        # A row-group cell ("DISCOUNT PRICE (UTC 16:30-00:30)") sets the hours of the rows below it,
        # which a Markdown rendition no longer repeats, and may have broken over two lines.
        lead = " ".join([carried, *(cell for index, cell in enumerate(row[:anchor]) if index not in tier_at)]).strip()
        if (found := _read_window(lead)) is not None:
            window = found
        carried = lead if found == _HOURS_UNSTATED and anchor is None else ""
        if anchor is None or not models:
            if models and True in tiered and _AMOUNT.search(" ".join(row)):
                raise PricewarError(f"DeepSeek's row '{' | '.join(filter(None, row))}' shows prices without "
                                    f"saying which, or at which hours — {LAYOUT_CHANGED}")
            above = None
            continue
        tiers = {_tier(row[index]) for index in tier_at}
        if len(tiers) > 1:
            raise PricewarError(f"DeepSeek's '{row[anchor]}' row is both peak and off-peak — {LAYOUT_CHANGED}")
        tier = tiers.pop() if tiers else ""
        if label is not None:
            kind = _classify(row[label]) or ""
        elif above is not None and above[1] != tier:
            kind = above[0]  # the OFF-PEAK row above and this PEAK row share one label (or the other way round)
        else:
            raise PricewarError(f"DeepSeek's '{row[anchor]}' row does not say which price it is — {LAYOUT_CHANGED}")
        above = (kind, tier) if tier and label is not None else None
        tiered.setdefault(bool(tier), row[anchor])
        if tier and window:
            raise PricewarError(f"DeepSeek's {tier} row '{row[anchor]}' sits in a row group with its own hours "
                                f"('{lead}') — {LAYOUT_CHANGED}")
        row_window = _hours(tier, window, page)
        values = [cell for index, cell in enumerate(row[anchor + 1 :], anchor + 1)
                  if cell and cell != row[anchor] and index not in tier_at]
        if len(values) == 1:
            values *= len(models)  # one cell spanning every model's column
        if len(values) != len(models):
            raise PricewarError(
                f"DeepSeek's '{row[anchor]}' row has {len(values)} prices for {len(models)} models "
                f"({', '.join(models)}) — {LAYOUT_CHANGED}"
            )
        prices += [price for model, cell in zip(models, values) for price in _read_cell(model, kind, cell, row_window, page)]
    if len(tiered) > 1:
        # An all-day price beside peak and off-peak ones is more likely an OFF-PEAK or PEAK cell lost.
        raise PricewarError(f"DeepSeek's table prices '{tiered[True]}' by peak and off-peak hours but "
                            f"'{tiered[False]}' for the whole day — {LAYOUT_CHANGED}")
    return prices

def _hours(tier: str, window: str, page) -> str:
    """A price row's time_window: its peak or off-peak hours by the page's peak hours, else its row group's."""
    if tier == "peak":
        return f"peak {page.peak_hours()}"
    if tier:
        return f"off-peak outside peak {page.peak_hours()}"  # the page states the peak hours only
    return window


def _read_model_rows(rows: list[list[str]], model_column: int, window: str, page: _Page) -> list[Price]:
    """Prices from the older layout: a header of price columns, then one row per model, or per model and
    period (OFF-PEAK / PEAK in a column of their own)."""
    kinds = {index: kind for index, cell in enumerate(rows[0]) if (kind := _classify(cell))}
    prices: list[Price] = []
    above = ("", "")  # (model, period) of the row above, when it names a period
    tiered: dict[bool, str] = {}  # whether a priced row names its period -> the first such row's model
    for row in rows[1:]:
        first = row[model_column] if model_column < len(row) else ""
        if _tier(first) and above[1]:
            # The model cell is merged over its periods' rows, and this rendition gives it to the first only.
            if row[-1] or _tier(first) == above[1]:
                raise PricewarError(f"DeepSeek's '{first}' row names no model, and is not the other period of "
                                    f"{above[0]}'s row above — {LAYOUT_CHANGED}")
            row = [*row[:model_column], above[0], *row[model_column:-1]]
        model = _FOOTNOTE.sub("", row[model_column]) if model_column < len(row) else ""
        if not _MODEL_ID.match(model) or _tier(model):
            found = _read_window(" ".join(row))
            window = window if found is None else found
            above = ("", "")
            continue
        tiers = {_tier(cell) for index, cell in enumerate(row) if index != model_column and index not in kinds}
        tiers.discard("")
        if len(tiers) > 1:
            raise PricewarError(f"DeepSeek's {model} row is both peak and off-peak — {LAYOUT_CHANGED}")
        tier = tiers.pop() if tiers else ""
        if tier and window:
            raise PricewarError(f"DeepSeek's {tier} row of {model} sits in a row group with its own hours "
                                f"— {LAYOUT_CHANGED}")
        row_window = _hours(tier, window, page)
        read = [price for index, kind in kinds.items() if index < len(row)
                for price in _read_cell(model, kind, row[index], row_window, page)]
        if read:
            tiered.setdefault(bool(tier), model)
        prices += read
        above = (model, tier)
    if len(tiered) > 1:
        raise PricewarError(f"DeepSeek's table prices {tiered[True]} by peak and off-peak hours but {tiered[False]} "
                            f"for the whole day — {LAYOUT_CHANGED}")
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
        # Peak prices in a row group rather than in PEAK rows: a layout not seen yet, and recording
        # them as all-day prices would be wrong.
        raise PricewarError(f"DeepSeek's page prices peak hours under '{label}', a layout pricewar does not read — "
                            f"{LAYOUT_CHANGED}")
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


def _tier(cell: str) -> str:
    """ "peak" or "off-peak" for a cell that only names those hours (a PEAK / OFF-PEAK row), else ""."""
    named = _TIER.fullmatch(_FOOTNOTE.sub("", cell).strip())
    return "" if named is None else "off-peak" if named.group("off") else "peak"


def _peak_hours(text: str) -> str:
    """The page's peak hours as "UTC 01:00-04:00,06:00-10:00", with " weekdays" when it says so; or raise.

    Read from the sentences (and table cells) that speak of peak hours and state times. One that also
    speaks of off-peak or discount hours is skipped: its times may be those instead.
    """
    # the text after the page's last sentence end is left out: a page cut short may have cut it mid-sentence,
    # after its first range of hours
    sentences = [_REST_OFF_PEAK.sub(" ", sentence) for sentence in _sentences(text)[:-1]]
    stated = {_utc_windows(s) for s in sentences if _PEAK.search(s) and not _DISCOUNT.search(s) and _HOURS.search(s)}
    if not stated:
        raise PricewarError(
            f"DeepSeek's pricing page shows peak and off-peak prices but not the peak hours — {LAYOUT_CHANGED}"
        )
    if len(stated) > 1:
        raise PricewarError(f"DeepSeek's pricing page states different peak hours ({' and '.join(sorted(stated))}) "
                            f"— {LAYOUT_CHANGED}")
    # "Monday to Friday" may be its own sentence ("Peak pricing applies on weekdays only").
    weekdays = any(_WEEKDAYS.search(s) for s in sentences if _PEAK.search(s) or _DISCOUNT.search(s))
    return stated.pop() + (" weekdays" if weekdays else "")


def _utc_windows(sentence: str) -> str:
    """The time ranges a sentence states, in UTC, sorted: "UTC 01:00-04:00,06:00-10:00"."""
    sentence = " ".join(sentence.split())
    if _BEIJING.search(sentence):
        if _UTC_CLOCK.search(sentence):  # "9:00-12:00 Beijing time (01:00-04:00 UTC)": which range is which?
            raise PricewarError(f"DeepSeek's peak hours '{sentence}' mix Beijing time and UTC — {LAYOUT_CHANGED}")
        shift = 8 * 60
    elif _UTC.search(sentence):
        shift = 0
    else:
        raise PricewarError(f"DeepSeek's peak hours '{sentence}' name no time zone — {LAYOUT_CHANGED}")
    windows = {f"{_to_utc(h1, m1, shift)}-{_to_utc(h2, m2, shift)}" for h1, m1, h2, m2 in _HOURS.findall(sentence)}
    return "UTC " + ",".join(sorted(windows))


def _sentences(text: str) -> list[str]:
    """A page's text (HTML or Markdown) as sentences and table cells, markup, comments and scripts dropped."""
    text = _BREAK.sub("\n\n", _HIDDEN.sub(" ", text))
    return _SENTENCE_END.split(html.unescape(_TAG.sub(" ", text)))


def _read_cell(model: str, kind: str, cell: str, window: str, page: _Page) -> list[Price]:
    """The price a cell charges ([] when it holds no number: "-", "", a lone struck-out price). A discounted price
    shown beside its list price ends when the page says the discount ends, and the list price starts then."""
    if window == _HOURS_UNSTATED:
        raise PricewarError(f"DeepSeek's page shows discounted prices without their hours — {LAYOUT_CHANGED}")
    struck = [text for found in STRUCK_TEXT.findall(cell) if (text := _FOOTNOTE.sub("", found).strip())]
    marked = _LIST_AND_CHARGED.match(cell.strip())
    if not struck and marked and marked["mark"] in page.list_marks and _AMOUNT.fullmatch(marked["list"]):
        # Plain text lost the strike: the page's footnote says the marked price is the original one.
        if not _AMOUNT.search(marked["charged"]):
            raise PricewarError(f"DeepSeek's {model} {kind} cell '{' '.join(cell.split())}' shows the original price "
                                f"without the discounted one — {LAYOUT_CHANGED}")
        struck, cell = [marked["list"]], marked["charged"]
    # A footnote marker ("(5)" after a struck price) is a number too, and must not be read as the price.
    charged = " ".join(_FOOTNOTE.sub("", STRUCK_TEXT.sub(" ", cell)).split())
    if not re.search(r"\d", charged):
        return []
    if len(_AMOUNT.findall(charged)) > 1:
        raise PricewarError(
            f"DeepSeek's {model} {kind} cell '{charged}' shows several prices and none struck out — "
            f"which one is charged? ({LAYOUT_CHANGED})"
        )
    money = parse_money(charged, unit=MTOK)  # the page states its prices per 1M tokens
    if money.currency is None:
        raise PricewarError(f"DeepSeek's {model} {kind} price '{charged}' names no currency — {LAYOUT_CHANGED}")
    price = Price(provider=PROVIDER, model=model, kind=kind, per_mtok=money.per_mtok, currency=money.currency,
                  published=charged, unit=money.unit or MTOK, time_window=window,
                  note=f"discounted from {' '.join(struck)}" if struck else "")
    end = page.discount_end() if struck else None
    if end is None:
        return [price]
    listed = parse_money(" ".join(struck), unit=MTOK)
    if listed.currency != money.currency:
        raise PricewarError(f"DeepSeek's {model} {kind} list price '{' '.join(struck)}' is not in the currency of its "
                            f"discounted price '{charged}' — {LAYOUT_CHANGED}")
    return [replace(price, effective_to=end),
            replace(price, per_mtok=listed.per_mtok, published=" ".join(struck), effective_from=end,
                    note=f"list price again when the discount ends on {end}")]


def _to_utc(hour: str, minute: str, shift: int) -> str:
    """A wall-clock time `shift` minutes ahead of UTC as UTC "HH:MM" (Beijing 00:30 -> 16:30)."""
    minutes = (int(hour) * 60 + int(minute) - shift) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
