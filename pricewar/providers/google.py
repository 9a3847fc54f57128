"""Google's Gemini API pricing page (ai.google.dev/gemini-api/docs/pricing): USD per 1M tokens, paid tier.

Read from the Markdown rendition Google serves (`pricing.md.txt`) or the HTML page. Each model has
a section: a heading with its name, then its API id in code (`*`gemini-2.5-pro`*`; where a section
shows none, the `?model=` of its AI Studio link, else a slug of the name), then a table per service
tier under "Standard" / "Batch" (/ "Flex" / "Priority") sub-headings, or one table straight under
the model heading (standard). Only tables whose header has a "Paid Tier, per 1M tokens" column are
read, and only that column: the free tier's "Free of charge" is no price of the paid tier.

Rows: "Input price" -> input, "Output price" -> output, "Context caching price" -> cache_hit; every
other row (grounding, storage, image generation, tuning) is not a token price. A paid cell may hold
several prices: "$1.25, prompts <= 200k tokens $2.50, prompts > 200k tokens" gives context tiers
"<=200k" and ">200k"; "Non-thinking: $0.60 Thinking: $3.50" (or "(thinking)") gives modes. Where a
cell prices modalities apart ("$0.30 (text / image / video) $1.00 (audio)") only the text price is
recorded, with the modality in `note`; a cell pricing only audio (TTS output) records nothing.
Prices per hour of storage, per image, per second or per 1,000 requests are not token prices and
are skipped. A section naming several ids prices each of them alike. Anything else in a price cell (a date, an
unknown qualifier, two prices for the same tier, a struck-out price) raises rather than guesses, as
do a table with two paid-tier columns and a page cut off inside a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pricewar.pages import LAYOUT_CHANGED, check_complete, read_text, unique_prices
from pricewar.price import MTOK, Price, PricewarError, decimal, per_mtok
from pricewar.tables import STRUCK, Table, cell_text, tables

URLS = ("https://ai.google.dev/gemini-api/docs/pricing.md.txt",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("gemini",)

PROVIDER = "google"
PAGE = "Google's Gemini API pricing page"

_HIDDEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|template)\b.*?(?:</\1\s*>|\Z)|^ {0,3}(```|~~~).*?(?:^ {0,3}\2[^\n]*$|\Z)",
    re.DOTALL | re.IGNORECASE | re.MULTILINE,
)
_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.{0,1000}?)</h\1\s*>", re.DOTALL | re.IGNORECASE)
_TABLE_START = re.compile(r"^[ \t]*\||<table\b", re.MULTILINE | re.IGNORECASE)
_TIER_HEADING = re.compile(r"^(standard|batch|flex|priority)\b", re.IGNORECASE)
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_HTML_CODE = re.compile(r"<code\b[^>]*>(.*?)</code\s*>", re.DOTALL | re.IGNORECASE)
_HTML_BREAK = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6])\s*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_STUDIO_MODEL = re.compile(r"aistudio\.google\.com[^\s)\"'<>]*[?&]model=([a-z0-9][a-z0-9._-]*)", re.IGNORECASE)

_PAID = re.compile(r"\bpaid\b", re.IGNORECASE)
_PER_MTOK = re.compile(r"per\s+1\s*M\s+tokens", re.IGNORECASE)
_PER_KTOK = re.compile(r"per\s+1\s*K\s+tokens", re.IGNORECASE)
_KIND_LABELS = (
    (re.compile(r"^(text\s+)?input\s+price\b", re.IGNORECASE), "input"),
    (re.compile(r"^(text\s+)?output\s+price\b", re.IGNORECASE), "output"),
    (re.compile(r"^context\s+caching\s+price\b", re.IGNORECASE), "cache_hit"),
)

_AMOUNT = re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?)")
_LABEL_BEFORE = re.compile(r"\b([A-Za-z][A-Za-z-]*)\s*:\s*$")  # "Thinking:" just before an amount
_MODES = {"thinking": "thinking", "non-thinking": "non-thinking", "nonthinking": "non-thinking"}
_TIER = re.compile(r",?\s*prompts?\s*(<=|≤|>=|≥|<|>)\s*(\d+(?:\.\d+)?)\s*([km])\b(?:\s*tokens?)?", re.IGNORECASE)
_TOKEN_UNIT = re.compile(r"(?:/|per)\s*(1,000,000|1\s*M|1,000|1\s*K)\s*tokens?(?!\s*per\s+hour)", re.IGNORECASE)
_PAREN = re.compile(r"\(([^()]*)\)")
_MEDIA = frozenset({"text", "image", "images", "video", "videos", "audio", "speech", "pdf"})
_FILLER = frozenset({"and", "or", "including", "thinking", "tokens"})  # "(text and thinking)", "(including ...)"
_NOT_TOKENS = re.compile(
    r"per\s+hour|storage|\bimages?\b|per\s+second|per\s+minute|grounded\s+prompts|quer(?:y|ies)|requests?\b|\bRPD\b"
    r"|characters?|\bpages?\b",
    re.IGNORECASE,
)
_FOOTNOTE = re.compile(r"\^[*†‡]+\^|[*†‡]+")
_FREE = re.compile(r"^free(\s+of\s+charge)?\.?$", re.IGNORECASE)
_COMPARATORS = {"≤": "<=", "≥": ">="}
_SLUGGED = "the page shows no model id; this is a slug of its name"


@dataclass(frozen=True)
class _Heading:
    start: int
    level: int
    title: str
    ids: tuple[str, ...]

    @property
    def is_tier(self) -> bool:
        return not self.ids and len(self.title) <= 40 and bool(_TIER_HEADING.match(self.title))


@dataclass(frozen=True)
class _Model:
    ids: tuple[str, ...]
    display_name: str
    service_tier: str
    slugged: bool


@dataclass(frozen=True)
class _Quote:
    """One paid-tier price read from a cell, before it is tied to a model."""

    amount: str
    unit: str
    published: str
    context_tier: str = ""
    mode: str = ""
    note: str = ""


def parse(body: bytes) -> list[Price]:
    """Every paid-tier token price on Google's Gemini API pricing page; PricewarError when there are none."""
    text = _HIDDEN.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), read_text(body))
    check_complete(text, PAGE)
    return unique_prices(
        (price for model, chunk in _sections(text) for table in tables(chunk) for price in _read_table(table, model)),
        PAGE,
    )


