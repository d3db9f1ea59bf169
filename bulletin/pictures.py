"""Photos for the document: turned the right way up, scaled to the size they are printed at.

A phone photo is several megabytes and often stored sideways with an EXIF note saying so;
Word would embed it whole. Here it is read (never written back), turned as EXIF says,
reduced to PRINT_DPI at its printed size and encoded again, so a bulletin with a dozen
photos stays a file that can be e-mailed.

That costs about a tenth of a second a photo, so `prepare_all` prepares a month's photos in
parallel (Pillow releases the GIL while decoding and resizing) and keeps each result in the
user's cache folder (bulletin.cache), keyed by the photo's content, everything that decides
the result (the sizes below, this module's code, Pillow's version) and the tool's version:
a rebuild with unchanged photos reads them back instead, byte for byte the same. An entry
also stands for the check that the photo decodes (`examine_all`, which the pipeline runs on
every picture it would print): it was decoded when the entry was made.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import PIL
from PIL import Image, UnidentifiedImageError

import bulletin
from bulletin.cache import Cache
from bulletin.cache import key as cache_key
from bulletin.errors import BuildError, Msg

MAX_WIDTH_MM = 140.0  # the text width of A4 with the template's margins, less a little
MAX_HEIGHT_MM = 100.0  # about half a page, so a photo and its caption stay together
MIN_WIDTH_MM = 60.0  # small pictures (logos) are shown at a readable size
PRINT_DPI = 220  # sharp in print and on screen; more only makes the file bigger
JPEG_QUALITY = 85
MAX_PIXELS = 120_000_000  # larger than any camera; refuses decompression bombs
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class Picture:
    """A picture ready to embed: encoded bytes and the width to print it at."""

    data: bytes
    width_mm: float
    pixels: tuple[int, int]  # width, height of the embedded image
    format: str  # "JPEG" or "PNG"


def printed_size(width_px: int, height_px: int, dpi: float) -> tuple[float, float]:
    """Width and height in mm: the natural size, fitted into the box of the page."""
    width_mm = width_px / dpi * 25.4
    height_mm = height_px / dpi * 25.4
    scale = min(MAX_WIDTH_MM / width_mm, MAX_HEIGHT_MM / height_mm, 1.0)
    if width_mm * scale < MIN_WIDTH_MM:
        scale = min(MIN_WIDTH_MM / width_mm, MAX_HEIGHT_MM / height_mm)
    return width_mm * scale, height_mm * scale


def _dpi(image: Image.Image) -> float:
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 72.0
    except (TypeError, ValueError, IndexError):
        value = 72.0
    return value if 10 <= value <= 2400 else 72.0


def prepare_all(paths: list[Path], ready: dict[Path, Picture] | None = None) -> list[Picture]:
    """Prepare every picture of a month, in order, in parallel and through the cache (those
    in `ready`, prepared earlier in the run, are taken from there); raises the BuildError of
    the first picture (in order) that cannot be read."""
    ready = ready or {}
    photos = _photo_cache()
    todo = [path for path in dict.fromkeys(paths) if path not in ready]
    done = dict(zip(todo, _in_parallel(lambda path: _cached(path, photos), todo), strict=True))
    return [ready[path] if path in ready else done[path] for path in paths]


def examine_all(paths: list[Path], *, prepare: bool) -> dict[Path, Picture | Msg | None]:
    """What each picture is worth printing, reading and hashing each file once: its prepared
    Picture, or the Msg saying why it cannot be printed (truncated, damaged, a bomb), or None
    when it decodes but was not prepared.

    A picture whose prepared form is in the cache (same content, same recipe) was decoded
    before, so the entry stands for the check. Otherwise, with `prepare` (a build), the
    picture is prepared now, the preparation's decode being the check, and the cache
    written; without (`check`), it is only decoded at an eighth of its size, the cache
    only read."""
    photos = _photo_cache()
    unique = list(dict.fromkeys(paths))
    verdicts = _in_parallel(lambda path: _examine(path, photos, prepare), unique)
    return dict(zip(unique, verdicts, strict=True))


def _photo_cache() -> Cache | None:
    photos = Cache("photos")
    return photos if photos.enabled else None  # None: BULLETIN_NO_CACHE


def _in_parallel(work, paths: list[Path]) -> list:
    """`work` on every path, in order, on as many threads as cores (Pillow releases the GIL
    while it decodes and resizes)."""
    workers = max(1, min(len(paths), os.cpu_count() or 1))
    with _bombs_refused():
        if workers == 1:
            return [work(path) for path in paths]
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(work, paths))


@contextmanager
def _bombs_refused() -> Iterator[None]:
    """Make Pillow's warning about a picture of more pixels than MAX_IMAGE_PIXELS an error,
    for every decode inside. The warnings filters are one list for the whole process and
    catch_warnings restores it on exit, so this is entered once, in the calling thread,
    around the threads that decode, never inside one of them (two threads entering and
    leaving in turn would restore each other's filters)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _examine(path: Path, photos: Cache | None, prepare: bool) -> Picture | Msg | None:
    try:
        content = path.read_bytes()
    except OSError as exc:
        return Msg("image_unreadable", {"path": path.name, "reason": exc})
    name = _entry_name(content)
    if photos is not None and (picture := _lookup(photos, name)) is not None:
        return picture
    result = _decode(path, content, prepare)
    if photos is not None and isinstance(result, Picture):
        photos.put(name, _encode_entry(result))
    return result


def _decode(path: Path, content: bytes, prepare: bool) -> Picture | Msg | None:
    """The picture to embed (`prepare`) or None (decoded at a small size only), or why the
    picture cannot be printed."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            if not prepare:
                _decode_small(image)
                return None
            return _prepare(image)
    except Exception as exc:  # noqa: BLE001 - sorted by _problem, anything else re-raised
        return _problem(exc, path)


def _problem(exc: Exception, path: Path) -> Msg:
    """Why a picture could not be decoded, for the user; other exceptions are re-raised."""
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return Msg("image_too_large", {"path": path.name})
    if isinstance(exc, UnidentifiedImageError | OSError | ValueError | SyntaxError):
        if "truncated" in str(exc):
            return Msg("image_truncated", {"path": path.name})
        return Msg("image_unreadable", {"path": path.name, "reason": exc})
    raise exc


def _decode_small(image: Image.Image) -> None:
    """Decode every byte without resizing: a JPEG at an eighth of its size."""
    if image.format == "JPEG":
        image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
    image.load()


def _entry_name(content: bytes) -> str:
    return cache_key(_recipe(), hashlib.sha256(content).digest())


def _lookup(photos: Cache, name: str) -> Picture | None:
    entry = photos.get(name)
    return _decode_entry(entry) if entry is not None else None


def _cached(path: Path, photos: Cache | None) -> Picture:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise BuildError(Msg("image_unreadable", {"path": path, "reason": exc})) from None
    if photos is None:
        return _prepared(path, content)
    name = _entry_name(content)
    picture = _lookup(photos, name)
    if picture is None:
        picture = _prepared(path, content)
        photos.put(name, _encode_entry(picture))
    return picture


@cache
def _recipe() -> str:
    """Everything besides the photo that decides the prepared picture."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return (
        f"bulletin {bulletin.__version__}, pictures {code}, Pillow {PIL.__version__}, "
        f"{MAX_WIDTH_MM} {MAX_HEIGHT_MM} {MIN_WIDTH_MM} mm, {PRINT_DPI} dpi, q{JPEG_QUALITY}"
    )


