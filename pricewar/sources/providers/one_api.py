"""one-api's built-in price table: Go source of billing ratios (songquanpeng/one-api, MIT).

`relay/billing/ratio/model.go` (until 2024-04-06 `common/model-ratio.go`, then `relay/billing/model-ratio.go`)
holds the gateway's default prices as Go declarations. The file is read as Go, never run: it is tokenized
(comments dropped, Go's semicolon rule applied) and these declarations are evaluated, exactly as Go evaluates
untyped constants (integer / integer divides as integers, anything else is an exact rational):

- `ModelRatio`, a model's input price as a ratio: 1 = USD 0.002 per 1K tokens (USD 2 per 1M).
  - `X * USD` is USD X per 1K; `X / 1000 * USD` and `X * MILLI_USD` are USD X per 1M (USD = 500, from the
    file's `const` block). A plain number for a Western maker is USD ratio x 2 per 1M.
  - `X * RMB` is CNY X per 1K and `X / 1000 * RMB` CNY X per 1M: that is what the author wrote and what the
    gateway's users were told. Go makes `RMB = USD / USD2RMB` = 500 / 7 between untyped integers = 71, so
    the ratio billed is X x 71 (USD 0.142 X per 1K, a rate of 7.04): a conversion, not a published price.
    The price is recorded in CNY as written; `published` keeps the expression.
  - A plain number for a Chinese maker (baidu, zhipu, alibaba, deepseek, iflytek, tencent, moonshot, minimax,
    01-ai, stepfun, baichuan, 360) is a yuan price: from 2023-07-23 the file says "1 === ￥0.014 / 1k tokens"
    and its yuan entries were written as CNY per 1K / 0.014 rounded at the ratio's last decimal (0.8572 for
    ¥0.012 / 1K). A ratio written with 3 or more decimals was rounded: the price is the shortest CNY amount
    per 1K whose ratio lies within one unit of that last decimal (0.8572 -> ¥0.012, 1.2858 -> ¥0.018, not
    the ¥0.0120008 of ratio x 0.014); each yuan comment the file ever wrote beside such a ratio agrees. A
    ratio with fewer decimals is exact: ratio x ¥0.014 per 1K. Before the file stated that scale (2023-07-22
    and -23, when "ERNIE-Bot": 1 meant "0.012元") a Chinese maker's plain ratio is skipped.
  - Slips that divide a price by 1000 once too often, so the gateway bills a thousandth of the list price,
    are no price and are skipped: any expression dividing by 1000000 (`0.07 / 1000000 * USD`, Groq from
    2024-08-06; yi-* for three days of March 2024), and StepFun's `X / 1000 * RMB` (from 2024-09-21), whose
    X is the yuan price per 1K (step-1-8k `0.005 / 1000 * RMB` for StepFun's ¥5 / 1M).
- Output = input x what `GetCompletionRatio(name)` returns. Its body is interpreted (if / else, `switch
  name`, `strings.HasPrefix` / `HasSuffix` / `Contains`, `==`, the `CompletionRatio` map and its copy
  `DefaultCompletionRatio`, the final default). A lookup keyed by `name(channel)` never matches: these are
  the prices of no channel in particular. Before the function existed (2023-08-19) output ratios lived in
  relay code, not in this file: those versions give input prices only. Embeddings get an input price only.
- The rule that depends on the date (2023-11-10 to 2024-03-16: gpt-3.5-turbo and gpt-3.5-turbo-16k return 2
  `if now.After(time.Date(2023, 12, 11, ...))`, else 1.333333) is not evaluated at any "now": parse() does
  not know when the file was committed, and need not, since the file states the date. Both prices are given,
  1.333333 with effective_to 2023-12-11 and 2 with effective_from 2023-12-11, so every version says the same
  about each day whenever it is read (a version of 2023-11-10 was right to charge 1.333333 that day).
- Amounts are exact rationals (4.0 / 3.0 is 4/3); a product that is no exact decimal is skipped, never
  rounded. A literal 1.333333 stays 1.333333 (output USD 1.9999995 per 1M for 0.75): the file says so.
  `unit` is "per 1K tokens", the ratios' scale; `published` is the expression as written ("0.012 * RMB",
  "ratio 2.5"), an output's followed by "× <completion ratio as written>".

Makers (provider) by id: gpt-* chatgpt-* o1* o3* and the older OpenAI ids -> openai; claude-* -> anthropic;
gemini-* -> google; open-mistral-* open-mixtral-* mistral-* -> mistral; command* -> cohere; grok-* -> xai;
Groq's ids (llama2-* llama3-* llama-3* llama-guard-* gemma* mixtral-8x7b-32768) -> groq, the seller, as
Groq's ids are its own; ERNIE-* Embedding-V1 -> baidu; glm-* chatglm_* charglm-* emohaa codegeex-*
embedding-2/3 -> zhipu; qwen* qwq-* qvq-* text-embedding-v*/async-* -> alibaba, and so are deepseek-r1,
deepseek-v3 and the R1 distills, listed in the Alibaba section under DashScope's ids; other deepseek-* ->
deepseek; SparkDesk* -> iflytek, SparkDesk-v1.1 as spark-lite ("SparkDesk-v1.1 (Spark Lite)", as
the archives' README says);
hunyuan* ChatStd ChatPro -> tencent; moonshot-v1-* -> moonshot; abab* -> minimax; yi-* -> 01-ai; step-* ->
stepfun; Baichuan* -> baichuan; 360GPT* and 360's embeddings -> 360. Ids are lower-cased.

Skipped: ids of hosted copies at OpenRouter or Replicate ("maker/model": a host's price, in ratios of their
own), channel overrides ("llama3-8b-8192(33)"), keys with white space (a stray tab), images, audio, speech,
moderation, DeepL (per character), ids of no maker above (BLOOMZ, bge-*, tao-8k, ...), and placeholders:
every Google model written as the plain ratio 1 (gemini-pro, gemini-1.5-flash ... until 2025-02-12, PaLM-2,
aqa). one-api gave each Google model 1 whatever its price (gemini-1.5-flash is USD 0.075 per 1M once priced).
A literal 0 (glm-4-flash) is a price of zero. A key given twice, or a file that does not compile (2024-01-01
17:06, map entries without ':'), is refused.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

from pricewar.price import Price, PricewarError, normalize, plausible
from pricewar.sources.body import unique_prices
from pricewar.sources.golang import LAYOUT, SOURCE, Constant, Parser, Reader, as_written, source_text, tokens, written

ARCHIVE_FILE = "model-ratio.go"  # the file's path in each commit of the archive (`pricewar backfill`)
URLS = ("https://raw.githubusercontent.com/songquanpeng/one-api/main/relay/billing/ratio/model.go",)

UNIT = "per 1K tokens"  # the ratios' scale: "1 === $0.002 / 1K tokens"

CHINESE = {"baidu", "zhipu", "alibaba", "deepseek", "iflytek", "tencent", "moonshot", "minimax", "01-ai",
           "stepfun", "baichuan", "360"}
YUAN_SCALE = re.compile(r"1\s*===\s*[￥¥]\s*0\.014\s*/\s*1k\s*tokens", re.IGNORECASE)
YUAN_PER_1K_PER_RATIO = Fraction(14, 1000)
USD_PER_1K_PER_RATIO = Fraction(2, 1000)

NOT_TEXT = re.compile(r"/|\(|\s|^(dall-e|cogview|wanx|ali-stable-diffusion|stable-diffusion|tts-|whisper|palm-|"
                      r"deepl-|aqa$|semantic_similarity)|audio|moderation")
MAKERS = tuple((re.compile(pattern), maker) for pattern, maker in (
    ((r"^(gpt-|chatgpt-|o1|o3|text-(ada|babbage|curie|davinci)|(davinci|babbage)(-00\d)?$|curie$|ada$|code-davinci|"
      r"text-embedding-(ada|3)|text-search-)"), "openai"),
    (r"^claude-", "anthropic"),
    (r"^gemini-", "google"),
    (r"^(llama2-|llama3-|llama-3|llama-guard|gemma|mixtral-8x7b-32768$)", "groq"),
    (r"^(open-mistral|open-mixtral|mistral-)", "mistral"),
    (r"^command", "cohere"),
    (r"^grok-", "xai"),
    (r"^(ernie-|embedding-v1$)", "baidu"),
    (r"^(glm-|chatglm|charglm|emohaa|codegeex|embedding-[23]$)", "zhipu"),
    (r"^(qwen|qwq-|qvq-|text-embedding-(v|async)|deepseek-(r1|v3))", "alibaba"),
    (r"^deepseek-", "deepseek"),
    (r"^sparkdesk", "iflytek"),
    (r"^(hunyuan|chatstd$|chatpro$)", "tencent"),
    (r"^moonshot-", "moonshot"),
    (r"^abab", "minimax"),
    (r"^yi-", "01-ai"),
    (r"^step-", "stepfun"),
    (r"^baichuan", "baichuan"),
    (r"^(360gpt|embedding-bert|embedding_s1)", "360"),
))
RENAMED = {"sparkdesk-v1.1": "spark-lite"}
EMBEDDING = re.compile(r"embed|^text-search-")


def parse(body: bytes) -> list[Price]:
    """Every per-token text price in one-api's ModelRatio; PricewarError when there are none."""
    text = source_text(body)
    found = tokens(text)
    if found[:1] != [("ident", "package")]:
        raise PricewarError(f"{SOURCE} is not Go source (no package clause) — {LAYOUT}")
    try:
        reader = Reader(found)
        ratios = reader.map_literal("ModelRatio")
        if ratios is None:
            raise PricewarError(f"{SOURCE} declares no ModelRatio map — {LAYOUT}")
        completion = _Completion(reader, reader.map_literal("CompletionRatio") or {})
    except (IndexError, ValueError):  # a declaration that never ends
        raise PricewarError(f"{SOURCE} ends inside a declaration — was the download cut short?") from None
    yuan_scale = YUAN_SCALE.search(text) is not None  # a comment, so read from the text
    prices = [price for key, expression in ratios.items()
              for price in _prices(key, expression, reader, completion, yuan_scale)]
    if not prices:
        raise PricewarError(f"No prices found in {SOURCE} — {LAYOUT}")
    return unique_prices(prices, SOURCE)  # two keys one id apart in case only ("ERNIE-Bot-8k") must agree


