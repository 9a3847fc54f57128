"""Bytes from the network, politely: concurrent, bounded retries, a size cap, a User-Agent naming pricewar.

Only `pricewar update` imports this module (httpx costs every other command nothing).
"""

from __future__ import annotations

import asyncio
import email.utils
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from pricewar import __version__
from pricewar.price import PricewarError
from pricewar.sources.body import MAX_BYTES

USER_AGENT = f"pricewar/{__version__} (LLM API price tracker; python-httpx)"
TIMEOUT_SECONDS = 20.0
ATTEMPTS = 3
BACKOFF_SECONDS = 1.0  # doubled after each failed attempt
MAX_RETRY_AFTER_SECONDS = 30.0
RETRY_STATUSES = {429, 500, 502, 503, 504}
# Content-Encodings pricewar decodes itself, so that the size cap holds across every layer.
WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


def deadline(timeout: float) -> float:
    """How long one source may take in all, tries and waits included: a drip-feeding server is cut off."""
    return timeout * (ATTEMPTS + 1) + BACKOFF_SECONDS * (2**ATTEMPTS)


@dataclass
class Fetched:
    """One source's pages, or why they could not be had."""

    source: str
    pages: list[tuple[str, bytes]]
    error: str = ""


def client(transport: httpx.AsyncBaseTransport | None = None, timeout: float = TIMEOUT_SECONDS) -> httpx.AsyncClient:
    """The one client every fetch uses; honours HTTP(S)_PROXY and NO_PROXY from the environment."""
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": ", ".join(WBITS)},
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
        except httpx.TooManyRedirects:
            raise PricewarError(f"{url} redirects in a loop") from None
        except httpx.RequestError as error:  # transport failures, and any other way a request can fail
            if last:
                raise PricewarError(f"could not reach {url}: {error or type(error).__name__}") from None
        await sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")


async def _read_capped(response: httpx.Response, url: str) -> bytes:
    """The body, decoded, refused as soon as it passes MAX_BYTES sent or decoded."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise PricewarError(f"{url} sent {int(declared):,} bytes, more than the {MAX_BYTES:,} bytes pricewar accepts")
    if hasattr(response, "_content"):  # an answer already read into memory (a test's MockTransport)
        if len(response.content) > MAX_BYTES:
            raise PricewarError(f"{url} sent more than the {MAX_BYTES:,} bytes pricewar accepts")
        return response.content
    chunks, size = [], 0
    async for chunk in response.aiter_raw():
        size += len(chunk)
        if size > MAX_BYTES:
            raise PricewarError(f"{url} sent more than the {MAX_BYTES:,} bytes pricewar accepts")
        chunks.append(chunk)
    return decode(b"".join(chunks), response.headers.get("content-encoding", ""), url)


def decode(body: bytes, content_encoding: str, url: str) -> bytes:
    """`body` with every layer of its Content-Encoding undone, never growing past MAX_BYTES."""
    layers = [layer.strip().lower() for layer in content_encoding.split(",") if layer.strip()]
    for layer in reversed(layers):  # the last encoding applied is undone first
        if layer == "identity":
            continue
        if layer not in WBITS:
            raise PricewarError(f"{url} sent its page encoded as '{layer}', which pricewar does not read")
        inflater = zlib.decompressobj(WBITS[layer])
        try:
            decoded = inflater.decompress(body, MAX_BYTES + 1)
            if len(decoded) <= MAX_BYTES and not inflater.unconsumed_tail:
                decoded += inflater.flush(MAX_BYTES + 1 - len(decoded))
        except zlib.error:
            raise PricewarError(f"{url} says its page is {layer}-compressed, but it is not") from None
        if len(decoded) > MAX_BYTES or inflater.unconsumed_tail:
            raise PricewarError(f"{url} unpacks to more than the {MAX_BYTES:,} bytes pricewar accepts")
        if not inflater.eof:
            raise PricewarError(f"{url} ends inside its {layer}-compressed page — was the download cut short?")
        body = decoded
    return body


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
                        sleep: Callable, seconds: float) -> Fetched:
    try:
        bodies = await asyncio.wait_for(asyncio.gather(*(fetch(http, url, sleep) for url in urls)), seconds)
        result = Fetched(source, list(zip(urls, bodies)))
    except PricewarError as error:
        result = Fetched(source, [], str(error))
    except asyncio.TimeoutError:
        result = Fetched(source, [], f"{' ; '.join(urls)} took more than {seconds:g} s in all; gave up")
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
        return list(await asyncio.gather(*(_fetch_source(http, s, urls, done, sleep, deadline(timeout))
                                           for s, urls in wanted.items())))


def fetch_all(wanted: dict[str, list[str]], **options) -> list[Fetched]:
    return asyncio.run(fetch_sources(wanted, **options))
