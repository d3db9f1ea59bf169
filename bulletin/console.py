"""Output that survives any console: a Windows console or a redirect in a GBK code page
cannot encode every character the tool prints (✓, ✗, a rare character in a name), and
Python's default there is to crash. Each character that cannot be encoded is written as a
look-alike the code page has, or as '?'."""

from __future__ import annotations

import codecs
import io
import sys

ERRORS = "bulletin-fallback"
# Look-alikes that GBK/GB18030 (Windows code page 936) and most code pages can show.
_LOOKALIKES = {"✓": "√", "✗": "×", "•": "·", "➜": "→"}


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for char in exc.object[exc.start : exc.end]:
        lookalike = _LOOKALIKES.get(char, "?")
        try:
            lookalike.encode(exc.encoding)
        except (UnicodeEncodeError, LookupError):
            lookalike = "?"
        out.append(lookalike)
    return "".join(out), exc.end


codecs.register_error(ERRORS, _fallback)


def tolerate_unencodable(*streams: io.TextIOBase | None) -> None:
    """Make `streams` (default: stdout and stderr) replace what their encoding lacks instead
    of raising UnicodeEncodeError. UTF-8 streams are left as they are."""
    for stream in streams or (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):  # None under pythonw, or a test's capture
            continue
        try:
            utf = codecs.lookup(stream.encoding).name.startswith("utf")
        except LookupError:
            utf = False
        if not utf:
            stream.reconfigure(errors=ERRORS)
