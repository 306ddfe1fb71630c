"""Renderers: each turns a built Report into one file. They never query the store.

RENDERERS maps a format name (the file extension) to "module:function": the built-in ones
and those a plugin registers in the entry-point group `innsatstrapp.renderers` (`registry`);
the CLI's --format and the web's downloads both go through it. Modules are imported when
used.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from innsatstrapp.errors import UsageError, os_reason
from innsatstrapp.files import Watch, as_any_new, held, make_folders, not_a_folder
from innsatstrapp.outputs.registry import Renderers

if TYPE_CHECKING:
    from innsatstrapp.model.report import Report

Renderer = Callable[..., Path]  # (report, out_dir, **options) -> the file written

RENDERERS: Mapping[str, str] = Renderers("report")


def formats(text: str, registry: Mapping[str, str] = RENDERERS) -> list[str]:
    """The formats of a comma-separated list («json,html»), each known to `registry`:
    checked where the list is given, before anything is computed."""
    return chosen(list(dict.fromkeys(x.strip().lower() for x in text.split(",")
                                     if x.strip())), registry)


def chosen(names: list[str], registry: Mapping[str, str] = RENDERERS) -> list[str]:
    """`names` if there is at least one and each is known to `registry`."""
    if not names:
        raise UsageError(f"Ingen formater valgt. Oppgi for eksempel --format json,html "
                         f"(mulige: {', '.join(registry)}).")
    for name in names:
        renderer_name(name, registry)
    return names


def renderer_name(fmt: str, registry: Mapping[str, str] = RENDERERS) -> str:
    """The renderer registered for `fmt` ("module:function"); an unknown format is said
    with those there are."""
    if fmt not in registry:
        raise UsageError(f"Ukjent format «{fmt}». Velg blant: {', '.join(registry)}.")
    return registry[fmt]


def renderer(fmt: str, registry: Mapping[str, str] = RENDERERS) -> Renderer:
    module, func = renderer_name(fmt, registry).split(":")
    return getattr(importlib.import_module(module), func)


def preload(formats: list[str], registry: Mapping[str, str] = RENDERERS
            ) -> Callable[[], None]:
    """Import the renderers of `formats` on a thread of their own while the caller builds
    what they will render; returns the wait for it. A build spends most of its time in the
    engine, which lets Python's other threads run: the renderers' imports (Jinja, the
    templates' helpers; 0,02 s of a report) are done by the time they are used, and so is
    what a renderer module does before it sees a report (its `prepare`, if it has one: the
    page's template and Plotly's bundle read). One that fails is left for `render`, which
    imports it again and says why."""
    modules = [renderer_name(f, registry).split(":")[0] for f in formats]

    def load() -> None:
        for module in modules:
            with contextlib.suppress(Exception):
                ready = getattr(importlib.import_module(module), "prepare", None)
                if callable(ready):
                    ready()

    thread = threading.Thread(target=load, name="innsatstrapp-preload", daemon=True)
    thread.start()
    return thread.join


def render(report: Report, out_dir: Path, formats: list[str], *,
           registry: Mapping[str, str] = RENDERERS, **options: object) -> list[Path]:
    """Write `report` (or, with another registry, the plan) in each format to `out_dir`;
    returns the files written. Options (such as pptx_template) go to every renderer, which
    takes what it knows.

    Written as a set: every format is rendered into a temporary folder beside the files,
    and only when all are done are they moved into place (each move is atomic), and the
    files of an earlier set in formats not written now are removed. A kill or a failing
    renderer leaves the earlier set as it was, never a truncated file or a month's json
    beside another month's pptx; the temporary folder is removed on failure."""
    # none, or an unknown one: said before anything is written
    functions = [renderer(f, registry) for f in chosen(formats, registry)]
    not_a_folder(out_dir)
    watch = Watch()
    try:
        folders = make_folders(out_dir)
        _sweep(out_dir)
        work = Path(tempfile.mkdtemp(prefix=_WORK, dir=out_dir))
    except OSError as exc:
        raise UsageError(f"Kan ikke skrive i mappen {out_dir}: {os_reason(exc)}. Velg en annen "
                         f"med --out.") from None
    try:
        made = [fn(report, work, **options) for fn in functions]
        if watch.touched():  # a store was open meanwhile (the keeping beside a report), so
            for path in [*made, *folders]:  # these may be the owner's only
                as_any_new(path, folder=path in folders)
        return _move_into_place(made, out_dir, registry)
    finally:
        shutil.rmtree(work, ignore_errors=True)


_WORK = ".innsatstrapp-"  # the temporary folder of a set being written
LOCKS = os.name == "nt"  # a file open in another program cannot be replaced


def _sweep(out_dir: Path) -> None:
    """Remove what a killed run left (its temporary folder), once it is an hour old."""
    for old in out_dir.glob(_WORK + "*"):
        with contextlib.suppress(OSError):
            if old.is_dir() and time.time() - old.stat().st_mtime > 3600:
                shutil.rmtree(old, ignore_errors=True)


def _move_into_place(made: list[Path], out_dir: Path, registry: Mapping[str, str]
                     ) -> list[Path]:
    targets = [out_dir / f.name for f in made]
    for target in targets:  # a folder in a file's place: found before any move, on any system
        if target.is_dir():
            raise UsageError(f"Kan ikke erstatte {target}: det er en mappe, ikke en fil. "
                             f"Flytt eller gi nytt navn til mappen; ingen av filene er endret.")
    if LOCKS:  # Windows locks a file open in Excel: find out before any move
        for target in targets:
            try:
                os.close(os.open(target, os.O_RDWR))
            except FileNotFoundError:
                pass
            except PermissionError:
                raise held(target) from None
    out = []
    for file, target in zip(made, targets, strict=True):
        try:
            os.replace(file, target)
        except OSError as exc:  # opened in the moment since the check, or a full disk
            done = ", ".join(p.name for p in out)
            raise UsageError(f"Kan ikke erstatte {target}: {os_reason(exc)}. "
                             + (f"Disse filene er alt erstattet: {done}; kjør kommandoen på "
                                f"nytt når {target.name} er lukket." if out else
                                "Ingen av filene er endret.")) from None
        out.append(target)
    stems = {f.stem for f in made}
    for old in out_dir.iterdir():  # an earlier set's formats not written now would be
        # another month's (the files there asked about, not every format of every plugin)
        if old.stem in stems and old not in out and old.suffix[1:] in registry:
            with contextlib.suppress(FileNotFoundError, PermissionError, IsADirectoryError):
                old.unlink()
    return out
