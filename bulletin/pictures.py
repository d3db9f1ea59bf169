"""Photos for the document: turned the right way up, scaled to the size they are printed at.

A phone photo is several megabytes and often stored sideways with an EXIF note saying so;
Word would embed it whole. Here it is read (never written back), turned as EXIF says,
reduced to PRINT_DPI at its printed size and encoded again, so a bulletin with a dozen
photos stays a file that can be e-mailed.

That costs a tenth of a second of CPU a photo, so a month's photos are prepared on as many
threads as the machine has cores (Pillow releases the GIL while it decodes, resizes and
encodes: threads measured faster than processes, which pay for starting and for sending
the results back), started as soon as the month's articles are read (`start`) so that they
run while the rest of the month is worked out, each thread holding one photo at a time. Each
result is kept in the user's cache folder (bulletin.cache), keyed by the photo's content,
everything that decides the result (the sizes below, this module's code, Pillow's version)
and the tool's version: a rebuild with unchanged photos reads them back instead, byte for
byte the same. Beside the entries a StatIndex remembers each photo's content hash by its
stat, so an unchanged photo is not even read again to find its entry. An entry also stands
for the check that the photo decodes (`examine_all`, which the pipeline runs on every
picture it would print): it was decoded when the entry was made.

Pillow is imported only when a photo has to be decoded: a rebuild from the cache does not.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import bulletin
from bulletin.cache import Cache, StatIndex
from bulletin.cache import key as cache_key
from bulletin.errors import BuildError, Msg

if TYPE_CHECKING:
    from concurrent.futures import Future

MAX_WIDTH_MM = 140.0  # the text width of A4 with the template's margins, less a little
MAX_HEIGHT_MM = 100.0  # about half a page, so a photo and its caption stay together
MIN_WIDTH_MM = 60.0  # small pictures (logos) are shown at a readable size
PRINT_DPI = 220  # sharp in print and on screen; more only makes the file bigger
JPEG_QUALITY = 85
MAX_PIXELS = 120_000_000  # larger than any camera; refuses decompression bombs
# Photos prepared at once: one a core, at most this many, so that memory stays bounded on a
# large machine (a 12 MP photo takes some 35 MB while it is read, decoded and scaled).
MAX_WORKERS = 8


@dataclass(frozen=True)
class Picture:
    """A picture ready to embed: encoded bytes and the width to print it at."""

    data: bytes
    width_mm: float
    format: str  # "JPEG" or "PNG"


@cache
def _pil() -> ModuleType:
    """PIL.Image, imported on first use. Its own check for decompression bombs is off: it
    warns through the process-wide warnings filters, which threads cannot change safely;
    `_decode` refuses a picture over MAX_PIXELS itself, from the size in its header, before
    decoding a pixel."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None
    return Image


def printed_size(width_px: int, height_px: int, dpi: float) -> tuple[float, float]:
    """Width and height in mm: the natural size, fitted into the box of the page."""
    width_mm = width_px / dpi * 25.4
    height_mm = height_px / dpi * 25.4
    scale = min(MAX_WIDTH_MM / width_mm, MAX_HEIGHT_MM / height_mm, 1.0)
    if width_mm * scale < MIN_WIDTH_MM:
        scale = min(MIN_WIDTH_MM / width_mm, MAX_HEIGHT_MM / height_mm)
    return width_mm * scale, height_mm * scale


def _dpi(image) -> float:
    try:  # none, or not a number: a camera's 72
        value = float(image.info["dpi"][0])
    except (KeyError, TypeError, ValueError, IndexError):
        value = 72.0
    return value if 10 <= value <= 2400 else 72.0


