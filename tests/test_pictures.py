"""Photos in articles: turned upright, scaled down, captioned, originals untouched."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm
from PIL import Image

from bulletin.models import YearMonth
from bulletin.pictures import MIN_WIDTH_MM, PRINT_DPI
from bulletin.pipeline import build
from tests.test_cli import run

ARTICLE = """\
articles:
  - section: 项目快讯
    title: 爱心义剪
    body: 活动当天，社工为职工义剪。
    images:
{images}
"""


def _phone_photo(path: Path, orientation: int = 6) -> None:
    """A 12-megapixel photo as phones store it: landscape pixels plus an EXIF rotation."""
    noise = Image.effect_noise((4000, 3000), 60)
    photo = Image.merge("RGB", (noise, noise.rotate(180), noise.transpose(0)))
    exif = Image.Exif()
    exif[0x0112] = orientation  # 6: the camera was held upright, turn 90° clockwise
    exif[0x8825] = {2: (22.0, 31.0, 0.0)}  # GPS, which must not reach the document
    path.parent.mkdir(parents=True, exist_ok=True)
    photo.save(path, "JPEG", quality=95, exif=exif, dpi=(72, 72))


def _project(small, images: str, files: dict[str, bytes]) -> Path:
    data = small({"2020-02": {"articles.yaml": ARTICLE.format(images=images)}})
    for name, payload in files.items():
        target = data / "2020-02" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
    return data


def test_phone_photo_is_turned_shrunk_and_captioned(small, tmp_path: Path) -> None:
    data = _project(small, "      - {path: images/phone.jpg, caption: 义剪现场}", {})
    original = data / "2020-02" / "images" / "phone.jpg"
    _phone_photo(original)
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    assert original.stat().st_size > 3_000_000

    out = build(data, YearMonth(2020, 2), tmp_path / "b.docx")

    assert hashlib.sha256(original.read_bytes()).hexdigest() == before
    assert out.stat().st_size < 600_000  # a 12 MP photo, e-mailable
    doc = Document(str(out))
    (shape,) = doc.inline_shapes
    assert shape.height > shape.width  # upright: portrait, as the phone was held
    assert shape.height <= Mm(100.5)
    blob = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    embedded = Image.open(io.BytesIO(blob))
    assert embedded.format == "JPEG"
    assert embedded.height > embedded.width
    # Pixels for PRINT_DPI at the printed size, not the camera's 4000.
    printed_in = shape.height / 914400
    assert abs(embedded.height - printed_in * PRINT_DPI) <= 2
    assert 0x8825 not in embedded.getexif()  # no location in the document
    texts = [p.text for p in doc.paragraphs]
    pic = next(i for i, p in enumerate(doc.paragraphs) if p._p.xpath(".//pic:pic"))
    assert texts[pic + 1] == "义剪现场"


def _marked_photo(orientation: int | None) -> bytes:
    """A landscape JPEG with a red, a green and a blue corner (as the pixels lie in the file)
    and an EXIF orientation (None: no EXIF at all): each way of turning or mirroring it puts
    them elsewhere."""
    photo = Image.new("RGB", (1200, 900), (128, 128, 128))
    photo.paste((255, 0, 0), (0, 0, 300, 225))
    photo.paste((0, 255, 0), (900, 0, 1200, 225))
    photo.paste((0, 0, 255), (0, 675, 300, 900))
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90, **({"exif": exif} if orientation else {}))
    return buffer.getvalue()


def _corners(image: Image.Image) -> list[str]:
    """The colour of the top-left, top-right, bottom-left and bottom-right corners."""
    image = image.convert("RGB")
    w, h = image.size
    names = {(255, 0, 0): "red", (0, 255, 0): "green", (0, 0, 255): "blue", (128, 128, 128): "grey"}
    out = []
    for x, y in ((0.05, 0.05), (0.95, 0.05), (0.05, 0.95), (0.95, 0.95)):
        pixel = image.getpixel((int(x * w), int(y * h)))
        out.append(
            min(
                names.items(),
                key=lambda c: sum((a - b) ** 2 for a, b in zip(c[0], pixel, strict=True)),
            )[1]
        )
    return out


@pytest.mark.parametrize("orientation", [None, *range(1, 9)])
def test_a_photo_prints_as_the_camera_saw_it_for_every_orientation(
    small, tmp_path: Path, orientation: int | None
) -> None:
    """Phones store pixels as the sensor read them and say in EXIF how to turn (3, 6, 8) or
    mirror (2, 4, 5, 7) them: the printed photo's coloured corners are where Pillow's
    `exif_transpose` puts them, as every photo viewer shows the picture, and it prints at the
    size of the same picture stored upright."""
    from PIL import ImageOps

    payload = _marked_photo(orientation)
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(payload)))
    assert upright is not None
    buffer = io.BytesIO()
    upright.save(buffer, "JPEG", quality=90)
    data = _project(
        small,
        "      - {path: photo.jpg}\n      - {path: upright.jpg}",
        {"photo.jpg": payload, "upright.jpg": buffer.getvalue()},
    )
    out = build(data, YearMonth(2020, 2), tmp_path / "b.docx")
    doc = Document(str(out))
    photo, reference = doc.inline_shapes
    blob = doc.part.related_parts[photo._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    printed = Image.open(io.BytesIO(blob))
    assert _corners(printed) == _corners(upright)
    assert (photo.width, photo.height) == (reference.width, reference.height)
    assert (printed.width > printed.height) == (upright.width > upright.height)
    # not squeezed: the printed pixels keep the photo's proportions
    assert printed.width / printed.height == pytest.approx(upright.width / upright.height, rel=0.01)


def test_the_same_photo_under_two_names_is_stored_once(small, tmp_path: Path) -> None:
    """Two files with the same bytes print twice from one picture in the .docx; a third,
    different one has its own, and each prints where it stands."""
    import zipfile

    same, other = _marked_photo(1), _marked_photo(3)
    data = _project(
        small,
        "      - {path: a.jpg}\n      - {path: c.jpg}\n      - {path: b.jpg}",
        {"a.jpg": same, "b.jpg": same, "c.jpg": other},
    )
    out = build(data, YearMonth(2020, 2), tmp_path / "b.docx")
    with zipfile.ZipFile(out) as z:
        media = [name for name in z.namelist() if name.startswith("word/media/")]
    assert len(media) == 2
    doc = Document(str(out))
    parts = [
        doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
        for shape in doc.inline_shapes
    ]
    assert parts[0] is parts[2] and parts[1] is not parts[0]
    corners = [_corners(Image.open(io.BytesIO(part.blob))) for part in parts]
    assert corners[0] == ["red", "green", "blue", "grey"]
    assert corners[1] == ["grey", "blue", "green", "red"]  # orientation 3: turned 180°


def test_small_logo_keeps_transparency_and_a_readable_size(small, tmp_path: Path) -> None:
    logo = Image.new("RGBA", (120, 40), (0, 0, 0, 0))
    logo.paste((200, 0, 0, 255), (10, 10, 110, 30))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    data = _project(small, "      - {path: logo.png}", {"logo.png": buffer.getvalue()})
    out = build(data, YearMonth(2020, 2), tmp_path / "b.docx")
    doc = Document(str(out))
    (shape,) = doc.inline_shapes
    assert abs(shape.width - Mm(MIN_WIDTH_MM)) < Mm(0.5)
    blob = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    embedded = Image.open(io.BytesIO(blob))
    assert embedded.format == "PNG" and embedded.mode == "RGBA"


def _two_halves(fmt: str, mode: str, size: tuple[int, int], left, right, **save) -> bytes:
    """A picture in `fmt` and `mode`, its left half one colour and its right half another."""
    image = Image.new(mode, size, left)
    image.paste(Image.new(mode, (size[0] - size[0] // 2, size[1]), right), (size[0] // 2, 0))
    if mode == "P":  # index 0 black (transparent where `save` says so), 1 red, 2 blue
        image.putpalette([0, 0, 0, 200, 0, 0, 0, 0, 200] + [0, 0, 0] * 253)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


RED, BLUE, WHITE = (200, 0, 0), (0, 0, 200), (255, 255, 255)
CLEAR = None  # transparent: the page shows through


# Each kind of picture a user may bring, with how its two halves must print and whether it is
# embedded as a JPEG (a photo) or a PNG (a picture with transparent parts or few colours).
PICTURE_KINDS = {
    "phone JPEG": (("JPEG", "RGB", RED, BLUE), {}, "JPEG", RED, BLUE),
    "printer's CMYK JPEG": (
        ("JPEG", "CMYK", (0, 255, 255, 55), (255, 255, 0, 55)),
        {},
        "JPEG",
        RED,
        BLUE,
    ),
    "grey JPEG": (("JPEG", "L", 60, 200), {}, "JPEG", (60,) * 3, (200,) * 3),
    "screenshot PNG": (("PNG", "RGB", RED, BLUE), {}, "JPEG", RED, BLUE),
    "logo PNG": (("PNG", "RGBA", (0, 0, 0, 0), RED + (255,)), {}, "PNG", CLEAR, RED),
    "palette PNG": (("PNG", "P", 0, 1), {"transparency": 0}, "PNG", CLEAR, RED),
    "colour-keyed PNG": (
        ("PNG", "RGB", (0, 0, 0), BLUE),
        {"transparency": (0, 0, 0)},
        "PNG",
        CLEAR,
        BLUE,
    ),
    "grey PNG with alpha": (("PNG", "LA", (0, 0), (100, 255)), {}, "PNG", CLEAR, (100,) * 3),
    "black-and-white PNG": (("PNG", "1", 0, 1), {}, "PNG", (0, 0, 0), WHITE),
    "16-bit grey scan PNG": (("PNG", "I;16", 40000, 10000), {}, "JPEG", (156,) * 3, (39,) * 3),
    "GIF": (("GIF", "P", 0, 2), {"transparency": 0}, "PNG", CLEAR, BLUE),
    "palette BMP": (("BMP", "P", 1, 2), {}, "PNG", RED, BLUE),
    "BMP": (("BMP", "RGB", RED, BLUE), {}, "JPEG", RED, BLUE),
    "WebP logo": (
        ("WEBP", "RGBA", (0, 0, 0, 0), RED + (255,)),
        {"lossless": True},
        "PNG",
        CLEAR,
        RED,
    ),
    "TIFF logo": (("TIFF", "RGBA", (0, 0, 0, 0), RED + (255,)), {}, "PNG", CLEAR, RED),
    "16-bit grey TIFF": (("TIFF", "I;16", 40000, 10000), {}, "JPEG", (156,) * 3, (39,) * 3),
}


@pytest.mark.parametrize("kind", PICTURE_KINDS)
@pytest.mark.parametrize("pixels", [(400, 300), (3000, 2000)], ids=["small", "large"])
def test_every_kind_of_picture_prints_as_it_looks(
    tmp_path: Path, kind: str, pixels: tuple[int, int]
) -> None:
    """Whatever kind of picture an article lists, it prints in its own colours and greys
    (a printer's CMYK, a scanner's 16 bits), what is transparent in it stays transparent
    (a logo in any format but JPEG, which has none), small (printed as it is) or large
    (scaled down first). Photos are embedded as baseline JPEGs at quality 85, the others as
    PNGs, both saying 220 dpi, so a picture copied out of the document keeps its size."""
    from bulletin import pictures

    (fmt, mode, left, right), save, embedded_as, left_seen, right_seen = PICTURE_KINDS[kind]
    photo = tmp_path / f"picture.{fmt.lower()}"
    photo.write_bytes(_two_halves(fmt, mode, pixels, left, right, **save))
    prepared = pictures.prepare(photo)
    embedded = Image.open(io.BytesIO(prepared.data))
    assert (prepared.format, embedded.format) == (embedded_as, embedded_as)
    assert embedded.info["dpi"] == pytest.approx((PRINT_DPI, PRINT_DPI), abs=0.05)  # PNG: per metre
    expected = round(prepared.width_mm / 25.4 * PRINT_DPI)
    assert embedded.width == min(expected, pixels[0])  # never more pixels than printed
    seen = embedded.convert("RGBA")
    for x, colour in ((embedded.width // 4, left_seen), (embedded.width * 3 // 4, right_seen)):
        pixel = seen.getpixel((x, embedded.height // 2))
        if colour is CLEAR:
            assert pixel[3] == 0, (kind, pixel)
        else:
            assert pixel[3] == 255 and pixel[:3] == pytest.approx(colour, abs=12), (kind, pixel)
    if embedded_as == "JPEG":
        assert embedded.mode == "RGB"  # some viewers show a CMYK JPEG's colours inverted
        assert not embedded.info.get("progressive") and not embedded.info.get("progression")
        plain = io.BytesIO()  # the same pixels, encoded plainly: larger (Huffman optimised)
        embedded.save(plain, "JPEG", quality=pictures.JPEG_QUALITY)
        assert embedded.quantization == Image.open(plain).quantization
        assert len(prepared.data) < len(plain.getvalue())


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            b"\x00\x00\x00\x18ftypheic" + bytes(64),
            "'photo.jpg' is a HEIC photo, which Word cannot show (save it as JPEG",
        ),
        (
            b"\x00\x00\x00\x18ftypheix" + bytes(64),
            "'photo.jpg' is a HEIC photo, which Word cannot show (save it as JPEG",
        ),
        (
            b"\x00\x00\x00\x18ftypmif1" + bytes(64),
            "'photo.jpg' is a HEIC photo, which Word cannot show (save it as JPEG",
        ),
        (
            b"\x00\x00\x00\x18ftyphevc" + bytes(64),
            "'photo.jpg' is a HEIC photo, which Word cannot show (save it as JPEG",
        ),
        (
            b"\x00\x00\x00\x18ftypheif" + bytes(64),
            "'photo.jpg' is a HEIC photo, which Word cannot show (save it as JPEG",
        ),
        (b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10, "cannot read the picture"),
        (
            b"PK\x03\x04" + bytes(64),
            "'photo.jpg' is not a picture (JPEG, PNG, GIF, BMP, TIFF or WebP)",
        ),
        (b"RIFF\x10\x00\x00\x00WAVEfmt " + bytes(64), "'photo.jpg' is not a picture"),
    ],
)
def test_unusable_photos_are_reported_and_nothing_is_written(
    small, tmp_path: Path, payload: bytes, expected: str
) -> None:
    data = _project(small, "      - {path: photo.jpg}", {"photo.jpg": payload})
    target = tmp_path / "out.docx"
    result = run("build", "2020-02", "-o", str(target), "--data", str(data))
    assert result.exit_code == 1
    assert expected in result.output
    assert not target.exists()
    zh = run("--lang", "zh", "build", "2020-02", "-o", str(target), "--data", str(data))
    assert ("HEIC 格式" in zh.output) or ("无法读取图片" in zh.output) or ("不是图片" in zh.output)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size and holds no pixels: what a decompression bomb looks like."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_a_picture_claiming_absurd_size_is_refused(small, tmp_path: Path) -> None:
    data = _project(small, "      - {path: bomb.png}", {"bomb.png": _png_header(40000, 40000)})
    target = tmp_path / "out.docx"
    result = run("build", "2020-02", "-o", str(target), "--data", str(data))
    assert result.exit_code == 1
    assert "bomb.png has more pixels than any camera makes; it may be damaged" in result.output
    assert not target.exists()


@pytest.mark.parametrize("prepare", [True, False])
def test_pictures_over_the_pixel_limit_are_refused_on_every_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prepare: bool
) -> None:
    """Pillow only warns about a picture between one and two times its own limit, through
    the process-wide warnings filters, which threads cannot change safely: the limit is
    checked by bulletin itself from each picture's header, so every such picture of a month
    decoded in parallel is refused, no warning is shown, and the filters are untouched."""
    import warnings

    from bulletin import pictures
    from bulletin.errors import Msg

    monkeypatch.setenv("BULLETIN_NO_CACHE", "1")
    monkeypatch.setattr(pictures.os, "cpu_count", lambda: 4)
    side = int((pictures.MAX_PIXELS * 1.5) ** 0.5)  # Pillow itself would only warn
    paths = []
    for n in range(8):
        path = tmp_path / f"big{n}.png"
        path.write_bytes(_png_header(side, side))
        paths.append(path)
    before = list(warnings.filters)
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        verdicts = pictures.examine_all(paths, prepare=prepare)
    assert verdicts == {path: Msg("image_too_large", {"path": path.name}) for path in paths}
    assert [w for w in shown if issubclass(w.category, Image.DecompressionBombWarning)] == []
    assert warnings.filters == before


@pytest.mark.parametrize("orientation", range(1, 9))
def test_an_evidence_scan_is_copied_whole_as_the_camera_saw_it(orientation: int) -> None:
    """A scan copied into the evaluation pack keeps its full size and its dpi, and is turned
    (3, 6, 8) or mirrored (2, 4, 5, 7) as Pillow's `exif_transpose` shows it, with the EXIF
    that said so gone: a viewer that reads EXIF and one that does not show the same page."""
    from PIL import ImageOps

    from bulletin.pictures import upright as upright_scan

    payload = _marked_photo(orientation)
    seen = ImageOps.exif_transpose(Image.open(io.BytesIO(payload)))
    assert seen is not None
    copied = Image.open(io.BytesIO(upright_scan(payload)))
    assert copied.format == "JPEG" and copied.mode == "RGB"
    assert copied.size == seen.size
    assert _corners(copied) == _corners(seen)
    assert copied.getexif().get(0x0112) is None


def test_an_evidence_scan_is_a_plain_jpeg_at_quality_90_as_small_as_it_can_be() -> None:
    """The copy is a baseline JPEG (drawn top to bottom by every viewer and by the printer's
    driver, never blurred first), at quality 90 (a signature stays sharp), with its Huffman
    tables optimised: smaller than the plain encoding of the same pixels, nothing lost."""
    from PIL import ImageOps

    from bulletin.pictures import upright as upright_scan

    payload = _marked_photo(6)
    copied_bytes = upright_scan(payload)
    copied = Image.open(io.BytesIO(copied_bytes))
    assert not copied.info.get("progressive") and not copied.info.get("progression")
    plain = io.BytesIO()
    seen = ImageOps.exif_transpose(Image.open(io.BytesIO(payload)))
    assert seen is not None
    seen.convert("RGB").save(plain, "JPEG", quality=90)
    assert copied.quantization == Image.open(plain).quantization
    assert len(copied_bytes) < len(plain.getvalue())


def test_an_evidence_scan_keeps_its_dpi_and_a_grey_scan_is_printed_as_it_is() -> None:
    from bulletin.pictures import upright as upright_scan

    grey = Image.new("L", (300, 200), 90)
    grey.paste(255, (0, 0, 30, 30))
    buffer = io.BytesIO()
    grey.save(buffer, "JPEG", quality=95, dpi=(300, 300))
    copied = Image.open(io.BytesIO(upright_scan(buffer.getvalue())))
    assert copied.size == (300, 200)
    assert copied.info.get("dpi") == (300, 300)
    assert copied.mode == "RGB"
    assert copied.getpixel((5, 5))[0] > 240 and copied.getpixel((150, 150))[0] < 110
    # encoded well enough to read a signature: close to the original everywhere
    assert abs(copied.getpixel((100, 100))[0] - 90) <= 3
    plain = io.BytesIO()
    grey.save(plain, "JPEG", quality=95)
    assert Image.open(io.BytesIO(upright_scan(plain.getvalue()))).info.get("dpi") is None


def test_a_photo_is_checked_by_decoding_all_of_it_at_an_eighth_of_its_size() -> None:
    """`check` decodes every byte of a photo (a truncated one is found) but a JPEG only at an
    eighth of its size, which its format allows at no cost: a month of 12-megapixel photos
    is checked in a fraction of the time. Other formats are decoded as they are."""
    from bulletin.pictures import _decode_small

    for fmt, size, decoded in (("JPEG", (800, 600), (100, 75)), ("PNG", (80, 60), (80, 60))):
        buffer = io.BytesIO()
        Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
        image = Image.open(io.BytesIO(buffer.getvalue()))
        _decode_small(image)
        assert image.size == decoded and image.mode == "RGB"
        assert image.getpixel((5, 5))[0] > 180


def test_one_picture_is_prepared_as_a_month_prepares_it(tmp_path: Path) -> None:
    """`pictures.prepare` (one picture, as the benchmarks time it) gives what a month's
    preparation gives, and says why a picture cannot be printed."""
    from bulletin import pictures
    from bulletin.errors import BuildError

    photo = tmp_path / "phone.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 90, 200)).save(buffer, "JPEG", quality=95)
    photo.write_bytes(buffer.getvalue())
    one = pictures.prepare(photo)
    assert one == pictures.prepare_all([photo])[0]
    assert one == pictures.prepare(photo, photo.read_bytes())
    assert one.format == "JPEG" and Image.open(io.BytesIO(one.data)).width <= 1600
    with pytest.raises(BuildError) as caught:
        pictures.prepare(tmp_path / "gone.jpg")
    assert caught.value.message.key == "image_unreadable"
    for lang in ("en", "zh"):
        text = caught.value.message.text(lang)
        assert str(tmp_path / "gone.jpg") in text and "No such file or directory" in text, text
    with pytest.raises(BuildError) as caught:
        pictures.prepare(photo, buffer.getvalue()[:200])
    assert caught.value.message.key == "image_unreadable"
    # a month's pictures: the first that cannot be read, in order, is the message
    (tmp_path / "cut.jpg").write_bytes(buffer.getvalue()[:200])
    with pytest.raises(BuildError) as caught:
        pictures.prepare_all([photo, tmp_path / "cut.jpg", tmp_path / "gone.jpg"])
    assert caught.value.message.key == "image_unreadable"
    assert caught.value.message.params["path"] == "cut.jpg"


def test_ctrl_c_while_the_photos_are_prepared_stops_them_and_leaves_no_thread(
    small, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The photos are prepared on other threads while the month's figures are worked out;
    Ctrl-C meanwhile stops them: the photos not yet begun are not prepared, and no thread is
    left working when the command has stopped."""
    import threading

    from bulletin import pipeline

    monkeypatch.setenv("BULLETIN_NO_CACHE", "1")
    images = "\n".join(f"      - {{path: images/p{n}.jpg}}" for n in range(8))
    data = _project(small, images, {})
    for n in range(8):
        _phone_photo(data / "2020-02" / "images" / f"p{n}.jpg")
    begun = []
    real = pipeline.summarize

    def interrupted(project, month):
        real(project, month)
        begun.append(threading.active_count())
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "summarize", interrupted)
    from bulletin import pictures

    prepared = []
    real_prepare = pictures._prepare

    def counted(original):
        prepared.append(original.size)
        return real_prepare(original)

    monkeypatch.setattr(pictures, "_prepare", counted)
    with pytest.raises(KeyboardInterrupt):
        pipeline.prepare(data, YearMonth(2020, 2))
    assert begun and begun[0] > 1  # the photos were being prepared on other threads
    assert 0 < len(prepared) < 8  # those begun were finished, the others never begun
    assert [t.name for t in threading.enumerate() if t.name.startswith("bulletin-pictures")] == []


