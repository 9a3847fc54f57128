"""models.dev's open model catalogue (anomalyco/models.dev, MIT): USD per 1M tokens, for Chinese vendors.

Two shapes are read, told apart by their keys:
- the live API, https://models.dev/api.json: `{provider id: {"id", "name", ..., "models": {model id:
  {"name", "cost", "modalities", ...}}}}`;
- the archive's combined file (`models-dev-china.json`): `{"<provider id>/provider": {...},
  "<provider id>/models/<model id>": {...}}`, each value one of models.dev's TOML files, parsed. The model
  id is everything after "/models/" (SiliconFlow's ids hold slashes: "Pro/deepseek-ai/DeepSeek-V3").

Only the providers in PROVIDERS are read (the fourteen the archive keeps; api.json's others are skipped),
each under the seller's canonical id and a region: a "-cn" provider is the vendor's China platform
(region "cn"), as is `zhipuai` (open.bigmodel.cn) beside `zai` (z.ai); `alibaba` (dashscope-intl) is
region "international", the names pricewar's alibaba adapter gives 中国内地 and 国际. Every other provider
has region "" — so one model id priced differently on a vendor's two platforms is two price keys.
`siliconflow-cn` resells other makers' models: its prices stay under "siliconflow", never the maker; the
same goes for the third-party models `alibaba-cn` sells (deepseek-v3, kimi-k2.5: under "alibaba").
`bailing` is Ant Group's Ling platform, stored as "inclusionai" (the id Ant's models have elsewhere in
the record). Model ids are lower-cased ("MiniMax-M2" -> "minimax-m2"), otherwise kept as models.dev
writes them ("qwen2-5-72b-instruct", not Alibaba's "qwen2.5-72b-instruct"): an id is not guessed.

`cost` is USD per 1M tokens. models.dev converts CNY list prices to dollars itself (alibaba-cn
qwen-plus 0.115 for ¥0.8): those figures are recorded as the USD models.dev publishes, never converted
back. Read: `input`, `output`, cache reads (`cache_read`, else the spellings `cached_input`,
`cache_input`, `inputCached`) -> cache_hit, cache writes (`cache_write`, else `cached_write`) ->
cache_write. `reasoning`, where it differs from `output`, is the output price in thinking mode (as
models.dev gives Qwen's 非思考 / 思考 split): every price then has mode "non-thinking" and "thinking"
(the input and cache prices, the same in both, once in each, so that each mode is a whole offer);
where it equals `output` there is one output price, mode "". Context tiers: each `tiers[]` entry
`{"tier": {"type": "context", "size": N}, ...}` (a tier without a type is a context tier too) gives
its prices with context_tier ">{N/1000}k"; `context_over_200k` gives ">200k". Skipped: `input_audio`,
`output_audio` and any other field (not per text token), a model whose stated modalities do not take
text in and give text out (speech recognition, captioners: their prices are per audio token), and any
value that is not a non-negative number. A literal 0 is a price of zero: models.dev lists free models
(glm-4.7-flash) that way, and also, for a day or less, some models on their launch day before it
knows their price (kimi-k2.5 on 2026-01-27, glm-5 on 2026-02-11); no rule within one version tells
those apart, so they are recorded as listed.

An entry with no `cost` of its own that `extends` another (`{"from": "deepseek/deepseek-v4-flash"}`,
in the combined file of 2026-04 to 2026-06) takes that entry's fields under its own, as api.json
would show it; a pointer to an entry not in the file is no price. Two entries giving one price key
keep the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pricewar.price import Price, PricewarError, canonical_provider
from pricewar.sources.body import json_price, read_json

# The file that holds a snapshot in each commit of an archive (`pricewar backfill`).
ARCHIVE_FILE = "models-dev-china.json"
URLS = ("https://models.dev/api.json",)

SOURCE = "models.dev's model list"

# models.dev provider id -> (who sells it, region).
PROVIDERS = {
    "deepseek": ("deepseek", ""),
    "zai": ("zhipu", ""),
    "zhipuai": ("zhipu", "cn"),
    "moonshotai": ("moonshot", ""),
    "moonshotai-cn": ("moonshot", "cn"),
    "alibaba": ("alibaba", "international"),
    "alibaba-cn": ("alibaba", "cn"),
    "minimax": ("minimax", ""),
    "minimax-cn": ("minimax", "cn"),
    "stepfun": ("stepfun", ""),
    "tencent-tokenhub": ("tencent", ""),
    "xiaomi": ("xiaomi", ""),
    "bailing": ("inclusionai", ""),
    "siliconflow-cn": ("siliconflow", "cn"),
}

# Cost field -> kind. Order is precedence: the first field read for a kind wins.
KINDS_BY_FIELD = {
    "input": "input",
    "output": "output",
    "cache_read": "cache_hit",
    "cached_input": "cache_hit",
    "cache_input": "cache_hit",
    "inputCached": "cache_hit",
    "cache_write": "cache_write",
    "cached_write": "cache_write",
}
# models.dev's one long-context field outside `tiers`.
OVER_200K = "context_over_200k"

_COMBINED_MARKERS = ("/provider", "/models/")


def parse(body: bytes) -> list[Price]:
    """Every per-token text price models.dev gives the providers in PROVIDERS; PricewarError when none."""
    document = read_json(body, SOURCE)
    entries = _entries(document)
    prices: dict[tuple[str, ...], Price] = {}
    for (provider_id, model_id), entry in entries.items():
        seller = PROVIDERS.get(provider_id)
        if seller is None:
            continue
        for price in _prices(*seller, model_id, _resolved(entry, entries)):
            prices.setdefault(price.key, price)
    if not prices:
        raise PricewarError(f"No prices found in {SOURCE} — has its format changed?")
    return list(prices.values())


def _entries(document: object) -> dict[tuple[str, str], dict]:
    """(models.dev provider id, model id) -> that model's entry, from either shape of the file."""
    if not isinstance(document, dict):
        raise PricewarError(f"{SOURCE} is not a JSON object of providers — has its format changed?")
    found: dict[tuple[str, str], dict] = {}
    if any(marker in key for key in document for marker in _COMBINED_MARKERS):
        for key, entry in document.items():
            provider_id, marker, model_id = key.partition("/models/")
            if marker and provider_id and model_id and isinstance(entry, dict):
                found[(provider_id, model_id)] = entry
        return found
    for provider_id, provider in document.items():
        models = provider.get("models") if isinstance(provider, dict) else None
        if not isinstance(models, dict):
            raise PricewarError(f"{SOURCE} has a provider '{provider_id}' without models — has its format changed?")
        for model_id, entry in models.items():
            if isinstance(entry, dict):
                found[(provider_id, model_id)] = entry
    return found


