"""Google's Gemini API pricing page (ai.google.dev/gemini-api/docs/pricing): USD per 1M tokens, paid tier.

Read from the Markdown rendition Google serves (`pricing.md.txt`), other Markdown copies of it, or the HTML
page. A table prices the model named last before it, however the rendition names it: a heading ("## Gemini
2.5 Pro"), a bold line ("**Gemini 2.5 Flash**"), a line of its own ("Gemini 1.5 Pro"), or its API id in code,
on a line of its own (`*`gemini-2.5-pro`*`) or in the paragraph before the table ("... `gemini-2.5-pro` ...").
The id in code after a name is that model's id; where a section shows none, the `?model=` of its AI Studio
link, else a slug of the name (noted). Section headings that name no model ("Free Tier", "Enterprise", the
page's title) never do, and a table whose model the page does not name is refused, as is one after another
model's description with no name between. "Standard" / "Batch" (/ "Flex" / "Priority") sub-headings or bold
lines set the service tier of the tables under them; a table straight under a model's name is standard.
Only tables whose header has a "Paid Tier, per 1M tokens" column are read, and only that column: the free
tier's "Free of charge" is no price of the paid tier. A copy that broke a table row across lines (a cell
ending in a line break) has it joined again.

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
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from pricewar.price import MTOK, Price, PricewarError, decimal, per_mtok
from pricewar.sources.body import LAYOUT_CHANGED, check_complete, read_text, unique_prices
from pricewar.sources.tables import STRUCK, Table, cell_text, html_table_spans, tables

URLS = ("https://ai.google.dev/gemini-api/docs/pricing.md.txt",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("gemini",)

PROVIDER = "google"
PAGE = "Google's Gemini API pricing page"

_HIDDEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|template)\b.*?(?:</\1\s*>|\Z)|^ {0,3}(```|~~~).*?(?:^ {0,3}\2[^\n]*$|\Z)",
    re.DOTALL | re.IGNORECASE | re.MULTILINE,
)
_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.{0,1000}?)</h\1\s*>", re.DOTALL | re.IGNORECASE)
_HTML_HEADING_LINE = re.compile(r"^\s*<h([1-6])\b[^>]*>(.{0,1000}?)</h\1\s*>\s*$", re.IGNORECASE)
_HTML_PAGE = re.compile(r"<(?:html|body|h[1-6]|p|div|section)\b", re.IGNORECASE)
_HTML_CODE = re.compile(r"<code\b[^>]*>(.*?)</code\s*>", re.DOTALL | re.IGNORECASE)
_HTML_BOLD = re.compile(r"<(strong|b)\b[^>]*>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
_HTML_LINK = re.compile(r"<a\b[^>]*?\bhref=[\"']([^\"'<>]*)[\"'][^>]*>(.*?)</a\s*>", re.DOTALL | re.IGNORECASE)
_HTML_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_HTML_BLOCK = re.compile(
    r"<br\s*/?>|</?(?:p|div|section|article|main|header|footer|nav|aside|ul|ol|li|dl|dt|dd|body|html|head|title"
    r"|blockquote)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ROW_END = re.compile(r"(?<!\\)\|[ \t]*$")

# What names a model: "Gemini 1.5 Pro", "**Gemma 3**", "Text Embedding 004" (a family and a version), or its id
# in code. "Enterprise", "Free Tier" or "Gemini Developer API Pricing | Gemini API" name none.
_MODEL_NAME_START = re.compile(r"^(?:gemini|gemma|imagen|veo|lyria|learnlm|text[ -]embedding)\b", re.IGNORECASE)
_MODEL_NAME = re.compile(_MODEL_NAME_START.pattern + r"(?=.*\d)", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"pric|\btiers?\b|\||:|\.(?!\d)", re.IGNORECASE)
_MODEL_ID = re.compile(r"^(?:gemini|gemma|imagen|veo|lyria|learnlm|text-embedding|embedding)-")
_NAME_WORDS = re.compile(r"^[A-Z0-9(][^\s]*(?:\s+[A-Z0-9(][^\s]*)*$")  # "Gemini 2.5 Flash-Lite", no sentence
_TIER_HEADING = re.compile(r"^(standard|batch|flex|priority)\b", re.IGNORECASE)
_TIER_WORD = re.compile(r"^(standard|batch|flex|priority)$", re.IGNORECASE)
_BOLD_LINE = re.compile(r"^(\*\*|__)([^*_]+?)\1[^A-Za-z0-9]*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
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


@dataclass
class _Name:
    """What names the model of the tables that follow: a heading, a bold line, a line of its own, an id in code."""

    title: str  # "" where only an id names it
    level: int  # a heading's level; 7 for a name outside any heading, which any heading ends
    ids: tuple[str, ...] = ()

    def model(self, tier: str) -> _Model | None:
        """The model this name gives; None for a section heading that names none ("Enterprise", "Pricing")."""
        if self.ids:
            return _Model(self.ids, self.title, tier, slugged=False)
        if not _is_model_name(self.title):
            return None
        return _Model((_slug(self.title),), self.title, tier, slugged=True)


def parse(body: bytes) -> list[Price]:
    """Every paid-tier token price on Google's Gemini API pricing page; PricewarError when there are none."""
    text = _HIDDEN.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), read_text(body))
    check_complete(text, PAGE)
    text = _joined_rows(_as_markdown(text) if _is_html(text) else text)
    check_complete(text, PAGE)
    return unique_prices(
        (price for model, table in _model_tables(text) for price in _read_table(table, model)),
        PAGE,
    )


