"""A buyer's and a seller's view: `pricewar cost` of a workload, `pricewar economics` of a serving node."""

from decimal import Decimal, InvalidOperation
from typing import Annotated, Optional

import typer

from pricewar.answers import moments
from pricewar.answers.market import answering, freshness, one_price, priced_offers, ranking
from pricewar.answers.names import match
from pricewar.answers.offers import Selection, percent, quantize_pct, window_notes
from pricewar.cli.common import (
    AtOption,
    ContextOption,
    CurrencyOption,
    DbOption,
    FormatOption,
    LimitOption,
    ModeOption,
    OffPeakOption,
    ProviderOption,
    RegionOption,
    TypeOption,
    ViaOption,
    WideOption,
    app,
    handles_errors,
    open_history,
    out,
    pages,
    show,
)
from pricewar.cli.inputs import (
    check_currency,
    check_format,
    check_limit,
    check_provider,
    check_type,
    check_via,
    parse_at,
)
from pricewar.history import database
from pricewar.output import render
from pricewar.price import PricewarError, UsageError, format_amount

LARGEST_AMOUNT = Decimal(10**15)  # past this, a throughput, a cost or a price is a typo, and sums overflow


def parse_amount(text: str, option: str, *, positive: bool = False) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise UsageError(f"{option}: '{text}' is not a number") from None
    if not value.is_finite() or value < 0 or (positive and value == 0):
        raise UsageError(f"{option}: {text} must be {'above' if positive else 'at least'} 0")
    if value > LARGEST_AMOUNT:
        raise UsageError(f"{option}: {text} is larger than any real figure ({LARGEST_AMOUNT:,})")
    return value


def money(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:,.{places}f}"


@app.command()
@handles_errors
@pages
def cost(
    models: Annotated[Optional[list[str]], typer.Argument(help="Models to price [default: all].")] = None,
    input_tokens: Annotated[str, typer.Option("--input-tokens", help="Input tokens: 10M, 500k, 1_000_000.")] = "1M",
    output_tokens: Annotated[str, typer.Option("--output-tokens", help="Output tokens: 2M, 250k.")] = "0",
    cache_hit: Annotated[str, typer.Option("--cache-hit", help="Share of input tokens that hit the cache, 0–1.")] = "0",
    off_peak: OffPeakOption = False,
    context: ContextOption = None,
    region: RegionOption = None,
    mode: ModeOption = None,
    at: AtOption = None,
    currency: CurrencyOption = "USD",
    provider: ProviderOption = None,
    via: ViaOption = None,
    model_type: TypeOption = "chat",
    unfold: Annotated[bool, typer.Option("--unfold", help="List dated and -latest ids on rows of their own.")] = False,
    limit: LimitOption = None,
    fmt: FormatOption = "table",
    wide: WideOption = False,
    db_path: DbOption = None,
) -> None:
    """Rank models by what a workload costs on each, cache hits and off-peak prices included."""
    from pricewar.answers import economics

    check_format(fmt)
    date, hours = parse_at(at, "--at", off_peak)
    tokens_in = economics.parse_tokens(input_tokens, "--input-tokens")
    tokens_out = economics.parse_tokens(output_tokens, "--output-tokens")
    if tokens_in == 0 and tokens_out == 0:
        raise UsageError("give --input-tokens or --output-tokens above 0")
    share = economics.parse_fraction(cache_hit, "--cache-hit")
    check_limit(limit)
    db = open_history(db_path)
    target = check_currency(db, currency)
    selection = Selection(off_peak=off_peak, context_tier=context, region=region, mode=mode, hours=hours)
    via, providers = check_via(db, via), check_provider(db, provider)
    kinds = check_type(model_type) if not models or model_type != "chat" else "all"
    named = match(db, models) if models else None
    if named is not None and via is None:  # as compare answers: a reseller's price where no maker prices a model
        own, resold = answering(db, date, target, named, providers, selection, kinds)
        offers = own + resold
    else:
        offers, resold = priced_offers(db, date, target, [], providers, selection, via, kinds, pairs=named), []
    judged = ranking(offers, unfold)
    costs = [c for c in (economics.workload_cost(o, tokens_in, tokens_out, share) for o in judged.offers) if c]
    costs = sorted(costs, key=lambda c: (c.total, c.offer.provider, c.offer.label))[:limit]
    rates = sorted({c.offer.rate.describe() for c in costs if c.offer.rate})
    if fmt in ("json", "csv"):
        render.print_data(out, [
            {"provider": c.offer.provider, "model": c.offer.model, "label": c.offer.label,
             "input_cost": c.input_cost, "cache_hit_cost": c.cache_cost, "output_cost": c.output_cost,
             "total": c.total, "currency": target, "prices": c.offer.prices,
             "time_window": c.offer.dimensions[4], "fx": c.offer.rate.as_json() if c.offer.rate else None,
             "source": c.offer.source, "note": c.note} for c in costs], fmt)
        return
    title = (f"{format_amount(tokens_in)} input ({format_amount(share * 100)}% cache hits) + "
             f"{format_amount(tokens_out)} output tokens on {moments.said(date, hours)}, {target}")
    grid = render.Grid(["#", "provider", "model", "input", "cache hits", "output", "total", "source"],
                       right={"#", "input", "cache hits", "output", "total"}, title=title,
                       optional=("source", "#", "cache hits"), shrink=("model", "provider"))
    for number, c in enumerate(costs, start=1):
        grid.rows.append([str(number), c.offer.provider_name, c.offer.label + (" †" if c.note else ""),
                          money(c.input_cost), money(c.cache_cost), money(c.output_cost), money(c.total),
                          c.offer.source])
    if rates:
        grid.notes.append("converted at " + "; ".join(rates))
    if any(c.note for c in costs):
        grid.notes.append("† no cache-hit price published: cached input charged at the input price")
    if off_peak:
        grid.notes.append("off-peak prices where published; all-day prices elsewhere")
    grid.notes += window_notes([c.offer for c in costs]) + judged.notes
    if resold:
        grid.notes.append(f"no maker's price on {date} for {', '.join(sorted({o.model for o in resold}))}: "
                          "a reseller's price answers (its source column says whose)")
    if not costs:
        grid.notes.append(f"no model with input and output prices in effect on {date} matches")
    grid.notes += freshness(db, judged.offers, date, database.today())
    show(grid, fmt, wide)


