"""Benchmark: dashboard page times (p50/p95) on the demo store and on a 60-month,
~1 000 000-decision store, through the ASGI app in-process (no network).

    .venv/bin/python bench/dashboard.py [--months 24,60]

Each page is requested 20 times for the newest month (warm: from the cache). Before that,
two cold figures, each the time until the page is there (while its figures are computed the
server answers 503 «Tallene beregnes», and the page asks again): the very first view, which
decides suppression for every stored month (the server does this in the background as it
starts), and then the first view of two other months (their query rows and decisions are
kept from the first view; their history of every month is assembled anew).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
from report import build_store, machine

from innsatstrapp.demo import LAST_PERIOD
from innsatstrapp.web import create_app

PAGES = ("/", "/?enhet=Sykehjem", "/trinn/3", "/tjeneste?navn=Hjemmesykepleie+ring+1",
         "/langtidsopphold", "/datakvalitet", "/perioder", "/trinn/3?last_ned=xlsx")


def timings(client: TestClient, url: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        while response.status_code == 503:  # «Tallene beregnes»: the page reloads itself
            time.sleep(0.05)
            response = client.get(url)
        out.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", default="24,60", help="the stores' lengths, e.g. 24")
    lengths = [int(m) for m in parser.parse_args().months.split(",")]
    print(machine())
    print()
    print("| store | page | very first view | first view of another month | warm p50 "
          "| warm p95 |")
    print("|---|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for months in lengths:
            db, catalog = build_store(Path(tmp), months)
            client = TestClient(create_app(db, catalog), base_url="http://127.0.0.1")
            first = timings(client, "/", 1)[0]
            other = [timings(client, f"/?periode={LAST_PERIOD.shift(-k)}", 1)[0]
                     for k in (3, 6)]
            for url in PAGES:
                warm = timings(client, url, 20)
                cold = (f"{first:.1f} s | {statistics.median(other):.1f} s" if url == "/"
                        else " | ")
                print(f"| {months} months | `{url}` | {cold} | "
                      f"{statistics.median(warm) * 1000:.0f} ms | {p95(warm) * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