def _model_tables(text: str) -> Iterator[tuple[_Model | None, Table]]:
    """Every table of the page with the model and service tier it prices (None where the page names none).

    A table prices the model named last before it: by a heading, a bold line, a line of its own or an id in
    code. A table with no name since the one before it prices that one's model only where nothing but a
    service tier's heading ("Batch") comes between them: a description in between is another model's.
    """
    name: _Name | None = None
    tier = "standard"
    named = marked = prose = False  # since the last table
    last: _Model | None = None
    for kind, value in _blocks(text):
        if kind == "heading":
            level, title = value
            if len(title) <= 40 and _TIER_HEADING.match(title):
                tier, marked = title.split()[0].lower(), True
            elif name and level > name.level and not _is_model_name(title):
                prose = True  # "#### Model details" inside a model's section
            else:
                name, tier, named = _Name(_display_name(title), level), "standard", True
        elif kind == "tier":
            tier, marked = value, True
        elif kind == "name":
            name, tier, named = _Name(value, 7), "standard", True
        elif kind in ("ids", "mention"):
            if name and named and not name.ids and _is_title(name.title):
                # an id in prose under a name is its id only if it is the name's ("... as `gemini-2.5-flash`"
                # under "Gemini 2.5 Flash Image" is another model's)
                if kind == "ids" or value[0].startswith(_slug(name.title)):
                    name.ids = value
            elif not (named and name and name.ids):  # a section's heading ("Enterprise") is not the model's name
                name, tier, named = _Name("", 7, value), "standard", True
        elif kind == "studio":  # an AI Studio link's ?model=: the id of a named model that shows none in code
            if name and named and not name.ids:
                name.ids = value
        elif kind == "prose":
            prose = True
        else:
            for index, table in enumerate(tables(value)):
                if index == 0 and named:
                    last = name.model(tier) if name else None
                elif (index == 0 and (marked or not prose) or index > 0 and not table.before) and last:
                    last = _Model(last.ids, last.display_name, tier, last.slugged)  # the tier's next table
                else:
                    last = None
                yield last, table
            named = marked = prose = False


def _blocks(text: str) -> Iterator[tuple[str, object]]:
    """The page as a run of blocks: ("heading", (level, title)), ("tables", text) and, for each paragraph,
    what it says: ("name", display name), ("ids", ids) of a line of code, ("mention", ids) in prose, ("studio",
    ids) of an AI Studio link, ("tier", tier), or ("prose", text)."""
    lines = text.split("\n")
    offsets = list(accumulate((len(line) + 1 for line in lines), initial=0))
    in_table: set[int] = set()
    for start, end in html_table_spans(text):
        in_table.update(range(bisect_right(offsets, start) - 1, bisect_right(offsets, max(start, end - 1))))

    def is_table(index: int) -> bool:
        return index in in_table or lines[index].lstrip().startswith("|")

    index = 0
    while index < len(lines):
        line = lines[index]
        end = index + 1
        if is_table(index):
            while end < len(lines) and is_table(end):
                end += 1
            yield "tables", "\n".join(lines[index:end])
        elif heading := _heading(line):
            yield "heading", heading
        elif line.strip():
            while end < len(lines) and lines[end].strip() and not is_table(end) and not _heading(lines[end]):
                end += 1
            block = "\n".join(lines[index:end])
            yield ("tables", block) if "|" in block and tables(block) else _paragraph(block)
        index = end


def _heading(line: str) -> tuple[int, str] | None:
    if found := _MD_HEADING.match(line):
        return len(found.group(1)), _markdown_title(found.group(2))
    if found := _HTML_HEADING_LINE.match(line):
        return int(found.group(1)), cell_text(found.group(2))
    return None