def test_a_prepared_photo_is_stored_under_its_recipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached picture is found by the photo's bytes and by how it is prepared (the size,
    the quality, Pillow's version, this code): a change to any of them prepares it again."""
    from bulletin import pictures

    digest = b"\x01" * 32
    before = pictures._entry_name(digest)
    assert before != pictures._entry_name(b"\x02" * 32)
    pictures._recipe.cache_clear()
    monkeypatch.setattr(pictures, "JPEG_QUALITY", pictures.JPEG_QUALITY - 10)
    try:
        assert pictures._entry_name(digest) != before
    finally:
        pictures._recipe.cache_clear()


@pytest.mark.parametrize(
    ("pixels", "dpi", "mm"),
    [
        ((300, 200), 100, (76.2, 50.8)),  # as large as it says it is: it fits
        ((2000, 500), 100, (140, 35)),  # wider than the text: as wide as the text
        ((500, 2000), 254, (25, 100)),  # taller than half a page: as tall as that, narrow
        ((200, 300), 254, (60, 90)),  # small: widened to 60 mm, its height within the limit
        ((100, 100), 100, (60, 60)),  # a small logo: shown 60 mm wide, to be read
        ((600, 100), 254, (60, 10)),  # 60 mm wide already
    ],
)
def test_the_printed_size_of_a_picture(pixels: tuple[int, int], dpi: int, mm: tuple) -> None:
    """A picture prints at the size its pixels and dpi say, fitted into the text's width
    (140 mm) and half a page's height (100 mm), and a small one is widened to 60 mm."""
    from bulletin.pictures import printed_size

    assert printed_size(*pixels, dpi) == pytest.approx(mm, abs=0.01)


