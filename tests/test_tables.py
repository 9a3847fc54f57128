"""tables(): HTML and Markdown pipe tables as plain-text rows, with their headings, in page order."""

from __future__ import annotations

import pytest
from conftest import shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.sources.tables import STRUCK, Table, cell_text, fill_down, tables

HTML_SPANS = """
<table>
  <thead><tr><th rowspan="2">MODEL</th><th colspan="2">PRICE</th></tr>
         <tr><th>input</th><th>output</th></tr></thead>
  <tbody>
    <tr><td rowspan="2">deepseek-chat</td><td>$0.27</td><td>$1.10</td></tr>
    <tr><td colspan="2">$0.55</td></tr>
    <tr><td>deepseek-reasoner</td><td>$0.55</td><td>$2.19</td></tr>
  </tbody>
</table>
"""

HTML_CELLS = """
<table>
<tr><th>Model</th><th>Price</th></tr>
<tr><td><a href="/m"><b>gpt&#8209;5</b></a><br>(latest)</td><td><del>$2.00</del> <span>$1.25</span> &amp; more</td></tr>
<tr><td>  lots   of
   space  </td><td><s>¥8</s>¥4</td></tr>
<tr><td>unclosed<td>cells
<tr><td>short</tr>
</table>
"""

MARKDOWN_ESCAPES = r"""
| Model | Input<br>price | Note |
|:------|:--------------:|-----:|
| `gemini-3-pro` | **$2.00**<br />\<= 200k \| $4.00 | <span class="x">preview</span> |
| short |
| ~~$9~~ $1 | a &amp; b | [docs](https://ai.google.dev/x) <https://example.com> |
"""

MARKDOWN_NO_OUTER_PIPES = """
**MODEL|  deepseek-chat| deepseek-reasoner
---|---|---
CONTEXT LENGTH| 128K
PRICING| 1M INPUT TOKENS (CACHE HIT)| $0.028
(Thinking Mode)
1M OUTPUT TOKENS| $0.42
**
"""

TWO_TABLES = """
# Pricing

## Batch

<table><tr><th>Model</th><th>Input</th></tr><tr><td>gpt-5</td><td>$0.625</td></tr></table>

<h2 id="std">Standard <small>tier</small></h2>

| Model | Input |
| --- | --- |
| gpt-5 | $1.25 |
"""

IN_PROSE = """
Intro text with a | pipe, and more | pipes, but no separator row.

| Model | Output |
| --- | --- |
| mistral-tiny | 0.42€ |
Prose right after the table, without a blank line, is not a row.

Closing paragraph: a | b
--- | not a table either, the row above is prose.
"""

