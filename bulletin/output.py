"""Write output files atomically: a failed or interrupted write never leaves a partial file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bulletin.errors import BuildError, Msg


def cannot_write(path: Path, exc: OSError) -> BuildError:
    """The error for a file or folder that cannot be written (open in Word, no permission)."""
    return BuildError(
        Msg("output_locked", {"path": path, "reason": exc.strerror or exc}),
        Msg("hint_output_locked"),
    )


def write_atomically(data: bytes, out: Path) -> None:
    """Write `data` to `out` through a temporary file in the same folder, so a failure
    leaves any earlier file untouched and never a partial one."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as exc:
        raise cannot_write(out, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise cannot_write(out, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
