"""innsatstrapp: the municipal service staircase, computed from the raw case-system extract."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Catalog", "Period", "Store", "__version__", "ingest_file", "load_catalog"]


def __getattr__(name: str):
    # Lazy re-exports keep `import innsatstrapp` (and `innsatstrapp --help`) cheap.
    if name == "ingest_file":
        from innsatstrapp.ingest import ingest_file

        return ingest_file
    if name == "Store":
        from innsatstrapp.store import Store

        return Store
    if name in ("Catalog", "load_catalog"):
        from innsatstrapp import catalog

        return getattr(catalog, name)
    if name == "Period":
        from innsatstrapp.period import Period

        return Period
    raise AttributeError(name)
