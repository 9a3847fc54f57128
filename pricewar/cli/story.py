"""The war as a story: `pricewar moves` (who cut first, who answered, how fast) and `pricewar index` (what the
market's basket cost on each day)."""

from typing import Annotated, Optional

import typer

from pricewar.cli.common import (
    CurrencyOption,
    DbOption,
    FormatOption,
    LimitOption,
    ProviderOption,
    WideOption,
    app,
    handles_errors,
    open_history,
    out,
    pages,
    show,
    terminal_width,
)
from pricewar.cli.inputs import check_currency, check_format, check_limit, check_provider, parse_window
from pricewar.output import render
from pricewar.output.render import clean
from pricewar.price import UsageError, format_amount

StartOption = Annotated[Optional[str], typer.Option(
    "--since", help="Start: a date or a span back from today (30d, 12w, 6m, 1y) [default: 2024-05-01].")]
EndOption = Annotated[Optional[str], typer.Option("--until", help="End date, YYYY-MM-DD [default: today].")]


@app.command()
@handles_errors
@pages
def moves(
    since: StartOption = None,
    until: EndOption = None,
    provider: ProviderOption = None,
    tier: Annotated[str, typer.Option("--tier", help="budget, flagship or all.")] = "all",
    story: Annotated[bool, typer.Option("--story", help="One sentence per move instead of a table.")] = False,
    limit: LimitOption = None,
    fmt: FormatOption = "table",
    wide: WideOption = False,
    db_path: DbOption = None,
) -> None:
    """The war move by move: each maker's cuts, rises, launches below the market and models made free, in date
    order, each with the move of another maker in its tier that it answered, and how many days later."""
    from pricewar.answers import moves as war

    check_format(fmt)
    check_limit(limit)
    if tier not in ("budget", "flagship", "all"):
        raise UsageError(f"--tier: '{tier}' is not one of budget, flagship, all")
    start, end = parse_window(since, until)
    db = open_history(db_path)
    makers = check_provider(db, provider)
    found = [m for m in war.moves(db, start, end, provider=makers) if tier == "all" or m.tier == tier][:limit]
    if fmt in ("json", "csv"):
        rows = [m.as_dict() for m in found]
        if fmt == "csv":  # one row per move: its lead change, the move it answers, the sentence
            rows = [{"date": r["date"], "provider": r["provider"], "what": r["what"], "tier": r["tier"],
                     "models": " ".join(x["model"] for x in r["models"]), "size": r["size"], "price": r["price"],
                     "answers_date": (r["answers"] or {}).get("date"),
                     "answers_provider": (r["answers"] or {}).get("provider"), "lag_days": r["lag_days"],
                     "sources": " ".join(r["sources"]), "source_url": r["source_url"],
                     "sentence": r["sentence"]} for r in rows]
        render.print_data(out, rows, fmt)
        return
    if story and fmt == "table":
        for m in found:
            out.print(clean(f"{m.date}  {m.sentence()}  [{m.tier}; {', '.join(m.sources)}]"), markup=False,
                      soft_wrap=True)
        if not found:
            out.print(f"no moves from {start} to {end}", markup=False)
        return
    grid = render.Grid(["date", "maker", "move", "tier", "after", "source"], title=f"The war, move by move, "
                       f"{start} to {end}", optional=("source", "tier"), shrink=("move", "after"))
    for m in found:
        more = len(m.models) - 1
        after = "" if m.answers is None else \
            f"{m.answers.provider_name} {m.answers.what}, {m.lag_days} d" if m.lag_days else \
            f"{m.answers.provider_name} {m.answers.what}, same day"
        grid.rows.append([m.date, m.provider_name, m.lead.phrase(with_amounts=False) + (f" +{more}" if more else ""),
                          m.tier, after, ", ".join(m.sources)])
        grid.styles.append("cut" if m.what in ("cut", "free") else "rise" if m.what == "rise" else None)
    grid.notes.append("a tier is the basket's (catalog/basket.json): a member's slot, else the member's price nearer "
                      "in log scale; a move answers the latest move of another maker in its tier within "
                      f"{war.ANSWER_DAYS} days (after: whose, and how many days later)")
    grid.notes.append("+N: more models in the move; --story tells each move in a sentence, --format json in full")
    if not found:
        grid.notes.append(f"no moves from {start} to {end}")
    show(grid, fmt, wide)


