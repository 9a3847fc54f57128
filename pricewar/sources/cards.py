"""Pages whose prices are runs of text rather than tables: cards of a model's name, its prices and their
labels, in a page's HTML or in the script data a Next.js page carries (flight chunks, __NEXT_DATA__).

`page_strings` gives a page's text as runs of strings (visible text, then each script's); `paired_prices`
pairs each model's name, given by the adapter's `name_of`, with the prices that follow it up to the next
name, each price with its label, one way only; anything else is refused. Anthropic's and Mistral's 2024
pages are read with them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser

from pricewar.price import Money, PricewarError, parse_money
from pricewar.sources.body import LAYOUT_CHANGED


def price_kind(label: str) -> str | None:
    """The kind a column label prices ("5m Cache Writes" -> cache_write); None for anything else."""
    text = label.lower()
    if "cach" in text:
        if re.search(r"\b(hits?|reads?|refresh)", text):
            return "cache_hit"
        if "write" in text:
            if re.search(r"\b(1\s*h|1[- ]hour|60\s*m)", text):
                return "cache_write_1h"
            if re.search(r"\b(5\s*m|5[- ]minute)", text) or not re.search(r"\d", text):
                return "cache_write"
            raise PricewarError(f"the page prices a cache write pricewar does not know: '{label}'")
        return None
    if re.search(r"\binput\b", text):
        return "input"
    if re.search(r"\boutput\b", text):
        return "output"
    return None


Name = tuple[str | None, str, bool]  # (model id, None when the page does not say which; display name; an API id?)

_FLIGHT_PUSH = re.compile(r"self\.__next_f\.push\(")
_FLIGHT_ROW = re.compile(r"[0-9a-fA-F]*:([A-Z]*)")
_TEXT_ROW = re.compile(r"([0-9a-fA-F]{1,8}),")
_NEXT_DATA = re.compile(r"<script[^>]*\bid=[\"']__NEXT_DATA__[\"'][^>]*>(.*?)</script", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[A-Za-z!/]")
_MARKUP = re.compile(r"^(?:[*•-]\s+)+|\*\*")  # a list bullet, bold
_HIDDEN_TAGS = frozenset({"script", "style", "template", "svg"})
_BLOCK_TAGS = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table tr td th br hr article section header footer nav main "
    "aside figure figcaption blockquote button".split()
)
_SIGNED = r"(?:US\$|\$|€)\s*\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s*(?:\$|€)"
_PER_TOKENS = r"(?:/|per)\s*(?:1\s*[MK]\b|[MK]\b|one million|million|thousand)?\s*(?:tokens?|MTok|KTok)"
_PRICE_ITEM = re.compile(rf"^(?:(?P<label>[^:$€]{{1,40}}?)\s*:\s*)?(?P<price>(?:{_SIGNED})\s*{_PER_TOKENS})\s*\*?$", re.I)
_PRICE_LIKE = re.compile(rf"(?:{_SIGNED}).*?(?:tok|million)", re.IGNORECASE)
_PLAIN_LABEL = re.compile(
    r"^(?:base\s+)?(?:input|output|prompt|completion)(?:\s+tokens?)?$"
    r"|^(?:prompt\s+)?cach(?:e|ing)\s+(?:writes?|reads?|hits?)(?:\s*&\s*refreshes)?$|^(?:5m|1h)\s+cache\s+writes?$",
    re.IGNORECASE,
)
_LABEL_LIKE = re.compile(r"\b(?:input|output|prompt|completion|cach(?:e|ed|ing))\b", re.IGNORECASE)


def page_strings(text: str) -> list[list[str]]:
    """What a page shows, as lists of strings in page order: its visible text (a block of HTML, or a line
    of plain text, each) and the strings of its script data (Next.js flight chunks, __NEXT_DATA__), each
    value after its key; a JSON document is all data."""
    document, end = _decoded(text.strip(), 0) if text.lstrip()[:1] in ("{", "[") else (None, 0)
    if end:
        return [_json_strings(document, flight=False)]
    if _TAG.search(text):
        reader = _VisibleText()
        reader.feed(text)
        reader.close()
        visible = reader.blocks
    else:
        visible = text.split("\n")
    script = []
    chunks = [push[1] for found in _FLIGHT_PUSH.finditer(text)
              if isinstance(push := _decoded(text, found.end())[0], list) and len(push) > 1 and push[0] == 1
              and isinstance(push[1], str)]
    if chunks:
        script += _flight_strings("".join(chunks))
    for data in _NEXT_DATA.finditer(text):
        script += _json_strings(_decoded(data[1].strip(), 0)[0], flight=False)
    return [visible, script]


def paired_prices(
    strings: Iterable[str], name_of: Callable[[str], Name | None], page: str
) -> list[tuple[Name, str, Money, str]]:
    """(name, kind, money, published) for each price a run of text pairs with a model: the model's name,
    then its prices up to the next name, each labelled ("Input: $3 / MTok"), or each beside its label in
    one order throughout ("$3 / MTok", "Input" or "Input", "$3 / MTok"; a label may carry one price per
    currency). A display name next to its API id ("Mistral Large", "mistral-large-latest") names one model.
    PricewarError when a run's prices cannot be paired with their labels, or when a price has no model."""
    runs: list[tuple[Name | None, list[tuple]]] = [(None, [])]
    for raw in strings:
        text = " ".join(_MARKUP.sub("", raw).split())
        if (name := name_of(text)) is not None:
            current, items = runs[-1]
            merged = None if items else _merged(current, name)
            if merged:
                runs[-1] = (merged, items)
            else:
                runs.append((name, []))
        elif (item := _item(text)) is not None:
            runs[-1][1].append(item)
    unnamed = [item[3] for item in runs[0][1] if item[0] == "price"]
    if unnamed:
        raise PricewarError(f"{page} keeps its prices in page data where model and price cannot be paired: "
                            f"'{unnamed[0]}' comes before any model's name — {LAYOUT_CHANGED}")
    return [(name, kind, money, published) for name, items in runs[1:] for kind, money, published
            in _pair(name, items, page)]