@app.command()
@handles_errors
@pages
def economics(
    throughput: Annotated[str, typer.Option("--throughput", help="Output tokens per second one node decodes at full load.")],
    node_cost: Annotated[str, typer.Option("--node-cost", help="What one node costs per hour, in --currency.")],
    price: Annotated[Optional[str], typer.Option("--price", help="Price per 1M output tokens, in --currency.")] = None,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="Use this model's published output price instead.")] = None,
    at: AtOption = None,
    utilization: Annotated[str, typer.Option("--utilization", "-u", help="Share of full load sold, 0–1.")] = "1",
    currency: CurrencyOption = "USD",
    fmt: FormatOption = "table",
    wide: WideOption = False,
    db_path: DbOption = None,
) -> None:
    """Serving economics: revenue, profit, margin and break-even of a node selling output tokens."""
    from pricewar.answers import economics as calc

    check_format(fmt)
    rate_of_throughput = parse_amount(throughput, "--throughput", positive=True)
    cost_per_hour = parse_amount(node_cost, "--node-cost")
    share = calc.parse_fraction(utilization, "--utilization")
    if (price is None) == (model is None):
        raise UsageError("give exactly one of --price or --model")
    date, hours = parse_at(at, "--at")
    db = open_history(db_path)
    target = check_currency(db, currency)
    origin, fx = "given", None
    if price is not None:
        per_mtok = parse_amount(price, "--price")
    else:  # the one price compare --vs and the Python API answer for the model
        named = moments.one_model(db, model, match(db, [model]), ask="; --model takes one: name it exactly")
        offer = one_price(db, date, target, named, Selection(hours=hours))
        when = moments.said(date, hours)
        if offer is None or "output" not in offer.prices:
            raise PricewarError(f"no output price for '{model}' in effect on {when}")
        per_mtok, fx = offer.prices["output"], offer.rate
        origin = f"{offer.label}'s output price on {when} ({offer.source})"
    node = calc.Serving(rate_of_throughput, cost_per_hour, per_mtok, share)
    margin = node.gross_margin_pct
    if fmt in ("json", "csv"):
        render.print_data(out, {
            "currency": target, "unit": "per hour", "price": per_mtok, "price_origin": origin,
            "fx": fx.as_json() if fx else None, "throughput_tokens_per_s": rate_of_throughput, "utilization": share,
            "tokens_per_hour": node.tokens_per_hour, "revenue_per_hour": node.revenue_per_hour,
            "cost_per_hour": node.node_cost, "profit_per_hour": node.profit_per_hour,
            "gross_margin_pct": quantize_pct(margin),
            "breakeven_price": None if node.breakeven_price is None else round(node.breakeven_price, 6),
            "breakeven_utilization_pct": quantize_pct(node.breakeven_utilization_pct),
        }, fmt)
        return
    title = f"{origin}: {target} {format_amount(per_mtok)} per 1M output tokens" if model else (
        f"Selling output tokens at {target} {format_amount(per_mtok)} per 1M")
    grid = render.Grid(["", ""], right={""}, title=title)
    breakeven = node.breakeven_price
    multiple = f" (the price is {per_mtok / breakeven:.1f}× that)" if breakeven else ""
    grid.rows += [
        ["tokens per node-hour", f"{node.tokens_per_hour:,.0f}" + (f" at {format_amount(share * 100)}% load" if share != 1 else "")],
        ["revenue per node-hour", f"{target} {money(node.revenue_per_hour)}"],
        ["cost per node-hour", f"{target} {money(node.node_cost)}"],
        ["profit per node-hour", f"{target} {money(node.profit_per_hour)}"],
        ["gross margin", percent(margin)],
        ["break-even price", "—" if breakeven is None else
         f"{target} {render.show_amount(breakeven, False)} per 1M output tokens{multiple}"],
        ["break-even utilisation", percent(node.breakeven_utilization_pct)],
    ]
    grid.columns = ["measure", "value"]
    grid.right = {"value"}
    if fx:
        grid.notes.append(f"price converted at {fx.describe()}")
    full_load = node.breakeven_utilization_pct
    if full_load is not None and full_load > 100:
        grid.notes.append(f"at {target} {format_amount(per_mtok)} per 1M output tokens the node loses money at any load: "
                          f"even at full load it earns {100 / full_load * 100:.1f}% of its cost")
    show(grid, fmt, wide)

