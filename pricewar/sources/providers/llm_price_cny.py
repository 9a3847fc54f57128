"""syaoranwe/LLM-Price: a hand-kept Markdown list of LLM API prices, CNY per 1M tokens (README.md).

The list has one `## <family>系列` section per model family (GPT, Claude, Gemini, GLM, Deepseek, Qwen,
Doubao, ERNIE, Hunyuan, Moonshot, MiniMax, ...), each with a table
`模型 | 输入价格（元/M Tokens） | 输出价格（元/M Tokens） | 上下文窗口大小（K） | 备注` (the GPT table says
文本模态输入价格, text-modality prices) and a `最后更新日期` line of its own. The section names the maker
(SECTIONS; provider = that maker's id); a priced row under a section whose maker is not known, or a table
with a column that cannot be placed, raises PricewarError naming it rather than being passed over, as does a
table that is not a Markdown pipe table (HTML, plain text).
Passed over as known layouts: `### 微调价格` tables (a 微调训练语料 column: fine-tuned models' prices) and the
`模板` (template) section.

Currency. Every amount is written in yuan, but the intro says dollar prices are converted at 7.2 CNY per USD,
and that converted figure is no price anyone published. So in the sections of Western makers (WESTERN:
OpenAI, Anthropic, Google, xAI, Mistral, Cohere) a row is recorded in USD as yuan / 7.2, and only when that
division is exact and gives at most 4 decimals (36 -> 5, 0.27 -> 0.0375) for every amount of the row;
otherwise the whole row is skipped. Chinese makers' rows are CNY as written. `published` keeps the yuan
("36 元/M Tokens ÷ 7.2" for a converted one).

Whose price. Only the maker's own: a table whose caption (the text since the previous table or heading,
without the section's standard 模型提供平台 / API / 审查情况 lines) names a third-party platform (RESELLERS:
openrouter, together.ai, siliconflow, Baidu Qianfan for DeepSeek, DeepInfra, ...) is skipped, and so is a row
whose note names a platform (平台：X, 推理平台X, X报价) other than the maker's own (阿里云 for Qwen).

Cells. A cell is an amount with optional remarks in brackets: "2（缓存命中为0.5）" is input 2 and cache_hit
0.5, as is a note "输入击中缓存价格1元/MToks". A discount ("缓存击中则打5折") derives a price nobody wrote, so
it is not read. A cell listing modalities ("0.72(文本/图片/视频模态) / 5.04(音频模态)") gives the text one
(文本, 仅文本, 除音频模态外, 所有模态); a cell that has no single text amount, a range ("0.5-0.8") or words is
no price. 0 is a price of zero (the list marks free models 0 / 0).

Model ids: the 模型 cell lower-cased, bracketed remarks dropped ("deepseek-chat（基于DeepSeek-V2）" ->
deepseek-chat), spaces as hyphens ("ERNIE 4.0 Turbo" -> ernie-4.0-turbo), a few names mapped to the maker's
API id (IDS: mistral-large -> mistral-large-latest, abab6.5s -> abab6.5s-chat, ...). A series row names a
model only where the series is one id (SERIES: ERNIE Speed系列 -> ernie-speed, Lite, Tiny); a series of
versions ("ERNIE 4.0系列", several models priced apart) is skipped. "qwen3-4b/1.7b/0.6b" is three models at
one price; ":thinking" after an id is that model's mode "thinking". `display_name` is the cell as written,
`note` the row's 备注 and the table's 最后更新日期. Dates are not read as effective dates: the update date says
when the list was edited, not when a price started.
"""

from __future__ import annotations

import re
from decimal import Decimal, Inexact, localcontext

from pricewar.price import MTOK, Price, PricewarError, decimal, normalize
from pricewar.sources.body import LAYOUT_CHANGED, check_complete, read_text, unique_prices
from pricewar.sources.tables import Table, tables

URLS = ("https://raw.githubusercontent.com/syaoranwe/LLM-Price/main/README.md",)
# The file that holds a snapshot in each commit of an archive (`pricewar backfill`).
ARCHIVE_FILE = "README.md"

