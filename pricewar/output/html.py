"""One self-contained HTML page: the ranked table, the change feed, the price-war chart (inline SVG).

No script, no stylesheet or font from elsewhere; every string that came from a provider is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from pricewar.answers.offers import SHOWN_KINDS
from pricewar.output import charts
from pricewar.output.render import clean, show_amount

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { padding: 0.2rem 0.7rem; border-bottom: 1px solid #ddd; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.cut { color: #1a7f37; } .rise { color: #b42318; } .muted { color: #666; font-size: 0.9em; }
"""


def _text(value: object) -> str:
    return escape(clean(str(value)))


def _table(headers: list[str], rows: list[list[tuple[str, str]]]) -> str:
    head = "".join(f"<th>{_text(h)}</th>" for h in headers)
    body = "\n".join(
        "<tr>" + "".join(f'<td class="{css}">{_text(value)}</td>' if css else f"<td>{_text(value)}</td>"
                         for value, css in row) + "</tr>"
        for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _pct(value) -> tuple[str, str]:
    if value is None:
        return "—", "n"
    return f"{value:+.1f}%", "n cut" if value < 0 else "n rise" if value > 0 else "n"


def story(moves: list, found_index) -> str:
    """The war as moves and the price index: two sections of the report (empty when not given)."""
    parts = []
    if moves:
        rows = [[(m.date, ""), (m.provider_name, ""), (m.sentence(), ""), (m.tier, ""), (", ".join(m.sources), "")]
                for m in moves]
        parts.append(f"""<section id="moves">
<h2>Move by move: who cut first, who answered</h2>
{_table(["date", "maker", "move", "tier", "source"], rows)}
<p class="muted">A move answers the latest move of another maker in its tier (the basket's) within a month.</p>
</section>""")
    if found_index is not None:
        from pricewar.answers.timeline import Series

        line = charts.svg([Series("basket", [(p.day, p.level) for p in found_index.daily])], found_index.since,
                          found_index.until, title=f"Price index, {found_index.since} = 100")
        rows = [[(c.who, ""), (c.first, ""), (c.last, ""), (f"{c.level_first:.1f} → {c.level_last:.1f}", "n"),
                 _pct(c.percent)] for c in found_index.changes()]
        points = [[(p.day, ""), (show_amount(round(p.value, 4)), "n"), (f"{p.level:.1f}", "n"), (str(len(p.priced)), "n")]
                  for p in found_index.points]
        unit = f"{found_index.currency} per 1M tokens, blended {found_index.blend[0]}:{found_index.blend[1]}"
        parts.append(f"""<section id="index">
<h2>Price index (basket v{found_index.version}, {_text(unit)})</h2>
{line}
{_table(["who", "from", "to", "index", "change"], rows)}
{_table(["date", "basket", "index", "members"], points)}
<p class="muted">Each main maker's flagship and budget model (pricewar/catalog/basket.json), chain-linked day by
day: a member entering moves nothing, a price change or a replacement moves it.</p>
</section>""")
    return "\n".join(parts)


def page(date: str, currency: str, offers: list, feed: list, cuts: list, since: str,
         skipped: Sequence[str] = (), told: str = "") -> str:
    """The report; `skipped` says, under the chart, why a model has no line on it; `told` is story()'s."""
    ranked = [
        [(str(i), "n"), (o.provider_name, ""), (o.label, ""),
         *((show_amount(o.prices.get(k), o.rate is None) + ("*" if o.rate and k in o.prices else ""), "n")
           for k in SHOWN_KINDS),
         (show_amount(o.blended((3, 1)), o.rate is None), "n"), (o.effective_from or "?", ""), (o.source, "")]
        for i, o in enumerate(offers, start=1)
    ]
    rates = sorted({o.rate.describe() for o in offers if o.rate})
    changes = [
        [(c.date, ""), (c.provider_name, ""), (c.label, ""), (c.kind.replace("_", " "), ""),
         (f"{show_amount(c.old)} → {show_amount(c.new)} {c.currency}", "n"), _pct(c.change_pct), (c.source, "")]
        for c in feed
    ]
    war_rows = [
        [(c.provider_name, ""), (c.model, ""), (f"{show_amount(c.first)} {c.currency} ({c.first_date})", "n"),
         (f"{show_amount(c.last)} {c.currency} ({c.last_date})", "n"), _pct(c.change_pct)]
        for c in cuts
    ]
    drawn = [c for c in cuts if c.change_pct is not None]
    series = charts.unique_labels([c.series for c in drawn], [c.provider_name for c in drawn])
    chart = charts.svg(series, since, date, unit="%",
                       title=f"Cumulative change of input prices since {since}") if drawn else ""
    not_drawn = "".join(f"<li>{_text(reason)}</li>" for reason in skipped)
    if not_drawn:
        chart += f'\n<p class="muted">Not in the chart:</p>\n<ul class="muted">{not_drawn}</ul>'
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pricewar report, {_text(date)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>The LLM API price war, {_text(date)}</h1>
<section id="ranked">
<h2>Cheapest first: {_text(currency)} per 1M tokens on {_text(date)}</h2>
{_table(["#", "provider", "model", "input", "output", "cache hit", "blended 3:1", "since", "source"], ranked)}
<p class="muted">{_text("* converted at " + "; ".join(rates) + "; other prices as published") if rates else "All prices as published."}</p>
</section>
<section id="war">
<h2>The war since {_text(since)}</h2>
{chart}
{_table(["provider", "model", "from", "to", "change"], war_rows)}
</section>
<section id="changes">
<h2>Biggest price changes since {_text(since)}</h2>
{_table(["date", "provider", "model", "kind", "old → new (per 1M)", "change", "source"], changes)}
</section>
{told}
<p class="muted">Made by pricewar from published prices; each row names its source.</p>
</body>
</html>
"""
