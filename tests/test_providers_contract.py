"""Adding a source is one module in pricewar/sources/providers/ (the file name is the id), one fixture in
tests/fixtures/<id>-*, one test in tests/test_provider_<id>.py: this fails when any of them is missing."""

from pathlib import Path

import pytest

from pricewar.price import PricewarError
from pricewar.sources import providers

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize("name", providers.names())
def test_every_source_declares_where_it_reads_and_how(name):
    module = providers.load(name)
    assert (module.__doc__ or "").strip(), f"{name} needs a docstring saying where its prices come from"
    assert isinstance(module.URLS, tuple)
    assert all(url.startswith("https://") for url in module.URLS)
    assert module.URLS or hasattr(module, "bundled"), f"{name} reads nothing"
    assert callable(module.parse)


@pytest.mark.parametrize("name", providers.names())
def test_every_source_has_its_tests_and_own_fixture(name):
    test_id = name.replace("-", "_")
    assert (TESTS / f"test_provider_{test_id}.py").exists() or name == "catalog"
    assert list((TESTS / "fixtures").glob(f"{name}-*")) or name == "catalog"


@pytest.mark.parametrize("name", providers.names())
@pytest.mark.parametrize("body", [b"", b"\x00\xff garbage", b"<html><body>Just a moment...</body></html>"])
def test_every_source_refuses_a_page_without_prices(name, body):
    with pytest.raises(PricewarError):
        providers.load(name).parse(body)


def test_an_unknown_source_is_named():
    with pytest.raises(PricewarError, match="unknown source 'nowhere'"):
        providers.load("nowhere")


@pytest.mark.parametrize("name", providers.names())
def test_every_source_lives_with_the_sources_and_reads_nothing_of_the_history(name):
    module = providers.load(name)
    path = Path(module.__file__)
    assert path.parent == Path(providers.__file__).parent and path.stem == name.replace("-", "_")
    text = path.read_text(encoding="utf-8")
    assert not any(f"pricewar.{stage}" in text for stage in ("history", "answers", "output", "cli")), \
        f"{name}'s parse is pure: pages in, prices out"
