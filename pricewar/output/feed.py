"""`pricewar changes --format atom`: the judged price changes as an Atom 1.0 feed (RFC 4287) a reader subscribes to.

It is built from the very records `changes --format json` prints, so the feed and the table agree: one entry per
event, in the same order. Every entry's id is a `urn:uuid:` derived from what the event is (provider, model, kind,
tier, currency, date, old and new price), so a feed rebuilt by cron gives a reader the same ids and it shows
only the new entries. Standard library only; every string that came from a source is escaped, and characters XML
cannot hold (a terminal's escape codes) are replaced.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from decimal import Decimal
from html import escape

from pricewar import __version__
from pricewar.answers.judge import base_id
from pricewar.answers.offers import label
from pricewar.output.render import clean, show_amount
from pricewar.price import format_amount

ATOM = "http://www.w3.org/2005/Atom"
# every id this module makes lies under this one name, so no other feed's uuid5 ids can collide with them
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:pricewar:changes")
_LINK = re.compile(r"https?://[^\s<>\"{}|\\^`]+", re.I)


def feed_id(question: object) -> str:
    """The feed's own id: the same for the same question (the options as typed), so a subscription to
    `changes --since 30d` keeps its id from one day to the next."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, json.dumps(question, default=str, sort_keys=True))}"


def entry_id(record: dict) -> str:
    """A change's id: what the event is, never which sources happened to see it yet (a copy catching up later
    adds a source, not an entry); a dated snapshot id counts as its model's own id, as one event of the judged
    changes does (market.one_event_each), and a correction is never the move it sits beside."""
    key = [record["provider"], base_id(record["model"]), record["kind"], *_tiers(record), record["currency"],
           record["date"], _amount(record["old"]), _amount(record["new"]), record["correction"] or ""]
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, json.dumps(key, ensure_ascii=False))}"


def title(record: dict) -> str:
    """One line a reader's list shows: "DeepSeek cut deepseek-chat input 50.0% (0.27 → 0.14 USD per 1M tokens)"."""
    old, new, exact = record["old"], record["new"], record["fx"] is None
    verb = "cut" if new < old else "raised"
    pct = f" {abs(change_pct(record)):.1f}%" if old else ""
    text = (f"{record['provider_name']} {verb} {_label(record)} {record['kind'].replace('_', ' ')}{pct} "
            f"({show_amount(old, exact)} → {show_amount(new, exact)} {record['currency']} {record['unit']})")
    return clean(f"correction: {text}" if record["correction"] else text)


def atom(records: list[dict], *, feed_title: str, feed_id: str, today: str, self_url: str | None = None) -> str:
    """The records of `changes --format json` as an Atom document. The feed is as new as its newest change
    (`today` when there is none), so the same history gives the same bytes."""
    root = ET.Element("feed", xmlns=ATOM)
    _add(root, "id", feed_id)
    _add(root, "title", clean(feed_title))
    _add(root, "updated", _instant(max((r["date"] for r in records), default=today)))
    author = ET.SubElement(root, "author")
    _add(author, "name", "pricewar")
    _add(root, "generator", "pricewar", version=__version__)
    if self_url:
        ET.SubElement(root, "link", rel="self", type="application/atom+xml", href=self_url)
    for record in records:
        entry = ET.SubElement(root, "entry")
        _add(entry, "id", entry_id(record))
        _add(entry, "title", title(record))
        _add(entry, "updated", _instant(record["date"]))
        links = _links(record["source_url"])
        for number, href in enumerate(links):
            # no type: a source may be a page, a JSON file or a PDF
            ET.SubElement(entry, "link", rel="alternate" if number == 0 else "related", href=href)
        ET.SubElement(entry, "category", term=clean(record["provider"]), label=clean(record["provider_name"]))
        ET.SubElement(entry, "category", term=clean(record["kind"]))
        _add(entry, "summary", _summary(record))
        _add(entry, "content", _content(record, links), type="html")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def change_pct(record: dict) -> Decimal:
    """The step in percent, from the exact amounts (as the table rounds it; the JSON's change_pct is a float)."""
    old, new = Decimal(record["old"]), Decimal(record["new"])
    return (new - old) / old * 100


def _add(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, **attributes)
    element.text = text
    return element


def _instant(date: str) -> str:
    return f"{date}T00:00:00Z"


def _amount(value: Decimal | str) -> str:
    return format_amount(Decimal(value))


def _tiers(record: dict) -> tuple[str, ...]:
    return tuple(record[d] for d in ("service_tier", "context_tier", "region", "mode", "time_window"))


def _label(record: dict) -> str:
    """The model with its tier, as the table shows it, without the +N of ids folded under it."""
    return label(record["model"], _tiers(record))


def _links(source_url: str | None) -> list[str]:
    """The web addresses among a change's sources (`a ; b`); a `github:` reference or other text is no link."""
    parts = (part.strip() for part in (source_url or "").split(" ; "))
    return list(dict.fromkeys(part for part in parts if _LINK.fullmatch(part) and part.isprintable()))


def _summary(record: dict) -> str:
    seen = ", ".join(record["sources"] or [record["source"]])
    when = f"in effect from {record['date']}, seen by {seen}"
    return clean(f"{title(record)}, {when}.")


def _content(record: dict, links: list[str]) -> str:
    """The entry's body, as HTML text (the XML writer escapes it once more): what changed, who saw it, the
    flags and the conversion behind it, and the addresses that prove it."""
    old, new = _amount(record["old"]), _amount(record["new"])
    pct = f" ({change_pct(record):+.1f}%)" if record["old"] else ""
    paragraphs = [f"{record['provider_name']}: {_label(record)}, {record['kind'].replace('_', ' ')}, from {old} to "
                  f"{new} {record['currency']} {record['unit']}{pct}, in effect from {record['date']}."]
    seen = ", ".join(record["sources"] or [record["source"]])
    also = f"; also under {', '.join(record['also_ids'])}" if record["also_ids"] else ""
    paragraphs.append(f"Seen by {seen}{also}.")
    if record["flags"]:  # as the table's note column has them
        paragraphs.append(f"Flagged by the source: {', '.join(flag.lower() for flag in record['flags'])}.")
    if record["correction"]:
        paragraphs.append(f"An aggregator's correction, not a price move: {record['correction']}.")
    if record["fx"]:
        fx = record["fx"]
        paragraphs.append(f"Converted from {fx['from']} at {fx['from']}→{fx['to']} {fx['rate']} "
                          f"({fx['origin']}, {fx['date']}).")
    html = "".join(f"<p>{escape(clean(text))}</p>" for text in paragraphs)
    sources = [f'<a href="{escape(href)}">{escape(href)}</a>' for href in links]
    others = [part.strip() for part in (record["source_url"] or "").split(" ; ")
              if part.strip() and part.strip() not in links]
    sources += [escape(clean(text)) for text in others]
    if sources:
        html += "<p>Source: " + "<br>".join(sources) + "</p>"
    return html
