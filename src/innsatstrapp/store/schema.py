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
    [
        # what small-count suppression decided for a period or a pair of periods, reused by
        # every later process; the key names the extracts as ingested, the catalog and the
        # threshold, so a decision never outlives what it was made from
        """CREATE TABLE disclosure_decisions (
             key VARCHAR PRIMARY KEY,        -- SHA-256 of everything the decision rests on
             period VARCHAR NOT NULL,        -- the period, or the later of a pair
             before VARCHAR,                 -- the earlier of a pair (NULL: a period)
             catalog_sha256 VARCHAR NOT NULL,
             threshold INTEGER NOT NULL,
             cells VARCHAR NOT NULL,         -- JSON: the withheld cells
             decided_at TIMESTAMP NOT NULL,
             tool_version VARCHAR NOT NULL)""",
    ],
    [
        # published reports (suppressed, the whole and every unit) as built once, read by
        # the next process that asks for the same ones (a restarted dashboard, a report
        # after `ingest --catalog`); the key names everything they rest on, the code too
        """CREATE TABLE published_reports (
             key VARCHAR PRIMARY KEY,        -- SHA-256 of everything the reports rest on
             periods VARCHAR[] NOT NULL,     -- every period they show
             body BLOB NOT NULL,             -- zlib-compressed JSON
             made_at TIMESTAMP NOT NULL,
             tool_version VARCHAR NOT NULL)""",
        # what the store remembers between commands (the catalog `ingest` decides with)
        """CREATE TABLE settings (
             name VARCHAR PRIMARY KEY,
             value VARCHAR NOT NULL)""",
    ],
    [
        # published statistics from SSB's statistics bank (KOSTRA, KPR), for the comparison
        # of contract §8: one figure per indicator, region and year, the newest import's
        """CREATE TABLE kostra_figures (
             indicator VARCHAR NOT NULL,     -- SSB's statistikkvariabel, as labelled
             region VARCHAR NOT NULL,        -- SSB's code: 0712, EKG13, EAK
             region_name VARCHAR NOT NULL,   -- the label without the code
             year VARCHAR NOT NULL,          -- YYYY
             value DOUBLE,                   -- NULL: no figure
             symbol VARCHAR,                 -- SSB's symbol when there is none (. .. ... : -)
             import_id INTEGER NOT NULL,     -- imports in order (1, 2, …)
             position INTEGER NOT NULL,      -- the figure's place in its file
             source_file VARCHAR NOT NULL,
             source_sha256 VARCHAR NOT NULL,
             imported_at TIMESTAMP NOT NULL,
             PRIMARY KEY (indicator, region, year))""",
    ],
    [
        # the report queries' rows of one period (or pair of periods, for movement), kept so
        # that a view of many months queries only the months not seen before; the key names
        # the extracts as ingested, the catalog, the kind of rows and the code and versions
        # that made them (rows of another version or catalog go when new ones are kept)
        """CREATE TABLE query_rows (
             key VARCHAR PRIMARY KEY,        -- SHA-256 of everything the rows rest on
             period VARCHAR NOT NULL,        -- the period, or the later of a pair
             before VARCHAR,                 -- the earlier of a pair (NULL: a period)
             kind VARCHAR NOT NULL,          -- counts | detail | ages | movement
             catalog VARCHAR NOT NULL,       -- SHA-256 of the catalog rows the queries read
             code VARCHAR NOT NULL,          -- the statements' key (code, Ibis, DuckDB)
             body BLOB NOT NULL,             -- zlib-compressed JSON: rows per query
             made_at TIMESTAMP NOT NULL)""",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)
# a store at this version can still be read (only the stored decisions are missing; the next
# process that writes adds the table)
READABLE_FROM = 1

DECISION_COLUMNS = ("source_row", "decision_id", "person", "service", "start_date", "end_date",
                    "hours_per_week", "resource_hours_per_week", "unit", "birth_year", "gender",
                    "municipality")
