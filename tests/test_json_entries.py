"""body.json_entries reads a JSON object an entry at a time exactly as body.read_json reads it whole: the same
entries, the same refusals, in the same sentences."""

from __future__ import annotations

import pytest

from conftest import shared_file
from pricewar.price import PricewarError
from pricewar.sources.body import json_entries, read_json

NOT_AN_OBJECT = "not an object of models"


def entries(body: bytes) -> dict:
    return dict(json_entries(body, "the feed", NOT_AN_OBJECT))


def refusal(read, body: bytes) -> str:
    with pytest.raises(PricewarError) as error:
        read(body)
    return str(error.value)


@pytest.mark.parametrize("body", [
    b"{}", b" { } ", b'{"a": 1}', b'\n{\n  "a" : {"x": 1.5e-07, "y": [1, 2.0, null, true]},\n  "b": "text"\n}\n',
    b'{"a": 1, "a": 1}',  # the same key with the same value: one entry
    b'{"a": {"p": 0.1, "p": 0.1}}', '\ufeff{"a": "\u00e9"}'.encode("utf-8"), '{"a": [1]}'.encode("utf-16"),
    b'{"a\\"b": {}, "c\\u00e9": 1E-400}',
])
def test_the_entries_are_the_whole_documents(body):
    assert entries(body) == read_json(body, "the feed")


@pytest.mark.parametrize("body", [
    b"", b"   ", b"<html>", b"{", b'{"a": 1', b'{"a": 1,}', b'{"a" 1}', b'{a: 1}', b'{"a": 1} x', b'{"a": 1}}',
    b'{"a": 1, "a": 2}', b'{"a": {"p": 1, "p": 2}}', b'{"a": 1 "b": 2}', b"\xff\xfe\xff", b'{"a": ' + b"[" * 100000,
])
def test_a_broken_document_is_refused_in_read_jsons_words(body):
    assert refusal(entries, body) == refusal(lambda b: read_json(b, "the feed"), body)


@pytest.mark.parametrize("body", [b"[]", b'"a string"', b"12", b"null", b" [1, 2] "])
def test_a_document_that_is_no_object_is_named_so(body):
    read_json(body, "the feed")  # valid JSON
    assert refusal(entries, body) == NOT_AN_OBJECT
    assert "not valid JSON" in refusal(entries, body[:-1] + b"{")


def test_a_real_litellm_file_reads_alike():
    body = shared_file("fixtures/litellm/model_prices-2025-07-05.json").read_bytes()
    assert entries(body) == read_json(body, "the feed")
