"""Zhipu's (BigModel's) GLM model pages: CNY per 1M tokens, read from each model's "价格" card.

open.bigmodel.cn/pricing is drawn by JavaScript and holds no prices, so pricewar reads the model
pages of docs.bigmodel.cn, which serve their MDX source at a `.md` address. A page with several
models has one <Tab title="GLM-4-Plus"> per model, each with a <CardGroup> of cards; the card titled
价格 holds the price ("5 元 / 百万 Tokens"). A single-model page has one such card outside any tab,
under the page's `# Title`. The model id is the tab (or page) title lower-cased, which is the id the
API takes (the pages' own examples call "glm-4-plus").

Reading a card: one price and no 输入 / 输出 (input / output) label is the rate for every token the
model bills, so it is recorded as both the input and the output price, noted "one rate for input and
output tokens"; the card names no other rate, and its Tokens is unqualified. A card labelling
输入 and 输出 gives each its own price. "/" is recorded as free (0, noted "free") only where the
model's tab says 免费 (free), as GLM-4-Flash-250414's 定位 card "免费版" does; elsewhere "/" is no
price, never zero. A card priced per call, second or image (video and image models) is not a
per-token price and is passed over.

Refused with PricewarError rather than guessed: a card with several amounts (tiers, ranges) or an
unlabelled part, a price without a currency or unit, a price card whose tab title is no model id,
one key priced twice with different amounts, and a page without a price card (the JavaScript
shell), which must record nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pricewar.price import MTOK, Price, PricewarError, parse_money
from pricewar.sources.body import LAYOUT_CHANGED, read_text, unique_prices

URLS = ("https://docs.bigmodel.cn/cn/guide/models/text/glm-4.md",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("glm", "智谱", "bigmodel")

PROVIDER = "zhipu"
PAGE = "Zhipu's pricing page"

_PRICE_TITLE = re.compile(r"^(价格|定价|price|pricing)$", re.IGNORECASE)
_MODEL_ID = re.compile(r"^(?=[\w.-]*[A-Za-z])[A-Za-z0-9][\w.-]*$")
_TAG = re.compile(r"<(/?)(Tabs|Tab|CardGroup|Card)\b")  # MDX components, never HTML's <table>
_LONGEST_TAG = 20_000  # characters; an opening tag that never closes within them is no tag
_TITLE = re.compile(r"""\btitle\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*["']([^"']*)["']\s*\})""")
_H1 = re.compile(r"^#[ \t]+([^\n<]+?)[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[^\n]*$|\Z)", re.DOTALL | re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FREE = re.compile(r"免费|\bfree\b", re.IGNORECASE)
_FREE_CARD = re.compile(r"^(免费|限时免费|free)$", re.IGNORECASE)
_KIND_LABEL = re.compile(r"(缓存命中|缓存|输入|输出|\binput\b|\boutput\b|cached input)\s*[:：]?", re.IGNORECASE)
_KINDS = {"输入": "input", "input": "input", "输出": "output", "output": "output"}
_NOT_TOKENS = re.compile(
    r"次|秒|张|条|分钟|小时|字符|\bcall|\brequest|\bimage|\bsecond|\bminute|\bvideo", re.IGNORECASE
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_UNIT_TEXT = re.compile(r"\b1\s*[MK]\b|/\s*[MK]\b", re.IGNORECASE)  # the "1" of "1M tokens" is no amount


@dataclass
class _Span:
    """An element of the page: where it starts and ends, its title, and where its body starts."""

    tag: str
    start: int
    body: int
    end: int
    title: str


def parse(body: bytes) -> list[Price]:
    """Every price card on a Zhipu model page; PricewarError when there is none."""
    text = _FENCE.sub(lambda found: " " * len(found.group()), _COMMENT.sub("", read_text(body)))
    spans = _elements(text)
    tabs = [span for span in spans if span.tag == "tab"]
    groups = [span for span in spans if span.tag == "cardgroup"]
    heading = _H1.search(text)
    found: list[Price] = []
    for card in (span for span in spans if span.tag == "card" and _PRICE_TITLE.match(span.title.strip())):
        tab = _innermost(tabs, card)
        if tab is not None:
            title = tab.title.strip()
        elif heading:
            title = heading.group(1).strip()
        else:
            raise PricewarError(f"{PAGE} has a price card for no model it names — {LAYOUT_CHANGED}")
        if not _MODEL_ID.match(title):
            raise PricewarError(f"{PAGE} has a price card under '{title}', which is no model id — {LAYOUT_CHANGED}")
        scope = tab or _innermost(groups, card) or card
        found += _read_card(title, _plain(text[card.body : card.end]), text[scope.start : scope.end])
    return unique_prices(found, PAGE)


def _elements(text: str) -> list[_Span]:
    """Every <Tabs>, <Tab>, <CardGroup> and <Card> element; one left open runs to the end of the page.

    A <Card> needs its </Card>: a card cut short by a truncated download is no card, so its
    price cannot be read half ("5" of "50 元").
    """
    spans: list[_Span] = []
    open_spans: list[_Span] = []
    position = 0
    while found := _TAG.search(text, position):
        tag = found.group(2).lower()
        if found.group(1):  # a closing tag ends the innermost open element of its kind
            position = found.end()
            for index in range(len(open_spans) - 1, -1, -1):
                if open_spans[index].tag == tag:
                    span = open_spans.pop(index)
                    span.end = found.start()
                    spans.append(span)
                    break
            continue
        close = _tag_end(text, found.end())
        if close is None:
            break
        attributes = text[found.end() : close]
        open_spans.append(_Span(tag, found.start(), close + 1, -1, _title(attributes)))
        position = close + 1
    spans += [
        _Span(span.tag, span.start, span.body, len(text), span.title) for span in open_spans if span.tag != "card"
    ]
    return sorted(spans, key=lambda span: span.start)


def _tag_end(text: str, position: int) -> int | None:
    """Where an opening tag's ">" is, past JSX braces and quoted strings (icon={<svg ... />}); None if never."""
    depth = 0
    quote = ""
    for index in range(position, min(len(text), position + _LONGEST_TAG)):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == ">" and depth == 0:
            return index
    return None