def _sections(text: str) -> list[tuple[_Model | None, str]]:
    """The page cut at every heading, each piece with the model and service tier it prices."""
    found = [(m.start(), m.end(), len(m.group(1)), _markdown_title(m.group(2))) for m in _MD_HEADING.finditer(text)]
    found += [(m.start(), m.end(), int(m.group(1)), cell_text(m.group(2))) for m in _HTML_HEADING.finditer(text)]
    found.sort()
    headings: list[_Heading] = []
    for index, (start, end, level, title) in enumerate(found):
        stop = found[index + 1][0] if index + 1 < len(found) else len(text)
        table = _TABLE_START.search(text, end, stop)
        headings.append(_Heading(start, level, title, _ids_in(text[end : table.start() if table else stop])))

    pieces: list[tuple[_Model | None, str]] = [(None, text[: headings[0].start if headings else len(text)])]
    stack: list[_Heading] = []
    for index, heading in enumerate(headings):
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        stack.append(heading)
        stop = headings[index + 1].start if index + 1 < len(headings) else len(text)
        pieces.append((_model_of(stack), text[heading.start : stop]))
    return pieces


def _model_of(stack: list[_Heading]) -> _Model | None:
    """The model a piece of the page prices: its nearest heading that is not a service tier's."""
    tier = next((h.title.split()[0].lower() for h in reversed(stack) if h.is_tier), "standard")
    named = next((h for h in reversed(stack) if not h.is_tier), None)
    if named is None:
        return None
    display = _display_name(named.title)
    if named.ids:
        return _Model(named.ids, display, tier, slugged=False)
    slug = re.sub(r"[^a-z0-9.]+", "-", display.lower()).strip("-.")
    return _Model((slug,), display, tier, slugged=True) if slug else None


