"""Write output files atomically: a failed or interrupted write never leaves a partial file.

Temporaries are written beside their target (a rename is atomic only within one file
system) under a recognisable name that holds the writer's process id, so what a killed run
leaves behind (SIGKILL, a power cut) is removed by the next run that writes there.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import sys
import time
from pathlib import Path

from bulletin.errors import BuildError, Msg

STDOUT = "-"
# .NAME.bulletin-PID-RANDOM.tmp (a file) or .NAME.bulletin-PID-RANDOM (a folder)
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.bulletin-(?P<pid>\d+)-[^.]+(?:\.tmp)?")
_LEFTOVER_AGE = 3600  # where a process cannot be asked whether it still runs


def cannot_write(path: Path, exc: OSError) -> BuildError:
    """The error for a file or folder that cannot be written (open in Word, no permission)."""
    return BuildError(
        Msg("output_locked", {"path": path, "reason": exc.strerror or exc}),
        Msg("hint_output_locked"),
    )


def temp_prefix(name: str) -> str:
    """The start of a temporary's name for the file or folder `name`: hidden, and naming
    this process so that another run can tell a leftover from a write in progress."""
    return f".{name}.bulletin-{os.getpid()}-"


def _running(pid: int, path: Path) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill would end the process on Windows: judge by age
        try:
            return time.time() - path.lstat().st_mtime < _LEFTOVER_AGE
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clear_leftovers(folder: Path, name: str) -> None:
    """Remove the temporaries of `name` in `folder` that a killed run left behind."""
    try:
        children = list(folder.iterdir())
    except OSError:
        return
    for child in children:
        m = _LEFTOVER.fullmatch(child.name)
        if not m or m.group("name") != name or _running(int(m.group("pid")), child):
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def is_stream(out: Path) -> bool:
    """Whether `out` is standard output or something other than a file to be replaced (a
    device such as /dev/null, a FIFO, a terminal, /dev/stdout); raises for a folder."""
    if str(out) == STDOUT:
        return True
    try:
        mode = out.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise cannot_write(out, exc) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise BuildError(Msg("output_is_folder", {"path": out}), Msg("hint_output_folder"))
    special = out.absolute().parts[1:2] in (("dev",), ("proc",))  # /dev/stdout, /proc/self/fd/1
    return special or (mode is not None and not stat.S_ISREG(mode))


def _write_through(data: bytes, out: Path) -> None:
    """Write into something that is not a regular file (a device, a FIFO, a terminal)."""
    try:
        with open(out, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise cannot_write(out, exc) from None


def _temp_name(out: Path) -> str:
    """A new temporary's name for `out`, unlike any other run's or write's."""
    return temp_prefix(out.name) + secrets.token_hex(6)


def write_atomically(data: bytes, out: Path) -> None:
    """Write `data` to `out` through a temporary file in the same folder, so a failure
    leaves any earlier file untouched and never a partial one. `-` is standard output;
    a device, FIFO or terminal is written into, never replaced; a link keeps pointing at
    the file it names, which is replaced."""
    if str(out) == STDOUT:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if is_stream(out):
        _write_through(data, out)
        return
    if out.is_symlink():
        out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clear_leftovers(out.parent, out.name)
    except OSError as exc:
        raise cannot_write(out, exc) from None
    # The temporary's name is chosen before it is created, so that an interruption at any
    # point (even between the creation and the return of the call that creates it) is
    # followed by its removal.
    tmp = out.parent / f"{_temp_name(out)}.tmp"
    try:
        with open(tmp, "xb") as fh:  # x: never an existing file
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except FileExistsError as exc:  # not ours: leave it
        raise cannot_write(out, exc) from None
    except BaseException as exc:
        _discard(tmp)
        if isinstance(exc, OSError):
            raise cannot_write(out, exc) from None
        raise


def _discard(tmp: Path) -> None:
    """Remove the temporary `tmp` if it is there, even when interrupted again meanwhile."""
    while True:
        try:
            tmp.unlink(missing_ok=True)
            return
        except KeyboardInterrupt:  # a second Ctrl-C: the removal is what it is waiting for
            continue
        except OSError:
            return


def _outermost_missing(folder: Path) -> Path | None:
    """The outermost of `folder` and its parents that does not exist (what mkdir with
    parents would make, and a failed write removes), or None when `folder` exists."""
    if folder.exists():
        return None
    while not folder.parent.exists():
        folder = folder.parent
    return folder


def write_all_or_nothing(files: dict[Path, bytes]) -> None:
    """Write several files as one: each through a temporary beside it, then each put in
    place; when one cannot be replaced (open in Excel, no permission), those already
    replaced get their earlier content back, so the set is all new or all as it was."""
    staged: list[tuple[Path, Path]] = []
    placed: list[tuple[Path, Path | None]] = []
    created: list[Path] = []  # the outermost folder made for each file, removed on failure
    current: Path  # the file being written, named in the message
    try:
        for out, data in files.items():
            current = out
            if (made := _outermost_missing(out.parent)) is not None:
                created.append(made)
            out.parent.mkdir(parents=True, exist_ok=True)
            clear_leftovers(out.parent, out.name)
            tmp = out.parent / f"{_temp_name(out)}.tmp"
            staged.append((out, tmp))
            with open(tmp, "xb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
        for out, tmp in staged:
            current = out
            backup = None
            if out.exists():
                backup = out.with_name(temp_prefix(out.name) + "old.tmp")
                os.replace(out, backup)
            try:
                os.replace(tmp, out)
            except OSError:
                if backup is not None:
                    os.replace(backup, out)
                raise
            placed.append((out, backup))
    except BaseException as exc:
        for out, backup in reversed(placed):
            if backup is not None:
                os.replace(backup, out)
            else:
                out.unlink(missing_ok=True)
        for _out, tmp in staged:
            _discard(tmp)
        for folder in reversed(created):
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            raise cannot_write(current, exc) from None
        raise
    for _out, backup in placed:
        if backup is not None:
            backup.unlink(missing_ok=True)


def write_folder(out: Path, files: dict[str, bytes], marker: str) -> None:
    """Write a folder of files (names relative to it, "a/b.jpg") as one: staged in a hidden
    folder beside `out`, then put in its place, so `out` is the whole new folder or the old
    one, never a mix with files left from an earlier run. An existing `out` is replaced only
    when it is empty or holds `marker` (a folder this command wrote), so a folder of the
    user's own is never emptied."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BuildError(Msg("output_not_folder", {"path": out}), Msg("hint_output_not_folder"))
    try:
        foreign = out.is_dir() and any(out.iterdir()) and not (out / marker).is_file()
    except OSError as exc:
        raise cannot_write(out, exc) from None
    if foreign:
        raise BuildError(
            Msg("output_folder_foreign", {"path": out, "marker": marker}),
            Msg("hint_output_folder_foreign"),
        )
    parent = out.parent
    created = _outermost_missing(parent)  # removed on failure
    stage = parent / _temp_name(out)
    backup: Path | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        clear_leftovers(parent, out.name)
        for name, data in files.items():
            path = stage / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as fh:
                fh.write(data)
        if out.exists():
            backup = parent / f"{temp_prefix(out.name)}old"
            os.replace(out, backup)
        try:
            os.replace(stage, out)
        except OSError:
            if backup is not None:
                os.replace(backup, out)
                backup = None
            raise
    except BaseException as exc:
        shutil.rmtree(stage, ignore_errors=True)
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        if isinstance(exc, OSError):
            raise cannot_write(out, exc) from None
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