def _prices(key: str, expression: list, reader: Reader, completion: _Completion, yuan_scale: bool) -> list[Price]:
    model = key.lower()
    maker = None if NOT_TEXT.search(model) else next((m for pattern, m in MAKERS if pattern.search(model)), None)
    if maker is None or _slip(maker, expression):
        return []
    value, as_typed = reader.evaluate(expression), written(expression)
    if value.tag == "USD" or (value.tag is None and maker not in CHINESE):
        if maker == "google" and value.tag is None and value.value == 1:
            return []  # one-api's placeholder for every Google model
        currency, per_1k = "USD", value.value * USD_PER_1K_PER_RATIO
        published = as_typed if value.tag else f"ratio {as_typed}"
    elif value.tag == "RMB":
        currency, per_1k, published = "CNY", value.coefficient, as_typed  # the yuan as_typed, not Go's x 71
    elif yuan_scale:
        currency, per_1k = "CNY", _yuan_per_1k(value.value, expression)
        published = f"ratio {as_typed} (1 = ¥0.014 / 1K)"
    else:
        return []
    embedding = EMBEDDING.search(model) is not None
    found = [("input", per_1k, published, None, None)]
    if not embedding:
        found += [("output", per_1k * ratio, f"{published} × {ratio_written}", start, end)
                  for ratio, ratio_written, start, end in completion.ratios(key)]
    return [Price(provider=maker, model=RENAMED.get(model, model), kind=kind, per_mtok=amount, currency=currency,
                  published=text, unit=UNIT, effective_from=start, effective_to=end,
                  model_type="embedding" if embedding else "chat")
            for kind, amount_per_1k, text, start, end in found
            if (amount := _exact(amount_per_1k * 1000)) is not None and plausible(amount)]


