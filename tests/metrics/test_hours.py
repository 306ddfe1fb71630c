"""Hours per week: more than a week has is kept but warned of, and sums are exact (the same
extract gives the same figures to the last bit, whatever order the engine adds them in)."""

from __future__ import annotations

from pathlib import Path

from helpers import write_csv
from innsatstrapp.catalog import load_catalog
from innsatstrapp.ingest import ingest_file
from innsatstrapp.metrics import build_report
from small import HEADER, write_catalog


def test_more_hours_than_a_week_has_is_a_warning(tmp_path: Path, db: Path) -> None:
    rows = [["1", "HS ring 1", "01.01.2024", "", "170", "", "Sone 1"],
            ["2", "HS ring 1", "01.01.2024", "", "168", "", "Sone 1"],
            ["3", "HS ring 2", "01.01.2024", "", "999,5", "", "Sone 2"],
            ["4", "HS ring 2", "01.01.2023", "31.12.2023", "500", "", "Sone 2"]]  # ended
    ingest_file(write_csv(tmp_path / "x.csv", rows, header=HEADER), "2024-01", db=db)
    catalog = load_catalog(write_catalog(tmp_path / "katalog.xlsx"))
    report = build_report(catalog, "2024-01", suppress=0, db=db)
    found = [(w.code, w.service, w.count) for w in report.data_quality.warnings
             if w.code == "hours_over_week"]
    assert found == [("hours_over_week", "HS ring 1", 1), ("hours_over_week", "HS ring 2", 1)]
    assert report.headline["home_nursing_approved_hours"].value == 170 + 168 + 999.5


def test_hour_sums_are_exact(tmp_path: Path, db: Path) -> None:
    # 0,1 + 0,2 is not 0,3 in floating point; in any order of 3 000 such values the float
    # sum drifts in the last bits, the decimal sum does not
    rows = [[str(i), "HS ring 1", "01.01.2024", "", ("0,1", "0,2", "0,7")[i % 3], "",
             "Sone 1"] for i in range(3000)]
    ingest_file(write_csv(tmp_path / "x.csv", rows, header=HEADER), "2024-01", db=db)
    catalog = load_catalog(write_catalog(tmp_path / "katalog.xlsx"))
    report = build_report(catalog, "2024-01", suppress=0, db=db)
    assert report.headline["home_nursing_approved_hours"].value == 1000.0
    (conc,) = [c for c in report.concentration if c.scope == "HS ring 1"]
    assert conc.hours == 1000.0
