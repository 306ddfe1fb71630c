"""What every model class is, and the few operations the stages need on them.

The models are frozen `msgspec.Struct`s: built many thousand times per report (every row of
every period and unit, again for each suppression decision), they cost a tenth of what
validating models cost to build, dump and load, and the library imports in milliseconds
where a validating one took a tenth of a second of every command. Keyword-only, so a field
with a default may come before one without, as the contract orders them. A model is
validated where data comes in from outside the code (`load`, `load_json`: a kept report, a
plan's rows); built in code, its types are the code's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import msgspec

M = TypeVar("M", bound=msgspec.Struct)

# a model that cannot be read (a kept report from another version, a damaged body)
LoadError = msgspec.MsgspecError


class Open(msgspec.Struct, frozen=True, kw_only=True):
    """A frozen model whose schema leaves room for more fields (the report's outer objects,
    to which a later version may add); read, an unknown field is passed over. Frozen and
    the unknown-field rule are inherited; keyword-only covers only the fields a class
    itself defines, so every model class says `kw_only=True` again."""


class Model(Open, forbid_unknown_fields=True):
    """A frozen model of fixed fields (a row): read, an unknown field is refused, and the
    schema says no other is allowed."""


def dump(model: msgspec.Struct, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The model as JSON's types (dates and times as ISO text), by the names it is
    published under (`from`, not `from_`)."""
    out = msgspec.to_builtins(model)
    for name in exclude:
        out.pop(name, None)
    return out


def load(kind: type[M], data: object) -> M:
    """A model from JSON's types (what `dump` gives), validated."""
    return msgspec.convert(data, kind)


def dump_json(model: object) -> bytes:
    """A model (or a list or tuple of them) as JSON, as `dump` gives it."""
    return msgspec.json.encode(model)


def load_json(kind: Any, text: bytes | str) -> Any:
    """A model (or what `kind` says: `list[tuple[str, Report]]`) from its JSON,
    validated."""
    return msgspec.json.decode(text, type=kind)


def replace(model: M, **changes: Any) -> M:
    """A copy with `changes` (the model is frozen)."""
    return msgspec.structs.replace(model, **changes)


def fields(kind: type[msgspec.Struct]) -> tuple[str, ...]:
    """The model's field names as the code spells them."""
    return kind.__struct_fields__


def json_schema(kind: type[msgspec.Struct], title: str) -> dict[str, Any]:
    """The JSON Schema of what `dump` gives for `kind`."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title,
            **msgspec.json.schema(kind)}
