"""A price moved into hours of its own: the first price of a model in a time window (peak, off-peak), judged as a
step from the all-day price in effect the day before. DeepSeek's off-peak discount of 2025-02-26 (input 2 → 1 CNY
from 16:30 to 00:30 UTC) and its peak pricing of 2026-08-16 are moves of the war that no change of one key shows:
the new price has a key of its own. Makers' own dated sources only (the record, their pages): a copy's first
listing of a window is when it saw it, not when the maker moved."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from pricewar.history import queries

SAME_KEY = " and ".join(f"d.{column} = w.{column}" for column in
                        ("provider", "model", "kind", "currency", "source", "service_tier", "context_tier", "region",
                         "mode"))


def window_steps(db, since: str, until: str, currency: str = "CNY") -> list[SimpleNamespace]:
    """Each first price in a time window that took effect in [since, until], with the all-day price of the same
    model, kind, currency and source in effect the day before as its old price; shaped as market.changes()'s
    changes are (date, provider, model, kind, dimensions, currency, old, new, sources, ids, source_url, flags). In
    `currency` where the maker published both."""
    copies = queries.AGGREGATORS  # every copying source: the gateways and resellers among them
    rows = db.execute(
        f"""select w.effective_from, w.provider, w.model, w.kind, w.service_tier, w.context_tier, w.region, w.mode,
                   w.time_window, w.currency, d.per_mtok, w.per_mtok, w.source, w.source_url
            from prices w join prices d on {SAME_KEY} and d.time_window = ''
                 and d.effective_from < w.effective_from
                 and (d.effective_to is null or d.effective_to >= w.effective_from)
            where w.time_window != '' and w.effective_from between ? and ?
              and w.source not in ({', '.join('?' * len(copies))})
              and not exists (select 1 from prices e where e.provider = w.provider and e.model = w.model
                              and e.kind = w.kind and e.currency = w.currency and e.source = w.source
                              and e.time_window = w.time_window and e.effective_from < w.effective_from)""",
        [since, until, *copies]).fetchall()
    published = {(row[0], row[1], row[2]) for row in rows if row[9] == currency}
    return [SimpleNamespace(date=day, provider=provider, provider_name=provider, model=model, kind=kind,
                            dimensions=(tier, context, region, mode, window), currency=cur, old=Decimal(old),
                            new=Decimal(new), sources=(source,), source=source, ids=(), source_url=url or "",
                            flags=(), correction="")
            for day, provider, model, kind, tier, context, region, mode, window, cur, old, new, source, url in rows
            if cur == currency or (day, provider, model) not in published]
