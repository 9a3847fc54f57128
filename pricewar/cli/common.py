"""What every command shares: the app, the consoles, the common options, errors at the edge."""

from __future__ import annotations

import functools
import io
import os
import re
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from pricewar.cli import defaults
from pricewar.history import database
from pricewar.output import render
from pricewar.output.render import clean
from pricewar.output.screen import Screen
from pricewar.price import PricewarError, UsageError, close_matches


class _Plain:
    """A command-line value as the command's annotation says, without the pydantic adapter Typer builds for
    each option (about 90 ms of a 200 ms command, and 50 ms more to import pydantic): pricewar's options are
    only str, bool, int, float, Path and lists of str."""

    def __init__(self, convert: Callable, what: str = ""):
        self.convert, self.what = convert, what

    def coerce(self, value, param, ctx):
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        return [self.one(item, param, ctx) for item in value] if many else self.one(value, param, ctx)

    def one(self, value, param, ctx):
        try:
            return self.convert(value)
        except ValueError:
            raise typer.BadParameter(f"Input should be a valid {self.what}", ctx=ctx, param=param) from None


_PLAIN = {str: _Plain(str), bool: _Plain(bool), int: _Plain(int, "integer"), float: _Plain(float, "number"),
          Path: _Plain(Path), list[str]: _Plain(str)}


def plain_values() -> None:
    """Options of plain types get the plain conversion; anything else, and a Typer without this internal
    function, keep Typer's own."""
    from typer import core

    typers = getattr(core, "build_runtime_param", None)
    if typers is None or getattr(typers, "plain", False):
        return

    def build_runtime_param(descriptor):
        plain = _PLAIN.get(getattr(descriptor, "annotation", None))
        info = getattr(descriptor, "parameter_info", None)
        if plain is None or getattr(descriptor, "file_annotation", None) is not None or getattr(info, "parser", None):
            return typers(descriptor)
        return plain

    build_runtime_param.plain = True
    core.build_runtime_param = build_runtime_param


# What goes where, in every command's --help (an option not named here shows its name: --min-change PERCENT).
METAVARS = {
    "--at": "DATE|TIME", "--since": "DATE|SPAN", "--until": "DATE", "--effective": "DATE", "--observed-at": "TIME",
    "--currency": "CURRENCY", "--vs": "MODEL", "--sort": "input|output|blended", "--blend": "IN:OUT",
    "--provider": "PROVIDER", "--source": "SOURCE", "--page": "FILE|URL", "--url": "URL",
    "--tier": "standard|batch|flex|priority", "--context": "TIER", "--region": "REGION",
    "--region-a": "REGION", "--region-b": "REGION", "--mode": "thinking|non-thinking", "--via": "SELLER",
    "--type": "chat|embedding|image|audio|all", "--limit": "N", "--format": "table|json|csv|markdown",
    "--db": "PATH", "--kind": "input|output|blended", "--min-change": "PERCENT", "--out": "FILE",
    "--input": "AMOUNT", "--output": "AMOUNT", "--cache-hit": "SHARE|PERCENT", "--per": "1M|1K|token",
    "--wait": "SECONDS", "--git": "BUNDLE|URL", "--file": "PATH", "--max-input": "AMOUNT",
    "--max-output": "AMOUNT", "--max-blended": "AMOUNT", "--input-tokens": "TOKENS", "--output-tokens": "TOKENS",
    "--throughput": "TOKENS/S", "--node-cost": "AMOUNT", "--price": "AMOUNT", "--utilization": "SHARE|PERCENT",
    "--timeout": "SECONDS", "--html": "FILE", "--new-provider": "NAME", "--note": "TEXT", "--model": "MODEL",
    "record --cache-hit": "AMOUNT", "changes --format": "table|json|csv|markdown|atom", "--feed-url": "URL",
    "changes --sort": "change|date", "--every": "day|week|month", "moves --tier": "budget|flagship|all", "report --at": "DATE",
}
EXAMPLES = {  # one per command, shown under its --help
    "update": "pricewar update deepseek openrouter --quiet   # or: update deepseek --page saved.md",
    "compare": "pricewar compare 'deepseek-*' qwen-max --at 2024-06-01 --currency CNY",
    "models": "pricewar models 'glm*' -p zhipu",
    "record": "pricewar record deepseek deepseek-chat --input 1 --output 2 --currency CNY --effective 2024-05-06 "
              "--url https://api-docs.deepseek.com/news/news0506",
    "changes": "pricewar changes --since 2024-05 --until 2024-06-01 --min-change 50",
    "history": "pricewar history deepseek-chat --currency CNY",
    "war": "pricewar war --since 2024-05-01 --kind output -p deepseek,zhipu",
    "report": "pricewar report --html war.html --since 1y",
    "cost": "pricewar cost deepseek-chat gpt-4o-mini --input-tokens 10M --output-tokens 2M --cache-hit 30%",
    "economics": "pricewar economics --throughput 2000 --node-cost 20 --model deepseek-chat",
    "backfill": "pricewar backfill litellm --git https://github.com/BerriAI/litellm --since 2025-01-01",
    "completion": "pricewar completion bash > ~/.local/share/bash-completion/completions/pricewar",
    "moves": "pricewar moves --since 2024-05-01 --until 2024-05-31 --story",
    "index": "pricewar index --currency CNY --every month --since 2024-05-01",
}


