"""The store's tables, as numbered migrations. A store records the version it is at."""

from __future__ import annotations

# Each entry moves the store from version i to i + 1. Never edit a released entry: add one.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE schema_info (
             version INTEGER NOT NULL,
             created_at TIMESTAMP NOT NULL,
             key_fingerprint VARCHAR)""",
        """CREATE TABLE extracts (
             period VARCHAR NOT NULL,        -- YYYY-MM
             as_of DATE NOT NULL,            -- D
             file_name VARCHAR NOT NULL,
             file_sha256 VARCHAR NOT NULL,
             file_format VARCHAR NOT NULL,   -- csv | xlsx
             rows INTEGER NOT NULL,
             persons INTEGER NOT NULL,
             columns VARCHAR[] NOT NULL,     -- canonical fields present in the file
             ingested_at TIMESTAMP NOT NULL,
             tool_version VARCHAR NOT NULL)""",
        """CREATE TABLE decisions (
             period VARCHAR NOT NULL,
             source_row INTEGER NOT NULL,    -- row in the extract (header = 1)
             decision_id VARCHAR,
             person BIGINT NOT NULL,         -- keyed pseudonym, never the clear id
             service VARCHAR NOT NULL,
             start_date DATE NOT NULL,
             end_date DATE,
             hours_per_week DOUBLE,
             resource_hours_per_week DOUBLE,
             unit VARCHAR,
             birth_year SMALLINT,
             gender VARCHAR,                 -- K | M | NULL
             municipality VARCHAR)""",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)

DECISION_COLUMNS = ("source_row", "decision_id", "person", "service", "start_date", "end_date",
                    "hours_per_week", "resource_hours_per_week", "unit", "birth_year", "gender",
                    "municipality")
