"""The domain: a published price, exact money, units, and the one error users see."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, getcontext

MTOK = "per 1M tokens"

# What a price is charged for. One token count each; everything else about the
# price (batch, context tier, region, thinking, off-peak hours) is a dimension below.
KINDS = ("input", "output", "cache_hit", "cache_write", "cache_write_1h")

# Dimensions of a price beyond provider, model, kind and currency. '' is the plain case,
# so that they take part in uniqueness and equality without NULL's surprises.
DIMENSIONS = ("service_tier", "context_tier", "region", "mode", "time_window")
# What tells one price from another (Price.key, in this order): a period of the history is one of these.
KEY_COLUMNS = ("provider", "model", "kind", "currency", *DIMENSIONS)
SERVICE_TIERS = ("standard", "batch", "flex", "priority")

# What a model is for. "chat" is every text-generating model (chat, completion, responses, reasoning).
MODEL_TYPES = ("chat", "embedding", "image", "audio")

# Tokens per published unit: a price per 1K tokens is multiplied by 1000 to be per 1M.
TOKENS_PER_UNIT = {
    "per token": Decimal(1),
    "per 1K tokens": Decimal(1_000),
    "per 1M tokens": Decimal(1_000_000),
}


# Outside these bounds a price per 1M tokens is a mistake or an attack, not a price: a billionth of a cent,
# or a billion of any currency.
SMALLEST, LARGEST = Decimal("1e-9"), Decimal("1e9")


# Each unit's tokens are a power of ten: per token x 10^6, per 1K x 10^3, per 1M x 10^0.
_DIGITS_TO_MTOK = {unit: 6 - len(str(int(tokens))) + 1 for unit, tokens in TOKENS_PER_UNIT.items()}


class PricewarError(Exception):
    """A failure with a sentence a user can act on; only the CLI turns it into output (exit 1)."""


class UsageError(PricewarError):
    """The user asked for something that cannot be: an unknown model, a bad date (exit 2)."""


# slots: a feed of 100,000 models makes 200,000 of them. Not frozen, though nothing assigns to a Price once made
# (dataclasses.replace makes another): a frozen dataclass sets each of its 19 fields through object.__setattr__,
# a quarter of a 100,000-model file's reading. Hashed by its fields, as a frozen one is.
@dataclass(slots=True, unsafe_hash=True)
class Price:
    """One published price, normalised to `per_mtok` (per 1M tokens) in `currency`.

    `published` keeps the amount and unit as the source wrote them. The dimension
    fields default to the plain case: standard service, no context tier, no region,
    no thinking/non-thinking split, all hours of the day. `key` (provider, model, kind,
    currency, then the dimensions) is what makes two prices the same price at different
    times, the source aside.
    """

    provider: str  # who sells it, a lower-case id: "deepseek", "openai"
    model: str  # the provider's own model id
    kind: str  # one of KINDS
    per_mtok: Decimal
    currency: str  # ISO 4217, as published: "USD", "CNY", "EUR"
    published: str = ""  # e.g. "$0.30 / MTok", "0.0008元/千tokens"; "" when it is per_mtok itself
    unit: str = MTOK  # the published unit, a key of TOKENS_PER_UNIT
    service_tier: str = "standard"  # one of SERVICE_TIERS
    context_tier: str = ""  # e.g. "<=200k", "0-128k"
    region: str = ""  # e.g. "cn-beijing", "international"
    mode: str = ""  # e.g. "thinking", "non-thinking"
    time_window: str = ""  # e.g. "off-peak UTC 16:30-00:30"; "" means all day
    effective_from: str | None = None  # YYYY-MM-DD when the source states it
    effective_to: str | None = None  # exclusive; only when the source says the price ended
    display_name: str = ""
    model_type: str = ""  # one of MODEL_TYPES when the source says; "" otherwise
    source_url: str = ""  # where this price was read, when not the page fetched (catalog entries)
    note: str = ""
    key: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # a plain attribute, not a property: read millions of times when a feed is recorded or replayed
        self.key = (self.provider, self.model, self.kind, self.currency, self.service_tier, self.context_tier,
                    self.region, self.mode, self.time_window)
        if self.kind not in KINDS:
            raise PricewarError(f"unknown price kind '{self.kind}' (one of {', '.join(KINDS)})")
        if self.service_tier not in SERVICE_TIERS:
            raise PricewarError(f"unknown service tier '{self.service_tier}'")
        amount = self.per_mtok
        if not isinstance(amount, Decimal) or not amount.is_finite():
            raise PricewarError(f"{self.model} {self.kind}: price must be an exact decimal")
        if amount < 0:
            raise PricewarError(f"{self.model} {self.kind}: price {amount} is negative")
        if not plausible(amount):
            raise PricewarError(f"{self.model} {self.kind}: {amount:g} per 1M tokens is no real price")
        if self.unit not in TOKENS_PER_UNIT:
            raise PricewarError(f"unknown unit '{self.unit}'")
        if self.effective_from is not None:
            day(self.effective_from, f"{self.model} {self.kind}: the day its price took effect")
        if self.effective_to is not None:
            day(self.effective_to, f"{self.model} {self.kind}: the day its price ended")
        texts = (self.provider, self.model, self.display_name, self.published, self.note)
        if "".join(texts).isascii():  # almost every price: one test, not five
            return
        for text in texts:
            if not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:  # a lone surrogate from a JSON escape: no database can store it
                    raise PricewarError(f"{text!r} is not valid Unicode text") from None


def plausible(per_mtok_amount: Decimal) -> bool:
    """Zero, or within the bounds a real price per 1M tokens can have."""
    return not per_mtok_amount or SMALLEST <= per_mtok_amount <= LARGEST


def decimal(text: str | int | Decimal) -> Decimal:
    """An exact Decimal from text as published ("0.14", "1,000", "1.4e-07"); raise on anything else."""
    if isinstance(text, Decimal):
        value = text
    else:
        cleaned = str(text).strip().replace(",", "").replace("_", "")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise PricewarError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise PricewarError(f"'{text}' is not a finite number")
    return value


def per_mtok(amount: Decimal, unit: str) -> Decimal:
    """Normalise an amount per `unit` (a key of TOKENS_PER_UNIT) to per 1M tokens, exactly; PricewarError
    when that cannot be done exactly (more digits than a Decimal keeps: never a rounded price)."""
    if len(amount.as_tuple().digits) > getcontext().prec:  # any arithmetic would round it
        raise PricewarError(f"'{amount}' has more digits than pricewar keeps exactly")
    try:
        return normalize(amount.scaleb(_DIGITS_TO_MTOK[unit]))  # units are powers of ten: a shift is exact
    except ArithmeticError:  # an exponent too large to write out
        raise PricewarError(f"'{amount}' has more digits than pricewar keeps exactly") from None


def from_float(value: float) -> Decimal:
    """The shortest decimal that round-trips a float (1.4e-07 -> 0.00000014, not 1.39999e-07)."""
    return Decimal(repr(float(value)))


def normalize(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation: 2.50 -> 2.5, 1E+1 -> 10."""
    value = value.normalize()
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


