"""Names read from files (catalogs, plan inputs) as every output can show them."""

from __future__ import annotations

import re

# C0 and C1 control characters and DEL: NUL, ESC, line breaks, `_x001B_` in XLSX. No
# renderer can write them (PowerPoint's XML refuses them) and a terminal would act on them.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")  # and XML's two noncharacters


def plain(text: str) -> str:
    """`text` with every control character a space, trimmed (as ingest does to names, so a
    catalog's names still match the extract's)."""
    return CONTROL.sub(" ", text).strip()