def _encode_entry(picture: Picture) -> bytes:
    meta = {"width_mm": picture.width_mm, "pixels": picture.pixels, "format": picture.format}
    return json.dumps(meta).encode("ascii") + b"\n" + picture.data


def _decode_entry(entry: bytes) -> Picture | None:
    """The picture stored in a cache entry, or None when the entry does not make sense."""
    head, _, data = entry.partition(b"\n")
    try:
        meta = json.loads(head)
        width, height = meta["pixels"]
        picture = Picture(data, float(meta["width_mm"]), (int(width), int(height)), meta["format"])
    except (ValueError, KeyError, TypeError):
        return None
    return picture if picture.format in ("JPEG", "PNG") and data else None


def prepare(path: Path, content: bytes | None = None) -> Picture:
    """Read `path` (or its `content`, already read) and return the picture to embed;
    raises BuildError if it cannot be read."""
    if content is None:
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise BuildError(Msg("image_unreadable", {"path": path, "reason": exc})) from None
    with _bombs_refused():
        return _prepared(path, content)


def _prepared(path: Path, content: bytes) -> Picture:
    """`prepare` inside _bombs_refused (on a worker thread, the caller entered it)."""
    result = _decode(path, content, prepare=True)
    if isinstance(result, Msg):
        raise BuildError(result)
    assert result is not None
    return result


# How to turn a picture stored with EXIF orientation 2-8 upright (1: as stored).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _prepare(original: Image.Image) -> Picture:
    source_format = original.format or ""
    dpi = _dpi(original)
    orientation = original.getexif().get(0x0112, 1)
    sideways = orientation in (5, 6, 7, 8)
    width, height = original.size
    if sideways:
        width, height = height, width
    width_mm, height_mm = printed_size(width, height, dpi)
    target = (
        max(1, round(width_mm / 25.4 * PRINT_DPI)),
        max(1, round(height_mm / 25.4 * PRINT_DPI)),
    )
    stored = (target[1], target[0]) if sideways else target  # as the pixels lie in the file
    if source_format == "JPEG":
        # The JPEG decoder skips the detail we would throw away: it decodes at the smallest
        # of 1/2, 1/4, 1/8 of the size that is still at least `stored` (a 12 MP photo at 1/2).
        original.draft("RGB", stored)
    keep_png = source_format in ("PNG", "GIF", "BMP") and (
        original.mode in ("P", "PA", "LA", "RGBA", "1") or "transparency" in original.info
    )
    image = original
    if image.width > stored[0] or image.height > stored[1]:
        mode = "RGBA" if keep_png else "RGB"
        image = image if image.mode == mode else image.convert(mode)
        # From the draft the step left is small (1.73 for a 12 MP photo at 1/2): bicubic is
        # as sharp as Lanczos to the eye there, and a third cheaper.
        image = image.resize(stored, Image.Resampling.BICUBIC)
    if orientation in _UPRIGHT:  # turned after scaling: fewer pixels to move
        image = image.transpose(_UPRIGHT[orientation])
    buffer = io.BytesIO()
    if keep_png:
        if image.mode not in ("RGBA", "RGB", "P", "L", "LA"):
            image = image.convert("RGBA")
        image.save(buffer, "PNG", optimize=True, dpi=(PRINT_DPI, PRINT_DPI))
        fmt = "PNG"
    else:
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.save(
            buffer,
            "JPEG",
            quality=JPEG_QUALITY,
            optimize=True,
            progressive=False,
            dpi=(PRINT_DPI, PRINT_DPI),
        )
        fmt = "JPEG"
    return Picture(buffer.getvalue(), width_mm, image.size, fmt)
