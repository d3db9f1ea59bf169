"""Convert a built .docx to PDF with headless LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from bulletin.errors import BuildError, Msg

TIMEOUT = 180
_NAMES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return next((found for name in _NAMES if (found := shutil.which(name))), None)


def convert(docx: Path, timeout: int = TIMEOUT) -> Path:
    """Write DOCX's PDF beside it and return its path. A private LibreOffice profile lets this
    run while the user has LibreOffice open."""
    soffice = find_soffice()
    if soffice is None:
        raise BuildError(Msg("pdf_no_soffice"), Msg("hint_install_soffice"))
    target = docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="bulletin-pdf-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        outdir = Path(tmp, "out")
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx),
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BuildError(Msg("pdf_timeout", {"seconds": timeout})) from None
        made = outdir / target.name
        if result.returncode != 0 or not made.is_file():
            reason = (result.stderr or result.stdout).strip() or f"exit {result.returncode}"
            raise BuildError(Msg("pdf_failed", {"reason": reason}))
        from bulletin.output import write_atomically

        write_atomically(made.read_bytes(), target)
    return target
