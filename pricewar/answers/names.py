"""Which models a name answers to: ids, aliases or display names, any case, * and ? allowed."""

from __future__ import annotations

import fnmatch

from pricewar.history import queries
from pricewar.price import UsageError, close_matches


def _ids_of(model: dict) -> list[str]:
    return [model["model"], f"{model['provider']}/{model['model']}", *model["aliases"]]


def match_models(patterns: list[str], models: list[dict]) -> set[tuple[str, str]]:
    """(provider, model) pairs named by `patterns`: ids, aliases or display names, any case, * and ? allowed.

    An id or alias that is exactly the name wins, even one holding `[` or `*`; then ids and aliases
    as a pattern; a display name only when no id or alias matches, so that a reseller's entry
    named "o3" never answers for OpenAI's o3. Raises UsageError for a name that matches nothing,
    with the closest names as a hint.
    """
    matched: set[tuple[str, str]] = set()
    for pattern in patterns:
        wanted = pattern.strip().lower()
        is_glob = any(ch in wanted for ch in "*?[")

        def hits(names_of, glob: bool) -> set[tuple[str, str]]:
            return {(m["provider"], m["model"]) for m in models for name in names_of(m)
                    if (fnmatch.fnmatchcase(name.lower(), wanted) if glob else name.lower() == wanted)}

        found = (hits(_ids_of, False) or (is_glob and hits(_ids_of, True))
                 or hits(lambda m: [m["name"]], is_glob))
        if not found:
            raise UsageError(unknown_model_message(pattern, models))
        matched |= found
    return matched


def unknown_model_message(name: str, models: list[dict]) -> str:
    everything = sorted({n for m in models for n in (m["model"], *m["aliases"])})
    by_lower = {n.lower(): n for n in everything}
    close = close_matches(name.lower(), list(by_lower), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(by_lower[c] for c in close)}?" if close else " (pricewar models lists the known ones)"
    return f"unknown model '{name}'{hint}"


def match(db, patterns: list[str]) -> set[tuple[str, str]]:
    """match_models over the few models that may answer (queries.named_models); when none does, over every
    model, which finds what a plain lookup cannot or raises with the closest names as a hint."""
    try:
        return match_models(patterns, queries.named_models(db, patterns))
    except UsageError:
        return match_models(patterns, queries.model_names(db))
