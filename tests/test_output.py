"""Writing output: never a partial file, never a replaced device, nothing left behind by an
interrupted or killed run."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.test_cli import NOT_LAID_OUT

EARLIER = b"earlier build"
DEAD_PID = 4_999_999  # above any pid_max: no such process


def bulletin(*args: str, code: str = "", timeout: int = 120) -> subprocess.CompletedProcess:
    """Run the real entry point in a fresh interpreter, after `code` (to provoke a fault)."""
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import sys
        sys.argv = ["bulletin", *{list(args)!r}]
        from bulletin.__main__ import main
        main()
        """
    )
    env = {**os.environ, "LANG": "C", "LANGUAGE": "", "LC_ALL": ""}
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=timeout, env=env
    )


def earlier_output(tmp_path: Path) -> Path:
    out = tmp_path / "out" / "2020-02.docx"
    out.parent.mkdir()
    out.write_bytes(EARLIER)
    return out


# ---------------------------------------------------------------- where the output goes


def test_dev_null_stays_a_device(example: Path) -> None:
    result = bulletin("build", "2020-02", "-o", "/dev/null", "--data", str(example))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert (result.stdout, result.stderr.decode()) == (b"", f"wrote /dev/null\n{NOT_LAID_OUT}\n")


def test_fifo_is_written_into_not_replaced(example: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = bulletin("build", "2020-02", "-o", str(fifo), "--data", str(example))
    reader.join(60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received[0][:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "pipe"]


def test_dash_writes_the_document_to_standard_output(example: Path, tmp_path: Path) -> None:
    result = bulletin("build", "2020-02", "-o", "-", "--data", str(example))
    assert result.returncode == 0, result.stderr
    assert result.stdout[:2] == b"PK"
    assert result.stderr.decode() == f"wrote -\n{NOT_LAID_OUT}\n"
    assert not (tmp_path / "-").exists()


def test_dev_stdout_is_written_through(example: Path, tmp_path: Path) -> None:
    result = bulletin("build", "2020-02", "-o", "/dev/stdout", "--data", str(example))
    assert result.returncode == 0, result.stderr
    assert result.stdout[:2] == b"PK"
    assert os.path.islink("/dev/stdout") or stat.S_ISCHR(os.stat("/dev/stdout").st_mode)


def test_pdf_of_a_stream_is_a_usage_error(example: Path) -> None:
    result = bulletin("build", "2020-02", "-o", "-", "--pdf", "--data", str(example))
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == "--pdf needs the .docx written to a file, not to -\n"


def test_a_link_keeps_pointing_at_the_new_file(example: Path, tmp_path: Path) -> None:
    target = earlier_output(tmp_path)
    link = tmp_path / "latest.docx"
    link.symlink_to(target)
    result = bulletin("build", "2020-02", "-o", str(link), "--data", str(example))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in target.parent.iterdir()) == ["2020-02.docx"]


def test_a_folder_as_output_is_refused(example: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = bulletin("build", "2020-02", "-o", str(folder), "--data", str(example))
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr.decode().splitlines() == [
        f"{folder} is a folder, not a file",
        "  give a file name with -o, e.g. -o build/2020-02.docx",
    ]
    assert list(folder.iterdir()) == []


# ---------------------------------------------------------------- interruptions


@pytest.mark.parametrize(("name", "code"), [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_signal_while_writing_leaves_no_temporary(
    name: str, code: int, example: Path, tmp_path: Path
) -> None:
    out = earlier_output(tmp_path)
    fault = f"""
        import os, signal
        _fsync = os.fsync
        def fsync(fd):
            os.kill(os.getpid(), signal.{name})
            _fsync(fd)
        os.fsync = fsync
    """
    result = bulletin("build", "2020-02", "-o", str(out), "--data", str(example), code=fault)
    assert (result.returncode, result.stdout) == (code, b"")
    assert result.stderr.decode() == "interrupted; nothing was written\n"
    assert out.read_bytes() == EARLIER
    assert sorted(p.name for p in out.parent.iterdir()) == ["2020-02.docx"]


# Each step of writing the output, after which a Ctrl-C may come: the temporary created (the
# window where it exists but its creator has not returned its name), written and made
# durable, given its permissions, renamed over the output.
STEPS = {
    "created": "builtins.open",
    "synced": "os.fsync",
    "permissions": "os.chmod",
    "renamed": "os.replace",
}


@pytest.mark.parametrize("step", list(STEPS))
def test_ctrl_c_after_any_step_of_the_write_leaves_no_temporary(
    step: str, example: Path, tmp_path: Path
) -> None:
    out = earlier_output(tmp_path)
    module, name = STEPS[step].split(".")
    fault = f"""
        import builtins, io, os, signal
        _real = {module}.{name}
        def {name}(*args, **kwargs):
            result = _real(*args, **kwargs)
            first = args[0] if args else None
            if isinstance(first, int) or ".bulletin-" in str(first):  # the write of the output
                if not getattr({name}, "done", False):
                    {name}.done = True
                    os.kill(os.getpid(), signal.SIGINT)
            return result
        {module}.{name} = {name}
    """
    result = bulletin("build", "2020-02", "-o", str(out), "--data", str(example), code=fault)
    assert (result.returncode, result.stdout) == (130, b""), result.stderr
    assert result.stderr.decode() == "interrupted; nothing was written\n"
    if step == "renamed":  # the new bulletin was complete and in place
        assert out.read_bytes()[:2] == b"PK"
    else:
        assert out.read_bytes() == EARLIER
    assert sorted(p.name for p in out.parent.iterdir()) == ["2020-02.docx"]


def test_ctrl_c_while_starting_up_is_one_line(example: Path) -> None:
    fault = """
        import os, signal, sys
        class Interrupt:
            def find_spec(self, name, path=None, target=None):
                if name == "pydantic":  # imported by every command
                    os.kill(os.getpid(), signal.SIGINT)
                return None
        sys.meta_path.insert(0, Interrupt())
    """
    result = bulletin("check", "--data", str(example), code=fault)
    assert (result.returncode, result.stdout) == (130, b"")
    assert result.stderr.decode() == "interrupted; nothing was written\n"


def test_leftovers_of_a_killed_run_are_removed_next_time(example: Path, tmp_path: Path) -> None:
    out = earlier_output(tmp_path)
    dead = out.parent / f".2020-02.docx.bulletin-{DEAD_PID}-k1ll3d.tmp"
    dead.write_bytes(b"PK half a document")
    alive = out.parent / f".2020-02.docx.bulletin-{os.getpid()}-wr1t1ng.tmp"
    alive.write_bytes(b"PK another run, still writing")
    other = out.parent / ".notes.bulletin-1-x.tmp"
    other.write_bytes(b"not ours to remove")
    result = bulletin("build", "2020-02", "-o", str(out), "--data", str(example))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        ["2020-02.docx", alive.name, other.name]
    )


def test_a_run_killed_while_writing_leaves_a_temporary_the_next_run_removes(
    example: Path, tmp_path: Path
) -> None:
    """Killed outright while writing (SIGKILL, a power cut: no clean-up runs), a build leaves
    the earlier bulletin as it was and a hidden temporary named after it, which the next build
    recognises as its own and removes: the user's folder holds the bulletin alone."""
    out = earlier_output(tmp_path)
    fault = """
        import os
        def fsync(fd):
            os._exit(137)
        os.fsync = fsync
    """
    result = bulletin("build", "2020-02", "-o", str(out), "--data", str(example), code=fault)
    assert result.returncode == 137
    assert out.read_bytes() == EARLIER
    (left,) = [p.name for p in out.parent.iterdir() if p.name != out.name]
    assert left.startswith(".2020-02.docx.bulletin-") and left.endswith(".tmp"), left
    result = bulletin("build", "2020-02", "-o", str(out), "--data", str(example))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["2020-02.docx"]
    assert out.read_bytes().startswith(b"PK")


def test_new_interrupted_leaves_no_hidden_folder(example: Path) -> None:
    fault = """
        import os, pathlib, signal
        _write = pathlib.Path.write_text
        def write_text(self, *args, **kwargs):
            _write(self, *args, **kwargs)
            os.kill(os.getpid(), signal.SIGTERM)
        pathlib.Path.write_text = write_text
    """
    before = sorted(p.name for p in example.iterdir())
    result = bulletin("new", "2020-03", "--data", str(example), code=fault)
    assert (result.returncode, result.stderr.decode()) == (
        143,
        "interrupted; nothing was written\n",
    )
    assert sorted(p.name for p in example.iterdir()) == before


def test_new_clears_a_killed_run_s_hidden_folder(example: Path) -> None:
    leftover = example / f".2020-03.bulletin-{DEAD_PID}-k1ll3d"
    leftover.mkdir()
    (leftover / "visits.yaml").write_text("visits:\n", encoding="utf-8")
    result = bulletin("new", "2020-03", "--data", str(example))
    assert result.returncode == 0, result.stderr
    assert not leftover.exists()
    assert [p.name for p in example.iterdir() if p.name.startswith(".")] == []