def _resolved(entry: dict, entries: dict[tuple[str, str], dict]) -> dict:
    """The entry with what it `extends` filled in under its own fields (one step; none when not found)."""
    if "cost" in entry or not isinstance(entry.get("extends"), dict):
        return entry
    target = entry["extends"].get("from")
    provider_id, slash, model_id = target.partition("/") if isinstance(target, str) else ("", "", "")
    base = entries.get((provider_id, model_id)) if slash else None
    return {**base, **entry} if base is not None else entry


def _prices(provider: str, region: str, model_id: str, entry: dict) -> list[Price]:
    cost = entry.get("cost")
    if not isinstance(cost, dict) or not _text_in_and_out(entry):
        return []
    name = entry.get("name")
    return [
        Price(provider=canonical_provider(provider), model=model_id.lower(), kind=kind, per_mtok=amount,
              currency="USD", region=region, context_tier=context_tier, mode=mode,
              display_name=name if isinstance(name, str) else "")
        for context_tier, fields in _tiers(cost)
        for kind, mode, amount in _read(fields, thinking=not context_tier)
    ]


def _text_in_and_out(entry: dict) -> bool:
    """False when the model's stated modalities take no text in or give no text out."""
    modalities = entry.get("modalities")
    if not isinstance(modalities, dict):
        return True
    given, made = modalities.get("input"), modalities.get("output")
    return not (isinstance(given, list) and "text" not in given) and not (isinstance(made, list) and "text" not in made)


def _tiers(cost: dict) -> Iterator[tuple[str, dict]]:
    """(context_tier, fields) for the base prices and each long-context tier."""
    yield "", cost
    if isinstance(cost.get(OVER_200K), dict):
        yield ">200k", cost[OVER_200K]
    for tier in cost.get("tiers") if isinstance(cost.get("tiers"), list) else []:
        spec = tier.get("tier") if isinstance(tier, dict) else None
        size = spec.get("size") if isinstance(spec, dict) else None
        if spec is None or spec.get("type", "context") != "context":
            continue
        if isinstance(size, int) and not isinstance(size, bool) and size > 0:
            yield (f">{size // 1000}k" if size % 1000 == 0 else f">{size}"), tier


def _read(fields: dict, thinking: bool) -> list[tuple[str, str, Decimal]]:
    """(kind, mode, USD per 1M tokens) of one set of cost fields; `thinking`: read `reasoning` too."""
    amounts: dict[str, Decimal] = {}
    for field, kind in KINDS_BY_FIELD.items():
        amount = json_price(fields.get(field))
        if amount is not None:
            amounts.setdefault(kind, amount)
    reasoning = json_price(fields.get("reasoning")) if thinking else None
    found = [(kind, "", amount) for kind, amount in amounts.items()]
    if reasoning is not None and reasoning != amounts.get("output"):  # every price once per mode: each mode's row
        # is whole, its input beside its output
        found = [(kind, mode, amount) for kind, _, amount in found for mode in ("non-thinking", "thinking")
                 if not (kind == "output" and mode == "thinking")]
        found.append(("output", "thinking", reasoning))
    return found