def _described(command):
    """A command whose options say what goes in them (METAVARS), its arguments too (MODEL...)."""
    if command is None or getattr(command, "_described", False):
        return command
    for param in command.params:
        if getattr(param, "is_flag", False):
            continue
        long = next((name for name in param.opts if name.startswith("--")), None)
        if param.param_type_name == "argument":
            param.metavar = param.name.upper().rstrip("S") if param.nargs == -1 else param.name.upper()
            param.display_type_rich = lambda ctx: None  # "MODEL", not "MODEL... <list[str]>"
        elif long is not None:
            param.metavar = METAVARS.get(f"{command.name} {long}", METAVARS.get(long, long[2:].upper()))
        if param.name in defaults.SETTINGS:
            defaults.shows_kept(param)
    if command.name in EXAMPLES and not command.epilog:
        command.epilog = f"\b\nExample:\n  {EXAMPLES[command.name]}"  # \b: kept as written, not rewrapped
    command._described = True
    return command


def _summary(text: str) -> str:
    """A command's line in `pricewar --help`: its help's first sentence whole (never cut with "...")."""
    first = " ".join((text or "").split("\n\n")[0].split())
    for end in (". ", "; "):
        if end in first:
            first = first.split(end)[0]
    return first.rstrip(".")


class _Group(TyperGroup):
    """Typer's own parse errors ("No such option", "Invalid value") in pricewar's one-sentence style; --json as
    --format json on every command; -h as --help; options that say what goes in them; summaries whole; the
    defaults a person keeps (pricewar.cli.defaults)."""

    def get_command(self, ctx, name):
        return _described(super().get_command(ctx, name))

    def resolve_command(self, ctx, args):
        """The command named, and the defaults kept for it (read for the command that runs only)."""
        name, command, rest = super().resolve_command(ctx, args)
        if ctx.default_map is None and command is not None and not ctx.resilient_parsing:
            ctx.default_map = defaults.default_map({name: command})
        return name, command, rest

    def format_commands(self, ctx, formatter) -> None:
        rows = [(name, _summary(command.help)) for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        from typer.core import _click  # Typer's vendored Click: the exceptions its parser raises

        plain_values()
        given = list(kwargs.pop("args", None) or (args[0] if args and args[0] is not None else sys.argv[1:]))
        end = given.index("--") if "--" in given else len(given)
        given = [part for index, arg in enumerate(given)
                 for part in (("--format", "json") if arg == "--json" and index < end else (arg,))]
        try:
            code = super().main(given, *args[1:], standalone_mode=False, **kwargs)
        except _click.exceptions.ClickException as error:
            if not standalone_mode:
                raise
            if isinstance(error, _click.exceptions.NoArgsIsHelpError):  # `pricewar` alone: the help
                error.show()
                sys.exit(error.exit_code)
            err.print(clean(f"error: {parse_error(error)}"), markup=False)
            sys.exit(error.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            err.print("interrupted; nothing more was written", markup=False)
            sys.exit(130)
        except UsageError as error:  # a config file that cannot be read (resolve_command)
            if not standalone_mode:
                raise
            err.print(sentence(error), markup=False)
            sys.exit(2)
        if standalone_mode:
            sys.exit(code if isinstance(code, int) else 0)
        return code


def parse_error(error) -> str:
    """One sentence for an error of the command line itself, naming where help is."""
    from typer.core import _click

    ctx = getattr(error, "ctx", None)
    names = []  # the subcommands' names: the program may be "python -m pricewar"
    while ctx is not None and ctx.parent is not None:
        names.insert(0, ctx.info_name)
        ctx = ctx.parent
    where = f" (see '{' '.join(['pricewar', *names])} --help')" if getattr(error, "ctx", None) is not None else ""
    exceptions = _click.exceptions
    if isinstance(error, exceptions.NoSuchOption):
        close = close_matches(error.option_name, error.possibilities or [], n=2) or sorted(
            error.possibilities or [])[:2]
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        return f"no option {error.option_name}{hint}{where}"
    if isinstance(error, exceptions.MissingParameter) and error.param is not None:
        return f"missing {_name(error.param)}{where}"
    if isinstance(error, exceptions.BadParameter) and error.param is not None:
        message = error.message.split(",")[0]
        message = {"Input should be a valid number": "give a number",
                   "Input should be a valid integer": "give a whole number"}.get(message, message)
        return f"{_name(error.param)}: {message[:1].lower()}{message[1:].rstrip('.')}{where}"
    message = error.format_message().rstrip(".")
    return f"{message[:1].lower()}{message[1:]}{where}"


def _name(param) -> str:
    """'--min-change' for an option, 'model' for an argument."""
    name = param.get_error_hint().split(" / ")[0].split(" (env var")[0].strip("'")
    return name.lower().rstrip(".") if param.param_type_name == "argument" else name


app = typer.Typer(
    cls=_Group,
    help="Track the LLM API price war: published prices by date, compared in any currency.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

def _version(ctx: typer.Context, wanted: bool) -> None:
    if wanted and not ctx.resilient_parsing:  # not while a shell completes the line
        from pricewar import __version__

        print(f"pricewar {__version__}")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Print pricewar's version and exit.")] = False,
) -> None:
    """Track the LLM API price war: published prices by date, compared in any currency."""


def _reader_left() -> None:
    """`pricewar compare | head`: the reader has all it wanted, which is success (Rich would exit 1)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(0)


out = Screen()
out.on_broken_pipe = _reader_left
err = Screen(stderr=True)
if not sys.stdout.isatty():
    out.width = max(out.width, 240)  # a pipe or a file gets whole lines, not a table folded at 80 columns


def terminal_width() -> int | None:
    """The width tables must fit: the terminal's; None when the output goes to a pipe or a file."""
    return out.width if sys.stdout.isatty() else None


def show(grid: render.Grid, fmt: str, wide: bool = False) -> None:
    """A grid on standard output; on a terminal a table fits its width unless --wide."""
    render.print_grid(out, grid, fmt, fit=None if wide else terminal_width())


def pages(command: Callable) -> Callable:
    """Output longer than the terminal goes through a pager (PAGER, or `less -FRX` as git does); never
    when piped. A command that fails prints what it had, then its error."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        if terminal_width() is None or os.environ.get("PAGER") == "":
            return command(*args, **kwargs)
        screen, out.file, out.force_terminal = out.file, io.StringIO(), True  # held for the pager, coloured still
        try:
            result = command(*args, **kwargs)
        except BaseException:
            screen.write(out.file.getvalue())
            raise
        finally:
            text, out.file, out.force_terminal = out.file.getvalue(), None, None  # None: the stream as it is
        if text.count("\n") < out.height:
            screen.write(text)
        else:
            page(text, screen)
        return result

    return wrapper


def page(text: str, screen) -> None:
    import subprocess

    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        ran = subprocess.run(os.environ.get("PAGER") or "less", shell=True, input=text, text=True, env=env,
                             check=False, stderr=subprocess.DEVNULL)
    except OSError:
        ran = None
    if ran is None or ran.returncode in (126, 127):  # no pager to run: the text as it is
        screen.write(text)


WideOption = Annotated[bool, typer.Option("--wide", help="Show every column, however wide the terminal.")]

DbOption = Annotated[
    Optional[Path],
    typer.Option("--db", envvar="PRICEWAR_DB", show_envvar=True,
                 help="The SQLite history [default: pricewar.db in your user data directory]."),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, json, csv or markdown (--json: json).")]
AtOption = Annotated[Optional[str], typer.Option("--at", help="The day to look at, YYYY-MM-DD, or a UTC time (2025-03-01T17:05Z, or with an offset) whose hours choose peak or off-peak prices [default: today].")]
ContextOption = Annotated[Optional[str], typer.Option("--context", help="Only this context tier, e.g. '0-128k', '>200k'.")]
RegionOption = Annotated[Optional[str], typer.Option("--region", help="Only this region, e.g. cn, international.")]
ModeOption = Annotated[Optional[str], typer.Option("--mode", help="Only this mode: thinking or non-thinking.")]
ProviderOption = Annotated[Optional[list[str]], typer.Option(
    "--provider", "-p", help="Only these providers: repeat it, or separate them with commas.")]
TypeOption = Annotated[str, typer.Option(
    "--type", help="What kind of model: chat, embedding, image, audio, or all.")]
MaxOption = Annotated[Optional[str], typer.Option(help="Only prices at most this much, in the report currency.")]
LimitOption = Annotated[Optional[int], typer.Option("--limit", "-n", help="Show at most this many rows.")]
OffPeakOption = Annotated[bool, typer.Option("--off-peak", help="Use off-peak prices where published.")]
CurrencyOption = Annotated[str, typer.Option("--currency", "-c", help="Show prices in this currency (USD, CNY, EUR, ...).")]
ViaOption = Annotated[Optional[str], typer.Option(
    "--via", callback=defaults.makers, help="Prices of this reseller or cloud (openrouter, azure, bedrock, ...), 'all', or "
    "'makers' (their own prices) [default: the makers' own].")]


_LONG_WORD = re.compile(r"\S{81,}")


def sentence(error: object) -> str:
    """An error as one printable sentence: a word longer than a line (an argument of 100,000 characters echoed
    back) cut to its first 60 characters."""
    return clean(_LONG_WORD.sub(lambda word: word[0][:60] + "…", f"error: {error}"))


def handles_errors(command: Callable) -> Callable:
    """Turn a PricewarError into one sentence on stderr and an exit code: 2 for usage, 1 otherwise."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except UsageError as error:
            err.print(sentence(defaults.blame(str(error))), markup=False)
            raise typer.Exit(2) from None
        except PricewarError as error:
            err.print(sentence(error), markup=False)
            raise typer.Exit(1) from None
        except sqlite3.Error as error:
            err.print(clean(f"error: the database failed: {error}"), markup=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("interrupted; nothing more was written", markup=False)
            raise typer.Exit(130) from None
        except typer.Exit:
            raise
        except BrokenPipeError:
            _reader_left()
        except Exception as error:  # a bug: still one sentence, and the details on request
            if os.environ.get("PRICEWAR_DEBUG"):
                raise
            err.print(clean(f"error: unexpected {type(error).__name__}: {error} — this is a bug in pricewar; "
                            "run again with PRICEWAR_DEBUG=1 for the details and please report it"), markup=False)
            raise typer.Exit(1) from None

    return wrapper


def open_history(db_path: Path | None):
    """The database, migrated and holding at least the bundled record (said on a terminal when loaded now)."""
    from pricewar.history import opening

    path = db_path or database.default_db_path()
    db, loaded = opening.opened(path, given=db_path is not None)
    if loaded is not None and err.is_terminal:
        err.print(f"Loaded the bundled price record into {path}.", style="dim", markup=False)
    return db
