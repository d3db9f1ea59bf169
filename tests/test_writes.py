"""Several files written as one (the ledger's csv folder): all new, or all as they were.

These run in this process, where a failure can be made to happen at one exact step (a file
open in Excel when it is put in place, Ctrl-C while the files are written); the tests that
kill a real run from outside are in test_output.py.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bulletin import output
from bulletin.errors import BuildError


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_every_file_is_written_readable_and_nothing_else_is_left(tmp_path: Path) -> None:
    a, b = tmp_path / "out" / "探访.csv", tmp_path / "out" / "心愿.csv"
    output.write_all_or_nothing({a: b"one", b: b"two"})
    assert a.read_bytes() == b"one" and b.read_bytes() == b"two"
    # as any file the user saves: readable by others, not executable
    assert stat.S_IMODE(a.stat().st_mode) == 0o644
    assert stat.S_IMODE(b.stat().st_mode) == 0o644
    assert _leftovers(a.parent) == []


def test_files_written_again_replace_the_earlier_ones_without_a_backup_left(
    tmp_path: Path,
) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"old a")
    b.write_bytes(b"old b")
    output.write_all_or_nothing({a: b"new a", b: b"new b"})
    assert (a.read_bytes(), b.read_bytes()) == (b"new a", b"new b")
    assert _leftovers(tmp_path) == []


def _locked(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """`target` cannot be replaced, as a file open in Excel on Windows."""
    real = os.replace

    def replace(src, dst):
        if Path(dst) == target and Path(src).name.endswith(".tmp") and "old" not in Path(src).name:
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)


def test_a_file_that_cannot_be_replaced_gives_the_others_their_earlier_content_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    a.write_bytes(b"old a")
    b.write_bytes(b"old b")
    _locked(monkeypatch, c)
    with pytest.raises(BuildError) as caught:
        output.write_all_or_nothing({a: b"new a", b: b"new b", c: b"new c"})
    assert caught.value.message.key == "output_locked"
    assert caught.value.message.params["path"] == c
    assert "Permission denied" in caught.value.message.text("en")
    assert (a.read_bytes(), b.read_bytes()) == (b"old a", b"old b")
    assert not c.exists()  # it was new: it is not left half made
    assert _leftovers(tmp_path) == []


def test_a_locked_file_keeps_its_own_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"old a")
    b.write_bytes(b"old b")
    _locked(monkeypatch, b)
    with pytest.raises(BuildError):
        output.write_all_or_nothing({a: b"new a", b: b"new b"})
    assert (a.read_bytes(), b.read_bytes()) == (b"old a", b"old b")
    assert _leftovers(tmp_path) == []


def test_a_folder_made_for_the_files_is_removed_when_they_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "新" / "a.csv", tmp_path / "新" / "b.csv"
    _locked(monkeypatch, b)
    with pytest.raises(BuildError) as caught:
        output.write_all_or_nothing({a: b"new a", b: b"new b"})
    assert caught.value.message.params["path"] == b
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_writing_leaves_the_files_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"old a")
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(Path(dst).name)
        if Path(dst) == b and Path(src).name.endswith(".tmp") and "old" not in Path(src).name:
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        output.write_all_or_nothing({a: b"new a", b: b"new b"})
    assert a.read_bytes() == b"old a"
    assert not b.exists()
    assert _leftovers(tmp_path) == []


def test_a_temporary_already_gone_is_no_error(tmp_path: Path) -> None:
    gone = tmp_path / ".x.bulletin-1-abc.tmp"
    output._discard(gone)
    there = tmp_path / ".y.bulletin-1-abc.tmp"
    there.write_bytes(b"")
    output._discard(there)
    assert not there.exists()
