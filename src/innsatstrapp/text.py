"""Names read from files (catalogs, plan inputs) as every output can show them, and the
few words every output shares."""

from __future__ import annotations

import re

# C0 and C1 control characters and DEL (NUL, ESC, line breaks, `_x001B_` in XLSX) and XML's
# two noncharacters. No renderer can write them (PowerPoint's XML refuses them) and a
# terminal would act on them.
_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0xFFFE, 0xFFFF))
CONTROL = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _RANGES) + "]")
# the same class for DuckDB's regular expressions (RE2), which ingest runs over the extract
CONTROL_SQL = "[" + "".join(f"\\x{{{a:04x}}}-\\x{{{b:04x}}}" for a, b in _RANGES) + "]"


def plain(text: str) -> str:
    """`text` with every control character a space, trimmed (as ingest does to names, so a
    catalog's names still match the extract's)."""
    return CONTROL.sub(" ", text).strip()


def age_words(ages: str | None) -> str:
    """«80 år og over», «67–79 år», «i alle aldre»."""
    if ages in (None, "alle"):
        return "i alle aldre"
    if ages.endswith("+"):
        return f"{ages[:-1]} år og over"
    return ages.replace("-", "–") + " år"


def listing(parts: list[str], word: str = "og") -> str:
    """«A», «A og B», «A, B og C» (or «eller»), as a Norwegian sentence lists things."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {word} {parts[-1]}"
