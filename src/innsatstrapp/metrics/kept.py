"""Published reports kept in the store.

A set of reports (the whole municipality and every unit, suppressed) is a function of the
extracts as ingested, the catalog, the threshold, the periods it shows and the code that
builds it. Once built it is kept under a key of all of these, and the next process that
asks for the same set reads it instead of querying and deciding again: a restarted
dashboard shows its first page at once, and `report` after `ingest --catalog` finds its
month ready. Any change of what the set rests on gives another key; a re-ingested or
deleted period takes the sets that show it with it.

Light on purpose: no Ibis, so that a process that finds its reports here never imports it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path

from innsatstrapp import __version__
from innsatstrapp.catalog import Catalog
from innsatstrapp.errors import InnsatstrappError
from innsatstrapp.files import user_cache, written
from innsatstrapp.model.base import LoadError, dump_json, load_json, replace
from innsatstrapp.model.report import Report
from innsatstrapp.store import ExtractInfo, Store


@functools.cache
def code_fingerprint() -> str:
    """SHA-256 of the package's own source: a report built by other code is another."""
    return source_fingerprint(Path(__file__).resolve().parent.parent, remembered=True)


def source_fingerprint(root: Path, remembered: bool = False) -> str:
    """SHA-256 of this version and of every source file under `root` (code, templates,
    JSON), by name and content; the bytecode's folders are not read (walking them was half
    the time, in every command that builds).

    `remembered`: the fingerprint is kept in the user's cache under the files' names, sizes
    and modification times, and read from there while none of them changes (reading and
    hashing 130 files took 4–6 ms of every build; listing them takes 1 ms)."""
    top = str(root)
    found = []  # (name under root, full path), as text: pathlib's objects were half the time
    for folder, folders, files in os.walk(top):
        folders[:] = [f for f in folders if f != "__pycache__"]
        inner = os.path.relpath(folder, top)
        found += [(os.path.normpath(os.path.join(inner, f)), os.path.join(folder, f))
                  for f in files if f.endswith((".py", ".j2", ".json"))]
    found.sort()
    cached = _listed(top, found) if remembered else None
    if cached is not None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = cached.read_text(encoding="ascii")
            if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
                return text
    h = hashlib.sha256(__version__.encode())
    for name, path in found:
        h.update(name.encode())
        with open(path, "rb") as f:
            h.update(f.read())
    digest = h.hexdigest()
    if cached is not None:
        with contextlib.suppress(InnsatstrappError, OSError), written(cached) as temp:
            temp.write_text(digest, encoding="ascii")
    return digest


def _listed(root: str, found: list[tuple[str, str]]) -> Path | None:
    """The cache file of the fingerprint of `found` as they are now (None: one could not be
    listed, so the fingerprint is read from the files)."""
    h = hashlib.sha256(json.dumps([__version__, root]).encode())
    try:
        for name, path in found:
            info = os.stat(path)
            h.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    except OSError:
        return None
    return user_cache() / "code" / f"{h.hexdigest()}.txt"


def key(catalog: Catalog, n: int, extracts: dict[str, ExtractInfo], period: str,
        compare: str | None, history: list[str]) -> str:
    """What a set of reports rests on, as a SHA-256."""
    shown = sorted({period, *([compare] if compare else []), *history})
    text = json.dumps([code_fingerprint(), catalog.sha256, catalog.file_name, n, period,
                       compare, history, [
                           (p, extracts[p].file_sha256, extracts[p].ingested_at.isoformat(),
                            extracts[p].rows, extracts[p].file_name,
                            extracts[p].as_of.isoformat()) for p in shown]])
    return hashlib.sha256(text.encode()).hexdigest()


def part(k: str, scopes: tuple[str | None, ...]) -> str:
    """The key of a set that holds only `scopes` (None: the whole) of the set `k`: another
    key, so that a reader of the whole set never takes a part of it for the whole."""
    return hashlib.sha256(json.dumps([k, sorted(scopes, key=lambda u: (u is not None, u))]
                                     ).encode()).hexdigest()


def load(store: Store, k: str, found: Callable[[], object] | None = None
         ) -> dict[str | None, Report] | None:
    """The set kept under `k`, as generated now; None if there is none (or it cannot be
    read: then it is built again). `found` is called once the set is found, before it is
    unpacked (the build's caller then starts what it does meanwhile)."""
    body = store.published(k)
    if body is None:
        return None
    if found is not None:
        found()
    try:
        pairs = load_json(list[tuple[str | None, Report]], zlib.decompress(body))
    except (LoadError, zlib.error):
        return None
    now = dt.datetime.now().replace(microsecond=0)
    return {unit: replace(r, provenance=replace(r.provenance, generated_at=now))
            for unit, r in pairs}


def keep(store: Store, k: str, periods: list[str], reports: dict[str | None, Report]) -> None:
    """Keep a set in the (writable) store for later processes. Packed at zlib's fastest
    level: the dashboard's first view took 0,02 s more at level 6, for a body a fifth smaller
    (74 kB against 57 kB for one month's 18 reports)."""
    body = zlib.compress(dump_json(list(reports.items())), 1)
    store.keep_published(k, sorted(set(periods)), body)