def _ids_in(intro: str) -> tuple[str, ...]:
    """The API ids a model section names before its first table: a line of code spans only."""
    flat = _HTML_CODE.sub(lambda match: f"`{cell_text(match.group(1))}`", _HTML_BREAK.sub("\n", intro))
    for line in _TAG.sub("", flat).split("\n"):
        line = _MD_LINK.sub(r"\1", line).replace("\\", "")
        spans = [span.strip().lower() for span in _CODE_SPAN.findall(line)]
        if spans and not _CODE_SPAN.sub("", line).strip(" \t*_,") and all(_ID.match(span) for span in spans):
            return tuple(dict.fromkeys(spans))
    studio = _STUDIO_MODEL.search(intro)
    return (studio.group(1).lower(),) if studio else ()


def _markdown_title(raw: str) -> str:
    title = re.sub(r"\s*\{[^{}]*\}\s*$", "", raw)  # a "{: #anchor }" attribute
    title = _MD_LINK.sub(r"\1", title)
    return " ".join(re.sub(r"\\(.)", r"\1", title).replace("*", "").replace("`", "").split())


def _display_name(title: str) -> str:
    """The heading without a trailing emoji (or its mis-decoded bytes): "Gemini 2.5 Flash Image 🍌"."""
    words = title.split()
    while words and not re.search(r"[A-Za-z0-9]", words[-1]):
        words.pop()
    return " ".join(words)


def _read_table(table: Table, model: _Model | None) -> list[Price]:
    """The paid-tier token prices of one table; [] for free-tier-only, per-image or per-second tables."""
    header = table.rows[0]
    paid_columns = [index for index, cell in enumerate(header) if _PAID.search(cell)]
    if len(paid_columns) > 1:
        raise PricewarError(f"{PAGE} has a table with {len(paid_columns)} paid-tier columns — {LAYOUT_CHANGED}")
    if not paid_columns:
        return []
    paid = paid_columns[0]
    unit = MTOK if _PER_MTOK.search(header[paid]) else "per 1K tokens" if _PER_KTOK.search(header[paid]) else None
    if unit is None:
        return []  # priced per image or per second of video
    usd = "USD" in header[paid]
    prices: list[Price] = []
    for row in table.rows[1:]:
        kind = next((kind for pattern, kind in _KIND_LABELS if pattern.match(row[0])), None)
        if kind is None or paid >= len(row):
            continue
        if model is None:
            raise PricewarError(f"{PAGE} has a price table under no model heading — {LAYOUT_CHANGED}")
        where = f"{model.display_name} {model.service_tier} {kind}"
        for quote in _read_cell(row[paid], unit, usd, where):
            note = "; ".join(filter(None, [quote.note, _SLUGGED if model.slugged else ""]))
            prices += [
                Price(
                    provider=PROVIDER,
                    model=model_id,
                    kind=kind,
                    per_mtok=per_mtok(decimal(quote.amount), quote.unit),
                    currency="USD",
                    published=quote.published,
                    unit=quote.unit,
                    service_tier=model.service_tier,
                    context_tier=quote.context_tier,
                    mode=quote.mode,
                    display_name=model.display_name,
                    note=note,
                )
                for model_id in model.ids
            ]
    return prices


