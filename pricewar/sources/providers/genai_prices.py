"""pydantic/genai-prices' price data: USD per 1M tokens, per provider (MIT licensed).

`prices/data.json` is a list of providers, each with `models`; a model's `prices` hold USD per 1M
tokens (`input_mtok`, `output_mtok`, `cache_read_mtok`, `cache_write_mtok`). The provider entry's
id names the seller (canonical_provider), the model's id is kept as written.

A price field is a number, or tiered: `{"base": x, "tiers": [{"start": n, "price": y}]}` gives the
base with context_tier "" and each tier with context_tier ">{n/1000}k".

`prices` is either one set of prices or a list of conditional ones:
- `{"start_date": "YYYY-MM-DD"}` -> that set has effective_from of that date; the unconstrained
  set (the earlier prices) has effective_from None. Each set but the latest also gets
  effective_to, the next start date, since the source says the later price replaced it then.
- `{"start_time", "end_time"}` (time of day) -> the two sets are the normal and the off-peak
  price, but which is which is not in the encoding: DeepSeek's file puts the cheaper off-peak
  prices *unconstrained* and constrains the standard ones to UTC 00:30-16:30. So the cheaper set
  is the off-peak one, with time_window "off-peak UTC hh:mm-hh:mm" for the hours it applies; the
  dearer set is the normal price (time_window ""). When neither set is cheaper, the model is skipped.
Any other constraint, or a mix of kinds of constraint, skips the model rather than guess which
hours or days a price holds. Google's entry also prices the Claude models Vertex AI sells: those go under
Vertex's id for them, as LiteLLM names it (vertex_ai-anthropic_models), never under Google. Unknown field
shapes and unreadable amounts are skipped per field;
a literal 0 is a price of zero. Two entries giving one price key and start date keep the first.
"""

from __future__ import annotations

import decimal as decimal_module
from datetime import date, time, timedelta
from decimal import Decimal

from pricewar.price import Price, PricewarError, canonical_provider, decimal, from_float, normalize
from pricewar.sources.body import read_json

# The file that holds a snapshot in each commit of an archive (`pricewar backfill`).
ARCHIVE_FILE = "data.json"
URLS = ("https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/data.json",)

SOURCE = "genai-prices' price data"

# Audio, image and per-request prices are not per text token, so they have no kind here.
KINDS_BY_FIELD = {
    "input_mtok": "input",
    "output_mtok": "output",
    "cache_read_mtok": "cache_hit",
    "cache_write_mtok": "cache_write",
}

# One set of prices and when it holds: (fields, effective_from, effective_to, time_window).
Conditioned = tuple[dict, str | None, str | None, str]


def parse(body: bytes) -> list[Price]:
    """Every per-token text price in genai-prices' data; PricewarError when there are none."""
    document = read_json(body, SOURCE)
    if not isinstance(document, list):
        raise PricewarError(f"{SOURCE} is not a JSON list of providers — has the file's format changed?")
    prices: dict[tuple, Price] = {}
    for entry in document:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"].strip():
            continue
        provider = canonical_provider(entry["id"])
        models = entry.get("models")
        for model in models if isinstance(models, list) else []:
            for price in _prices(_seller(provider, model), model):
                # A price that changed on a date appears twice under one key: the date tells them apart.
                prices.setdefault((*price.key, price.effective_from), price)
    if not prices:
        raise PricewarError(f"No prices found in {SOURCE} — has the file's format changed?")
    return list(prices.values())


# Google's entry lists the Claude models Vertex AI sells: Vertex's prices, not Google's own models (one id, one model)
HOSTED = {("google", "claude"): "vertex_ai-anthropic_models"}


def _seller(provider: str, model: object) -> str:
    """Who sells `model` as this entry prices it: its provider, or the cloud it names for another maker's model."""
    model_id = model.get("id") if isinstance(model, dict) else None
    family = model_id.split("-", 1)[0].lower() if isinstance(model_id, str) else ""
    return HOSTED.get((provider, family), provider)


def _prices(provider: str, model: object) -> list[Price]:
    if not isinstance(model, dict) or not isinstance(model.get("id"), str) or not model["id"].strip():
        return []
    name = model.get("name")
    return [
        Price(
            provider=provider,
            model=model["id"],
            kind=kind,
            per_mtok=amount,
            currency="USD",
            context_tier=context_tier,
            time_window=time_window,
            effective_from=effective_from,
            effective_to=effective_to,
            display_name=name if isinstance(name, str) else "",
        )
        for fields, effective_from, effective_to, time_window in _conditions(model.get("prices"))
        for field, kind in KINDS_BY_FIELD.items()
        for context_tier, amount in _tiers(fields.get(field))
    ]


