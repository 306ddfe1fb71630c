"""Snapshots of what the small fixture's report says: report.json and the body of report.html.

A change to a figure, a word or the markup shows as a diff here; when it is meant, update
them with `python3 dev.py test tests/outputs/test_snapshots.py --snapshot-update` and read
the diff in review. Only the moments of the run (when it was ingested and generated) are
taken out; everything else is as written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from innsatstrapp.outputs import render


@pytest.fixture(scope="module")
def written(small_store, tmp_path_factory) -> Path:
    from innsatstrapp.metrics import build_report

    db, catalog = small_store
    report = build_report(catalog, "2024-01", history=["2023-12"], db=db)  # threshold 5
    out = tmp_path_factory.mktemp("snap")
    render(report, out, ["json", "html"])
    return out


_MOMENTS = ("generated_at", "ingested_at")


def _without_moments(x):
    if isinstance(x, dict):
        return {k: ("<tid>" if k in _MOMENTS else _without_moments(v)) for k, v in x.items()}
    if isinstance(x, list):
        return [_without_moments(v) for v in x]
    return x


def test_report_json(written: Path, snapshot) -> None:
    body = json.loads((written / "report.json").read_text(encoding="utf-8"))
    assert _without_moments(body) == snapshot


def test_report_html_body(written: Path, snapshot) -> None:
    page = (written / "report.html").read_text(encoding="utf-8")
    main = page[page.index("<main>"):page.index("</main>") + len("</main>")]
    # the moments, as the page writes them: «01.12.2026 17:30», «2026-12-01T17:30:12»
    main = re.sub(r"\d{2}\.\d{2}\.\d{4}(?: kl\.)? \d{2}:\d{2}", "<tid>", main)
    main = re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", "<tid>", main)
    assert main == snapshot


def test_the_page_holds_plotly_s_bundle_once_and_as_it_is(written: Path) -> None:
    """The page's head holds Plotly's own bundle from the installed package, byte for byte
    (written into the page as bytes, never decoded and joined), in its script element, and
    the page holds nothing else of it."""
    from plotly.offline import get_plotlyjs

    page = (written / "report.html").read_bytes()
    bundle = get_plotlyjs().encode("utf-8")
    assert b"</script" not in bundle.lower()  # else it would be escaped, and differ
    head = page[:page.index(b"</head>")]
    assert page.count(bundle) == 1 and b"<script>" + bundle + b"</script>" in head
    assert "\ue000".encode() not in page  # the template's mark for it is gone
    page.decode("utf-8")  # the whole page is UTF-8
