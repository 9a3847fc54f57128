"""Go source read, never run: tokens by Go's rules (comments dropped, the semicolon rule applied), untyped
constants evaluated exactly as Go evaluates them (integer / integer divides as integers, anything else is an exact
rational), and the declarations of maps and functions parsed into nodes. one-api's price table is Go
(pricewar.sources.providers.one_api reads it through this module)."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from pricewar.price import PricewarError

SOURCE = "one-api's price table"  # the one Go file pricewar reads (its errors name it)
LAYOUT = "has the file's format changed?"


def written(expression: list) -> str:
    """An expression's tokens as the file wrote them: "0.012 * RMB"."""
    return re.sub(r"\( | \)", lambda m: m[0].strip(), " ".join(text for _, text in expression))


def source_text(body: bytes) -> str:
    if not body.strip():
        raise PricewarError(f"{SOURCE} came back empty — try again later.")
    if body.lstrip()[:1] == b"<":
        raise PricewarError(f"Expected Go source from {SOURCE}, got HTML — has it moved?")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PricewarError(f"{SOURCE} is not Go source (not UTF-8 text) — was the download cut short?") from None


_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\f]+) | (?P<newline>\n) | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<str>"(?:\\.|[^"\\\n])*"|`[^`]*`) | (?P<rune>'(?:\\.|[^'\\\n])+')
  | (?P<num>0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)
  | (?P<ident>[^\W\d]\w*)
  | (?P<op>:=|==|!=|<=|>=|&&|\|\||\+\+|--|<<|>>|&\^|[-+*/%&|^]=|\.\.\.|[-+*/%&|^<>=!(){}\[\],;:.~])