def _slip(maker: str, expression: list) -> bool:
    """A price divided by 1000 once too often: `X / 1000000 * USD`, or StepFun's `X / 1000 * RMB` whose X is
    its yuan price per 1K (step-1-8k 0.005 / 1000 * RMB for StepFun's ¥5 / 1M)."""
    texts = [text for _, text in expression]
    return "1000000" in texts or maker == "stepfun" and texts[-4:-2] == ["/", "1000"] and texts[-1] == "RMB"


def _yuan_per_1k(ratio: Fraction, expression: list) -> Fraction:
    """CNY per 1K tokens of a plain ratio, undoing the author's rounding at its last written decimal."""
    exact = ratio * YUAN_PER_1K_PER_RATIO
    written = expression[0][1] if len(expression) == 1 else ""
    places = len(written.partition(".")[2]) if re.fullmatch(r"\d+\.\d+", written) else 0
    if places < 3:  # nothing was rounded off: 1 is ¥0.014, 0.05 is ¥0.0007
        return exact
    for digits in range(places + 4):  # the shortest amount whose ratio is within one unit of the last decimal
        for count in sorted({floor(exact * 10 ** digits), ceil(exact * 10 ** digits)}):
            amount = Fraction(count, 10 ** digits)
            if abs(amount / YUAN_PER_1K_PER_RATIO - ratio) < Fraction(1, 10 ** places):
                return amount
    return exact