HIDDEN = """---
title: "Pricing"
fetched: 2026-08-02
---

```markdown
| Example | Table |
|---|---|
| not | real |
```

<!-- <table><tr><td>commented out</td></tr></table> -->
<script>document.write("<table><tr><td>scripted</td></tr></table>")</script>

Real heading
============

| a | b |
|---|---|
| 1 | 2 |
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", [], id="empty input"),
        pytest.param("Just prose.\n\nNo tables | here.\n", [], id="prose only"),
        pytest.param(
            HTML_SPANS,
            [
                Table(
                    [
                        ["MODEL", "PRICE", "PRICE"],
                        ["MODEL", "input", "output"],
                        ["deepseek-chat", "$0.27", "$1.10"],
                        ["deepseek-chat", "$0.55", "$0.55"],
                        ["deepseek-reasoner", "$0.55", "$2.19"],
                    ]
                )
            ],
            id="HTML rowspan and colspan repeat the cell",
        ),
        pytest.param(
            HTML_CELLS,
            [
                Table(
                    [
                        ["Model", "Price"],
                        ["gpt\u20115\n(latest)", "~~$2.00~~ $1.25 & more"],
                        ["lots of space", "~~¥8~~¥4"],
                        ["unclosed", "cells"],
                        ["short", ""],
                    ]
                )
            ],
            id="HTML nested tags, entities, <br>, strike-through, omitted end tags",
        ),
        pytest.param(
            MARKDOWN_ESCAPES,
            [
                Table(
                    [
                        ["Model", "Input\nprice", "Note"],
                        ["gemini-3-pro", "$2.00\n<= 200k | $4.00", "preview"],
                        ["short", "", ""],
                        ["~~$9~~ $1", "a & b", "docs https://example.com"],
                    ]
                )
            ],
            id="Markdown <br>, escaped pipe and <, bold, code, inline HTML, links",
        ),
        pytest.param(
            MARKDOWN_NO_OUTER_PIPES,
            [
                Table(
                    [
                        ["MODEL", "deepseek-chat", "deepseek-reasoner"],
                        ["CONTEXT LENGTH", "128K", ""],
                        ["PRICING", "1M INPUT TOKENS (CACHE HIT)", "$0.028"],
                        ["(Thinking Mode)", "", ""],
                        ["1M OUTPUT TOKENS", "$0.42", ""],
                    ]
                )
            ],
            id="Markdown without outer pipes, a pipe-less line between rows, a stray ** line",
        ),
        pytest.param(
            TWO_TABLES,
            [
                Table([["Model", "Input"], ["gpt-5", "$0.625"]], heading="Batch"),
                Table([["Model", "Input"], ["gpt-5", "$1.25"]], heading="Standard tier"),
            ],
            id="two tables, one HTML one Markdown, each under its own heading",
        ),
        pytest.param(
            IN_PROSE,
            [Table([["Model", "Output"], ["mistral-tiny", "0.42€"]])],
            id="a table inside surrounding prose",
        ),
        pytest.param(
            HIDDEN,
            [Table([["a", "b"], ["1", "2"]], heading="Real heading")],
            id="front matter, code fences, comments and scripts hide their tables",
        ),
    ],
)
def test_tables(text: str, expected: list[Table]):
    assert tables(text) == expected


def test_struck_text_is_marked_the_same_in_html_and_markdown():
    from_html = tables("<table><tr><th>p</th></tr><tr><td><del> $0.07 </del> $0.014</td></tr></table>")
    from_markdown = tables("| p |\n|---|\n| <del>$0.07</del> $0.014 |")
    assert from_html[0].rows[1] == from_markdown[0].rows[1] == [f"{STRUCK}$0.07{STRUCK} $0.014"]


def test_a_nested_table_reads_as_its_cells_text():
    html = "<table><tr><td>outer</td><td><table><tr><td>a</td><td>b</td></tr></table>after</td></tr></table>"
    assert tables(html) == [Table([["outer", "a b\nafter"]])]


def test_an_unclosed_table_runs_to_the_end():
    assert tables("<h3>Tiers</h3><table><tr><td>x</td><td>1") == [Table([["x", "1"]], heading="Tiers")]


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("", ""),
        ("<p>a</p><p>b &nbsp; c</p>", "a\nb c"),
        ("$0.14<br/>(50% OFF)", "$0.14\n(50% OFF)"),
        ("<s>old</s> new", "~~old~~ new"),
        ("<b>x</b><style>.x{}</style><script>y()</script>", "x"),
        ("&lt;tag&gt; &#36;1 &yen;2", "<tag> $1 ¥2"),
    ],
)
def test_cell_text(html: str, text: str):
    assert cell_text(html) == text


@pytest.mark.parametrize(
    ("rows", "columns", "filled"),
    [
        ([["a", "1"], ["", "2"], ["^", "〃"]], [0], [["a", "1"], ["a", "2"], ["a", "〃"]]),
        ([["a", "1"], ["", "^"], ["b", "〃"]], [0, 1], [["a", "1"], ["a", "1"], ["b", "1"]]),
        ([["", "1"], ["x", ""]], [0], [["", "1"], ["x", ""]]),  # nothing above the first row
        ([["a", "1"], ["b"], ["c", ""]], [1], [["a", "1"], ["b"], ["c", "1"]]),  # short rows skipped
        ([["a", "1"], ["b", ""]], [-1], [["a", "1"], ["b", "1"]]),
        ([], [0], []),
    ],
)
def test_fill_down(rows: list[list[str]], columns: list[int], filled: list[list[str]]):
    before = [list(row) for row in rows]
    assert fill_down(rows, columns) == filled
    assert rows == before  # pure: the caller's rows are untouched


def test_real_deepseek_rendition_keeps_its_shifted_rows():
    found = tables(shared_file("fixtures/deepseek/pricing-zh-cn-2026-08-02.md").read_text("utf-8"))
    assert len(found) == 1
    table = found[0]
    assert table.heading == "模型细节"
    assert table.rows[0] == ["", "", "", ""]  # the page's empty header row, kept: the header comes first
    assert table.rows[1] == ["模型", "", "deepseek-v4-flash", "deepseek-v4-pro"]
    assert table.rows[-4:] == [
        ["价格(2)", "百万tokens输入（缓存命中）", "0.02元", "0.025元"],
        ["百万tokens输入（缓存未命中）", "1元", "3元", ""],
        ["百万tokens输出", "2元", "6元", ""],
        ["并发限制(3)", "", "2500", "500"],
    ]


TIER_LABELS = """
### Text tokens

Prices per 1M tokens.

BatchFlexStandardPriority

Batch

| Model | Input |
| --- | --- |
| gpt-5 | $0.625 |

Standard

| Model | Input |
| --- | --- |
| gpt-5 | $1.25 |

| Model | Input |
| --- | --- |
| gpt-5 | $2.50 |

### Long context

When using **Claude Sonnet 4** with the [1M context
window](/docs/x), long requests cost more:

<Note>
Only for Sonnet 4.
</Note>

| ≤ 200K | > 200K |
|---|---|
| $3 | $6 |

### Right under a heading