SOURCE = "the LLM-Price list (syaoranwe/LLM-Price)"
USD_RATE = Decimal("7.2")  # CNY per USD, as the list's intro says it converts
MOST_DECIMALS = 4  # a published dollar price per 1M tokens has at most these ($0.0375)

# A word in a section heading -> the maker whose prices the section lists, first match wins.
SECTIONS = (
    ("gpt", "openai"), ("claude", "anthropic"), ("gemini", "google"), ("gemma", "google"), ("grok", "xai"),
    ("glm", "zhipu"), ("deepseek", "deepseek"), ("mistral", "mistral"), ("混元", "tencent"),
    ("零一万物", "01-ai"), ("通义千问", "alibaba"), ("qwen", "alibaba"), ("豆包", "bytedance"),
    ("doubao", "bytedance"), ("文心", "baidu"), ("ernie", "baidu"), ("cohere", "cohere"),
    ("月之暗面", "moonshot"), ("moonshot", "moonshot"), ("minimax", "minimax"), ("百川", "baichuan"),
)
TEMPLATE = "模板"
WESTERN = frozenset({"openai", "anthropic", "google", "xai", "mistral", "cohere"})
RESELLERS = ("openrouter", "together", "siliconflow", "硅基流动", "千帆", "deepinfra", "nebius", "hyperbolic",
             "parasail", "azure", "aws", "bedrock", "火山")
# A maker's own platform, which a caption or note may name without the price being a reseller's.
OWN_PLATFORMS = {"alibaba": ("阿里云", "百炼", "dashscope", "aliyun"), "google": ("谷歌", "google"),
                 "bytedance": ("火山", "字节", "volcengine"), "baidu": ("千帆", "百度")}
# The section's standard lines, which name every platform the family is sold on: not a table's caption.
_INTRO = re.compile(r"^\s*(模型提供平台|API是否兼容|审查情况)")

SERIES = {"ernie speed": "ernie-speed", "ernie lite": "ernie-lite", "ernie tiny": "ernie-tiny"}
IDS = {
    "mistral-large": "mistral-large-latest", "mistral-small": "mistral-small-latest",
    "pixtral-large": "pixtral-large-latest", "codestral": "codestral-latest",
    "mistral-medium-3": "mistral-medium-2505", "abab6.5s": "abab6.5s-chat",
}