def _exact(amount: Fraction) -> Decimal | None:
    """A rational as an exact Decimal; None when it has no finite decimal expansion or too many digits."""
    rest, places = amount.denominator, 0
    for factor in (2, 5):
        count = 0
        while rest % factor == 0:
            rest, count = rest // factor, count + 1
        places = max(places, count)
    digits = amount.numerator * 10 ** places // amount.denominator
    if rest != 1 or amount < 0 or len(str(digits)) > 28:
        return None
    return normalize(Decimal(digits).scaleb(-places))


# --- GetCompletionRatio, interpreted -----------------------------------------------------------------------

_NOW = object()  # what time.Now() gives: only ever compared with a date


class _Completion:
    """GetCompletionRatio(name), run on its parsed body for one name at a time, once for each period its
    date rules (`now.After(time.Date(...))`) tell apart."""

    def __init__(self, reader: Reader, table: dict[str, list]):
        self.reader, self.body, self.dates = reader, None, []
        self.table = {key: as_written(reader.evaluate(tokens), written(tokens)) for key, tokens in table.items()}
        at = reader._after(("func", "GetCompletionRatio", "("))
        if at is None:
            return
        texts, close = reader.texts, reader.texts.index(")", at)
        # the model's name is the first parameter; any other (a channel type) is unknown: None
        self.parameters = [texts[i] for i in range(at, close) if i == at or texts[i - 1] == ","]
        start = end = texts.index("{", close)
        depth = 1
        while depth:
            end += 1
            depth += {"{": 1, "}": -1}.get(texts[end], 0)
        parser = Parser(reader.tokens[start + 1:end])
        self.body = parser.statements()
        if parser.at < len(parser.tokens):
            raise PricewarError(f"{SOURCE}: GetCompletionRatio holds Go this reader does not know — {LAYOUT}")
        self.dates = sorted(set(_dates(self.body)))

    def ratios(self, key: str) -> list[tuple[Fraction, str, str | None, str | None]]:
        """(completion ratio, as written, effective_from, effective_to) of a model, one per dated period."""
        if self.body is None:
            return []
        days = [day.date().isoformat() for day in self.dates]
        instants = [None] if not self.dates else \
            [self.dates[0] - timedelta(days=1)] + [day + timedelta(hours=12) for day in self.dates]
        periods: list[tuple[Fraction, str, str | None, str | None]] = []
        for number, instant in enumerate(instants):
            names = {self.parameters[0]: key, **dict.fromkeys(self.parameters[1:])}
            value = self._run(self.body, names, instant)
            if value is None or value.tag:
                raise PricewarError(f"{SOURCE}: GetCompletionRatio returns no ratio for '{key}' — {LAYOUT}")
            end = days[number] if number < len(days) else None
            if periods and periods[-1][0] == value.value:
                periods[-1] = (*periods[-1][:3], end)
            else:
                periods.append((value.value, value.written, days[number - 1] if number else None, end))
        return periods

    def _run(self, statements: list, names: dict, instant: datetime | None) -> Constant | None:
        for statement in statements:
            kind, found = statement[0], None
            if kind == "return":
                value = self._value(statement[1], names, instant)
                if not isinstance(value, Constant):
                    raise PricewarError(f"{SOURCE}: GetCompletionRatio returns no number — {LAYOUT}")
                return value if value.written else as_written(value, statement[2])
            if kind == "assign":
                self._assign(statement, names, instant)
            elif kind == "if":
                scope = dict(names)  # an if's own variables live in its scope
                if statement[1] is not None:
                    self._assign(statement[1], scope, instant)
                found = self._run(statement[3] if self._truth(statement[2], scope, instant) else statement[4],
                                  scope, instant)
                names.update((name, scope[name]) for name in names)  # `name = ...` inside reaches out
            elif kind == "switch":
                found = self._run(self._chosen(statement[1], statement[2], names, instant), names, instant)
            if found is not None:
                return found
        return None

    def _chosen(self, subject: tuple | None, clauses: list, names: dict, instant: datetime | None) -> list:
        """The body of the switch's clause that matches (`switch name` or a bare `switch`), else its default."""
        value = None if subject is None else self._value(subject, names, instant)
        for values, body in clauses:
            if values and any(self._value(case, names, instant) == value if subject is not None
                              else self._truth(case, names, instant) for case in values):
                return body
        return next((body for values, body in clauses if values is None), [])

    def _assign(self, statement: tuple, names: dict, instant: datetime | None) -> None:
        _, targets, values = statement
        if len(targets) == 2 and len(values) == 1 and values[0][0] == "index":  # ratio, ok := Map[key]
            table, key = values[0][1], self._value(values[0][2], names, instant)
            if table not in (("ident", "CompletionRatio"), ("ident", "DefaultCompletionRatio")):
                raise PricewarError(f"{SOURCE}: GetCompletionRatio reads a map this reader does not know — {LAYOUT}")
            found = self.table.get(key) if isinstance(key, str) else None  # a `name(channel)` key is None
            names[targets[0]], names[targets[1]] = found, found is not None
        elif len(targets) == len(values):
            for target, value in zip(targets, values, strict=True):
                names[target] = self._value(value, names, instant)
        else:
            raise PricewarError(f"{SOURCE}: GetCompletionRatio assigns in a way this reader does not know — {LAYOUT}")

    def _truth(self, node: tuple, names: dict, instant: datetime | None) -> bool:
        value = self._value(node, names, instant)
        if not isinstance(value, bool):
            raise PricewarError(f"{SOURCE}: GetCompletionRatio tests what is not true or false — {LAYOUT}")
        return value

    def _value(self, node: tuple, names: dict, instant: datetime | None):
        kind = node[0]
        if kind == "str":
            return node[1]
        if kind == "ident" and node[1] in names:
            return names[node[1]]
        if kind == "ident" and node[1] in ("true", "false"):
            return node[1] == "true"
        if kind == "paren":
            return self._value(node[1], names, instant)
        if kind == "not":
            return not self._truth(node[1], names, instant)
        if kind == "bin" and node[1] in ("||", "&&"):
            first = self._truth(node[2], names, instant)
            return first if first == (node[1] == "||") else self._truth(node[3], names, instant)
        if kind == "bin" and node[1] in ("==", "!="):
            a, b = self._value(node[2], names, instant), self._value(node[3], names, instant)
            if not isinstance(a, str) or not isinstance(b, str):
                raise PricewarError(f"{SOURCE}: GetCompletionRatio compares what this reader does not know — {LAYOUT}")
            return (a == b) == (node[1] == "==")
        if kind == "call" and node[1][0] == "sel":
            return self._call(node[1][1], node[1][2], [self._value(a, names, instant) for a in node[2]], instant)
        if node == ("sel", ("ident", "time"), "UTC"):
            return "UTC"
        return self.reader.constant(node, {k: v for k, v in names.items() if isinstance(v, Constant)})

    @staticmethod
    def _call(owner: tuple, method: str, arguments: list, instant: datetime | None):
        if owner == ("ident", "strings") and len(arguments) == 2 and all(isinstance(a, str) for a in arguments):
            text, part = arguments
            calls = {"HasPrefix": text.startswith, "HasSuffix": text.endswith, "Contains": text.__contains__,
                     "TrimSuffix": text.removesuffix, "TrimPrefix": text.removeprefix}
            if method in calls:
                return calls[method](part)
        if owner == ("ident", "fmt") and method == "Sprintf":
            return None  # a `name(channel)` key, which no plain name is
        if owner == ("ident", "time") and method in ("Now", "Date"):
            return _NOW if method == "Now" else _date(arguments)
        if method in ("After", "Before") and len(arguments) == 1 and isinstance(arguments[0], datetime) \
                and instant is not None:
            return instant > arguments[0] if method == "After" else instant < arguments[0]
        raise PricewarError(f"{SOURCE}: GetCompletionRatio calls {method}, which this reader does not know — {LAYOUT}")


def _date(arguments: list) -> datetime:
    """time.Date(y, m, d, 0, 0, 0, 0, time.UTC): the only kind of date a rule of this file has used."""
    numbers = [a.value for a in arguments[:7] if isinstance(a, Constant) and a.integer]
    if len(arguments) != 8 or len(numbers) != 7 or arguments[7] != "UTC" or any(numbers[3:]):
        raise PricewarError(f"{SOURCE}: GetCompletionRatio has a date rule this reader does not know — {LAYOUT}")
    return datetime(*map(int, numbers[:3]), tzinfo=UTC)


def _dates(node) -> list[datetime]:
    """Every time.Date(...) in a parsed body: the days its completion ratios may change."""
    if isinstance(node, list):
        return [day for item in node for day in _dates(item)]
    if not isinstance(node, tuple) or not node:
        return []
    found = [day for item in node[1:] for day in _dates(item)]
    if node[0] == "call" and node[1] == ("sel", ("ident", "time"), "Date"):
        found.append(_date([argument[1] if argument[0] == "num" else
                            "UTC" if argument == ("sel", ("ident", "time"), "UTC") else None for argument in node[2]]))
    return found