def _read_cell(cell: str, unit: str, usd: bool, where: str) -> list[_Quote]:
    """The text-token prices in one paid-tier cell; [] when it has none ("Not available")."""
    if STRUCK in cell:
        raise PricewarError(f"{PAGE}: {where} cell '{cell}' strikes out a price — which one is charged?")
    text = " ".join(cell.split())
    amounts = list(_AMOUNT.finditer(text))
    if not amounts:
        if _FREE.match(text) and usd:
            return [_Quote("0", unit, text)]
        if re.search(r"\d", text):
            raise PricewarError(f"{PAGE}: cannot read the {where} price '{text}' — {LAYOUT_CHANGED}")
        return []
    quotes: list[_Quote] = []
    skipped: list[str] = []
    label = text[: amounts[0].start()]
    for index, amount in enumerate(amounts):
        end = amounts[index + 1].start() if index + 1 < len(amounts) else len(text)
        suffix, next_label = text[amount.end() : end], ""
        if index + 1 < len(amounts) and (found := _LABEL_BEFORE.search(suffix)):
            suffix, next_label = suffix[: found.start()], found.group().strip()
        published = " ".join(f"{label} {amount.group()}{suffix}".split()).strip(" ,;")
        quote = _read_quote(amount.group(1), label, suffix, unit, published, where)
        if isinstance(quote, str):
            skipped += [quote] if quote else []
        else:
            quotes.append(quote)
        label = next_label
    qualifiers = [(quote.context_tier, quote.mode) for quote in quotes]
    if len(set(qualifiers)) < len(qualifiers) or (len(quotes) > 1 and ("", "") in qualifiers):
        raise PricewarError(
            f"{PAGE}: the {where} cell '{text}' gives several prices for the same tokens — "
            f"which one is charged? ({LAYOUT_CHANGED})"
        )
    if skipped:
        apart = f"{', '.join(skipped)} priced apart"
        quotes = [_Quote(q.amount, q.unit, q.published, q.context_tier, q.mode, f"{q.note} ({apart})") for q in quotes]
    return quotes


def _read_quote(amount: str, label: str, suffix: str, unit: str, published: str, where: str) -> _Quote | str:
    """One price and what qualifies it; a str (the modality, or "") when it is no text-token price."""
    mode, modality = "", ""
    label = label.strip().rstrip(":").strip()
    if label.lower() in _MODES:
        mode = _MODES[label.lower()]
    elif label and _words(label) <= _MEDIA | _FILLER and _words(label) & _MEDIA:
        modality = label
    elif label:
        raise PricewarError(f"{PAGE}: cannot read the {where} price '{published}' — {LAYOUT_CHANGED}")
    rest = _FOOTNOTE.sub(" ", suffix)
    context_tier = ""
    if tier := _TIER.search(rest):
        comparator = _COMPARATORS.get(tier.group(1), tier.group(1))
        context_tier = f"{comparator}{tier.group(2)}{tier.group(3).lower()}"
        rest = rest[: tier.start()] + " " + rest[tier.end() :]
    if stated := _TOKEN_UNIT.search(rest):
        unit = MTOK if stated.group(1).replace(" ", "").upper() in ("1,000,000", "1M") else "per 1K tokens"
        rest = rest[: stated.start()] + " " + rest[stated.end() :]
    for paren in list(_PAREN.finditer(rest)):
        words = _words(paren.group(1))
        if paren.group(1).strip().lower() in _MODES and not mode:
            mode = _MODES[paren.group(1).strip().lower()]
        elif words and words <= _MEDIA | _FILLER:
            modality = modality or (" ".join(paren.group(1).split()) if words & _MEDIA else "")
        else:
            continue  # "(storage price)", "(free)": left for the checks below
        rest = rest.replace(paren.group(), " ", 1)
    rest = " ".join(re.sub(r"[,;.]", " ", rest).split())
    if rest:
        if _NOT_TOKENS.search(rest):
            return ""  # storage per hour, per image, per 1,000 requests: not a token price
        raise PricewarError(f"{PAGE}: cannot read the {where} price '{published}' — {LAYOUT_CHANGED}")
    if modality and "text" not in modality.lower():
        return modality  # audio, image or video tokens only
    return _Quote(amount, unit, published, context_tier, mode, modality)


def _words(text: str) -> set[str]:
    return {word for word in re.split(r"[\s/,&+]+", text.lower()) if word}