def format_amount(value: Decimal) -> str:
    """A price as plain text, never rounded away and never in exponent notation."""
    return f"{normalize(value):f}"


_CURRENCY_SIGNS = (
    ("US$", "USD"),
    ("$", "USD"),
    ("USD", "USD"),
    ("€", "EUR"),
    ("EUR", "EUR"),
    ("￥", "CNY"),
    ("¥", "CNY"),
    ("元", "CNY"),
    ("CNY", "CNY"),
    ("RMB", "CNY"),
)

_UNIT_PATTERNS = (
    (re.compile(r"(百万|1\s*M\b|1M|MTok|million|M\s*tokens|/\s*M\b)", re.I), "per 1M tokens"),
    (re.compile(r"(千|1\s*K\b|1K|thousand|K\s*tokens|/\s*K\b)", re.I), "per 1K tokens"),
)

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_EXPONENT = re.compile(r"[eE][+-]?\d")


@dataclass(frozen=True)
class Money:
    """An amount as published, with its currency and unit, parsed from text."""

    amount: Decimal
    currency: str | None
    unit: str | None

    @property
    def per_mtok(self) -> Decimal:
        return per_mtok(self.amount, self.unit or MTOK)


def parse_money(text: str, currency: str | None = None, unit: str | None = None) -> Money:
    """Read a published price such as "$0.30 / MTok", "0.8元", "￥5.00", "1.85€ / 1M tokens".

    `currency` and `unit` are what the surrounding table says when the cell does not;
    a sign or unit in the cell itself wins. Raises PricewarError when there is no number.
    """
    number = _NUMBER.search(text)
    if number is None:
        raise PricewarError(f"no price in '{text.strip()}'")
    before = text[:number.start()].rstrip(" $€¥￥").rstrip()
    if before.endswith(("-", "−")) and not before[:-1][-1:].isalnum():  # a sign, not the dash of "GPT-4"
        raise PricewarError(f"'{text.strip()}' is a negative price")
    if _EXPONENT.match(text, number.end()):
        raise PricewarError(f"'{text.strip()}' is written with an exponent, which no price page does")
    found_currency = next((code for sign, code in _CURRENCY_SIGNS if sign in text), currency)
    found_unit = next((name for pattern, name in _UNIT_PATTERNS if pattern.search(text)), unit)
    return Money(decimal(number[0]), found_currency, found_unit)


