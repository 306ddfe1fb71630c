"""Files for the user get the user's modes, whatever another thread holds the process's
umask at while a store is open (`files.OwnerOnly`)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from innsatstrapp import files
from innsatstrapp.files import OwnerOnly, Watch, as_any_new, make_folders, user_umask

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_watch_sees_a_store_opened_and_closed_meanwhile() -> None:
    quiet = Watch()
    assert not quiet.touched()
    section = OwnerOnly()
    try:
        assert quiet.touched() and Watch().touched()  # open now, and open at the start
    finally:
        section.release()
    assert quiet.touched()  # it was open meanwhile
    assert not Watch().touched()


def test_the_mode_mended_keeps_the_set_group_id_bit(tmp_path: Path) -> None:
    """A folder under a group's shared folder keeps inheriting the group."""
    folder = tmp_path / "delt"
    folder.mkdir()
    os.chmod(folder, 0o2700)
    as_any_new(folder, folder=True)
    assert mode(folder) == 0o2000 | (0o777 & ~user_umask())
    file = tmp_path / "report.json"
    file.write_text("{}")
    os.chmod(file, 0o600)
    as_any_new(file)
    assert mode(file) == 0o666 & ~user_umask()


def test_a_mode_already_right_is_not_changed_and_a_refusal_is_passed_by(tmp_path: Path,
                                                                        monkeypatch) -> None:
    right, owners = tmp_path / "right.json", tmp_path / "owners.json"
    for path, m in ((right, 0o666 & ~user_umask()), (owners, 0o600)):
        path.write_text("{}")
        os.chmod(path, m)
    calls = []

    def refuse(*args):
        calls.append(args)
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(files.os, "chmod", refuse)
    as_any_new(right)
    assert calls == []  # its mode was right: not asked
    as_any_new(owners)  # no error: a file is never refused for its mode
    assert len(calls) == 1 and mode(owners) == 0o600


def test_only_the_folders_made_here_are_named(tmp_path: Path) -> None:
    (tmp_path / "finnes").mkdir()
    made = make_folders(tmp_path / "finnes" / ".." / "ny" / "rapport")
    assert made == [(tmp_path / "ny").resolve(), (tmp_path / "ny" / "rapport").resolve()]
    assert make_folders(tmp_path / "ny" / "rapport") == []


def test_render_with_no_store_open_changes_no_mode(tmp_path: Path, monkeypatch) -> None:
    """Outside an owner-only section the files keep the modes the system gave them (a
    folder whose default ACL sets them is left to it)."""
    from innsatstrapp.outputs import render

    calls = []
    real = os.chmod
    monkeypatch.setattr(files.os, "chmod", lambda *a, **k: (calls.append(a), real(*a, **k)))

    def write(report, out_dir: Path, **_: object) -> Path:
        path = out_dir / "report.txt"
        path.write_text("ok")
        return path

    monkeypatch.setattr("innsatstrapp.outputs.renderer",
                        lambda fmt, registry=None: write)
    written = render(None, tmp_path / "ut", ["txt"], registry={"txt": "x:write"})
    assert [p.name for p in written] == ["report.txt"] and calls == []
