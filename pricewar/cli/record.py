"""`pricewar record`: a price taken from a dated announcement, recorded as the maker said it."""

from typing import Annotated, Optional

import typer

from pricewar.cli.common import DbOption, app, handles_errors, open_history, out
from pricewar.cli.inputs import known_providers, parse_date
from pricewar.history import database
from pricewar.output.render import clean
from pricewar.price import PricewarError, UsageError, close_matches, format_amount


def check_new_model(db, provider: str, model: str, new: bool) -> None:
    """A usage error for a model id the provider is not known to sell, unless it is said to be new (a typo
    such as deepseek-chatt would otherwise start a model of its own)."""
    from pricewar.history import queries

    known = {name.lower(): m["model"] for m in queries.model_names(db) if m["provider"] == provider
             for name in (m["model"], *m["aliases"])}
    if new or model.lower() in known:
        return
    close = close_matches(model.lower(), list(known), n=3)
    hint = f"did you mean {', '.join(known[c] for c in close)}? " if close else ""
    raise UsageError(f"{provider} has no model '{model}'; {hint}(to record a new model, give --new-model)")


@app.command("record")
@handles_errors
def record_command(
    provider: Annotated[str, typer.Argument(help="Provider id, e.g. deepseek.")],
    model: Annotated[str, typer.Argument(help="The provider's model id, e.g. deepseek-chat.")],
    input_price: Annotated[Optional[str], typer.Option("--input", help="Input price per 1M tokens.")] = None,
    output_price: Annotated[Optional[str], typer.Option("--output", help="Output price per 1M tokens.")] = None,
    cache_hit: Annotated[Optional[str], typer.Option("--cache-hit", help="Cache-hit input price per 1M tokens.")] = None,
    currency: Annotated[str, typer.Option("--currency", "-c", help="Currency as published.")] = "USD",
    effective: Annotated[Optional[str], typer.Option("--effective", help="Date the price took effect, YYYY-MM-DD [default: today].")] = None,
    source: Annotated[str, typer.Option("--url", help="URL of the announcement (required).")] = "",
    old_name: Annotated[str, typer.Option("--source", hidden=True)] = "",  # --url's name until 0.1
    per: Annotated[str, typer.Option("--per", help="The published unit: 1M, 1K or token.")] = "1M",
    name: Annotated[str, typer.Option("--name", help="Display name of the model.")] = "",
    new_provider: Annotated[str, typer.Option("--new-provider", help="Add a provider not yet known, with this display name.")] = "",
    new_model: Annotated[bool, typer.Option("--new-model", help="The model is new to pricewar: record it under this id.")] = False,
    note: Annotated[str, typer.Option("--note", help="A note kept with the price.")] = "",
    db_path: DbOption = None,
) -> None:
    """Record a price taken from a dated announcement."""
    source = source or old_name
    from pricewar.history import collect, fx
    from pricewar.price import Price, canonical_provider, decimal, per_mtok

    date = parse_date(effective, "--effective")
    if not source.strip():
        raise UsageError("--url: give the URL of the announcement the price comes from")
    given = {"input": input_price, "output": output_price, "cache_hit": cache_hit}
    if all(value is None for value in given.values()):
        raise UsageError("give at least one of --input, --output, --cache-hit")
    amounts = {}
    for kind, text in given.items():
        if text is None:
            continue
        option = f"--{kind.replace('_', '-')}"
        if "," in text or "_" in text:  # "1,5" is one and a half in much of the world, fifteen elsewhere
            raise UsageError(f"{option}: '{text}' is ambiguous; write the number with a dot and no separators")
        try:
            amounts[kind] = decimal(text)
        except PricewarError:
            raise UsageError(f"{option}: '{text}' is not a number") from None
        if amounts[kind] < 0:
            raise UsageError(f"--{kind.replace('_', '-')}: a price cannot be negative ({text})")
    if not model.strip() or not provider.strip():
        raise UsageError("provider and model cannot be empty")
    try:
        code = fx.currency_code(currency)
    except PricewarError as error:
        raise UsageError(f"--currency: {error}") from None
    units = {"1M": "per 1M tokens", "1K": "per 1K tokens", "token": "per token"}
    if per not in units:
        raise UsageError(f"--per: '{per}' is not one of {', '.join(units)}")
    provider_id = canonical_provider(provider)
    path = db_path or database.default_db_path()
    database.writable(path)  # before a read that would not need to write
    db = database.for_writing(open_history(db_path))
    database.check_sound(db, path)
    providers_known = known_providers(db)
    if provider_id not in providers_known and not new_provider:
        close = close_matches(provider_id, list(providers_known), n=2)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"unknown provider '{provider}'{hint} (to add a provider, give --new-provider \"Its Name\")")
    try:
        prices = [
            Price(provider=provider_id, model=model.strip(), kind=kind, per_mtok=per_mtok(amount, units[per]),
                  currency=code, published=f"{given[kind]} {code} {units[per]}", unit=units[per],
                  effective_from=date, display_name=name, source_url=source.strip(), note=note)
            for kind, amount in amounts.items()
        ]
    except PricewarError as error:
        raise UsageError(str(error)) from None
    check_new_model(db, provider_id, model.strip(), new_model or bool(new_provider))
    names = ({provider_id: new_provider}, []) if new_provider and provider_id not in providers_known else None
    result = collect.record_prices(db, "record", prices, source.strip(), names=names)
    counts = result.changes.counts()
    summary = ", ".join(f"{p.kind.replace('_', ' ')} {format_amount(p.per_mtok)}" for p in prices)
    if counts["new"] or counts["changed"]:
        out.print(clean(f"Recorded {prices[0].provider} {model} {summary} {code} per 1M tokens from {date}."), markup=False)
    else:
        out.print(clean(f"Already recorded: {prices[0].provider} {model} {summary} {code} from {date}; nothing changed."),
                  markup=False)
    for price, old in result.changes.changed:
        out.print(f"  {price.kind}: {format_amount(old)} → {format_amount(price.per_mtok)} {code}", markup=False)