@app.command("index")
@handles_errors
@pages
def index_command(
    since: StartOption = None,
    until: EndOption = None,
    currency: CurrencyOption = "USD",
    every: Annotated[str, typer.Option("--every", help="A row each day, week or month.")] = "month",
    provider: ProviderOption = None,
    limit: LimitOption = None,
    fmt: FormatOption = "table",
    wide: WideOption = False,
    db_path: DbOption = None,
) -> None:
    """A price index of the war: a fixed basket (each main maker's flagship and budget model, blended 3:1) priced
    every day, chain-linked to 100 on the first day, with each maker's own index and the basket's change."""
    from pricewar.answers import index as indices
    from pricewar.answers.basket import FILE, load

    check_format(fmt)
    check_limit(limit)
    if every not in indices.EVERY:
        raise UsageError(f"--every: '{every}' is not one of {', '.join(indices.EVERY)}")
    start, end = parse_window(since, until)
    db = open_history(db_path)
    makers = check_provider(db, provider)
    found = indices.index(db, start, end, check_currency(db, currency), every=every)
    points = found.points[:limit]
    shown_makers = sorted({m for p in found.daily for m in p.makers if makers is None or m in makers})
    if fmt == "json":
        render.print_json(out, found.as_dict())
        return
    if fmt == "csv":
        render.print_data(out, [{"day": p.day, "value": p.value, "level": p.level, "currency": found.currency,
                                 "members": len(p.priced), **{f"level_{m}": p.makers.get(m) for m in shown_makers}}
                                for p in points], fmt)
        return
    unit = f"{found.currency} per 1M tokens, blended {found.blend[0]}:{found.blend[1]}"
    grid = render.Grid(["date", "basket", "index", "members"], right={"basket", "index", "members"},
                       title=f"Price index, basket v{found.version} ({unit}); {start} = 100")
    for point in points:
        grid.rows.append([point.day, format_amount(round(point.value, 4)), f"{point.level:.1f}",
                          str(len(point.priced))])
    changes = [c for c in found.changes() if c.who == "basket" or c.who in shown_makers]
    grid.notes.append(f"the basket (pricewar/catalog/{FILE}, version {found.version}): each maker's flagship and budget model; the sum of their "
                      "blended prices, and its change chained day by day (a member entering moves nothing)")
    if not any(point.priced for point in found.daily):
        first = min(members[0].since for members in load().slots.values())
        grid.notes.append(f"no basket member had a price from {start} to {end}: the basket starts on {first}")
    if any(point.missing for point in points):
        grid.notes.append("members with no price on a day are left out that day (see the events below)")
    if found.rates:
        first, last = found.rates[0], found.rates[-1]
        grid.notes.append(f"converted at each day's ECB reference rate ({len(found.rates)} rates, "
                          f"{first.describe()} … {last.date})")
    show(grid, fmt, wide)
    if fmt != "table":
        return
    table = render.Grid(["who", "from", "to", "index", "change"], right={"index", "change"},
                        title=f"The change from {start} to {end}")
    for c in changes:
        table.rows.append([c.who, c.first, c.last, f"{c.level_first:.1f} → {c.level_last:.1f}",
                           render.pct_text(c.percent)])
        table.styles.append(render.trend(c.percent))
    events = [e for e in found.events if makers is None or e.slot.maker in makers]
    table.notes += [event_text(e) for e in events][:40]
    if len(events) > 40:
        table.notes.append(f"and {len(events) - 40} more events (--format json lists them all)")
    out.print()
    show(table, fmt, wide)
    if any(point.priced for point in found.daily):
        chart(found, shown_makers if makers else [])


def event_text(event) -> str:
    slot = f"{event.slot.maker} {event.slot.tier}"
    if event.kind == "enters":
        return f"{event.day} {slot}: {event.slot.model} enters"
    if event.kind == "replaced":
        return f"{event.day} {slot}: {event.slot.model} replaces {event.before.model}"
    if event.kind == "gap":
        return f"{event.day} {slot}: {event.slot.model} has no price until {event.until} ({event.why})"
    return f"{event.day} {slot}: {event.slot.model} priced again"


def chart(found, makers: list[str]) -> None:
    """The basket's level (and the makers asked for) as a line."""
    from pricewar.answers.timeline import Series
    from pricewar.output import charts

    series = [Series("basket", [(p.day, p.level) for p in found.daily])]
    series += [Series(m, [(p.day, p.makers.get(m)) for p in found.daily]) for m in makers]
    out.print(f"\nthe index, {found.since} = 100", markup=False)
    for line in charts.terminal(series, found.since, found.until, width=terminal_width() or 80):
        out.print(clean(line), markup=False, highlight=False)

