"""Several files written as one (the ledger's csv folder): all new, or all as they were.

These run in this process, where a failure can be made to happen at one exact step (a file
open in Excel when it is put in place, Ctrl-C while the files are written); the tests that
kill a real run from outside are in test_output.py.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin import output
from bulletin.errors import BuildError

NO_SUCH_PROCESS = 4194305  # above Linux's largest process number
# A process that waits, and that a hang-up, interrupt or termination stops whatever its parent
# ignored (nohup ignores hang-ups, and a child inherits that).
STOPPED_BY_ANY_SIGNAL = (
    "import signal, time\n"
    "for s in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM):\n"
    "    signal.signal(s, signal.SIG_DFL)\n"
    "print('ready', flush=True)\n"
    "time.sleep(60)\n"
)


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


def test_files_another_program_removed_meanwhile_do_not_hide_why_the_set_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync client or virus scanner removes the new folder (and the file put in it) just
    as the last file turns out to be locked: the message is still the lock, not the missing
    file or folder the undoing stumbles on."""
    import shutil

    a, b = tmp_path / "新" / "a.csv", tmp_path / "b.csv"
    b.write_bytes(b"old b")
    real = os.replace

    def replace(src, dst):
        if Path(dst) == b and "old" not in Path(src).name:
            shutil.rmtree(a.parent)
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    with pytest.raises(BuildError) as caught:
        output.write_all_or_nothing({a: b"new a", b: b"new b"})
    assert caught.value.message.key == "output_locked"
    assert caught.value.message.params["path"] == b
    assert b.read_bytes() == b"old b"
    assert _leftovers(tmp_path) == []


def test_a_backup_another_program_removed_meanwhile_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The earlier copy kept while the set is put in place is gone when it is to be
    removed (a sync client took it): the files are written and nothing is said."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"old a")
    real = os.replace

    def replace(src, dst):
        real(src, dst)
        if Path(dst) == b:
            for left in tmp_path.glob(".a.csv.*old*"):
                left.unlink()

    monkeypatch.setattr(output.os, "replace", replace)
    output.write_all_or_nothing({a: b"new a", b: b"new b"})
    assert (a.read_bytes(), b.read_bytes()) == (b"new a", b"new b")
    assert _leftovers(tmp_path) == []


def test_a_leftover_another_run_removed_meanwhile_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed run's leftover is gone by the time it is to be removed (another run cleared
    it first): the file is written and nothing is said."""
    out = tmp_path / "2020-02.docx"
    left = tmp_path / f".2020-02.docx.bulletin-{NO_SUCH_PROCESS}-1f2e3d.tmp"
    left.write_bytes(b"")
    running = output._running

    def cleared_meanwhile(pid: int, path: Path) -> bool:
        path.unlink(missing_ok=True)  # the other run, between the listing and the removal
        return running(pid, path)

    monkeypatch.setattr(output, "_running", cleared_meanwhile)
    output.write_atomically(b"new", out)
    assert out.read_bytes() == b"new"
    assert _leftovers(tmp_path) == []


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


def test_folders_made_for_the_files_are_all_removed_when_they_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o 报表/2020/台账` made three folders: none is left behind when a file fails."""
    a, b = tmp_path / "报表" / "2020" / "台账" / "a.csv", tmp_path / "报表" / "b.csv"
    _locked(monkeypatch, b)
    with pytest.raises(BuildError):
        output.write_all_or_nothing({a: b"new a", b: b"new b"})
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    output.write_all_or_nothing({a: b"new a", b: b"new b"})
    assert (a.read_bytes(), b.read_bytes()) == (b"new a", b"new b")


def test_the_message_names_the_file_that_could_not_be_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"old a")
    _locked(monkeypatch, a)
    with pytest.raises(BuildError) as caught:
        output.write_all_or_nothing({a: b"new a", b: b"new b"})
    assert caught.value.message.params["path"] == a
    assert a.read_bytes() == b"old a" and not b.exists()


