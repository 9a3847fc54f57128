"""Standard output and error for people: plain text, bold or dim where colour is wanted, wrapped at a width
when asked. Reports print through this and never load Rich (20 ms of a 150 ms command); `update`'s progress
bar asks for a Rich console of the same stream (`rich()`)."""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
import unicodedata
from collections.abc import Callable
from typing import TextIO

STYLES = {"bold": "\x1b[1m", "dim": "\x1b[2m", "cut": "\x1b[32m", "rise": "\x1b[31m"}  # a cut green, a rise red
RESET = "\x1b[0m"


_MAYBE_NOT_ONE = re.compile("[^\x00-\u02ff]")  # below U+0300 every printable character takes one column


def cell_len(text: str) -> int:
    """Columns a text takes on a terminal: wide (CJK) characters count twice, combining marks not at all."""
    if text.isascii():
        return len(text)
    return len(text) + sum(-1 if unicodedata.combining(ch) else 1 if unicodedata.east_asian_width(ch) in "WF" else 0
                           for ch in _MAYBE_NOT_ONE.findall(text))


def one_column_each(text: str) -> bool:
    """Whether every character of `text` takes one column (no wide and no combining ones): then its cells'
    widths are their lengths."""
    return text.isascii() or all(not unicodedata.combining(ch) and unicodedata.east_asian_width(ch) not in "WF"
                                 for ch in set(_MAYBE_NOT_ONE.findall(text)))


class Screen:
    """One stream: NO_COLOR turns styles off (bold and dim too), even with FORCE_COLOR; FORCE_COLOR turns them on
    even in a pipe."""

    def __init__(self, stderr: bool = False, file: TextIO | None = None, force_terminal: bool | None = None):
        self.stderr, self._file, self._width = stderr, file, None
        self.force_terminal = force_terminal
        self.on_broken_pipe: Callable[[], None] | None = None

    @property
    def file(self) -> TextIO:
        return self._file or (sys.stderr if self.stderr else sys.stdout)

    @file.setter
    def file(self, new: TextIO | None) -> None:  # None: the process's stream again, whatever it is then
        self._file = new

    @property
    def is_terminal(self) -> bool:
        if self.force_terminal is not None:
            return self.force_terminal
        isatty = getattr(self.file, "isatty", None)
        return bool(isatty and isatty())

    @property
    def color(self) -> bool:
        if os.environ.get("NO_COLOR"):  # the user's "no" beats a tool's "force"
            return False
        if os.environ.get("FORCE_COLOR"):
            return True
        if os.environ.get("TERM") == "dumb":
            return False
        return self.is_terminal

    @property
    def width(self) -> int:
        return self._width or shutil.get_terminal_size().columns

    @width.setter
    def width(self, columns: int) -> None:
        self._width = columns

    @property
    def height(self) -> int:
        return shutil.get_terminal_size().lines

    def print(self, text: str = "", style: str | None = None, *, soft_wrap: bool = True, width: int | None = None,
              **_ignored) -> None:
        """One or more lines; wrapped at `width` when given (or at the terminal's, with soft_wrap=False)."""
        wrap_at = width or (self.width if not soft_wrap and self.is_terminal else None)
        if wrap_at:
            text = "\n".join(textwrap.fill(line, wrap_at, break_long_words=False, break_on_hyphens=False) or line
                             for line in text.split("\n"))
        if style and self.color:
            text = "\n".join(STYLES[style] + line + RESET if line else line for line in text.split("\n"))
        try:
            self.file.write(text + "\n")
            self.file.flush()
        except BrokenPipeError:
            if self.on_broken_pipe is None:
                raise
            self.on_broken_pipe()

    def styled(self, line: str, style: str) -> str:
        """`line` in `style`, when this stream shows colour."""
        return STYLES[style] + line + RESET if self.color else line

    def rich(self):
        """A Rich console on the same stream and colour choice, for a progress bar."""
        from rich.console import Console

        return Console(file=self.file, stderr=self.stderr, highlight=False,
                       **({} if self.color else {"color_system": None}))