# Sources spell the same seller differently; every price is stored under the id on the right.
PROVIDER_ALIASES = {
    "dashscope": "alibaba",
    "qwen": "alibaba",
    "bigmodel": "zhipu",
    "z-ai": "zhipu",
    "zai": "zhipu",
    "zhipuai": "zhipu",
    "moonshotai": "moonshot",
    "moonshot-ai": "moonshot",
    "mistralai": "mistral",
    "x-ai": "xai",
    "meta-llama": "meta",
    "meta-ai": "meta",
    "volcengine": "bytedance",
    "doubao": "bytedance",
    "bytedance-seed": "bytedance",
    "gemini": "google",
    "minimax-ai": "minimax",
}


# --- when: every date and time that enters pricewar is checked here, and stored in one form -------------------

EARLIEST = "2020-01-01"  # no LLM API had a published price before OpenAI's opened in June 2020
WAR_STARTS = "2024-05-01"  # the month the price war opened: DeepSeek-V2 at 1 / 2 yuan on 2024-05-06
AHEAD_DAYS = 400  # how far ahead of today a maker may date a price it announces (a cut dated next month)
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def brief(text: object) -> str:
    """`text` as an error repeats it: at most 40 characters."""
    text = str(text)
    return text if len(text) <= 40 else text[:40] + "…"


def latest_day() -> str:
    """The last day a price can be dated: today (UTC) and AHEAD_DAYS."""
    import datetime as dt

    return (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=AHEAD_DAYS)).isoformat()


def day(text: object, what: str, latest: str | None = None) -> str:
    """`text`, a day as stored (YYYY-MM-DD): a real date from EARLIEST to `latest` (latest_day() unless given);
    PricewarError of one sentence naming `what` otherwise. A database never holds a day its readers cannot read."""
    import datetime as dt

    if not isinstance(text, str) or not DAY.fullmatch(text):
        raise PricewarError(f"{what}: '{brief(text)}' is not a date (use YYYY-MM-DD)")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise PricewarError(f"{what}: '{text}' is not a date (use YYYY-MM-DD)") from None
    end = latest or latest_day()
    if not EARLIEST <= text <= end:
        raise PricewarError(f"{what}: {text} is outside {EARLIEST} to {end}, the days a price can have")
    return text


def moment(text: object, what: str, latest: str) -> str:
    """`text` (YYYY-MM-DD, or an ISO date and time, UTC unless it names an offset) as stored: UTC to the second,
    YYYY-MM-DDTHH:MM:SSZ, from EARLIEST to `latest` (a stored moment); PricewarError of one sentence otherwise."""
    import datetime as dt

    if not isinstance(text, str) or len(text.strip()) > 40:
        raise PricewarError(f"{what}: '{brief(text)}' is not a date or time "
                            "(use YYYY-MM-DD or 2025-03-01T12:00:00+08:00)")
    try:
        parsed = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.timezone.utc)
        stamp = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    except (ValueError, OverflowError):  # not a time; or a year 1 or 9999 that UTC moves out of the calendar
        raise PricewarError(f"{what}: '{brief(text)}' is not a date or time "
                            "(use YYYY-MM-DD or 2025-03-01T12:00:00+08:00)") from None
    if not DAY.fullmatch(stamp[:10]) or stamp[:10] < EARLIEST:
        raise PricewarError(f"{what}: {brief(text)} is before {EARLIEST}, when no LLM API had a price")
    if stamp > latest:
        raise PricewarError(f"{what}: {brief(text)} is in the future; a page cannot have been seen then")
    return stamp


def canonical_provider(name: str) -> str:
    """The one id a seller is stored under ("mistralai" -> "mistral", "Qwen" -> "alibaba")."""
    key = name.strip().lower()
    return PROVIDER_ALIASES.get(key, key)


def close_matches(word: str, candidates, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates closest to a mistyped word, for a "did you mean" (difflib loads only when asked)."""
    import difflib

    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=cutoff)