@pytest.mark.parametrize(
    ("pixels", "dpi", "width_mm"),
    [
        (1200, (300, 300), 101.6),  # 1200 px at 300 dpi: 101.6 mm, as scanned
        (1200, (300, 150), 101.6),  # the dpi across is the one that sets the width
        (1200, None, 140),  # no dpi: 72, so 423 mm, fitted to the text's width
        (300, None, 105.83),  # 300 px at 72 dpi
        (1200, (5, 5), 140),  # a dpi no camera or scanner writes: taken as 72
        (300, (5, 5), 105.83),
        (1200, (5000, 5000), 140),
        (40, (10, 10), 101.6),  # 10 and 2400 dpi are still taken as written
        (40, (9, 9), 60),  # 9: taken as 72, so 14 mm, shown 60 mm wide to be read
        (12000, (2400, 2400), 127),
        (12000, (2401, 2401), 140),  # 2401: taken as 72, so fitted to the text's width
    ],
)
def test_a_pictures_dpi_sets_its_printed_size(
    tmp_path: Path, pixels: int, dpi, width_mm: float
) -> None:
    from bulletin import pictures

    image = Image.new("RGB", (pixels, 20), (30, 90, 200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **({"dpi": dpi} if dpi else {}))
    photo = tmp_path / "scan.jpg"
    photo.write_bytes(buffer.getvalue())
    assert pictures.prepare(photo).width_mm == pytest.approx(width_mm, abs=0.01)


def test_a_picture_that_cannot_be_read_says_which_and_why_and_no_cache_writes_nothing(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cache off (BULLETIN_NO_CACHE) a month's pictures are still prepared, nothing
    is written to the cache folder, and a picture that cannot be read (here a folder named
    like a photo) is named with the system's reason. A picture of exactly the pixel limit is
    not refused as too large."""
    from bulletin import pictures

    monkeypatch.setenv("BULLETIN_NO_CACHE", "1")
    good = tmp_path / "good.jpg"
    Image.new("RGB", (400, 300), (30, 90, 200)).save(good, "JPEG")
    folder = tmp_path / "photo.jpg"
    folder.mkdir()
    verdicts = pictures.examine_all([good, folder], prepare=True)
    assert isinstance(verdicts[good], pictures.Picture) and verdicts[good].format == "JPEG"
    message = verdicts[folder]
    assert message.key == "image_unreadable" and message.params["path"] == "photo.jpg"
    assert "photo.jpg" in message.text("en") and "Is a directory" in message.text("en")
    assert [p for p in cache_dir.rglob("*") if p.is_file()] == []
    at_limit = tmp_path / "at-limit.png"
    at_limit.write_bytes(_png_header(12_000, pictures.MAX_PIXELS // 12_000))
    (verdict,) = pictures.examine_all([at_limit], prepare=False).values()
    assert verdict.key != "image_too_large"


def test_a_logo_prepared_once_is_read_back_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PNG (a logo) is kept in the cache as a photo is: built again, it is read back, not
    decoded again."""
    from bulletin import pictures

    logo = tmp_path / "logo.png"
    Image.new("RGBA", (120, 40), (200, 0, 0, 128)).save(logo, "PNG")
    (first,) = pictures.examine_all([logo], prepare=True).values()
    assert isinstance(first, pictures.Picture) and first.format == "PNG"

    def decoded_again(*args):
        raise AssertionError("decoded again")

    monkeypatch.setattr(pictures, "_decode", decoded_again)
    assert pictures.examine_all([logo], prepare=True) == {logo: first}
