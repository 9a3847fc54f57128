"""Price sources, one module each. A module's file name is its id (underscores read as hyphens).

Every module declares, once:

    \"\"\"Where its prices come from (the docstring).\"\"\"
    URLS = ("https://...",)              # what `pricewar update` fetches; each body goes to parse()
    def parse(body: bytes) -> list[Price]  # pure; raises PricewarError when it finds no prices
    MENTIONS = ("deepseek",)             # optional: a page that carries none of these words is refused

Fetching lives in pricewar.sources.fetch; these modules never touch the network.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from pricewar.price import PricewarError


def names() -> list[str]:
    """The ids of every source module, without importing any of them."""
    import pkgutil

    return sorted(info.name.replace("_", "-") for info in pkgutil.iter_modules(__path__))


def load(name: str) -> ModuleType:
    """The module of source `name`; PricewarError naming the known ones when there is none."""
    known = names()
    if name not in known:
        raise PricewarError(f"unknown source '{name}' (known: {', '.join(known)})")
    return importlib.import_module(f"{__name__}.{name.replace('-', '_')}")