def test_temporaries_are_named_so_that_a_later_run_clears_what_a_killed_one_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the files are put in place, every temporary beside them (the new content, the
    earlier content kept until the end) is hidden and names its file and this process, as
    `clear_leftovers` reads them; a leftover of a run that was killed is removed by the next
    write of the same file, and one of another file or of a run still going is kept."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"old a")
    b.write_bytes(b"old b")
    seen: list[str] = []
    real = os.replace

    def replace(src, dst):
        seen.extend(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    output.write_all_or_nothing({a: b"new a", b: b"new b"})
    monkeypatch.undo()
    assert {name.split(".bulletin-")[0] for name in seen} == {".a.csv", ".b.csv"}
    assert any(name.endswith("old.tmp") for name in seen)
    for name in seen:
        m = output._LEFTOVER.fullmatch(name)
        assert m is not None, name
        assert m.group("name") in ("a.csv", "b.csv") and m.group("pid") == str(os.getpid())

    dead = NO_SUCH_PROCESS
    killed = [
        tmp_path / f".a.csv.bulletin-{dead}-1f2e3d.tmp",
        tmp_path / f".a.csv.bulletin-{dead}-old.tmp",
    ]
    kept = [
        tmp_path / f".b.csv.bulletin-{dead}-1f2e3d.tmp",
        tmp_path / f".a.csv.bulletin-{os.getpid()}-9a8b.tmp",
    ]
    for path in killed + kept:
        path.write_bytes(b"")
    output.write_all_or_nothing({a: b"newer a"})
    assert a.read_bytes() == b"newer a"
    assert _leftovers(tmp_path) == sorted(p.name for p in kept)


# -- one file: write_atomically ------------------------------------------------------------


def test_one_file_is_written_whole_readable_in_a_new_folder_and_nothing_else_is_left(
    tmp_path: Path,
) -> None:
    out = tmp_path / "简报" / "2020" / "2020-02.docx"
    output.write_atomically(b"new", out)
    assert out.read_bytes() == b"new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    output.write_atomically(b"newer", out)
    assert out.read_bytes() == b"newer"
    assert _leftovers(out.parent) == []


def test_a_file_that_cannot_be_replaced_keeps_its_content_and_no_temporary_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "2020-02.docx"
    out.write_bytes(b"old")
    _locked(monkeypatch, out)
    with pytest.raises(BuildError) as caught:
        output.write_atomically(b"new", out)
    assert caught.value.message.key == "output_locked"
    assert caught.value.message.params["path"] == out
    assert out.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_ctrl_c_while_writing_one_file_leaves_it_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "2020-02.docx"
    out.write_bytes(b"old")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomically(b"new", out)
    assert out.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_a_leftover_of_a_killed_run_is_removed_and_one_of_a_running_one_kept(
    tmp_path: Path,
) -> None:
    out = tmp_path / "2020-02.docx"
    dead = NO_SUCH_PROCESS
    killed = tmp_path / f".2020-02.docx.bulletin-{dead}-1f2e3d.tmp"
    killed_folder = tmp_path / f".2020-02.docx.bulletin-{dead}-1f2e3d"
    other_file = tmp_path / f".2020-03.docx.bulletin-{dead}-1f2e3d.tmp"
    # another run still writing: a process of its own (never this test's parent, which a
    # wrong signal number in the code under test must not reach), which a hang-up stops even
    # when this test runs under nohup
    other = subprocess.Popen([sys.executable, "-c", STOPPED_BY_ANY_SIGNAL], stdout=subprocess.PIPE)
    try:
        assert other.stdout is not None and other.stdout.readline() == b"ready\n"
        running = tmp_path / f".2020-02.docx.bulletin-{other.pid}-9a8b.tmp"
        for path in (killed, other_file, running):
            path.write_bytes(b"")
        killed_folder.mkdir()
        (killed_folder / "a.jpg").write_bytes(b"")
        output.write_atomically(b"new", out)
        with pytest.raises(subprocess.TimeoutExpired):  # asked whether it runs, not stopped
            other.wait(timeout=0.3)
    finally:
        other.kill()
        other.wait()
        other.stdout.close()
    assert out.read_bytes() == b"new"
    assert _leftovers(tmp_path) == sorted([other_file.name, running.name])


def test_a_link_keeps_pointing_at_the_file_it_names_which_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "shared" / "2020-02.docx"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "2020-02.docx"
    link.symlink_to(target)
    output.write_atomically(b"new", link)
    assert link.is_symlink() and target.read_bytes() == b"new"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    output.write_atomically(b"through", fifo)
    reader.join(10)
    assert got == [b"through"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_device_that_cannot_be_written_is_a_message(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        output.write_atomically(b"x", Path("/proc/self/status"))
    assert caught.value.message.key == "output_locked"
    assert caught.value.message.params["path"] == Path("/proc/self/status")


def test_a_folder_as_the_output_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        output.write_atomically(b"x", tmp_path)
    assert caught.value.message.key == "output_is_folder"


# -- a folder: write_folder (the evaluation pack) ------------------------------------------

MARKER = "索引.xlsx"


def _pack(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_a_pack_is_written_whole_into_new_folders_and_replaces_its_earlier_self(
    tmp_path: Path,
) -> None:
    out = tmp_path / "报表" / "2020" / "佐证"
    first = {"2020-02/签到表/a.jpg": b"jpg", MARKER: b"index"}
    output.write_folder(out, first, MARKER)
    assert _pack(out) == first
    output.write_folder(out, {MARKER: b"index 2", "2020-03/b.pdf": b"pdf"}, MARKER)
    assert _pack(out) == {MARKER: b"index 2", "2020-03/b.pdf": b"pdf"}  # nothing of the first
    assert _leftovers(out.parent) == []


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    out = tmp_path / "佐证"
    out.mkdir()
    output.write_folder(out, {MARKER: b"index"}, MARKER)
    assert _pack(out) == {MARKER: b"index"}


@pytest.mark.parametrize("kind", ["file", "link"])
def test_a_file_or_a_link_where_the_pack_goes_is_refused(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "佐证"
    if kind == "file":
        out.write_bytes(b"mine")
    else:
        (tmp_path / "elsewhere").mkdir()
        out.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(BuildError) as caught:
        output.write_folder(out, {MARKER: b"index"}, MARKER)
    assert caught.value.message.key == "output_not_folder"
    assert caught.value.message.params == {"path": out}
    assert caught.value.hint is not None and caught.value.hint.key == "hint_output_not_folder"
    assert out.is_symlink() or out.read_bytes() == b"mine"


def test_a_folder_of_the_users_own_is_never_emptied(tmp_path: Path) -> None:
    out = tmp_path / "我的文件"
    out.mkdir()
    (out / "总结.docx").write_bytes(b"mine")
    with pytest.raises(BuildError) as caught:
        output.write_folder(out, {MARKER: b"index"}, MARKER)
    assert caught.value.message.key == "output_folder_foreign"
    assert caught.value.message.params == {"path": out, "marker": MARKER}
    assert caught.value.hint is not None and caught.value.hint.key == "hint_output_folder_foreign"
    assert _pack(out) == {"总结.docx": b"mine"}


def test_a_folder_that_cannot_be_read_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "佐证"
    out.mkdir()

    def refused(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refused)
    with pytest.raises(BuildError) as caught:
        output.write_folder(out, {MARKER: b"index"}, MARKER)
    assert caught.value.message.key == "output_locked"
    assert caught.value.message.params["path"] == out
    assert "Permission denied" in caught.value.message.text("en")


def test_a_pack_that_cannot_be_put_in_place_leaves_the_earlier_one_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "佐证"
    output.write_folder(out, {MARKER: b"old", "a.jpg": b"old jpg"}, MARKER)
    real = os.replace

    moved: list[str] = []

    def replace(src, dst):
        moved.append(Path(dst).name)
        if Path(dst) == out and not Path(src).name.endswith("old"):
            raise PermissionError(13, "Permission denied")  # a file in it open in Excel
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    with pytest.raises(BuildError) as caught:
        output.write_folder(out, {MARKER: b"new"}, MARKER)
    assert caught.value.message.key == "output_locked"
    assert caught.value.message.params["path"] == out
    assert _pack(out) == {MARKER: b"old", "a.jpg": b"old jpg"}
    assert _leftovers(tmp_path) == []
    # the earlier pack was kept aside under a name the next run would clear up
    m = output._LEFTOVER.fullmatch(moved[0])
    assert m is not None and m.group("name") == "佐证" and m.group("pid") == str(os.getpid())


def test_folders_made_for_a_pack_are_removed_when_it_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "报表" / "2020" / "佐证"

    def refused(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.os, "replace", refused)
    with pytest.raises(BuildError):
        output.write_folder(out, {MARKER: b"new", "2020-02/a.jpg": b"jpg"}, MARKER)
    assert list(tmp_path.iterdir()) == []


def test_a_pack_removed_meanwhile_by_another_program_does_not_hide_why_it_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync client removes the folders made for a pack, the half-made pack in them too,
    just as the pack turns out not to fit in place: the message is still why it failed."""
    import shutil

    out = tmp_path / "报表" / "佐证"

    def refused(src, dst):
        shutil.rmtree(tmp_path / "报表")
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.os, "replace", refused)
    with pytest.raises(BuildError) as caught:
        output.write_folder(out, {MARKER: b"new"}, MARKER)
    assert caught.value.message.key == "output_locked"
    assert list(tmp_path.iterdir()) == []


def test_an_earlier_pack_removed_meanwhile_by_another_program_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The earlier pack, set aside while the new one is put in place, is gone when it is to
    be removed: the new pack is written and nothing is said."""
    import shutil

    out = tmp_path / "佐证"
    output.write_folder(out, {MARKER: b"old"}, MARKER)
    real = os.replace

    def replace(src, dst):
        real(src, dst)
        if Path(dst) == out:
            for left in tmp_path.glob(".佐证.*old"):
                shutil.rmtree(left)

    monkeypatch.setattr(output.os, "replace", replace)
    output.write_folder(out, {MARKER: b"new"}, MARKER)
    assert _pack(out) == {MARKER: b"new"}
    assert _leftovers(tmp_path) == []


def test_ctrl_c_while_a_pack_is_written_leaves_the_earlier_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "佐证"
    output.write_folder(out, {MARKER: b"old"}, MARKER)
    real_open = open
    seen: list[str] = []

    def interrupted(path, mode="r", *args, **kwargs):
        seen.extend(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
        if "b.jpg" in str(path):
            raise KeyboardInterrupt
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_folder(out, {MARKER: b"new", "a.jpg": b"a", "b.jpg": b"b"}, MARKER)
    monkeypatch.undo()
    assert _pack(out) == {MARKER: b"old"}
    assert _leftovers(tmp_path) == []
    # the stage it was written into names the pack and this process, as clear_leftovers reads
    (stage,) = set(seen)
    m = output._LEFTOVER.fullmatch(stage)
    assert m is not None and m.group("name") == "佐证" and m.group("pid") == str(os.getpid())


def test_a_pack_left_half_made_by_a_killed_run_is_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "佐证"
    dead = NO_SUCH_PROCESS
    stage = tmp_path / f".佐证.bulletin-{dead}-1f2e3d"
    (stage / "2020-02").mkdir(parents=True)
    (stage / "2020-02" / "a.jpg").write_bytes(b"half")
    backup = tmp_path / f".佐证.bulletin-{dead}-old"
    backup.mkdir()
    output.write_folder(out, {MARKER: b"index"}, MARKER)
    assert _pack(out) == {MARKER: b"index"}
    assert _leftovers(tmp_path) == []


def test_a_second_ctrl_c_while_a_temporary_is_removed_still_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp = tmp_path / ".a.csv.bulletin-1-abc.tmp"
    tmp.write_bytes(b"half")
    real = Path.unlink
    pressed = []

    def unlink(self, missing_ok=False):
        if not pressed:
            pressed.append(self)
            raise KeyboardInterrupt
        return real(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    output._discard(tmp)
    assert pressed == [tmp] and not tmp.exists()


def test_a_leftover_of_another_users_running_process_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking whether a process of another user runs is refused (EPERM): it runs, so what it
    is writing is left alone."""

    def refused(pid, sig):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(output.os, "kill", refused)
    assert output._running(NO_SUCH_PROCESS, tmp_path / "x") is True


def test_where_no_process_can_be_asked_a_leftover_is_judged_by_its_age(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows (os.kill would end the process it asks about) a leftover younger than an
    hour may be another run's, still writing: kept; an older one, or one already gone, is a
    killed run's."""
    import time

    fresh, old = tmp_path / "fresh.tmp", tmp_path / "old.tmp"
    fresh.write_bytes(b"")
    old.write_bytes(b"")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    monkeypatch.setattr(output.os, "name", "nt")
    running = [output._running(NO_SUCH_PROCESS, p) for p in (fresh, old, tmp_path / "gone.tmp")]
    monkeypatch.undo()
    assert running == [True, False, False]


def test_where_no_process_can_be_asked_an_old_leftover_is_removed_and_a_fresh_one_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows, a write clears the leftovers of its file by their own age: an hour old, a
    killed run's (removed); younger, maybe another run's still writing (kept)."""
    import time

    out = tmp_path / "2020-02.docx"
    old = tmp_path / f".2020-02.docx.bulletin-{NO_SUCH_PROCESS}-1f2e3d.tmp"
    fresh = tmp_path / f".2020-02.docx.bulletin-{NO_SUCH_PROCESS}-9a8b7c.tmp"
    old.write_bytes(b"")
    fresh.write_bytes(b"")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    monkeypatch.setattr(output.os, "name", "nt")
    output.clear_leftovers(tmp_path, out.name)
    monkeypatch.undo()
    assert _leftovers(tmp_path) == [fresh.name]


def test_a_leftover_that_cannot_be_removed_does_not_stop_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed run's leftover folder that another program holds open (a virus scanner, on
    Windows) stays where it is; the file is written all the same."""
    out = tmp_path / "台账"
    held = tmp_path / f".台账.bulletin-{NO_SUCH_PROCESS}-1f2e3d"
    held.mkdir()
    (held / "探访.csv").write_bytes(b"old")
    rmdir = os.rmdir

    def in_use(path, *args, **kwargs):
        if ".bulletin-" in os.fsdecode(path):
            raise PermissionError(13, "in use by another program", os.fsdecode(path))
        return rmdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "rmdir", in_use)
    output.write_folder(out, {"探访.csv": b"new"}, "探访.csv")
    monkeypatch.undo()
    assert (out / "探访.csv").read_bytes() == b"new"
    assert _leftovers(tmp_path) == [held.name]


def test_the_first_failing_step_names_its_own_file(tmp_path: Path) -> None:
    """A file whose folder cannot be made (a file of that name is in the way) is the one the
    message names, not the first of the set."""
    a = tmp_path / "a.csv"
    (tmp_path / "台账").write_bytes(b"a file, not a folder")
    b = tmp_path / "台账" / "b.csv"
    with pytest.raises(BuildError) as caught:
        output.write_all_or_nothing({a: b"new a", b: b"new b"})
    assert caught.value.message.params["path"] == b
    assert not a.exists() and _leftovers(tmp_path) == []


def test_a_file_whose_folder_cannot_be_made_names_the_file_and_why(tmp_path: Path) -> None:
    """-o into a "folder" that is a file: the message names the file asked for and the
    system's reason, and nothing is written."""
    (tmp_path / "报告").write_bytes(b"a file, not a folder")
    out = tmp_path / "报告" / "2020-02.docx"
    with pytest.raises(BuildError) as caught:
        output.write_atomically(b"new", out)
    assert caught.value.message.key == "output_locked"
    assert caught.value.message.params["path"] == out
    assert caught.value.message.params["reason"] in ("File exists", "Not a directory")
    assert (tmp_path / "报告").read_bytes() == b"a file, not a folder"


def test_a_folder_whose_leftovers_cannot_be_read_names_the_file_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(folder: Path, name: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output, "clear_leftovers", refused)
    out = tmp_path / "new" / "2020-02.docx"
    with pytest.raises(BuildError) as caught:
        output.write_atomically(b"new", out)
    assert caught.value.message.params == {"path": out, "reason": "Permission denied"}
    assert not out.exists()


def test_a_temporary_of_another_program_is_left_alone_and_the_file_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file already where the temporary would go is not ours: it is kept, and the message
    names the file asked for and the system's reason."""
    out = tmp_path / "2020-02.docx"
    monkeypatch.setattr(output, "_temp_name", lambda _out: "taken")
    (tmp_path / "taken.tmp").write_bytes(b"theirs")
    with pytest.raises(BuildError) as caught:
        output.write_atomically(b"new", out)
    assert caught.value.message.params == {"path": out, "reason": "File exists"}
    assert (tmp_path / "taken.tmp").read_bytes() == b"theirs"
    assert not out.exists()


def test_a_dash_writes_to_standard_output(capsysbinary: pytest.CaptureFixture) -> None:
    output.write_atomically("统计\n".encode(), Path("-"))
    assert capsysbinary.readouterr().out == "统计\n".encode()


def test_standard_output_devices_and_pipes_are_written_into_never_replaced(
    tmp_path: Path,
) -> None:
    """`-`, a device (/dev/null), standard output by its names under /dev and /proc (a file
    while pytest captures it, a pipe or a terminal otherwise) and a named pipe are written
    into; a file, or a name not yet taken, is replaced through a temporary."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "old.docx").write_bytes(b"old")
    streams = ["-", "/dev/null", "/dev/stdout", "/proc/self/fd/1", str(fifo)]
    files = [str(tmp_path / "old.docx"), str(tmp_path / "new.docx")]
    assert {name: output.is_stream(Path(name)) for name in streams + files} == {
        **dict.fromkeys(streams, True),
        **dict.fromkeys(files, False),
    }
