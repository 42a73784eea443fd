"""Fetching population from SCB's open PxWeb API (``skr-fee hämta-scb``).

Two tables hold population per municipality on 31 December: TAB638
(``BefolkningNy``, up to 2024, content BE0101N1; no total for sex and marital
status, so their cells are summed) and TAB5557 (``BefolkningCKM``, from 2025,
content 000007ME, with totals). API v2 answers JSON-stat2; where v2 does not
answer, the v1 API is asked for CSV. The national figure (region 00) is a
second call. Everything is checked (``population_checks``) before anything is
stored; a failure of any kind is one Swedish line and leaves the store as it
was. Stored with provenance: URL, table, content code, fetch time and the
SHA-256 of the response.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from .. import __version__
from . import population, population_checks, store
from .municipalities import registry
from .pxweb import TABLES, FetchError, Table, decode_csv, decode_jsonstat

API_V2 = "https://statistikdatabasen.scb.se/api/v2"
API_V1 = "https://api.scb.se/OV0104/v1/doris/sv/ssd"
ENV_V2, ENV_V1 = "SKR_FEE_SCB_API", "SKR_FEE_SCB_API_V1"
TIMEOUT_S = 30
MAX_RESPONSE_BYTES = 20 * 1024 * 1024  # 290 cells are about 14 kB
MAX_RETRY_AFTER_S = 10
USER_AGENT = f"skr-avgift/{__version__} (folkmängd per kommun)"


def table_for(year: int) -> Table:
    for t in TABLES:
        if t.first_year <= year and (t.last_year is None or year <= t.last_year):
            return t
    raise FetchError(f"SCB har ingen folkmängd per kommun för {year} i tabellerna {', '.join(t.id for t in TABLES)}.")


def selection(table: Table, year: int, regions: list[str]) -> list[dict]:
    fixed = [{"variableCode": k, "valueCodes": v} for k, v in table.fixed.items()]
    return sorted(fixed + [{"variableCode": "ContentsCode", "valueCodes": [table.content]},
                           {"variableCode": "Region", "valueCodes": regions},
                           {"variableCode": "Tid", "valueCodes": [str(year)]}], key=lambda s: s["variableCode"])


# ------------------------------------------------------------------ HTTP

Transport = Callable[[str, bytes], tuple[int, dict, bytes]]


def http_post(url: str, body: bytes) -> tuple[int, dict, bytes]:
    """POST ``body`` as JSON; (status, headers, response body), the body read with a size limit."""
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json, text/csv", "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as r:
            return r.status, dict(r.headers), _read_bounded(r)
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers or {}), _read_bounded(e)


def _read_bounded(r) -> bytes:
    data = r.read(MAX_RESPONSE_BYTES + 1)
    if len(data) > MAX_RESPONSE_BYTES:
        raise FetchError(f"SCB:s svar är större än {MAX_RESPONSE_BYTES // 2**20} MB; det är inte folkmängden per kommun.")
    return data


def _ask(post: Transport, url: str, payload: dict, sleep=time.sleep) -> bytes:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    for attempt in (1, 2):
        try:
            status, headers, data = post(url, body)
        except FetchError:
            raise
        except (OSError, ValueError) as e:  # URLError, timeouts, refused connections
            reason = getattr(e, "reason", None) or e
            raise FetchError(f"kunde inte nå SCB ({reason})") from None
        if status == 429:
            wait = _retry_after(headers)
            if attempt == 1 and wait is not None and wait <= MAX_RETRY_AFTER_S:
                sleep(wait)
                continue
            raise FetchError(f"SCB tar emot för många anrop just nu (HTTP 429); försök igen om "
                             f"{wait if wait is not None else 10} sekunder")
        if status != 200:
            raise FetchError(f"SCB svarade HTTP {status}{_title(data)}")
        return data
    raise AssertionError("unreachable")


def _retry_after(headers: dict) -> int | None:
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after")
    try:
        return max(0, math.ceil(float(value)))
    except (TypeError, ValueError):
        return None


def _title(data: bytes) -> str:
    try:
        title = json.loads(data).get("title")
    except (ValueError, AttributeError):
        return ""
    return f" ({str(title)[:120]})" if title else ""


# ------------------------------------------------------------------ fetching

@dataclass(frozen=True)
class Fetched:
    day: date
    counts: dict[str, int]
    national: int | None
    table: Table
    url: str
    api: str
    sha256: str
    fetched: datetime
    notes: tuple[str, ...] = ()


def fetch(year: int, post: Transport = http_post, sleep=time.sleep) -> Fetched:
    """The population of 31 December ``year`` for every municipality, from API v2, else v1."""
    table = table_for(year)
    codes = sorted(registry().by_code)
    v2 = os.environ.get(ENV_V2, API_V2).rstrip("/")
    url = f"{v2}/tables/{table.id}/data?lang=sv&outputFormat=json-stat2"
    try:
        data = _ask(post, url, {"selection": selection(table, year, codes)}, sleep)
        counts = decode_jsonstat(data, table, year)
        national_data = _ask(post, url, {"selection": selection(table, year, ["00"])}, sleep)
        national = decode_jsonstat(national_data, table, year).get("00")
        api = "API v2 (JSON-stat2)"
    except FetchError as v2_error:
        if "HTTP 429" in v2_error.message or "inte den väntade" in v2_error.message \
                or "ändrat utseende" in v2_error.message:
            raise FetchError(f"Hämtningen från SCB misslyckades: {v2_error.message}. Inget sparades.") from None
        v1 = os.environ.get(ENV_V1, API_V1).rstrip("/")
        url = f"{v1}/{table.v1_path}"
        try:
            data = _ask(post, url, _v1_query(table, year, codes), sleep)
            counts = decode_csv(data, table, year)
            national = decode_csv(_ask(post, url, _v1_query(table, year, ["00"]), sleep), table, year).get("00")
            api = "API v1 (CSV)"
        except FetchError as v1_error:
            raise FetchError(f"Hämtningen från SCB misslyckades: {v2_error.message}; v1: {v1_error.message}. "
                             "Inget sparades.") from None
    return Fetched(date(year, 12, 31), counts, national, table, url, api, hashlib.sha256(data).hexdigest(),
                   datetime.now().replace(microsecond=0))


def _v1_query(table: Table, year: int, regions: list[str]) -> dict:
    return {"query": [{"code": s["variableCode"], "selection": {"filter": "item", "values": s["valueCodes"]}}
                      for s in selection(table, year, regions)], "response": {"format": "csv"}}


@dataclass(frozen=True)
class Stored:
    fetched: Fetched
    path: object
    warnings: tuple[str, ...]
    notes: tuple[str, ...]


def latest_published(today: date | None = None) -> int:
    """The latest 31 December SCB has published by ``today``: it publishes in late February."""
    today = today or date.today()
    return today.year - 1 if (today.month, today.day) >= (3, 1) else today.year - 2


def fetch_and_store(year: int, post: Transport = http_post, sleep=time.sleep) -> Stored:
    """Fetch, check everything, then store with provenance; nothing is stored on any failure."""
    f = fetch(year, post, sleep)
    problems = population_checks.coverage(f.counts)
    notes: list[str] = []
    if not problems:
        sum_problems, notes = population_checks.national_sum(f.counts, f.day, f.national)
        change_problems, warnings = population_checks.changes(f.counts, f.day, population_checks.MAX_CHANGE)
        problems = sum_problems + [f"orimlig förändring: {p}" for p in change_problems]
    if problems:
        raise FetchError(f"SCB:s folkmängd per {f.day.isoformat()} sparades inte: " + " ".join(problems[:5]))
    meta = {
        "källa": f"SCB, Folkmängd efter region ({f.table.id}, {f.table.content})",
        "källa_text": f"SCB, Folkmängd efter region ({f.table.id}, {f.table.content}), 31 december {year}, "
                      f"hämtad {f.fetched.date().isoformat()} via {f.api}",
        "tabell": f.table.id, "innehåll": f.table.content, "url": f.url, "api": f.api,
        "hämtad": f.fetched.isoformat(), "sha256": f.sha256,
        "summa": sum(f.counts.values()), "riket": f.national,
    }
    path = store.write("population", f.day.isoformat(), population.to_csv(f.counts), meta)
    return Stored(f, path, tuple(warnings), tuple(notes))
