"""Dated questions a user can check against launch posts and price-cut announcements, asked of a fresh install
(the bundled record and the shipped history of the archives, nothing fetched): what a model cost on a day, in the
currency its maker published, and no price for a model before it existed. The facts are the makers' list prices
(OpenAI's, Anthropic's and Google's launch and pricing posts; the May 2024 cuts of DeepSeek, Alibaba, Zhipu,
ByteDance, Baidu, Tencent and iFlytek; Moonshot's, Alibaba's and DeepSeek's later cuts), not read back from the
record: a check that fails says the history answers wrong."""

from __future__ import annotations

import json
from decimal import Decimal

from conftest import ok

# model, day, currency, input, output per 1M tokens; None, None: the model did not exist yet
CHECKS = [
 # model, date, currency, input, output  (None = did not exist yet)
 ("gpt-4-1106-preview","2023-12-01","USD","10","30"), ("gpt-3.5-turbo","2023-07-01","USD","1.5","2"),
 ("gpt-4o","2024-06-01","USD","5","15"), ("gpt-4o-mini","2024-08-01","USD","0.15","0.6"),
 ("claude-3-5-sonnet-20240620","2024-07-01","USD","3","15"), ("claude-3-opus","2024-04-01","USD","15","75"),
 ("claude-3-haiku","2024-04-01","USD","0.25","1.25"), ("gemini-1.5-flash","2024-09-01","USD","0.075","0.3"),
 ("claude-3.5-haiku","2024-11-15","USD","1","5"), ("o1-preview","2024-10-01","USD","15","60"),
 ("o1-mini","2024-10-01","USD","3","12"), ("gpt-4o-2024-08-06","2024-09-01","USD","2.5","10"),
 ("o3-mini","2025-02-15","USD","1.1","4.4"), ("o3","2025-07-01","USD","2","8"),
 ("claude-3-7-sonnet","2025-03-01","USD","3","15"), ("gpt-4.1","2025-05-01","USD","2","8"),
 ("gemini-2.0-flash","2025-03-01","USD","0.1","0.4"), ("gpt-4-turbo","2024-05-01","USD","10","30"),
 ("deepseek-reasoner","2025-02-01","CNY","4","16"), ("deepseek-chat","2025-03-01","CNY","2","8"),
 ("deepseek-chat","2024-06-01","CNY","1","2"), ("qwen-long","2024-06-01","CNY","0.5","2"),
 ("glm-3-turbo","2024-06-01","CNY","1","1"), ("doubao-pro-32k","2024-06-01","CNY","0.8","2"),
 ("doubao-lite-32k","2024-06-01","CNY","0.3","0.6"), ("ernie-speed","2024-06-01","CNY","0","0"),
 ("hunyuan-lite","2024-06-01","CNY","0","0"), ("spark-lite","2024-06-01","CNY","0","0"),
 ("glm-4-flash","2024-09-01","CNY","0","0"), ("qwen-max","2024-06-01","CNY","40","120"),
 ("qwen-max","2024-10-01","CNY","20","60"), ("qwen-plus","2024-10-01","CNY","0.8","2"),
 ("qwen-turbo","2024-10-01","CNY","0.3","0.6"), ("glm-4","2024-06-15","CNY","100","100"),
 ("glm-4-plus","2024-09-01","CNY","50","50"), ("moonshot-v1-8k","2024-06-01","CNY","12","12"),
 ("moonshot-v1-32k","2024-06-01","CNY","24","24"), ("moonshot-v1-128k","2024-06-01","CNY","60","60"),
 ("hunyuan-pro","2024-06-01","CNY","30","100"), ("abab6.5s-chat","2024-06-01","CNY","10","10"),
 ("ernie-4.0-8k","2024-06-01","CNY","120","120"), ("moonshot-v1-8k","2025-06-01","CNY","2","10"),
 ("deepseek-chat","2025-10-15","CNY","2","3"), ("qwen-max","2025-03-01","CNY","2.4","9.6"),
 ("gpt-4o","2024-05-01","USD",None,None), ("claude-3-5-sonnet-20240620","2024-06-01","USD",None,None),
 ("deepseek-reasoner","2024-12-01","CNY",None,None), ("o1","2024-11-01","USD",None,None),
 ("gpt-4o-mini","2024-07-01","USD",None,None), ("glm-4-flash","2024-05-01","CNY",None,None),
 ("claude-3.5-haiku","2024-10-01","USD",None,None), ("gpt-4.1","2025-03-01","USD",None,None),
 ("o3","2025-03-01","USD",None,None), ("claude-3-7-sonnet","2025-02-01","USD",None,None),
]


def plain(row: dict) -> bool:
    return not (row["context_tier"] or row["region"] or row["mode"] or row["time_window"])


def answer(model: str, day: str, currency: str) -> tuple:
    rows = [row for row in json.loads(ok("compare", model, "--at", day, "--currency", currency, "-f", "json"))
            if row["currency"] == currency and plain(row)]
    if not rows:
        return None, None
    return tuple(None if rows[0][kind] is None else Decimal(rows[0][kind]) for kind in ("input", "output"))


def test_a_fresh_install_answers_dated_list_prices_back_to_2023_and_nothing_before_a_launch():
    wrong = []
    for model, day, currency, given_in, given_out in CHECKS:
        expected = tuple(None if value is None else Decimal(value) for value in (given_in, given_out))
        if answer(model, day, currency) != expected:
            wrong.append((model, day, currency, expected, answer(model, day, currency)))
    assert wrong == []
    assert sum(1 for check in CHECKS if check[2] == "CNY") >= 25 and sum(1 for c in CHECKS if c[3] is None) >= 10