def _conditions(prices: object) -> list[Conditioned]:
    """Each set of prices with when it holds; [] when that cannot be told for certain."""
    if isinstance(prices, dict):
        return [(prices, None, None, "")]
    if not isinstance(prices, list) or not prices:
        return []
    sets: list[tuple[dict, dict]] = []
    for item in prices:
        if not isinstance(item, dict) or not isinstance(item.get("prices"), dict):
            return []
        constraint = item.get("constraint") or {}
        if not isinstance(constraint, dict):
            return []
        sets.append((item["prices"], constraint))
    shapes = {frozenset(constraint) for _, constraint in sets if constraint}
    if shapes <= {frozenset({"start_date"})}:
        return _dated(sets)
    if shapes == {frozenset({"start_time", "end_time"})}:
        return _off_peak(sets)
    return []


def _dated(sets: list[tuple[dict, dict]]) -> list[Conditioned]:
    """Each set from its start date (None: from the start) until the next set's start date."""
    days = [_date(constraint.get("start_date")) if constraint else "" for _, constraint in sets]
    if None in days or len(set(days)) < len(days):  # two sets for one day: which holds is not said
        return []
    return [
        (fields, day or None, min((later for later in days if later > day), default=None), "")
        for (fields, _), day in zip(sets, days)
    ]


def _off_peak(sets: list[tuple[dict, dict]]) -> list[Conditioned]:
    """The normal and the off-peak price from one unconstrained and one time-of-day set."""
    defaults = [fields for fields, constraint in sets if not constraint]
    windows = [(fields, constraint) for fields, constraint in sets if constraint]
    if len(defaults) != 1 or len(windows) != 1:
        return []
    default, (constrained, window) = defaults[0], windows[0]
    start, end = _utc(window.get("start_time")), _utc(window.get("end_time"))
    if start is None or end is None or start == end:
        return []
    if _cheaper(constrained, default):
        return [(default, None, None, ""), (constrained, None, None, f"off-peak UTC {start}-{end}")]
    if _cheaper(default, constrained):
        # The unconstrained set holds outside the constraint's hours: from its end to its start.
        return [(constrained, None, None, ""), (default, None, None, f"off-peak UTC {end}-{start}")]
    return []


def _cheaper(these: dict, those: dict) -> bool:
    """True when `these` prices are nowhere dearer than `those`, and somewhere cheaper."""
    pairs = [(_flat(these.get(field)), _flat(those.get(field))) for field in KINDS_BY_FIELD]
    pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
    return bool(pairs) and all(a <= b for a, b in pairs) and any(a < b for a, b in pairs)


def _flat(raw: object) -> Decimal | None:
    tiers = _tiers(raw)
    return tiers[0][1] if len(tiers) == 1 else None


def _tiers(raw: object) -> list[tuple[str, Decimal]]:
    """(context_tier, USD per 1M tokens) for a plain or tiered price; [] for shapes not known."""
    if not isinstance(raw, dict):
        amount = _amount(raw)
        return [] if amount is None else [("", amount)]
    base, tiers = _amount(raw.get("base")), raw.get("tiers")
    if base is None or not isinstance(tiers, list):
        return []
    found = [("", base)]
    for tier in tiers:
        start = tier.get("start") if isinstance(tier, dict) else None
        amount = _amount(tier.get("price")) if isinstance(tier, dict) else None
        if isinstance(start, int) and not isinstance(start, bool) and start > 0 and amount is not None:
            found.append((f">{start // 1000}k" if start % 1000 == 0 else f">{start}", amount))
    return found


def _amount(raw: object) -> Decimal | None:
    """A JSON number (or numeric string) as an exact non-negative Decimal; None otherwise."""
    try:
        if isinstance(raw, Decimal):
            value = raw
        elif isinstance(raw, float):
            value = from_float(raw)
        elif isinstance(raw, int) and not isinstance(raw, bool):
            value = Decimal(raw)
        elif isinstance(raw, str):
            value = decimal(raw)
        else:
            return None
        if not value.is_finite() or value.is_signed():  # negative, or a -0.0 nobody means
            return None
        with decimal_module.localcontext() as context:
            # More digits than Decimal holds would be rounded silently: skip such a price instead.
            context.traps[decimal_module.Inexact] = True
            return normalize(value)
    except (PricewarError, ArithmeticError):
        return None


def _date(raw: object) -> str | None:
    try:
        return date.fromisoformat(raw).isoformat() if isinstance(raw, str) else None
    except ValueError:
        return None


def _utc(raw: object) -> str | None:
    """"00:30:00Z" -> "00:30" (UTC); None without a stated time zone or when not a time."""
    try:
        moment = time.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    offset = moment.utcoffset() if moment is not None else None
    if offset is None:
        return None
    seconds = (moment.hour * 3600 + moment.minute * 60 + moment.second - offset // timedelta(seconds=1)) % 86400
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")
