"""The local DuckDB store: decisions per period, and where each extract came from."""

from innsatstrapp.store.duckdb import DEFAULT_DB, ExtractInfo, Store, require

__all__ = ["DEFAULT_DB", "ExtractInfo", "Store", "require"]