_UNIT = r"[（(]\s*元\s*/\s*M\s*Tokens\s*[）)]"
COLUMNS = (
    (re.compile(r"模型"), "model"),
    (re.compile(rf"(文本模态)?输入价格{_UNIT}", re.I), "input"),
    (re.compile(rf"(文本模态)?输出价格{_UNIT}", re.I), "output"),
    (re.compile(rf"微调训练语料输入价格{_UNIT}", re.I), "training"),
    (re.compile(r"上下文窗口大小.*"), "context"),
    (re.compile(r"备注"), "note"),
)

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_UPDATED = re.compile(r"最后更新日期\s*[：:]\s*(\d{4}-\d{2}-\d{2})")
_BRACKETS = re.compile(r"[（(][^（()）]*[）)]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CACHE_REMARK = re.compile(r"(?:缓存命中|命中缓存|缓存击中|击中缓存)(?:为|价格)?\s*(\d+(?:\.\d+)?)(?:\s*元.*)?")
_CACHE_NOTE = re.compile(r"输入(?:击中|命中)缓存价格\s*(\d+(?:\.\d+)?)\s*元\s*/\s*MToks?", re.I)
_TEXT_MODALITY = re.compile(r"文本|除音频模态外|所有模态")
_OTHER_MODALITY = re.compile(r"含其他模态|^音频|^视觉|^图片")
_ROW_PLATFORM = re.compile(r"平台\s*[：:]\s*([^\s；;，,/（(]+)|推理平台\s*([A-Za-z][\w.\-]*)|([A-Za-z][\w.\-]*)报价")
_ID_PART = re.compile(r"[\w.]+")

Amount = tuple[Decimal, Decimal | None]  # (the amount, a cache-hit amount its remark states)


def parse(body: bytes) -> list[Price]:
    """Every maker's own per-token price in the list; PricewarError when there is none or a table is unknown."""
    text = read_text(body)
    check_complete(text, SOURCE)
    captioned = list(_captioned_tables(text))
    if len(captioned) != len(tables(text)):  # an HTML or plain-text table, which has no caption read here
        raise PricewarError(f"{SOURCE} holds a table that is not a Markdown pipe table — {LAYOUT_CHANGED}")
    found: list[Price] = []
    for section, caption, table in captioned:
        found += _read_table(section, caption, table)
    return unique_prices(found, SOURCE)


def _captioned_tables(text: str):
    """(its ## section, its caption, the table) for each pipe table: the caption is the text since the
    previous table or heading, which says whose prices a table holds ("**openrouter**平台价格")."""
    lines = text.replace("\r\n", "\n").split("\n")
    section, caption, i = "", [], 0
    while i < len(lines):
        line = lines[i]
        if heading := _HEADING.match(line):
            section = heading.group(2) if len(heading.group(1)) <= 2 else section
            caption = []
        elif "|" in line and i + 1 < len(lines) and _SEPARATOR.match(lines[i + 1]) and "|" in lines[i + 1]:
            end = i + 2
            while end < len(lines) and "|" in lines[end] and lines[end].strip():
                end += 1
            for table in tables("\n".join(lines[i:end])):
                yield section, "\n".join(caption), table
            caption, i = [], end
            continue
        elif line.strip() and not _INTRO.match(line):
            caption.append(line.strip())
        i += 1


def _read_table(section: str, caption: str, table: Table) -> list[Price]:
    roles = _roles(section, table.rows[0])
    if "training" in roles or section.strip() == TEMPLATE:
        return []  # fine-tuning prices, or the template's empty rows
    at = {role: roles.index(role) for role in ("model", "input", "output") if roles.count(role) == 1}
    if len(at) < 3:
        raise PricewarError(f"{SOURCE}: a table under '{section}' lacks one model, input and output column — "
                            f"{LAYOUT_CHANGED}")
    rows = [row for row in table.rows[1:] if row[at["model"]].strip()]
    if not rows:
        return []
    maker = _maker(section)
    if _names_reseller(caption, maker):
        return []
    updated = _UPDATED.search(caption)
    note_at = roles.index("note") if "note" in roles else None
    prices: list[Price] = []
    for row in rows:
        note = row[note_at].strip() if note_at is not None else ""
        if _resold(note, maker):
            continue
        notes = "; ".join(filter(None, [note, f"table updated {updated.group(1)}" if updated else ""]))
        prices += _row_prices(maker, row[at["model"]].strip(), row[at["input"]], row[at["output"]], note, notes)
    return prices


def _roles(section: str, header: list[str]) -> list[str]:
    """What each column holds; PricewarError naming a column no layout of the list has."""
    roles = []
    for cell in header:
        role = next((role for pattern, role in COLUMNS if pattern.fullmatch(cell.strip())), None)
        if role is None:
            raise PricewarError(f"{SOURCE}: a table under '{section}' has a column '{cell}' that pricewar cannot "
                                f"place — {LAYOUT_CHANGED}")
        roles.append(role)
    return roles


def _maker(section: str) -> str:
    lowered = section.lower()
    maker = next((maker for word, maker in SECTIONS if word in lowered), None)
    if maker is None:
        raise PricewarError(f"{SOURCE}: the section '{section}' prices models of a maker pricewar does not know — "
                            f"{LAYOUT_CHANGED}")
    return maker


def _names_reseller(caption: str, maker: str) -> bool:
    lowered = caption.lower()
    own = OWN_PLATFORMS.get(maker, ())
    return any(word in lowered for word in RESELLERS if word not in own)


def _resold(note: str, maker: str) -> bool:
    """Whether a row's note says another platform's price ("平台：DeepInfra", "DeepInfra报价")."""
    named = _ROW_PLATFORM.search(note)
    if named is None:
        return False
    platform = next(group for group in named.groups() if group).removesuffix("报价").lower()
    return not any(own in platform for own in OWN_PLATFORMS.get(maker, ()))


def _row_prices(maker: str, name: str, input_cell: str, output_cell: str, note: str, notes: str) -> list[Price]:
    ids = _ids(name)
    read = {"input": _amount(input_cell), "output": _amount(output_cell)}
    amounts: dict[str, Decimal] = {kind: found[0] for kind, found in read.items() if found is not None}
    cache = read["input"][1] if read["input"] is not None else None
    if cache is None and (stated := _CACHE_NOTE.fullmatch(note)):
        cache = decimal(stated.group(1))
    if cache is not None:
        amounts["cache_hit"] = cache
    if not ids or not amounts:
        return []
    currency, converted = "CNY", dict(amounts)
    if maker in WESTERN:
        currency = "USD"
        converted = {kind: usd for kind, amount in amounts.items() if (usd := _usd(amount)) is not None}
        if len(converted) < len(amounts):
            return []  # not a clean conversion of a dollar price: no price anyone published
    suffix = " ÷ 7.2" if currency == "USD" else ""
    return [Price(provider=maker, model=model, kind=kind, per_mtok=converted[kind], currency=currency,
                  published=f"{amount:f} 元/M Tokens{suffix}", unit=MTOK, mode=mode, display_name=name, note=notes)
            for model, mode in ids for kind, amount in amounts.items()]


def _ids(name: str) -> list[tuple[str, str]]:
    """(model id, mode) of each model a 模型 cell names; [] when it names none for certain."""
    plain = " ".join(_BRACKETS.sub(" ", name).split())
    if plain.endswith("系列"):
        series = SERIES.get(plain.removesuffix("系列").strip().lower())
        return [(series, "")] if series else []
    mode = ""
    if plain.lower().endswith(":thinking"):
        plain, mode = plain[: -len(":thinking")], "thinking"
    first, *others = [part.strip() for part in plain.split("/")]
    if others and not all(_ID_PART.fullmatch(other) for other in others):
        return []  # "GLM-4-Flash / GLM-4-9B": not one stem's sizes
    stem = first.rsplit("-", 1)[0]
    names = [first, *(f"{stem}-{other}" for other in others)]
    ids = [re.sub(r"\s+", "-", each.lower()) for each in names if each]
    return [(IDS.get(each, each), mode) for each in ids]


def _amount(cell: str) -> Amount | None:
    """The text-token amount of a price cell and the cache-hit amount its remark states; None for no price."""
    parts = _parts(cell)
    if len(parts) > 1:
        parts = [part for part in parts if any(_TEXT_MODALITY.search(r) and not _OTHER_MODALITY.search(r)
                                               for r in part[1])]
    if len(parts) != 1 or not parts[0][0] or not _NUMBER.fullmatch(parts[0][0]):
        return None
    number, remarks = parts[0]
    cache = next((decimal(m.group(1)) for r in remarks if (m := _CACHE_REMARK.fullmatch(r))), None)
    return decimal(number), cache


def _parts(cell: str) -> list[tuple[str, list[str]]]:
    """A cell split at the slashes outside brackets: (its text without brackets, the bracketed remarks)."""
    parts, depth, current = [], 0, ""
    for char in cell:
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(depth - 1, 0)
        if char == "/" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    found = []
    for part in parts:
        remarks = [remark.strip("（()） ") for remark in re.findall(r"[（(][^（()）]*[）)]", part)]
        found.append((" ".join(_BRACKETS.sub(" ", part).split()), remarks))
    return found


def _usd(yuan: Decimal) -> Decimal | None:
    """yuan / 7.2 when that is exact and has at most MOST_DECIMALS decimals; else None."""
    with localcontext() as context:
        context.traps[Inexact] = True
        try:
            usd = normalize(yuan / USD_RATE)
        except Inexact:
            return None
    return usd if -usd.as_tuple().exponent <= MOST_DECIMALS else None
