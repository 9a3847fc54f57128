"""Bytes from the network, politely: concurrent, bounded retries, a size cap, a User-Agent naming pricewar.

Only `pricewar update` imports this module (httpx costs every other command nothing).
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from pricewar import __version__
from pricewar.price import PricewarError

USER_AGENT = f"pricewar/{__version__} (LLM API price tracker; python-httpx)"
TIMEOUT_SECONDS = 20.0
ATTEMPTS = 3
BACKOFF_SECONDS = 1.0  # doubled after each failed attempt
MAX_RETRY_AFTER_SECONDS = 30.0
MAX_BYTES = 32 * 1024 * 1024
RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass
class Fetched:
    """One source's pages, or why they could not be had."""

    source: str
    pages: list[tuple[str, bytes]]
    error: str = ""


def client(transport: httpx.AsyncBaseTransport | None = None, timeout: float = TIMEOUT_SECONDS) -> httpx.AsyncClient:
    """The one client every fetch uses; honours HTTP(S)_PROXY and NO_PROXY from the environment."""
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        trust_env=True,
        transport=transport,
    )


async def fetch(http: httpx.AsyncClient, url: str, sleep: Callable = asyncio.sleep) -> bytes:
    """The body at `url`; PricewarError with a sentence saying what went wrong."""
    delay = BACKOFF_SECONDS
    for attempt in range(1, ATTEMPTS + 1):
        last = attempt == ATTEMPTS
        try:
            async with http.stream("GET", url) as response:
                if response.status_code in RETRY_STATUSES and not last:
                    await sleep(_retry_after(response) or delay)
                    delay *= 2
                    continue
                if response.status_code >= 400:
                    tries = f" after {attempt} tries" if attempt > 1 else ""
                    raise PricewarError(f"{url} answered {response.status_code} {response.reason_phrase}{tries}")
                return await _read_capped(response, url)
        except httpx.TimeoutException:
            if last:
                seconds = http.timeout.read or TIMEOUT_SECONDS
                raise PricewarError(f"{url} did not answer within {seconds:g} s ({ATTEMPTS} tries)") from None
        except httpx.TransportError as error:
            if last:
                raise PricewarError(f"could not reach {url}: {error or type(error).__name__}") from None
        await sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")


async def _read_capped(response: httpx.Response, url: str) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise PricewarError(f"{url} sent {int(declared):,} bytes, more than the {MAX_BYTES:,} bytes pricewar accepts")
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise PricewarError(f"{url} sent more than the {MAX_BYTES:,} bytes pricewar accepts")
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when - time.time(), MAX_RETRY_AFTER_SECONDS))


async def _fetch_source(http: httpx.AsyncClient, source: str, urls: list[str], done: Callable[[Fetched], None],
                        sleep: Callable) -> Fetched:
    try:
        bodies = await asyncio.gather(*(fetch(http, url, sleep) for url in urls))
        result = Fetched(source, list(zip(urls, bodies)))
    except PricewarError as error:
        result = Fetched(source, [], str(error))
    done(result)
    return result


async def fetch_sources(
    wanted: dict[str, list[str]],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    done: Callable[[Fetched], None] = lambda fetched: None,
    sleep: Callable = asyncio.sleep,
    timeout: float = TIMEOUT_SECONDS,
) -> list[Fetched]:
    """Every source's pages at once; a source fails whole when any of its pages fails."""
    async with client(transport, timeout) as http:
        return list(await asyncio.gather(*(_fetch_source(http, s, urls, done, sleep) for s, urls in wanted.items())))


def fetch_all(wanted: dict[str, list[str]], **options) -> list[Fetched]:
    return asyncio.run(fetch_sources(wanted, **options))