def _merged(current: Name | None, new: Name) -> Name | None:
    """One name of a display name and the API id beside it ("Mixtral 8x7B", "open-mixtral-8x7b"); None
    when the two are not that."""
    if current is None or current[2] == new[2]:
        return None
    api, shown = (current, new) if current[2] else (new, current)
    if shown[0] and str(api[0]).removeprefix("open-").startswith(shown[0]):
        return api[0], shown[1], True
    return None


def _item(text: str) -> tuple | None:
    """("price", label or None, money, published), ("label", kind or None), ("unreadable", text) for a
    price in running text, or None for any other string."""
    if found := _PRICE_ITEM.match(text):
        money = parse_money(found["price"])
        if money.currency and money.unit:
            return "price", found["label"], money, found["price"]
    if _PRICE_LIKE.search(text):
        return "unreadable", text
    if len(text.split()) <= 4 and _LABEL_LIKE.search(text):
        return "label", _label_kind(text)
    return None


def _label_kind(label: str) -> str | None:
    """The kind a plain label names ("Input", "Prompt caching write"); None for any other ("Batch input")."""
    label = label.strip().rstrip(":").strip()
    if not _PLAIN_LABEL.match(label):
        return None
    first = label.split()[0].lower()
    if first in ("prompt", "completion") and "cach" not in label.lower():
        return "input" if first == "prompt" else "output"
    return price_kind(label)