class Batch:
    """A month's pictures being examined on worker threads (see `start`); `verdicts` waits
    for them. An interruption (Ctrl-C) while waiting cancels the pictures not yet begun; the
    few being prepared finish (a tenth of a second) and nothing is left half written."""

    def __init__(self, paths: list[Path], prepare: bool):
        self.photos = _photo_cache()
        self.index = StatIndex(self.photos) if self.photos is not None else None
        self.prepare = prepare
        self.paths = list(dict.fromkeys(paths))
        # Pictures the index and the cache know are taken here (a stat and a small read
        # each); only the others go to the threads.
        self._known = {path: _known(path, self.photos, self.index) for path in self.paths}
        todo = [path for path, picture in self._known.items() if picture is None]
        self._pool = None
        self._futures: dict[Path, Future] = {}
        if todo:
            from concurrent.futures import ThreadPoolExecutor

            workers = max(1, min(len(todo), os.cpu_count() or 1, MAX_WORKERS))
            self._pool = ThreadPoolExecutor(workers, thread_name_prefix="bulletin-pictures")
            self._futures = {
                path: self._pool.submit(_examine, path, self.photos, self.index, prepare)
                for path in todo
            }

    @property
    def busy(self) -> bool:
        """Whether pictures are being prepared (or read) on the threads."""
        return bool(self._futures)

    def verdicts(self) -> dict[Path, Picture | Msg | None]:
        """What each picture is worth printing (see `examine_all`), by path."""
        try:
            done = {path: future.result() for path, future in self._futures.items()}
        except BaseException:
            self.cancel()
            raise
        if self._pool is not None:
            self._pool.shutdown()
        if self.prepare and self.index is not None:  # `check` never writes the cache
            self.index.save()
        return {path: self._known[path] or done[path] for path in self.paths}

    def cancel(self) -> None:
        """Give up: the pictures not begun are not prepared."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def start(paths: list[Path], *, prepare: bool) -> Batch:
    """Begin examining pictures (as `examine_all`) on worker threads; the caller goes on
    with other work and takes the verdicts from the batch, or cancels it."""
    return Batch(paths, prepare)


def examine_all(paths: list[Path], *, prepare: bool) -> dict[Path, Picture | Msg | None]:
    """What each picture is worth printing, reading and hashing each file at most once: its
    prepared Picture, or the Msg saying why it cannot be printed (truncated, damaged, a
    bomb), or None when it decodes but was not prepared.

    A picture whose prepared form is in the cache (same content, same recipe) was decoded
    before, so the entry stands for the check; a picture whose stat is as the StatIndex
    recorded it is not read to find its entry. Otherwise, with `prepare` (a build), the
    picture is prepared now, the preparation's decode being the check, and the cache
    written; without (`check`), it is only decoded at an eighth of its size, the cache
    only read."""
    return start(paths, prepare=prepare).verdicts()


def prepare_all(paths: list[Path], ready: dict[Path, Picture] | None = None) -> list[Picture]:
    """Prepare every picture of a month, in order, in parallel and through the cache (those
    in `ready`, prepared earlier in the run, are taken from there); raises the BuildError of
    the first picture (in order) that cannot be read."""
    ready = ready or {}
    todo = [path for path in dict.fromkeys(paths) if path not in ready]
    done = examine_all(todo, prepare=True) if todo else {}
    for path in todo:
        if isinstance(verdict := done[path], Msg):
            raise BuildError(verdict)
    return [ready[path] if path in ready else done[path] for path in paths]


def _photo_cache() -> Cache | None:
    photos = Cache("photos")
    return photos if photos.enabled else None  # None: BULLETIN_NO_CACHE


def _known(path: Path, photos: Cache | None, index: StatIndex | None) -> Picture | None:
    """The prepared picture, if the photo's stat is as the index recorded it (so it is not
    read) and its entry is in the cache; else None."""
    if photos is None or index is None:
        return None
    where = os.path.abspath(path)
    try:
        digest = index.digest(where, os.stat(where))
    except OSError:
        return None  # reported when it is read
    return _lookup(photos, digest) if digest is not None else None


def _examine(
    path: Path, photos: Cache | None, index: StatIndex | None, prepare: bool
) -> Picture | Msg | None:
    """One picture's verdict (see `examine_all`), on a worker thread: read and hashed, taken
    from the cache or decoded."""
    where = os.path.abspath(path)
    try:
        before = os.stat(where)
        seen_ns = time.time_ns()
        content = path.read_bytes()
        after = os.stat(where)
    except OSError as exc:
        return Msg("image_unreadable", {"path": path.name, "reason": exc})
    digest = hashlib.sha256(content).digest()
    if photos is not None and (picture := _lookup(photos, digest)) is not None:
        result: Picture | Msg | None = picture
    else:
        result = _decode(path, content, prepare)
        if photos is not None and isinstance(result, Picture):
            photos.put(_entry_name(digest), _encode_entry(result))
    unchanged = StatIndex.signature(before) == StatIndex.signature(after)  # while read
    if index is not None and isinstance(result, Picture) and unchanged:
        index.record(where, before, seen_ns, digest)
    return result


def _decode(path: Path, content: bytes, prepare: bool) -> Picture | Msg | None:
    """The picture to embed (`prepare`) or None (decoded at a small size only), or why the
    picture cannot be printed."""
    Image = _pil()  # noqa: N806 (the module's usual name)
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_PIXELS:
                return Msg("image_too_large", {"path": path.name})
            if not prepare:
                _decode_small(image)
                return None
            return _prepare(image)
    except Exception as exc:  # noqa: BLE001 - sorted by _problem, anything else re-raised
        return _problem(exc, path)


def _problem(exc: Exception, path: Path) -> Msg:
    """Why a picture could not be decoded, for the user; other exceptions are re-raised."""
    from PIL import UnidentifiedImageError

    if isinstance(exc, UnidentifiedImageError | OSError | ValueError | SyntaxError):
        if "truncated" in str(exc):
            return Msg("image_truncated", {"path": path.name})
        return Msg("image_unreadable", {"path": path.name, "reason": exc})
    raise exc


def _decode_small(image) -> None:
    """Decode every byte without resizing: a JPEG at an eighth of its size."""
    if image.format == "JPEG":
        image.draft(None, (1, 1))  # the smallest the decoder offers, 1/8 (colours as stored)
    image.load()


def _entry_name(digest: bytes) -> str:
    return cache_key(_recipe(), digest)


def _lookup(photos: Cache, digest: bytes) -> Picture | None:
    entry = photos.get(_entry_name(digest))
    return _decode_entry(entry) if entry is not None else None


@cache
def _recipe() -> str:
    """Everything besides the photo that decides the prepared picture."""
    import PIL  # the package's version only: PIL.Image is not imported for it

    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return (
        f"bulletin {bulletin.__version__}, pictures {code}, Pillow {PIL.__version__}, "
        f"{MAX_WIDTH_MM} {MAX_HEIGHT_MM} {MIN_WIDTH_MM} mm, {PRINT_DPI} dpi, q{JPEG_QUALITY}"
    )


def _encode_entry(picture: Picture) -> bytes:
    meta = {"width_mm": picture.width_mm, "format": picture.format}
    return json.dumps(meta).encode("ascii") + b"\n" + picture.data


def _decode_entry(entry: bytes) -> Picture | None:
    """The picture stored in a cache entry, or None when the entry does not make sense."""
    head, _, data = entry.partition(b"\n")
    try:
        meta = json.loads(head)
        picture = Picture(data, float(meta["width_mm"]), meta["format"])
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
    result = _decode(path, content, prepare=True)
    if isinstance(result, Msg):
        raise BuildError(result)
    assert result is not None
    return result


# How to turn a picture stored with EXIF orientation 2-8 upright (1: as stored), as
# PIL.Image.Transpose numbers: FLIP_LEFT_RIGHT 0, FLIP_TOP_BOTTOM 1, ROTATE_90 2,
# ROTATE_180 3, ROTATE_270 4, TRANSPOSE 5, TRANSVERSE 6.
_UPRIGHT = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}


def _prepare(original) -> Picture:
    Image = _pil()  # noqa: N806
    source_format = original.format  # None only for a picture made in memory
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
        original.draft(None, stored)  # the colours as stored: converted below if need be
        scale = getattr(original, "decoderconfig", None)
        if isinstance(scale, tuple) and len(scale) == 2 and scale[0] > 1:
            # Pillow's draft flag, as Image.thumbnail would not set it: the colour planes,
            # stored at half resolution, are widened by repeating rather than interpolating
            # (libjpeg's plain upsampling; the DCT of a scaled decode is the same either
            # way). The bicubic step below smooths far more than that changes; 7 % of the
            # decode.
            original.decoderconfig = (scale[0], 1)
    # A picture with transparent parts (a logo) or drawn in few colours stays a PNG, of any
    # format but JPEG: as a JPEG, what is transparent would print in the colour hidden there.
    keep_png = source_format != "JPEG" and (
        original.mode in ("P", "PA", "LA", "RGBA", "1") or "transparency" in original.info
    )
    image = _eight_bits(original)
    if image.width > stored[0] or image.height > stored[1]:
        mode = "RGBA" if keep_png else "RGB"
        image = image if image.mode == mode else image.convert(mode)
        # From the draft the step left is small (1.73 for a 12 MP photo at 1/2): bicubic is
        # as sharp as Lanczos to the eye there, and a third cheaper.
        image = image.resize(stored, Image.Resampling.BICUBIC)
    if orientation in _UPRIGHT:  # turned after scaling: fewer pixels to move
        image = image.transpose(Image.Transpose(_UPRIGHT[orientation]))
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
    return Picture(buffer.getvalue(), width_mm, fmt)


def _eight_bits(image):
    """A 16-bit grey picture (what some scanners save as PNG or TIFF) as 8-bit grey, its
    values divided by 256: Pillow's own conversion cuts every value over 255 to white."""
    if not image.mode.startswith("I;16"):
        return image
    return image.convert("I").point(lambda value: value / 256).convert("L")


def upright(content: bytes) -> bytes:
    """A JPEG stored sideways (EXIF orientation 2-8) turned upright by the rule above, at its
    full size, encoded again without its metadata: for evidence copied whole."""
    Image = _pil()  # noqa: N806
    with Image.open(io.BytesIO(content)) as original:
        orientation = original.getexif().get(0x0112)
        image = original.convert("RGB")  # a copy, also of a picture that is RGB already
        dpi = original.info.get("dpi")
    if orientation in _UPRIGHT:
        image = image.transpose(Image.Transpose(_UPRIGHT[orientation]))
    buffer = io.BytesIO()
    extra = {"dpi": tuple(round(float(v)) for v in dpi)} if dpi else {}
    image.save(buffer, "JPEG", quality=90, optimize=True, progressive=False, **extra)
    return buffer.getvalue()