| a |
|---|
| 1 |
"""

HTML_CAPTIONS = (
    "<h3>Text tokens</h3><p>Prices per 1M tokens.</p><div>Flex</div>"
    "<table><tr><th>Model</th></tr><tr><td>o3</td></tr></table>"
    "<p>Priority</p><!-- <p>Hidden</p> -->\n<table><tr><th>Model</th></tr><tr><td>o4</td></tr></table>"
    "<h3>Next</h3><table><tr><th>x</th></tr></table>"
)


@pytest.mark.parametrize(
    ("text", "befores"),
    [
        pytest.param(
            TIER_LABELS,
            ["Batch", "Standard", "", "Only for Sonnet 4.", ""],
            id="Markdown: tab labels, a table right after a table, an MDX note, a table right under a heading",
        ),
        pytest.param(HTML_CAPTIONS, ["Flex", "Priority", ""], id="HTML: block elements are paragraphs"),
        pytest.param(
            "When using **Claude Sonnet 4** with the [1M context\nwindow](/docs/x), it costs more:\n\n| a |\n|---|\n| 1 |",
            ["When using Claude Sonnet 4 with the 1M context\nwindow, it costs more:"],
            id="a wrapped paragraph as plain text, its line break kept",
        ),
    ],
)
def test_before_is_the_paragraph_introducing_a_table(text: str, befores: list[str]):
    assert [table.before for table in tables(text)] == befores


def test_before_is_context_not_identity():
    assert Table([["a"]], before="Batch") == Table([["a"]], before="Standard")


def test_real_openai_page_labels_its_text_token_tables_by_service_tier():
    found = tables(shared_file("fixtures/openai/pricing-2025-12-20.md").read_text("utf-8"))
    assert [(table.heading, table.before) for table in found if table.heading == "Text tokens"] == [
        ("Text tokens", "Batch"),
        ("Text tokens", "Flex"),
        ("Text tokens", "Standard"),
        ("Text tokens", "Priority"),
        ("Text tokens", ""),  # the transcription section's own "Text tokens" subheading
    ]


def fixture_text(name: str) -> str:
    from conftest import own_fixture

    return own_fixture(name).read_text()


def test_plain_text_table_of_tabs_keeps_a_cell_that_runs_over_two_lines():
    assert tables(fixture_text("plain-tabs.txt")) == [
        Table([["Model", "Input", "Output"], ["alpha-1", "$1.00", "$2.00"], ["beta-2", "$0.50\n$0.25", "$1.00"]])
    ]


def test_plain_text_table_aligned_by_spaces_but_no_prose_or_code():
    found = tables(fixture_text("plain-spaces.txt"))
    assert found == [Table([["Model", "Input", "Output"], ["alpha-1", "$1.00", "$2.00"], ["beta-2", "$0.50", "$10.00"]])]
    assert found[0].before == "Prices"


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        pytest.param("a\tb\n", [], id="one line is no table"),
        pytest.param("x  y\nzz   w\n", [], id="two cells each, not aligned"),
        pytest.param("| a\tb |\n|---|\n| c\td |\n", [["a b"], ["c d"]], id="tabs inside a pipe table stay its cells"),
        pytest.param("<p>a\tb</p>\n<p>c\td</p>\n", [], id="never inside HTML"),
        pytest.param("```\na\tb\nc\td\n```\n", [], id="never inside code"),
        pytest.param("MODEL\ta\nGROUP\n(hours)\tlabel\t$1\nlabel 2\t$2\n",
                     [["MODEL", "a"], ["GROUP\n(hours)", "label", "$1"], ["label 2", "$2"]],
                     id="a line without a tab opening a merged cell of the next row"),
        pytest.param("名称  价格\n模型甲  1元\n", [], id="wide characters: not aligned"),
        pytest.param("名称    价格\n模型甲  1元\n", [["名称", "价格"], ["模型甲", "1元"]], id="wide characters aligned"),
    ],
)
def test_plain_text_tables_are_read_conservatively(text: str, rows: list[list[str]]):
    assert [table.rows for table in tables(text)] == ([rows] if rows else [])


def test_real_deepseek_page_saved_as_plain_text():
    from conftest import own_fixture

    found = tables(own_fixture("real/deepseek-pricing-en-text-2025-01-23.txt").read_text())
    prices = next(table for table in found if table.rows[0][0] == "MODEL(1)")
    assert prices.rows == [
        ["MODEL(1)", "CONTEXT LENGTH", "MAX COT TOKENS(2)", "MAX OUTPUT TOKENS(3)", "1M TOKENS\nINPUT PRICE\n(CACHE HIT) (4)",
         "1M TOKENS\nINPUT PRICE\n(CACHE MISS)", "1M TOKENS\nOUTPUT PRICE"],
        ["deepseek-chat", "64K", "-", "8K", "$0.07(5)\n$0.014", "$0.27(5)\n$0.14", "$1.10(5)\n$0.28"],
        ["deepseek-reasoner", "64K", "32K", "8K", "$0.14", "$0.55", "$2.19 (6)"],
    ]
    assert prices.before == "Pricing Details\nUSD\nCNY"