def _paragraph(block: str) -> tuple[str, object]:
    """What one paragraph says of the tables after it: a model's name, its ids, a service tier, or nothing."""
    plain = _MD_LINK.sub(r"\1", block).replace("\\", "").strip()
    ids = _ids_line(plain)
    if ids:
        return "ids", ids
    if "\n" not in plain and not _LIST_ITEM.match(plain):
        bold = _BOLD_LINE.match(plain)
        words = _display_name((bold.group(2) if bold else plain).strip(" :"))
        if _TIER_WORD.match(words):
            return "tier", words.lower()
        if _NAME_WORDS.match(words) and (_is_model_name(words) or bold and _is_title(words)):
            return "name", words
    if not _LIST_ITEM.match(plain):
        spans = {span.strip().lower() for span in _CODE_SPAN.findall(plain)}
        spans = {span for span in spans if _ID.match(span) and _MODEL_ID.match(span)}
        if len(spans) == 1:
            return "mention", tuple(spans)
    if studio := _STUDIO_MODEL.search(block):
        return "studio", (studio.group(1).lower(),)
    return "prose", block


def _ids_line(line: str) -> tuple[str, ...]:
    """The ids of a line of code spans only (`*`gemini-2.5-pro`*`); () for any other line."""
    spans = [span.strip().lower() for span in _CODE_SPAN.findall(line)]
    if spans and not _CODE_SPAN.sub("", line).strip(" \t*_,") and all(_ID.match(span) for span in spans):
        return tuple(dict.fromkeys(spans))
    return ()


def _is_model_name(text: str) -> bool:
    """ "Gemini 1.5 Pro", "Gemma 3", "Text Embedding 004": a family's name and a version, not a section's title."""
    return len(text) <= 80 and bool(_MODEL_NAME.match(text)) and not _NOT_A_NAME.search(text)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.")


def _is_title(text: str) -> bool:
    """ "Gemini Embedding": a family's name, which may name a model whose id the page gives in code."""
    return bool(_MODEL_NAME_START.match(text)) and not _NOT_A_NAME.search(text)


def _is_html(text: str) -> bool:
    """An HTML page, not a Markdown one (which may hold an HTML table or two)."""
    return bool(_HTML_PAGE.search(text)) and not re.search(r"^[ \t]*\|.*\|[ \t]*$", text, re.MULTILINE)


def _as_markdown(page: str) -> str:
    """An HTML page as Markdown lines outside its tables: headings, paragraphs, bold, code and links kept,
    so the same reading serves both renditions. Each table stays HTML, on lines of its own."""
    pieces, at = [], 0
    for start, end in html_table_spans(page):
        pieces += [_html_text(page[at:start]), "\n\n", page[start:end].replace("\n", " "), "\n\n"]
        at = end
    return "".join([*pieces, _html_text(page[at:])])


def _html_text(html_text: str) -> str:
    text = _HTML_HEADING.sub(lambda m: f"\n\n{'#' * int(m.group(1))} {cell_text(m.group(2))}\n\n", html_text)
    text = _HTML_CODE.sub(lambda match: f"`{cell_text(match.group(1))}`", text)
    text = _HTML_BOLD.sub(lambda match: f"**{cell_text(match.group(2))}**", text)
    text = _HTML_LINK.sub(lambda match: f"[{cell_text(match.group(2))}]({match.group(1)})", text)
    text = _HTML_ITEM.sub("\n\n- ", text)
    return _TAG.sub("", _HTML_BLOCK.sub("\n\n", text))


def _joined_rows(text: str) -> str:
    """Table rows a rendition broke across lines ("| Input price | ... | $1.25, prompts <= 200k tokens  " then
    "$2.50, prompts > 200k tokens |") joined again, the break kept as <br />: the row ends at its last pipe."""
    lines = text.split("\n")
    joined: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.lstrip().startswith("|") and not _ROW_END.search(line):
            parts = [line.rstrip()]
            while index < len(lines) and lines[index].strip() and not lines[index].lstrip().startswith("|"):
                parts.append(lines[index].strip())
                index += 1
                if _ROW_END.search(parts[-1]):
                    break
            line = "<br />".join(parts)
        joined.append(line)
    return "\n".join(joined)


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
        named = f"{model.display_name or model.ids[0]} {model.service_tier}" if model else "unnamed model's"
        quotes = _read_cell(row[paid], unit, usd, f"{named} {kind}")
        if model is None:
            if quotes:  # a free-only row ("Not available") is no one's price, and needs no name
                raise PricewarError(
                    f"{PAGE} has a price table ('{row[0]}: {row[paid]}') that no model name comes before (a "
                    f"heading, a bold line or an id in code) — whose prices are they? ({LAYOUT_CHANGED})"
                )
            continue
        for quote in quotes:
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
