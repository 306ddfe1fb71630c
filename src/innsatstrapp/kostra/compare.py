"""The `kostra` block of a report (contract §8): the municipality beside the regions of
each stored indicator, year by year."""

from __future__ import annotations

from innsatstrapp.model.report import Kostra, KostraIndicator, KostraRegion
from innsatstrapp.period import Period
from innsatstrapp.store import Store
from innsatstrapp.store.kostra import figures


def municipality_code(text: str | None) -> str | None:
    """A municipality number as SSB writes it: four digits («712», as Excel shows 0712,
    is 0712); anything else as given, trimmed."""
    if text is None or not text.strip():
        return None
    code = text.strip()
    return code.zfill(4) if code.isdigit() and len(code) < 4 else code


def extract_municipality(store: Store, period: Period | str) -> str | None:
    """The extract's municipality when its rows name a single one, else None."""
    found = store.con.execute(
        "SELECT DISTINCT municipality FROM decisions WHERE period = ? AND municipality IS NOT "
        "NULL AND trim(municipality) <> '' LIMIT 2", [str(Period.of(period))]).fetchall()
    return municipality_code(found[0][0]) if len(found) == 1 else None


def municipality_for(store: Store, municipality: str | None,
                     period: Period | str | None) -> str | None:
    """The municipality a comparison is about: the one asked for, else the extract's own
    (of `period`); None when neither says."""
    return municipality_code(municipality) or (
        extract_municipality(store, period) if period is not None else None)


def comparison(store: Store, municipality: str | None, period: Period | str) -> Kostra | None:
    """The block for `municipality` (default: the extract's own); None when neither says
    which municipality the report is about."""
    code = municipality_for(store, municipality, period)
    if code is None:
        return None
    return Kostra(municipality=code, indicators=indicators(figures(store), code))


def indicators(rows: list[dict], code: str) -> list[KostraIndicator]:
    """Every indicator with a figure (a number) for `code`, in the order of `rows`; regions
    in their order there, `code` first; every year of the indicator for every region."""
    grouped: dict[str, list[dict]] = {}
    for r in rows:
        grouped.setdefault(r["indicator"], []).append(r)
    out = []
    for name, items in grouped.items():
        if not any(r["region"] == code and r["value"] is not None for r in items):
            continue
        years = sorted({r["year"] for r in items})
        names: dict[str, str] = {}
        values: dict[str, dict[str, float | None]] = {}
        for r in items:
            names[r["region"]] = r["region_name"]  # the newest import's name, in the first place
            values.setdefault(r["region"], dict.fromkeys(years))[r["year"]] = r["value"]
        order = [code, *(c for c in names if c != code)]
        out.append(KostraIndicator(indicator=name, years=years, regions=[
            KostraRegion(code=c, name=names[c], values=values[c]) for c in order]))
    return out