def _title(attributes: str) -> str:
    """The title="..." of a tag's attributes, not one inside a {...} expression such as an icon's svg."""
    found = _TITLE.search(_outside_braces(attributes))
    return next((group for group in found.groups() if group), "") if found else ""


def _outside_braces(attributes: str) -> str:
    out: list[str] = []
    depth = 0
    for char in attributes:
        if char == "{":
            depth += 1
        out.append(char if depth == 0 else " ")
        if char == "}":
            depth = max(depth - 1, 0)
    return "".join(out)


def _innermost(spans: list[_Span], inner: _Span) -> _Span | None:
    containing = [span for span in spans if span.start < inner.start and inner.end <= span.end]
    return max(containing, key=lambda span: span.start, default=None)


def _plain(markup: str) -> str:
    """A card's text: tags, emphasis and code marks dropped, whitespace collapsed."""
    text = re.sub(r"<br\s*/?>", "\n", markup, flags=re.IGNORECASE)
    text = re.sub(r"<[^<>]*>", " ", text).replace("**", "").replace("`", "")
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def _read_card(title: str, card: str, scope: str) -> list[Price]:
    """The prices a 价格 card states for model `title`; `scope` is the text of its tab, for "/"."""
    model = title.lower()
    if card == "/" or _FREE_CARD.match(card):
        if card == "/" and not _FREE.search(scope):
            return []  # "/" alone means "not offered" as often as "free": no price, never zero
        note = "free for a limited time" if card.startswith("限时") else "free"
        return [_price(model, title, kind, Decimal(0), "CNY", card, MTOK, note) for kind in ("input", "output")]
    if not re.search(r"\d", card):
        return []
    if _NOT_TOKENS.search(card) and not re.search(r"token", card, re.IGNORECASE):
        return []  # per call, per second, per image: not a price per token
    labels = list(_KIND_LABEL.finditer(card))
    if not labels:
        money = _read_amount(title, "price", card)
        note = "one rate for input and output tokens"
        return [_price(model, title, kind, *money, note) for kind in ("input", "output")]
    if re.search(r"\d", card[: labels[0].start()]):
        raise PricewarError(f"{PAGE}: {title}'s price '{card}' has an unlabelled amount — {LAYOUT_CHANGED}")
    prices = []
    for label, following in zip(labels, [*labels[1:], None]):
        kind = _KINDS.get(label.group(1).lower())
        if kind is None:
            raise PricewarError(f"{PAGE}: {title}'s price '{card}' names a cache price pricewar cannot read yet")
        part = card[label.end() : following.start() if following else len(card)].strip(" ;；,，\n")
        prices.append(_price(model, title, kind, *_read_amount(title, kind, part), ""))
    return prices


def _read_amount(title: str, kind: str, text: str) -> tuple[Decimal, str, str, str]:
    """(per_mtok, currency, published, unit) of one amount; PricewarError when it is not exactly one."""
    if len(_NUMBER.findall(_UNIT_TEXT.sub(" ", text))) != 1:
        raise PricewarError(
            f"{PAGE}: {title}'s {kind} price '{text}' shows several amounts (tiers or a range?), "
            f"which pricewar will not guess between — {LAYOUT_CHANGED}"
        )
    money = parse_money(text)
    if money.currency is None or money.unit is None:
        missing = "currency" if money.currency is None else "unit of tokens"
        raise PricewarError(f"{PAGE}: {title}'s {kind} price '{text}' names no {missing} — {LAYOUT_CHANGED}")
    return money.per_mtok, money.currency, " ".join(text.split()), money.unit


def _price(
    model: str, title: str, kind: str, per_mtok: Decimal, currency: str, published: str, unit: str, note: str
) -> Price:
    return Price(
        provider=PROVIDER,
        model=model,
        kind=kind,
        per_mtok=per_mtok,
        currency=currency,
        published=published,
        unit=unit,
        display_name=title,
        note=note,
    )
