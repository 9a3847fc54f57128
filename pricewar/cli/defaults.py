"""Defaults a person keeps: the currency and the seller view they read prices in.

Each comes from the command line, else the environment (PRICEWAR_CURRENCY, PRICEWAR_VIA), else the config file
(config.toml in the user config directory, or the file PRICEWAR_CONFIG names), else the command's own default:

    currency = "CNY"
    via = "openrouter"

Only the commands that read the history take them: a currency given to update, record or backfill is a fact about
a page, never a preference. A kept value goes through the command's own checks, as a typed one does; an error about
it names where it came from. When no file is there, reading the config costs one failed open.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Optional

from pricewar.price import UsageError, brief, close_matches

SETTINGS = {"currency": "PRICEWAR_CURRENCY", "via": "PRICEWAR_VIA"}  # the parameter kept: its environment variable
EXAMPLES = {"currency": 'currency = "CNY"', "via": 'via = "openrouter"'}
RECORDING = frozenset({"update", "record", "backfill"})


class Kept(str):
    """A kept value, and where it came from: its environment variable, or the config file (and the key there)."""

    source: str  # 'PRICEWAR_CURRENCY', '/home/ada/.config/pricewar/config.toml'
    origin: str  # what an error names: 'PRICEWAR_CURRENCY', 'currency in /home/ada/.config/pricewar/config.toml'

    def __new__(cls, value: str, source: str, key: str | None = None) -> Kept:
        kept = super().__new__(cls, value)
        kept.source, kept.origin = source, f"{key} in {source}" if key else source
        return kept


def default_map(commands: dict) -> dict[str, dict[str, Kept]] | None:
    """Click's default_map ({command: {parameter: value}}) for the commands given that take a kept setting; None
    when none does (the config is not read then). UsageError for an unreadable config file."""
    wanted = {name: [param.name for param in command.params if param.name in SETTINGS]
              for name, command in commands.items() if name not in RECORDING}
    wanted = {name: params for name, params in wanted.items() if params}
    if not wanted:
        return None
    values = kept()
    found = {name: {param: values[param] for param in params if param in values} for name, params in wanted.items()}
    return {name: given for name, given in found.items() if given} or None


def kept() -> dict[str, Kept]:
    """The values kept in the environment, over those of the config file."""
    values = read_config(*config_path())
    for name, variable in SETTINGS.items():
        if os.environ.get(variable, "").strip():  # set but empty is unset, as for Click's own variables
            values[name] = Kept(os.environ[variable].strip(), variable)
    return values


def config_path() -> tuple[Path, bool]:
    """The config file, and whether PRICEWAR_CONFIG named it (then it must exist)."""
    named = os.environ.get("PRICEWAR_CONFIG", "").strip()
    if named:
        return Path(named).expanduser(), True
    from platformdirs import user_config_dir

    return Path(user_config_dir("pricewar", appauthor=False)) / "config.toml", False


def read_config(path: Path, named: bool = False) -> dict[str, Kept]:
    """The settings of the config file at `path`; none when there is no file there (unless PRICEWAR_CONFIG named
    it). UsageError, naming the file, for anything else that is not a setting this module knows."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if named:
            raise UsageError(f"PRICEWAR_CONFIG: there is no file {path}") from None
        return {}
    except OSError as error:
        raise UsageError(f"cannot read the config file {path}: {error.strerror or error}") from None
    import tomllib

    try:
        table = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"the config file {path} is not text (UTF-8)") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"the config file {path} is not TOML: {str(error)[:1].lower()}{str(error)[1:]}") from None
    values = {}
    for key, value in table.items():
        if key not in SETTINGS:
            close = close_matches(key, SETTINGS, n=1)
            hint = f"did you mean {close[0]}?" if close else f"it knows {', '.join(SETTINGS)}"
            raise UsageError(f"the config file {path} has an unknown setting '{brief(key)}'; {hint}")
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"the config file {path} needs {key} as a name in quotes, like {EXAMPLES[key]}")
        values[key] = Kept(value.strip(), str(path), key)
    return values


def makers(value: Optional[str]) -> Optional[str]:
    """--via makers: the makers' own prices, as when no --via is given (the view a kept PRICEWAR_VIA changes)."""
    return None if value is not None and value.strip().lower() == "makers" else value


def blame(message: str) -> str:
    """A usage error about a kept value ('--currency: unknown currency ...') as one about where it came from
    ('PRICEWAR_CURRENCY: unknown currency ...'): the user typed no --currency."""
    from typer.core import _click

    ctx = _click.globals.get_current_context(silent=True)
    if ctx is None or not ctx.default_map:
        return message
    for param in ctx.command.params:
        value = ctx.default_map.get(param.name)
        option = next((name for name in param.opts if name.startswith("--")), None)
        if (isinstance(value, Kept) and option and message.startswith(f"{option}:")
                and ctx.get_parameter_source(param.name) is _click.core.ParameterSource.DEFAULT_MAP):
            return f"{value.origin}:{message[len(option) + 1:]}"
    return message


_WRITTEN_DEFAULT = re.compile(r"\s*\[default: [^\]]*\]")


def shows_kept(param) -> None:
    """`param`'s --help says which kept value is its default, and where it came from, in place of the built-in
    default its help names ("[default: CNY, from PRICEWAR_CURRENCY]")."""
    import copy

    def get_help_record(ctx):
        value = ctx.lookup_default(param.name, call=False)
        if not isinstance(value, Kept):
            return type(param).get_help_record(param, ctx)
        shown = copy.copy(param)
        shown.help, shown.show_default = _WRITTEN_DEFAULT.sub("", param.help or ""), True
        shown._get_default_string = lambda **_: f"{value}, from {value.source}"
        return type(param).get_help_record(shown, ctx)

    param.get_help_record = get_help_record
