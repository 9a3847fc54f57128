"""The war over time: `pricewar changes`, `pricewar history`, `pricewar war`, `pricewar report --html`."""

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Optional

import typer

from pricewar.answers import judge, market
from pricewar.answers.market import Rates, sellers, sold_by
from pricewar.answers.names import match
from pricewar.answers.offers import quantize_pct, short_window, sort_offers, source_rank, window_notes
from pricewar.cli.common import (
    DbOption,
    FormatOption,
    LimitOption,
    ProviderOption,
    TypeOption,
    ViaOption,
    WideOption,
    app,
    handles_errors,
    open_history,
    out,
    pages,
    show,
    terminal_width,
)
from pricewar.cli.inputs import (
    check_currency,
    check_format,
    check_kind,
    check_limit,
    check_provider,
    check_source,
    check_type,
    check_via,
    parse_date,
    parse_since,
    parse_window,
)
from pricewar.history import database, queries, runs
from pricewar.output import render
from pricewar.output.render import clean, pct_text, trend
from pricewar.price import WAR_STARTS, PricewarError, UsageError, brief, format_amount

SinceOption = Annotated[Optional[str], typer.Option(
    "--since", help="Start: a date, a span back from today (30d, 12w, 6m, 1y) or last-update.")]


@app.command()
@handles_errors
@pages
def changes(
    since: SinceOption = None,
    until: Annotated[Optional[str], typer.Option("--until", help="End date, YYYY-MM-DD [default: today].")] = None,
    provider: ProviderOption = None,
    min_change: Annotated[Optional[float], typer.Option("--min-change", help="Only changes of at least this many percent.")] = None,
    sort: Annotated[str, typer.Option("--sort", help="change (biggest cuts first) or date (newest first).")] = "change",
    currency: Annotated[Optional[str], typer.Option("--currency", "-c", help="Convert at each change's date; 'published' for each as published [default: as published].")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Only changes seen by this source.")] = None,
    corrections: Annotated[bool, typer.Option("--corrections", help="Also list aggregators' corrections (blanks, unit fixes, steps the maker's price contradicts), labelled.")] = False,
    via: ViaOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv, markdown or atom (a feed to subscribe to).")] = "table",
    feed_url: Annotated[Optional[str], typer.Option("--feed-url", help="With --format atom: the address the feed is served from (its self link).")] = None,
    fail_on_change: Annotated[bool, typer.Option("--fail-on-change", help="Exit 3 when a change is listed, 0 when none (for cron).")] = False,
    model_type: Annotated[str, typer.Option("--type", help="What kind of model: chat, embedding, image, audio, or all.")] = "all",
    limit: LimitOption = None,
    wide: WideOption = False,
    db_path: DbOption = None,
) -> None:
    """List every price change in a window, across providers, biggest cuts first; the makers' own prices unless
    --via names a reseller (or all)."""
    if fmt not in (*render.FORMATS, "atom"):  # a feed is a format of this command alone (check_format's, and atom)
        raise UsageError(f"--format: '{fmt}' is not one of {', '.join(render.FORMATS)}, atom")
    if feed_url is not None and fmt != "atom":
        raise UsageError("--feed-url: only with --format atom")
    if feed_url is not None and not re.fullmatch(r"https?://[^\s<>\"]+", feed_url):
        raise UsageError(f"--feed-url: '{brief(feed_url)}' is not an http:// or https:// address")
    if sort not in ("change", "date"):
        raise UsageError(f"--sort: '{sort}' is not one of change, date")
    last_update = since is not None and since.strip().lower() == "last-update"
    start = None if last_update else parse_since(since)
    end = parse_date(until, "--until") if until else None
    if start and end and start > end:
        raise UsageError(f"--since {start} is after --until {end}")
    if min_change is not None and not 0 <= min_change < float("inf"):
        raise UsageError("--min-change: give a size in percent, 0 or more")
    check_limit(limit)
    kinds = check_type(model_type)
    check_source(source)
    db = open_history(db_path)
    target = check_currency(db, currency) if currency and currency.lower() != "published" else None
    provider_id = check_provider(db, provider)
    via = check_via(db, via)
    last_runs = runs.last_batch_runs(db) if last_update else None
    items = market.changes(db, start, end, last_runs, via=via, provider=provider_id, source=source, currency=target,
                           corrections=corrections, by=sort,
                           min_change=Decimal(str(min_change)) if min_change is not None else None)
    if kinds != "all":
        items = [c for c in items if judge.model_type(c.model) == kinds]
    items = items[:limit]
    # by default, the makers' own prices: a table says so when resellers' changes were left out
    resold = fmt == "table" and via is None and queries.changes(db, start, end, last_runs, **sellers(db, via), others=True,
                                                              limit=1)
    rates: dict[str, Rates] = {}

    def shown(change) -> tuple[Decimal, Decimal, str, object]:
        if target is None or change.currency == target:
            return change.old, change.new, change.currency, None
        rate = rates.setdefault(change.date, Rates(db, change.date))(change.currency, target)
        return change.old * rate.value, change.new * rate.value, target, rate

    if fmt in ("json", "csv", "atom"):
        data = []
        for c in items:
            old, new, cur, rate = shown(c)
            service_tier, context_tier, region, mode, time_window = c.dimensions
            data.append({"date": c.date, "provider": c.provider, "provider_name": c.provider_name, "model": c.model,
                         "kind": c.kind, "service_tier": service_tier, "context_tier": context_tier, "region": region,
                         "mode": mode, "time_window": time_window, "currency": cur, "unit": "per 1M tokens",
                         "old": old, "new": new, "change_pct": quantize_pct(c.change_pct),
                         "fx": rate.as_json() if rate else None, "flags": list(c.flags), "source": c.source, "sources": list(c.sources), "also_ids": list(c.ids),
                         "correction": c.correction or None,
                         "source_url": c.source_url})
        if fmt == "atom":  # the very records JSON lists, so the feed and the table agree
            from pricewar.output import feed

            window = "since the last update" if last_update else f"{start or 'the beginning'} to {end or 'today'}"
            question = ["changes", since, until, sorted(provider_id or ()), source, via, target, min_change, corrections]
            out.file.write(feed.atom(data, feed_title=f"pricewar: price changes, {window}",
                                     feed_id=feed.feed_id(question), today=database.today(), self_url=feed_url))
        else:
            render.print_data(out, data, fmt)
        if fail_on_change and items:
            raise typer.Exit(3)  # not 1 (a failure) nor 2 (a usage error): cron can tell "prices moved" apart
        return
    window = "since the last update" if last_update else f"{start or 'the beginning'} to {end or 'today'}"
    grid = render.Grid(["date", "provider", "model", "kind", "old → new", "change", "source", "note"],
                       right={"change"}, title=f"Price changes, {window}",
                       optional=("note", "source", "provider"), shrink=("model", "old → new"))
    used = set()
    for c in items:
        old, new, cur, rate = shown(c)
        exact = rate is None
        if rate:
            used.add(rate.describe())
        grid.rows.append([c.date, c.provider_name, c.label, c.kind.replace("_", " "),
                          f"{render.show_amount(old, exact)} → {render.show_amount(new, exact)} {cur}",
                          pct_text(c.change_pct), ", ".join(c.sources or (c.source,)),
                          ", ".join([*(f.lower() for f in c.flags), *([f"correction: {c.correction}"] if c.correction else [])])])
        grid.styles.append(None if c.correction else trend(c.change_pct))
    if used:
        grid.notes.append("converted at " + "; ".join(sorted(used)))
    if not items:
        grid.notes.append("no price changes in this window")
    if resold:
        grid.notes.append("resellers' price changes left out: --via all shows them")
    show(grid, fmt, wide)
    if fail_on_change and items:
        raise typer.Exit(3)


@app.command()
@handles_errors
@pages
def history(
    model: Annotated[str, typer.Argument(help="A model id, alias, display name or pattern (deepseek-*).")],
    currency: Annotated[Optional[str], typer.Option("--currency", "-c", help="Convert each price at its own date; 'published' for each as published [default: as published].")] = None,
    kind: Annotated[str, typer.Option("--kind", help="The price charted: input, output, cache_hit, ...")] = "input",
    source: Annotated[Optional[str], typer.Option("--source", help="Only what this source recorded (catalog, openai, litellm, ...).")] = None,
    via: ViaOption = None,
    fmt: FormatOption = "table",
    wide: WideOption = False,
    db_path: DbOption = None,
) -> None:
    """Show a model's price over time, as steps and a chart; a period several sources agree on is one row."""
    from pricewar.answers import timeline
    from pricewar.output import charts

    check_format(fmt)
    check_kind(kind)
    db = open_history(db_path)
    target = check_currency(db, currency) if currency and currency.lower() != "published" else None
    via = check_via(db, via)
    pairs = match(db, [model])
    everything = queries.timelines(db, pairs)
    # the makers' own prices by default; a model only resellers sell is shown at their prices
    rows = sold_by(db, everything, via) or (everything if via is None else [])
    if source is not None:
        if source not in {r["source"] for r in everything}:
            known = ", ".join(sorted({r["source"] for r in everything}))
            raise UsageError(f"--source: no prices of '{model}' from '{source}' (its sources: {known})")
        rows = [r for r in rows if r["source"] == source]
    today = database.today()
    steps = timeline.steps(rows, today)
    if not steps:
        raise PricewarError(f"no prices recorded for '{model}'" + (f" sold by {via}" if via else ""))
    converted = []
    # A source that publishes the target currency is followed in it; its other currency is not converted on top.
    native = {(s.provider, s.model, s.source, s.kind, s.dimensions) for s in steps if s.currency == target}
    for step in steps:
        if target and step.currency != target:
            if (step.provider, step.model, step.source, step.kind, step.dimensions) in native:
                continue
            day = min(step.start or step.end or today, today)
            rate = Rates(db, day)(step.currency, target)
            step = replace(step, currency=target, price=step.price * rate.value,
                           note=f"converted at {rate.describe()}")
        converted.append(step)
    names = {r["provider"]: r["provider_name"] for r in rows}
    shown_pairs = sorted({(s.provider, s.model) for s in converted})
    several = len(shown_pairs) > 1  # then each row says whose price it is
    periods = sorted(timeline.agreeing(converted), key=lambda p: (
        p.step.start or "", p.step.provider, p.step.model, source_rank(p.sources[0]), p.step.kind,
        p.step.dimensions))
    if fmt in ("json", "csv"):
        render.print_data(out, [
            {"provider": s.provider, "model": s.model, "sources": list(p.sources), "kind": s.kind,
             "service_tier": s.dimensions[0], "context_tier": s.dimensions[1], "region": s.dimensions[2],
             "mode": s.dimensions[3], "time_window": s.dimensions[4], "currency": s.currency,
             "unit": "per 1M tokens", "price": s.price, "effective_from": s.start, "effective_to": s.end,
             "end_reason": s.end_reason, "note": s.note}
            for p in periods for s in [p.step]], fmt)
        return
    label = ", ".join(f"{names.get(p, p)} {m}" for p, m in shown_pairs)
    if len(label) > 60:
        label = f"{len(shown_pairs)} models matching '{model}'"
    grid = render.Grid(["from", "to", *(["provider", "model"] if several else []), "kind", "price", "currency",
                        "sources", "note"],
                       right={"price"}, title=f"{label} — price per 1M tokens over time",
                       optional=("note",), shrink=("sources", "kind", "provider", "model"))
    for p in periods:
        s = p.step
        dims = [d for d in (*s.dimensions[1:4], short_window(s.dimensions[4])) if d] + \
            ([s.dimensions[0]] if s.dimensions[0] != "standard" else [])
        grid.rows.append([s.start or "?", s.end or ("now" if not s.end_reason else ""),
                          *([names.get(s.provider, s.provider), s.model] if several else []),
                          s.kind.replace("_", " ") + (f" [{', '.join(dims)}]" if dims else ""),
                          render.show_amount(s.price, not s.note.startswith("converted")), s.currency,
                          ", ".join(p.sources), s.end_reason or s.note])
    grid.notes += window_notes([p.step for p in periods])
    hidden = sorted({r["source"] for r in everything} - {r["source"] for r in rows}) if via is None else []
    if hidden and source is None:
        grid.notes.append(f"resellers' prices left out ({', '.join(hidden)}): --via all shows them")
    show(grid, fmt, wide)
    if fmt != "table":
        return
    chart_currency = target or _main_currency(converted, kind)
    first_day = min(min((s.start for s in converted if s.start), default=today), today)  # a chart ends today
    if several:
        series = timeline.series_by_model(converted, kind, chart_currency, lambda pair: f"{names.get(pair[0], pair[0])} {pair[1]}")
        what = "per model"
    else:
        series = timeline.series_by_source(converted, kind, chart_currency, first_day)
        what = "per source"
    if series:
        out.print(f"\n{kind.replace('_', ' ')} price, {chart_currency} per 1M tokens, {what}", markup=False)
        for line in charts.terminal(series, first_day, today, width=terminal_width() or 80):
            out.print(clean(line), markup=False, highlight=False)


def _main_currency(steps, kind: str) -> str:
    counts: dict[str, int] = {}
    for s in steps:
        if s.kind == kind:
            counts[s.currency] = counts.get(s.currency, 0) + 1
    return max(sorted(counts), key=lambda c: counts[c]) if counts else "USD"


def war_cuts(db, models: list[str] | None, since: str, until: str, kind: str, currency: str,
             via: str | None = None, providers: set[str] | None = None, model_type: str = "all"):
    """(cuts, biggest first; a sentence for each model asked for that gives no line on the chart, saying why).
    A cut free at the start stays among the cuts, with no change to draw, and is named too."""
    from collections import Counter

    from pricewar.answers import timeline

    if models:
        pairs = match(db, models)
    else:
        # the makers' own models; one this database has never heard of is left out
        pairs = queries.known_pairs(db, set(timeline.WAR_MODELS))
    if providers:
        pairs = {pair for pair in pairs if pair[0] in providers}
    sold = {pair: sold_by(db, queries.timelines(db, {pair}), via) for pair in sorted(pairs)}
    if model_type != "all":  # as compare tells a model's kind
        from pricewar.answers import judge

        other = {pair for pair, rows in sold.items()
                 if rows and judge.model_type(pair[1], rows[0].get("model_type") or "") != model_type}
        sold = {pair: rows for pair, rows in sold.items() if pair not in other}
        pairs -= other  # another kind of model, not one without a price
    sold = {pair: rows for pair, rows in sold.items() if rows}  # another seller's listing of the same id
    repeated = Counter(model for _, model in sold)
    cuts, skipped = [], []
    for (_, model), rows in sold.items():
        name = f"{rows[0]['provider_name']} {model}" if repeated[model] > 1 else model
        cut = timeline.cumulative_cut(rows, kind, since, until, currency)
        if cut is None:
            skipped.append(f"{name}: no {kind.replace('_', ' ')} price between {since} and {until}")
            continue
        if cut.change_pct is None:
            skipped.append(f"{name}: free at the start ({format_amount(cut.first)} {cut.currency}), "
                           "so a change in % cannot be drawn")
        cuts.append(cut)
    for model in sorted({model for _, model in pairs} - set(repeated)):
        skipped.append(f"{model}: not sold via {via}" if via else
                       f"{model}: no price from its maker (--via all shows resellers' prices)")
    return sorted(cuts, key=lambda c: (c.change_pct if c.change_pct is not None else Decimal(0), c.model)), skipped


@app.command()
@handles_errors
@pages
def war(
    models: Annotated[Optional[list[str]], typer.Argument(help="Models to follow [default: flagship and budget models of the main sellers].")] = None,
    since: SinceOption = WAR_STARTS,
    until: Annotated[Optional[str], typer.Option("--until", help="End date [default: today].")] = None,
    kind: Annotated[str, typer.Option("--kind", help="The price followed: input, output, cache_hit, ...")] = "input",
    currency: Annotated[str, typer.Option("--currency", "-c", help="Follow a model in this currency where it publishes one.")] = "USD",
    provider: ProviderOption = None,
    via: ViaOption = None,
    model_type: TypeOption = "chat",
    limit: LimitOption = None,
    fmt: FormatOption = "table",
    wide: WideOption = False,
    db_path: DbOption = None,
) -> None:
    """Chart the price war: each model's cumulative price change since a start date, biggest cuts first."""
    from pricewar.output import charts

    check_format(fmt)
    check_kind(kind)
    check_limit(limit)
    kinds = check_type(model_type) if not models or model_type != "chat" else "all"  # a model named is followed
    start, end = parse_window(since, until)
    db = open_history(db_path)
    cuts, skipped = war_cuts(db, models, start, end, kind, check_currency(db, currency), check_via(db, via),
                             check_provider(db, provider), kinds)
    cuts = cuts[:limit]
    if fmt in ("json", "csv"):
        render.print_data(out, [
            {"provider": c.provider, "model": c.model, "kind": kind, "currency": c.currency, "source": c.source,
             "first": c.first, "first_date": c.first_date, "last": c.last, "last_date": c.last_date,
             "change_pct": quantize_pct(c.change_pct)} for c in cuts], fmt)
        return
    grid = render.Grid(["provider", "model", "from", "to", "change", "source"], right={"change"},
                       title=f"The price war, {kind.replace('_', ' ')} prices, {start} to {end}",
                       optional=("source", "provider"), shrink=("model",))
    for c in cuts:
        grid.rows.append([c.provider_name, c.model, f"{format_amount(c.first)} {c.currency} ({c.first_date})",
                          f"{format_amount(c.last)} {c.currency} ({c.last_date})", pct_text(c.change_pct), c.source])
        grid.styles.append(trend(c.change_pct))
    grid.notes += skipped
    if not cuts and not skipped:
        grid.notes.append("no recorded prices for these models in this window")
    show(grid, fmt, wide)
    drawn = [c for c in cuts if c.change_pct is not None]
    if fmt == "table" and drawn:
        out.print("\ncumulative change since each model's first price in the window, %", markup=False)
        series = charts.unique_labels([c.series for c in drawn], [c.provider_name for c in drawn])
        for line in charts.terminal(series, start, end, unit="%", width=terminal_width() or 80):
            out.print(clean(line), markup=False, highlight=False)


@app.command("report")
@handles_errors
def report_command(
    path: Annotated[Path, typer.Option("--html", help="Write the report to this HTML file.")],
    at: Annotated[Optional[str], typer.Option("--at", help="The date of the ranked table [default: today].")] = None,
    currency: Annotated[str, typer.Option("--currency", "-c", help="Currency of the ranked table.")] = "USD",
    since: SinceOption = WAR_STARTS,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows of the ranked table and of the change feed.")] = 50,
    provider: ProviderOption = None,
    model_type: TypeOption = "chat",
    db_path: DbOption = None,
) -> None:
    """Write one self-contained HTML page: the ranked table, the change feed and the price-war chart, with the
    defaults of compare, changes and war (the makers' own prices, chat models, no corrections)."""
    from pricewar.answers.market import priced_offers, ranking
    from pricewar.output import html

    date = parse_date(at, "--at")
    start = parse_since(since, WAR_STARTS)
    if limit < 1:
        raise UsageError("--limit: must be at least 1")
    db = open_history(db_path)
    target = check_currency(db, currency)
    providers = check_provider(db, provider)
    offered = priced_offers(db, date, target, [], providers, model_type=check_type(model_type))
    offers = sort_offers(ranking(offered).offers, "blended", (3, 1))[:limit]
    feed = market.changes(db, start, date, provider=providers, currency=target)[:limit]
    cuts, skipped = war_cuts(db, None, start, date, "input", target, providers=providers)
    from pricewar.answers import index, moves

    told = html.story(moves.moves(db, start, date, provider=providers), index.index(db, start, date, target, every="month"))
    page = html.page(date, target, offers, feed, cuts, start, skipped, told)
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as error:
        raise PricewarError(f"cannot write {path}: {error.strerror or error}") from None
    out.print(f"Wrote {path} ({len(offers)} prices, {len(feed)} changes, {sum(c.change_pct is not None for c in cuts)} models in the war chart).",
              markup=False)

