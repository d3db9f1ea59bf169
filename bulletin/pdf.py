"""Convert a built .docx to PDF with headless LibreOffice, found where its installers put it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from bulletin import pdfprofile
from bulletin.cache import Cache, key
from bulletin.errors import BuildError, Msg

TIMEOUT = 180
ENV_VAR = "BULLETIN_SOFFICE"
_NAMES = ("soffice", "libreoffice")
_FLATPAK_ID = "org.libreoffice.LibreOffice"
# macOS application folders; a module constant so tests can point it at a fake.
MAC_APPLICATIONS = Path("/Applications")


def install_places(platform: str, environ: Mapping[str, str], home: Path) -> list[Path]:
    """Where LibreOffice's installers put the program on `platform`, as glob patterns:
    Windows' Program Files folders (the 64- and 32-bit ones), macOS' Applications folders,
    and on Linux the libreoffice.org packages in /opt and the snap and flatpak launchers."""
    if platform == "win32":
        roots = [environ.get(var) for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        roots += [r"C:\Program Files", r"C:\Program Files (x86)"]
        unique = list(dict.fromkeys(root for root in roots if root))
        return [Path(root) / "LibreOffice*" / "program" / "soffice.exe" for root in unique]
    if platform == "darwin":
        return [
            folder / "LibreOffice*.app" / "Contents" / "MacOS" / "soffice"
            for folder in (MAC_APPLICATIONS, home / "Applications")
        ]
    data_home = Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [
        Path("/opt/libreoffice*/program/soffice"),
        Path("/usr/lib/libreoffice/program/soffice"),
        Path("/snap/bin/libreoffice"),
        data_home / "flatpak" / "exports" / "bin" / _FLATPAK_ID,
        Path("/var/lib/flatpak/exports/bin") / _FLATPAK_ID,
    ]


def _runnable(path: Path, platform: str) -> bool:
    # Windows has no execute bit: a file is enough there.
    return path.is_file() and (platform == "win32" or os.access(path, os.X_OK))


def _inside(folder: Path, platform: str) -> Path | None:
    """The program inside an installation folder or a LibreOffice.app that a user pointed at."""
    exe = "soffice.exe" if platform == "win32" else "soffice"
    for candidate in (folder / "program" / exe, folder / exe, folder / "Contents/MacOS/soffice"):
        if _runnable(candidate, platform):
            return candidate
    return None


def _matches(pattern: Path) -> list[Path]:
    """Files matching an absolute glob pattern, the newest version first."""
    if not pattern.is_absolute():  # a Windows default seen from a faked platform in tests
        return []
    found = Path(pattern.anchor).glob(str(pattern.relative_to(pattern.anchor)))
    return sorted(found, reverse=True)


def find_soffice(
    given: Path | None = None,
    *,
    platform: str = sys.platform,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> str:
    """The LibreOffice program to run. An explicit choice wins: `given` (--soffice), then
    the BULLETIN_SOFFICE environment variable; otherwise PATH, then the install places."""
    environ = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    explicit = [(given, "--soffice")] if given else []
    if environ.get(ENV_VAR):
        explicit.append((Path(environ[ENV_VAR]), ENV_VAR))
    if explicit:
        path, source = explicit[0]
        found = path if _runnable(path, platform) else path.is_dir() and _inside(path, platform)
        if not found:
            raise BuildError(
                Msg("pdf_soffice_given_missing", {"source": source, "path": path}),
                Msg("hint_soffice_given"),
            )
        return str(found)
    for name in _NAMES:
        if found := shutil.which(name, path=environ.get("PATH")):
            return found
    places = install_places(platform, environ, home)
    for pattern in places:
        for candidate in _matches(pattern):
            if _runnable(candidate, platform):
                return str(candidate)
    looked = "\n".join(f"    {place}" for place in ["PATH: soffice, libreoffice", *places])
    raise BuildError(Msg("pdf_no_soffice", {"places": looked}), Msg("hint_install_soffice"))


def convert(docx: Path, timeout: int = TIMEOUT, soffice: Path | None = None) -> Path:
    """Write DOCX's PDF beside it and return its path. A document laid out when it was
    built (bulletin.layout) is not laid out again: its PDF is the one that layout made
    (`known`).
    `soffice` is the program the user chose."""
    from bulletin.output import write_atomically

    data = docx.read_bytes()
    made = known(data)
    if made is None:
        made = lay_out(data, find_soffice(soffice), timeout)
    target = docx.with_suffix(".pdf")
    write_atomically(made, target)
    return target


# PDFs laid out in this run, by the SHA-256 of the .docx they show (for --pdf with --no-cache).
_made: dict[str, bytes] = {}
_CACHE = "layouts"


def remember(docx: bytes, made: bytes) -> None:
    """Keep `made` as the PDF of `docx`, for this run and in the cache."""
    _made[hashlib.sha256(docx).hexdigest()] = made
    Cache(_CACHE).put(key("pdf", docx), made)


def known(docx: bytes) -> bytes | None:
    """The PDF a layout of exactly `docx` made, in this run or an earlier one; None if none."""
    made = _made.get(hashlib.sha256(docx).hexdigest())
    return made if made is not None else Cache(_CACHE).get(key("pdf", docx))


def lay_out(docx: bytes, program: str, timeout: int = TIMEOUT, name: str = "document") -> bytes:
    """The PDF of a .docx as LibreOffice lays it out (`program`: see find_soffice). A private
    LibreOffice profile lets this run while the user has LibreOffice open. LibreOffice
    converts a copy whose contents are typed entries rather than a TOC field, so that it
    prints their page numbers (bulletin.render.typed_contents)."""
    from bulletin.render import typed_contents

    with tempfile.TemporaryDirectory(prefix="bulletin-pdf-") as tmp:
        profile = pdfprofile.create(Path(tmp, "profile"))
        outdir = Path(tmp, "out")
        source = Path(tmp, "in", f"{name}.docx")
        source.parent.mkdir()
        source.write_bytes(typed_contents(docx))
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                encoding="utf-8",
                errors="replace",  # not the locale's code page: a GBK console must not crash
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise BuildError(Msg("pdf_timeout", {"seconds": timeout})) from None
        made = outdir / f"{name}.pdf"
        if result.returncode != 0 or not made.is_file():
            reason = (result.stderr or result.stdout).strip() or f"exit {result.returncode}"
            raise BuildError(Msg("pdf_failed", {"reason": reason}))
        return made.read_bytes()
