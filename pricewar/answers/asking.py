"""Many questions of one history in one process: a model's judged price at many moments (a usage log, a price
index over every day of a war), judged once per model and stretch of days (moments.turning_days) and hours' class,
converted once per day. The answers are market.one_price's, as `compare --vs` and `compare --at` give them."""

from __future__ import annotations

import bisect

from pricewar.answers import moments
from pricewar.answers.market import one_price, why_empty
from pricewar.answers.names import match
from pricewar.answers.offers import STANDARD, Offer, Selection, convert
from pricewar.history import fx
from pricewar.history.fx import Rate
from pricewar.price import PricewarError, UsageError


class Asking:
    """A history asked many times: offer() is the judged, converted price of a model at a moment."""

    def __init__(self, db):
        self.db = db
        self._names: dict = {}
        self._judged: dict = {}
        self._converted: dict = {}
        self._rates: dict = {}

    def offer(self, model: str, day: str, hours: str | None, currency: str, via: str | None = None,
              selection: Selection = STANDARD) -> tuple[tuple, Offer]:
        """The one offer answering for `model` (an id or alias, one model) on `day` at `hours` (UTC "HH:MM", or
        None: the whole day) in `currency`, and the key of its stretch (the same key, the same judged offer);
        PricewarError saying why when nothing prices it then."""
        pairs, turns, windows = self._pairs(model, via)
        # the answer is the same on every day between two turning days, at every time in the same windows
        hold = None if hours is None else tuple(moments.in_window(w, hours) for w in windows)
        stretch = (pairs, bisect.bisect_right(turns, day), hold, currency, via, selection)
        found = self._converted.get((stretch, day))
        if found is not None:
            return stretch, found
        offer = self._judged.get(stretch)
        if offer is None:
            offer = one_price(self.db, day, currency, set(pairs), Selection(**{**vars(selection), "hours": hours}),
                              via, published=True) or why_empty(self.db, set(pairs), day)
            self._judged[stretch] = offer
        if isinstance(offer, str):  # no price then: the same sentence on every day of the stretch
            raise PricewarError(f"'{model}': {offer}")
        found = self._converted[(stretch, day)] = convert(offer, self.rate(offer.currency, currency, day))
        return stretch, found

    def rate(self, base: str, target: str, day: str) -> Rate | None:
        """The ECB rate base→target of `day` (None for one currency), looked up once."""
        if base == target:
            return None
        key = (base, target, day)
        if key not in self._rates:
            self._rates[key] = fx.rate(self.db, base, target, day)
        return self._rates[key]

    def _pairs(self, model: str, via: str | None) -> tuple[frozenset, list[str], tuple[str, ...]]:
        """The ids `model` names, as one model; the days their answer may turn on; the time windows they have."""
        key = (model, via)
        if key not in self._names:
            if not isinstance(model, str) or not model.strip():
                raise UsageError("model: give a model id or alias")
            pairs = frozenset(moments.one_model(self.db, model, match(self.db, [model]), via))
            self._names[key] = (pairs, moments.turning_days(self.db, set(pairs)),
                                moments.windows(self.db, set(pairs)))
        return self._names[key]