def _pair(name: Name, items: list[tuple], page: str) -> list[tuple[str, Money, str]]:
    """(kind, money, published) for the prices of one model's run of text."""
    model, display, _ = name
    prices = [item for item in items if item[0] == "price"]
    unreadable = [item[1] for item in items if item[0] == "unreadable"]
    problem = None
    if not prices and not unreadable:
        return []
    if unreadable:
        problem = f"{display}'s price '{unreadable[0]}' is in running text"
    elif model is None:
        problem = f"it names a model only as '{display}'"
    elif all(item[1] for item in prices):
        pairs = [(_label_kind(label), money, published) for _, label, money, published in prices]
    elif any(item[1] for item in prices):
        problem = f"{display}'s prices are labelled in two ways"
    else:
        pairs = _side_by_side(items)
        if pairs is None:
            shown = ", ".join(item[3] if item[0] == "price" else str(item[1] or "?") for item in items)
            problem = f"{display}'s prices and labels do not pair one to one ({shown})"
    if problem is None:
        pairs = [pair for pair in pairs if pair[0]]
        seen = [(kind, money.currency) for kind, money, _ in pairs]
        if len(set(seen)) < len(seen):
            problem = f"{display} has one kind of price twice"
        elif not pairs or any((("input", currency) not in seen) for _, currency in seen):
            problem = f"{display} has no input price"
    if problem:
        raise PricewarError(f"{page} keeps its prices in page data where model and price cannot be paired: "
                            f"{problem} — {LAYOUT_CHANGED}")
    return pairs


def _side_by_side(items: list[tuple]) -> list[tuple[str | None, Money, str]] | None:
    """Prices paired with the label beside them, in the order the run starts with (label first, or price
    first); None when they do not alternate: a label with no price, a price with no label, one currency
    twice for one label."""
    groups: list[tuple[str | None, list[tuple]]] = []
    if items[0][0] == "label":
        for item in items:
            if item[0] == "label":
                groups.append((item[1], []))
            else:
                groups[-1][1].append(item)
    else:
        prices: list[tuple] = []
        for item in items:
            if item[0] == "price":
                prices.append(item)
            else:
                groups.append((item[1], prices))
                prices = []
        if prices:
            return None
    if any(not prices or len({price[2].currency for price in prices}) < len(prices) for _, prices in groups):
        return None
    return [(kind, price[2], price[3]) for kind, prices in groups for price in prices]


class _VisibleText(HTMLParser):
    """The text of a page's HTML, one string per block (a heading, a paragraph, a cell), scripts left out."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        if text := " ".join("".join(self._text).split()):
            self.blocks.append(text)
        self._text = []


def _decoded(text: str, at: int) -> tuple[object, int]:
    """The JSON value at `at` and where it ends; (None, at) when there is none."""
    try:
        return json.JSONDecoder().raw_decode(text, at)
    except (ValueError, RecursionError):
        return None, at


def _flight_strings(payload: str) -> list[str]:
    """The strings of a Next.js flight payload: rows "id:JSON", "id:I[...]", and "id:T<hex length>,text"."""
    found: list[str] = []
    at = 0
    while at < len(payload):
        row = _FLIGHT_ROW.match(payload, at)
        if row and row[1] == "T" and (size := _TEXT_ROW.match(payload, row.end())):
            length = int(size[1], 16)  # in UTF-8 bytes
            text = payload[size.end():size.end() + length].encode()[:length].decode("utf-8", "ignore")
            found += text.split("\n")
            at = size.end() + len(text)
            continue
        value, end = _decoded(payload, row.end()) if row else (None, at)
        if end > at:
            found += _json_strings(value, flight=True)
            at = end
        else:
            newline = payload.find("\n", at)
            at = len(payload) if newline < 0 else newline + 1
    return found


def _json_strings(value: object, *, flight: bool) -> list[str]:
    """Every string in a JSON value in document order, each object's key before its value. In a flight
    payload a React element ["$", tag, key, props] gives only its props, "$$3" is "$3", and "$L1" (a
    reference) nothing."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if flight and item.startswith("$"):
                if not item.startswith("$$"):
                    continue
                item = item[1:]
            found.append(item)
        elif isinstance(item, dict):
            for key, inner in reversed(item.items()):
                stack += [inner, key]
        elif isinstance(item, list):
            if flight and len(item) == 4 and item[0] == "$" and isinstance(item[1], str):
                item = item[3:]
            stack += reversed(item)
    return found
