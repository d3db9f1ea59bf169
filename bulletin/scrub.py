"""Copies of evidence files without what they say about where and by whom they were made.

A phone photo of a sign-in sheet carries EXIF (the phone, the time, often the GPS position)
and XMP; a PNG may carry text chunks. The evaluation pack copies such files with those
removed and the pixels untouched: a JPEG's metadata segments are dropped from the stream
(its compressed image data is copied as it is, so a scan stays exactly as legible), a PNG's
text, time and EXIF chunks likewise. A JPEG whose EXIF says it is stored sideways is the one
exception: without its EXIF it would show sideways, so it is turned upright with the
bulletin's own rule (`pictures.upright`) and encoded again at its full size.

PDF files are copied as they are: a scanner writes its own name into them, nothing personal.
"""

from __future__ import annotations

import io
import struct

from bulletin.errors import BuildError, Msg

# JPEG segments kept: JFIF (APP0), the colour profile (APP2 ICC_PROFILE) and Adobe's colour
# transform note (APP14), without which some decoders show the wrong colours. Dropped: EXIF
# and XMP (APP1), Photoshop/IPTC (APP13), the other APPn and comments.
_KEEP_APP = {0xE0, 0xE2, 0xEE}
# PNG chunks dropped: text, international text, compressed text, time, EXIF.
_DROP_PNG = {b"tEXt", b"zTXt", b"iTXt", b"tIME", b"eXIf"}
_PNG = b"\x89PNG\r\n\x1a\n"
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # markers without a length: TEM, RST0-7


def scrubbed(data: bytes, ending: str, name: str) -> bytes:
    """`data` (a file ending in `ending`) without its metadata; raises BuildError naming
    `name` when it cannot be read."""
    try:
        if ending in (".jpg", ".jpeg"):
            return _jpeg(data)
        if ending == ".png":
            return _png(data)
    except (ValueError, struct.error, IndexError):
        raise BuildError(Msg("evidence_unreadable", {"path": name})) from None
    return data


def _jpeg(data: bytes) -> bytes:
    if _orientation(data) not in (None, 1):
        return _upright(data)
    out = bytearray(data[:2])
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    i = 2
    while i < len(data):
        if data[i] != 0xFF:
            raise ValueError("marker expected")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in _STANDALONE:
            out += data[i : i + 2]
            i += 2
            continue
        if marker == 0xD9:  # end of image before any scan
            out += data[i : i + 2]
            return bytes(out)
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        end = i + 2 + length
        if end > len(data):
            raise ValueError("segment runs past the end")
        if marker == 0xDA:  # start of scan: the rest is image data
            out += data[i:]
            return bytes(out)
        app = 0xE0 <= marker <= 0xEF or marker == 0xFE
        if not app or marker in _KEEP_APP:
            out += data[i:end]
        i = end
    raise ValueError("no image data")


def _orientation(data: bytes) -> int | None:
    """The EXIF orientation of a JPEG, or None when it has none."""
    i = 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xDA:
            return None
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        segment = data[i + 4 : i + 2 + length]
        if marker == 0xE1 and segment[:6] == b"Exif\x00\x00":
            return _tiff_orientation(segment[6:])
        i += 2 + length
    return None


def _tiff_orientation(tiff: bytes) -> int | None:
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return None
    (first,) = struct.unpack(order + "I", tiff[4:8])
    (count,) = struct.unpack(order + "H", tiff[first : first + 2])
    for k in range(count):
        entry = tiff[first + 2 + 12 * k : first + 14 + 12 * k]
        tag, kind = struct.unpack(order + "HH", entry[:4])
        if tag == 0x0112 and kind == 3:
            return struct.unpack(order + "H", entry[8:10])[0]
    return None


def _upright(data: bytes) -> bytes:
    """A sideways JPEG turned upright by the bulletin's rule, at full size, without EXIF."""
    from bulletin.pictures import upright

    return upright(data)


def _png(data: bytes) -> bytes:
    if not data.startswith(_PNG):
        raise ValueError("not a PNG")
    out = io.BytesIO()
    out.write(_PNG)
    i = len(_PNG)
    while i < len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > len(data):
            raise ValueError("chunk runs past the end")
        if kind not in _DROP_PNG:
            out.write(data[i:end])
        i = end
        if kind == b"IEND":
            break
    return out.getvalue()