""", re.DOTALL | re.VERBOSE)
# Go ends a statement at a line break after these (its semicolon rule), so statements need no guessing
_ENDS_STATEMENT = {"ident", "num", "str", "rune", ")", "]", "}", "++", "--"}


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each token, comments dropped and Go's implicit semicolons made explicit."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise PricewarError(f"{SOURCE} is not Go source (unexpected {text[position]!r}) — {LAYOUT}")
        position, kind = match.end(), match.lastgroup
        if kind == "newline" or (kind == "comment" and "\n" in match[0]):
            if tokens and (tokens[-1][0] in _ENDS_STATEMENT or tokens[-1][1] in _ENDS_STATEMENT):
                tokens.append(("op", ";"))
        elif kind not in ("space", "comment"):
            tokens.append((kind, match[0]))
    return tokens


def _string(literal: str) -> str:
    if literal[0] == "`":
        return literal[1:-1]
    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", lambda m: chr(int(m[1][1:], 16)) if len(m[1]) > 1
                  else {"n": "\n", "t": "\t"}.get(m[1], m[1]), literal[1:-1])


class Constant:
    """An untyped Go constant: its exact value, whether it is an integer, and, when it is a multiple of
    USD or RMB, which (tag) and how many (coefficient: MILLI_USD is USD x 1/1000)."""

    __slots__ = ("coefficient", "integer", "tag", "value", "written")

    def __init__(self, value: Fraction, integer: bool, tag: str | None = None, coefficient: Fraction | None = None,
                 written: str = ""):
        self.value, self.integer, self.tag, self.written = value, integer, tag, written
        self.coefficient = value if coefficient is None else coefficient


def as_written(value: Constant, written: str) -> Constant:
    return Constant(value.value, value.integer, value.tag, value.coefficient, written)


def _arithmetic(op: str, a: Constant, b: Constant) -> Constant:
    integer = a.integer and b.integer
    if op in "+-":
        if a.tag != b.tag:
            raise PricewarError(f"{SOURCE} adds amounts in two units — {LAYOUT}")
        sign = 1 if op == "+" else -1
        return Constant(a.value + sign * b.value, integer, a.tag, a.coefficient + sign * b.coefficient)
    if op == "*":
        if a.tag and b.tag:
            raise PricewarError(f"{SOURCE} multiplies two currencies — {LAYOUT}")
        return Constant(a.value * b.value, integer, a.tag or b.tag, a.coefficient * b.coefficient)
    if b.tag or not b.value:
        raise PricewarError(f"{SOURCE} divides by a currency or by zero — {LAYOUT}")
    quotient = a.value / b.value
    if integer:  # Go: integer constants divide as integers, truncated toward zero (USD / USD2RMB = 71)
        quotient = Fraction(int(quotient))
    return Constant(quotient, integer, a.tag, a.coefficient / b.value if a.tag else quotient)


_PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3, "+": 4, "-": 4, "*": 5, "/": 5}


class Parser:
    """Go expressions and the statements of a function body, as nested tuples."""

    def __init__(self, tokens: list):
        self.tokens, self.at = tokens, 0

    def peek(self) -> str:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else ""

    def take(self, text: str | None = None) -> tuple[str, str]:
        token = self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")
        if text is not None and token[1] != text:
            raise PricewarError(f"{SOURCE}: expected '{text}', found '{token[1]}' — {LAYOUT}")
        self.at += 1
        return token

    def many(self, read, separator: str = ",") -> list:
        found = [read()]
        while self.peek() == separator:
            self.take()
            found.append(read())
        return found

    def expression(self, level: int = 1) -> tuple:
        node = self.unary()
        while (op := self.peek()) in _PRECEDENCE and self.tokens[self.at][0] == "op" and _PRECEDENCE[op] >= level:
            self.take()
            node = ("bin", op, node, self.expression(_PRECEDENCE[op] + 1))
        return node

    def unary(self) -> tuple:
        if self.peek() in ("-", "!", "+") and self.tokens[self.at][0] == "op":
            op = self.take()[1]
            inner = self.unary()
            return inner if op == "+" else ("neg" if op == "-" else "not", inner)
        kind, text = self.take()
        if kind == "num":
            clean = text.replace("_", "")
            hexadecimal = clean[:2].lower() == "0x"
            node: tuple = ("num", Constant(Fraction(int(clean, 16)) if hexadecimal else Fraction(Decimal(clean)),
                                            hexadecimal or not re.search(r"[.eE]", clean)))
        elif kind in ("str", "ident"):
            node = (kind, _string(text) if kind == "str" else text)
        elif text == "(":
            node = ("paren", self.expression())
            self.take(")")
        else:
            raise PricewarError(f"{SOURCE}: unexpected '{text}' in an expression — {LAYOUT}")
        while self.peek() in (".", "(", "["):
            punctuation = self.take()[1]
            if punctuation == ".":
                node = ("sel", node, self.take()[1])
            elif punctuation == "[":
                node = ("index", node, self.expression())
                self.take("]")
            else:
                node = ("call", node, [] if self.peek() == ")" else self.many(self.expression))
                self.take(")")
        return node

    def statements(self) -> list:
        found = []
        while self.peek() not in ("}", "case", "default", ""):
            if self.peek() == ";":
                self.take()
            else:
                found.append(self.statement())
        return found

    def block(self) -> list:
        self.take("{")
        body = self.statements()
        self.take("}")
        return body

    def statement(self) -> tuple:
        word = self.peek()
        if word not in ("if", "switch", "return") or self.tokens[self.at][0] != "ident":
            return self.simple()
        self.take()
        if word == "return":
            start = self.at
            return ("return", self.expression(), written(self.tokens[start:self.at]))
        if word == "if":
            init, condition = None, self.simple()
            if self.peek() == ";":
                self.take()
                init, condition = condition, ("expr", self.expression())
            if condition[0] != "expr":
                raise PricewarError(f"{SOURCE}: an if of GetCompletionRatio has no condition — {LAYOUT}")
            then, otherwise = self.block(), []
            if self.peek() == "else":
                self.take()
                otherwise = [self.statement()] if self.peek() == "if" else self.block()
            return ("if", init, condition[1], then, otherwise)
        subject = None if self.peek() == "{" else self.expression()  # switch
        self.take("{")
        clauses = []
        while self.peek() != "}":
            word = self.take()[1]
            if word in ("case", "default"):
                values = self.many(self.expression) if word == "case" else None
                self.take(":")
                clauses.append((values, self.statements()))
            elif word != ";":
                raise PricewarError(f"{SOURCE}: a switch of GetCompletionRatio is not Go — {LAYOUT}")
        self.take("}")
        return ("switch", subject, clauses)

    def simple(self) -> tuple:
        if self.peek() in ("for", "go", "goto", "select", "fallthrough", "break", "continue", "defer", "func"):
            raise PricewarError(f"{SOURCE}: GetCompletionRatio uses '{self.peek()}', which this reader does not "
                                f"know — {LAYOUT}")
        targets = self.many(self.expression)
        if self.peek() not in (":=", "="):
            if len(targets) != 1:
                raise PricewarError(f"{SOURCE}: GetCompletionRatio holds a statement this reader does not know — "
                                    f"{LAYOUT}")
            return ("expr", targets[0])
        self.take()
        values = self.many(self.expression)
        if any(target[0] != "ident" for target in targets):
            raise PricewarError(f"{SOURCE}: GetCompletionRatio assigns to what this reader does not know — {LAYOUT}")
        return ("assign", [target[1] for target in targets], values)


class Reader:
    """The declarations of one file: its constants (evaluated in order) and map literals."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.texts = tokens, [text for _, text in tokens]
        self.constants: dict[str, Constant] = {}
        at = 0
        while (at := self._after(("const",), at)) is not None:
            grouped = self.texts[at] == "("
            at += grouped
            while self.texts[at] != ")":
                if self.texts[at] == ";":
                    at += 1
                    continue
                name, end = self.texts[at], self.texts.index(";", at)
                if self.texts[at + 1] != "=":
                    raise PricewarError(f"{SOURCE}: constant {name} is not 'name = value' — {LAYOUT}")
                value = self.evaluate(self.tokens[at + 2:end])
                if name in ("USD", "RMB"):  # the two currencies: a multiple of either is a price in it
                    value = Constant(value.value, value.integer, name, Fraction(1))
                self.constants[name] = value
                at = end
                if not grouped:
                    break

    def _after(self, pattern: tuple[str, ...], start: int = 0) -> int | None:
        """The position just after the first `pattern` from `start` (not a field: ".X" is someone else's X)."""
        for at in range(start, len(self.texts) - len(pattern) + 1):
            if self.texts[at] == pattern[0] and tuple(self.texts[at:at + len(pattern)]) == pattern \
                    and (at == 0 or self.texts[at - 1] != "."):
                return at + len(pattern)
        return None

    def map_literal(self, name: str) -> dict[str, list] | None:
        """The entries of `<name> = map[string]float64{...}`: key -> the tokens of its value."""
        at = self._after((name, "=", "map", "[", "string", "]", "float64", "{"))
        if at is None:
            return None
        entries: dict[str, list] = {}
        while True:
            while self.texts[at] == ";":
                at += 1
            if self.texts[at] == "}":
                return entries
            if self.tokens[at][0] != "str" or self.texts[at + 1] != ":":
                raise PricewarError(f"{SOURCE}'s {name} has an entry {self.texts[at]} that is not 'key: value' — it "
                                    f"is not valid Go")
            key, depth, end = _string(self.texts[at]), 0, at + 2
            while depth or self.texts[end] not in (",", "}"):
                depth += {"(": 1, ")": -1}.get(self.texts[end], 0)
                end += 1
            if key in entries:
                raise PricewarError(f"{SOURCE}'s {name} gives '{key}' twice, which Go does not compile")
            entries[key] = self.tokens[at + 2:end]
            at = end + (self.texts[end] == ",")

    def evaluate(self, tokens: list) -> Constant:
        parser = Parser(tokens)
        node = parser.expression()
        if parser.at < len(tokens):
            raise PricewarError(f"{SOURCE}: cannot read '{written(tokens)}' as a Go constant — {LAYOUT}")
        return self.constant(node)

    def constant(self, node: tuple, variables: dict | None = None) -> Constant:
        kind = node[0]
        if kind == "num":
            return node[1]
        if kind == "ident" and isinstance(found := (variables or {}).get(node[1], self.constants.get(node[1])),
                                          Constant):
            return found
        if kind == "neg":
            inner = self.constant(node[1], variables)
            return Constant(-inner.value, inner.integer, inner.tag, -inner.coefficient)
        if kind == "paren" or kind == "call" and node[1] == ("ident", "float64") and len(node[2]) == 1:
            return self.constant(node[1] if kind == "paren" else node[2][0], variables)
        if kind == "bin" and node[1] in "*/+-":
            return _arithmetic(node[1], self.constant(node[2], variables), self.constant(node[3], variables))
        raise PricewarError(f"{SOURCE}: a value is not a constant this reader knows — {LAYOUT}")
