"""The cache of prepared photos: never trusted blindly, never changing the document."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from bulletin import cache, pictures
from bulletin.errors import DataError
from bulletin.models import YearMonth
from bulletin.pipeline import build, check
from tests.test_cli import run

ARTICLE = """\
articles:
  - section: 项目快讯
    title: 爱心义剪
    body: 活动当天，社工为职工义剪。
    images:
      - {path: images/a.jpg, caption: 义剪现场}
      - {path: images/b.jpg, caption: 合影}
"""


def _photo(path: Path, orientation: int = 1, shade: int = 0) -> None:
    """A photo larger than it is printed, so it is scaled (and maybe turned)."""
    noise = Image.effect_noise((900, 600), 40 + shade)
    photo = Image.merge("RGB", (noise, noise.rotate(180), noise.transpose(0)))
    exif = Image.Exif()
    exif[0x0112] = orientation
    path.parent.mkdir(parents=True, exist_ok=True)
    photo.save(path, "JPEG", quality=90, exif=exif, dpi=(300, 300))


@pytest.fixture
def month(small) -> Path:
    data = small({"2020-02": {"articles.yaml": ARTICLE}})
    _photo(data / "2020-02" / "images" / "a.jpg", orientation=6)
    _photo(data / "2020-02" / "images" / "b.jpg", shade=20)
    return data


def _build(data: Path, out: Path) -> bytes:
    return build(data, YearMonth(2020, 2), out).read_bytes()


def _entries(cache_dir: Path) -> list[Path]:
    """The prepared photos in the cache (not the index beside them)."""
    return sorted(p for p in (cache_dir / "photos").iterdir() if not p.name.startswith("."))


def test_the_document_template_is_compiled_while_the_photos_are_prepared(
    month: Path, tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an empty cache, the Word template's XML is compiled once, on the main thread
    while the photos are prepared on the others, not after them: the render reads it back."""
    import jinja2

    phase, compiled = ["photos"], []
    real_compile = jinja2.Environment.compile

    def compile_(self, source, *args, **kwargs):
        if isinstance(source, str) and "<w:body" in source:
            compiled.append(phase[0])
        return real_compile(self, source, *args, **kwargs)

    real_verdicts = pictures.Batch.verdicts

    def verdicts(self):
        try:
            return real_verdicts(self)
        finally:
            phase[0] = "render"

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    monkeypatch.setattr(pictures.Batch, "verdicts", verdicts)
    first = _build(month, tmp_path / "first.docx")
    assert compiled == ["photos"]
    monkeypatch.setenv("BULLETIN_NO_CACHE", "1")
    assert _build(month, tmp_path / "uncached.docx") == first
    assert compiled == ["photos", "render"]  # no cache: compiled by the render itself


@pytest.mark.parametrize("broken", ["not a docx", "a Jinja tag left open"])
def test_a_template_that_cannot_be_used_is_reported_as_without_photos(
    month: Path, tmp_path: Path, cache_dir: Path, broken: str
) -> None:
    """The template compiled while the photos are prepared is compiled again by the render,
    which reports what is wrong with it, as for a month without photos; nothing is written."""
    import zipfile

    folder = tmp_path / "tpl"
    folder.mkdir()
    template = folder / "bulletin.docx"
    if broken == "not a docx":
        template.write_bytes(b"not a docx")
    else:
        shipped = Path(__file__).resolve().parents[1] / "templates" / "bulletin.docx"
        with zipfile.ZipFile(shipped) as src, zipfile.ZipFile(template, "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                if item.filename == "word/document.xml":
                    data = data.replace(b"<w:t>", b"<w:t>{% if %}", 1)
                dst.writestr(item, data)
    out = tmp_path / "out.docx"
    result = run(
        "build", "2020-02", "-o", str(out), "--data", str(month), "--templates", str(folder)
    )
    assert result.exit_code == 1
    last = result.stderr.splitlines()[-1]  # after the month's warning (no records)
    assert last.startswith(f"the Word template {template} cannot be used: ")
    if broken != "not a docx":
        assert last.endswith("Expected an expression, got 'end of statement block'")
    assert not out.exists()


def test_cold_warm_and_uncached_builds_are_byte_identical(
    month: Path, tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _build(month, tmp_path / "cold.docx")
    assert len(_entries(cache_dir)) == 2

    with monkeypatch.context() as mp:
        mp.setattr(Image, "open", _no_decoding)
        warm = _build(month, tmp_path / "warm.docx")
    monkeypatch.setenv("BULLETIN_NO_CACHE", "1")
    monkeypatch.setenv("BULLETIN_CACHE_DIR", str(tmp_path / "unused"))
    uncached = _build(month, tmp_path / "uncached.docx")

    assert warm == cold
    assert uncached == cold
    assert not (tmp_path / "unused").exists()
    shapes = Document(str(tmp_path / "warm.docx")).inline_shapes
    assert [s.height > s.width for s in shapes] == [True, False]  # a.jpg turned upright


def test_no_cache_option_builds_the_same_document_and_leaves_the_cache_alone(
    month: Path, tmp_path: Path, cache_dir: Path
) -> None:
    cold = _build(month, tmp_path / "cold.docx")
    entries = {e.name: e.read_bytes() for e in _entries(cache_dir)}
    for entry in _entries(cache_dir):  # an entry used despite --no-cache would show
        entry.write_bytes(_sealed(b'{"width_mm": 60, "format": "JPEG"}\nx'))

    target = tmp_path / "no-cache.docx"
    result = run("build", "2020-02", "-o", str(target), "--data", str(month), "--no-cache")
    checked = run("check", "--data", str(month), "--no-cache")

    assert result.exit_code == 0, result.output
    assert target.read_bytes() == cold
    assert checked.exit_code == 0, checked.output
    assert sorted(e.name for e in _entries(cache_dir)) == sorted(entries)
    assert cache.cache_root() == cache_dir  # on again after the command
    for entry in _entries(cache_dir):
        entry.write_bytes(_sealed(entries[entry.name]))
    assert run("build", "2020-02", "-o", str(target), "--data", str(month)).exit_code == 0
    assert target.read_bytes() == cold


def _no_decoding(*args, **kwargs):
    raise AssertionError("a photo whose prepared form is in the cache was decoded again")


def _counting_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the size of every picture Pillow opens from here on."""
    opened: list[str] = []
    real_open = Image.open

    def counting(fp, *args, **kwargs):
        image = real_open(fp, *args, **kwargs)
        opened.append(f"{image.size}")
        return image

    monkeypatch.setattr(Image, "open", counting)
    return opened


def test_a_cold_build_decodes_each_photo_once_and_reads_it_once(
    month: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _counting_opens(monkeypatch)
    reads = _counting_reads(monkeypatch)

    _build(month, tmp_path / "cold.docx")

    assert len(opened) == 2  # the check's decode is the preparation's
    assert sorted(reads) == ["a.jpg", "b.jpg"]


def test_check_takes_a_cached_photo_as_decoded_and_never_writes_the_cache(
    month: Path, tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _counting_opens(monkeypatch)
    assert check(month, [YearMonth(2020, 2)]) == [YearMonth(2020, 2)]
    assert len(opened) == 2  # decoded (small) to check them
    assert not (cache_dir / "photos").exists()  # check only reads the cache

    _build(month, tmp_path / "b.docx")
    with monkeypatch.context() as mp:
        mp.setattr(Image, "open", _no_decoding)
        assert check(month, [YearMonth(2020, 2)]) == [YearMonth(2020, 2)]


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_cached_photo_that_is_now_damaged_is_reported_not_trusted(
    month: Path, tmp_path: Path, cache_dir: Path, command: str
) -> None:
    _build(month, tmp_path / "good.docx")
    photo = month / "2020-02" / "images" / "b.jpg"
    photo.write_bytes(photo.read_bytes()[:5000])  # cut short by an interrupted copy
    target = tmp_path / "out.docx"

    args = ["build", "2020-02", "-o", str(target)] if command == "build" else ["check"]
    result = run(*args, "--data", str(month))

    assert result.exit_code == 1
    assert (
        "articles.yaml:7: articles[0].images[1].path: the picture b.jpg is incomplete: "
        "the file is cut off (copy it again from the camera or phone)" in result.output
    )
    assert not target.exists()


def test_a_damaged_cache_entry_does_not_stand_for_the_check(
    month: Path, tmp_path: Path, cache_dir: Path
) -> None:
    _build(month, tmp_path / "good.docx")
    photo = month / "2020-02" / "images" / "b.jpg"
    broken = photo.read_bytes()[:5000]
    # An entry under the name the broken photo would have, but damaged: it is not proof.
    entries = set(_entries(cache_dir))
    photo.write_bytes(broken)
    with pytest.raises(DataError):
        build(month, YearMonth(2020, 2), tmp_path / "x.docx")
    assert set(_entries(cache_dir)) == entries  # nothing stored for a photo that failed
    name = pictures._entry_name(hashlib.sha256(broken).digest())
    (cache_dir / "photos" / name).write_bytes(b"bulletin-cache-1\n" + b"0" * 40)

    with pytest.raises(DataError) as caught:
        check(month, [YearMonth(2020, 2)])

    assert [p.message.key for p in caught.value.problems] == ["image_truncated"]


def test_a_changed_photo_with_the_same_name_is_prepared_again(
    month: Path, tmp_path: Path, cache_dir: Path
) -> None:
    _build(month, tmp_path / "first.docx")
    _photo(month / "2020-02" / "images" / "a.jpg", orientation=1)  # now landscape

    _build(month, tmp_path / "second.docx")

    shapes = Document(str(tmp_path / "second.docx")).inline_shapes
    assert [s.height > s.width for s in shapes] == [False, False]
    assert len(_entries(cache_dir)) == 3  # the old a.jpg, the new one, b.jpg


DAMAGE = {
    "cut short": lambda raw: raw[: len(raw) // 2],
    "bytes changed": lambda raw: raw[:-10] + b"0123456789",
    "empty": lambda raw: b"",
    "checksum right, content meaningless": lambda raw: _sealed(b"{}\n" + raw[-100:]),
    "another format": lambda raw: _sealed(b'{"width_mm": 60, "format": "GIF"}\n' + raw[-100:]),
    "no picture": lambda raw: _sealed(b'{"width_mm": 60, "format": "JPEG"}\n'),
}


def _sealed(payload: bytes) -> bytes:
    import hashlib

    return cache.MAGIC + hashlib.sha256(payload).digest() + payload


def test_a_damaged_cache_entry_is_ignored_and_replaced(
    month: Path, tmp_path: Path, cache_dir: Path
) -> None:
    good = _build(month, tmp_path / "good.docx")
    for name, damage in DAMAGE.items():
        for entry in _entries(cache_dir):
            entry.write_bytes(damage(entry.read_bytes()))

        again = _build(month, tmp_path / "again.docx")

        assert again == good, name
        entries = _entries(cache_dir)
        assert len(entries) == 2
        assert all(pictures._decode_entry(cache.Cache("photos").get(e.name)) for e in entries)


def test_a_cache_that_cannot_be_written_does_not_stop_the_build(
    month: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("BULLETIN_CACHE_DIR", str(blocked))
    first = _build(month, tmp_path / "first.docx")
    monkeypatch.setenv("BULLETIN_NO_CACHE", "1")
    assert _build(month, tmp_path / "second.docx") == first


def test_the_cache_keeps_to_its_size_dropping_the_least_recently_used(tmp_path: Path) -> None:
    store = cache.Cache("things", root=tmp_path, limit=10_000)
    for i in range(5):
        store.put(f"e{i}", bytes([i]) * 3000)
        # Make the order of use unambiguous whatever the file system's clock resolution.
        entry = tmp_path / "things" / f"e{i}"
        import os

        os.utime(entry, ns=(i * 10**9, i * 10**9))
    assert sorted(p.name for p in (tmp_path / "things").iterdir()) == ["e2", "e3", "e4"]
    assert store.get("e4") == bytes([4]) * 3000
    assert store.get("e0") is None


def test_the_cache_folder_follows_the_platform_and_never_the_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BULLETIN_CACHE_DIR")
    monkeypatch.setattr(cache.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_root() == tmp_path / "xdg" / "bulletin"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    assert cache.cache_root() == Path.home() / ".cache" / "bulletin"
    monkeypatch.setattr(cache.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert cache.cache_root() == tmp_path / "local" / "bulletin" / "Cache"
    monkeypatch.setenv("BULLETIN_NO_CACHE", "1")
    assert cache.cache_root() is None


def test_compiled_templates_follow_their_text_and_survive_damage(cache_dir: Path) -> None:
    from jinja2.sandbox import SandboxedEnvironment

    class Env(cache.CompiledTemplates, SandboxedEnvironment):
        pass

    assert Env().from_string("第{{ n }}期").render(n=1) == "第1期"
    assert Env().from_string("第{{ n }}期").render(n=2) == "第2期"  # read back
    assert Env().from_string("共{{ n }}户").render(n=3) == "共3户"  # a changed text
    entries = sorted((cache_dir / "templates").iterdir())
    assert len(entries) == 2
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-5])
    assert Env().from_string("第{{ n }}期").render(n=4) == "第4期"
    assert Env(autoescape=True).from_string("{{ s }}").render(s="<b>") == "&lt;b&gt;"
    assert Env(autoescape=False).from_string("{{ s }}").render(s="<b>") == "<b>"


# ---------------------------------------------------------------- the stat index


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the name of every photo read from here on."""
    reads: list[str] = []
    real_read = Path.read_bytes

    def counting_read(self: Path) -> bytes:
        if self.suffix == ".jpg":
            reads.append(self.name)
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", counting_read)
    return reads


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Photos written before a build count as settled, however recently: the 2 s a photo
    stays racily clean is the coarsest clock a file system may have, not this one's."""
    monkeypatch.setattr(cache, "RACY_NS", 0)


def test_a_rebuild_neither_reads_nor_decodes_an_unchanged_photo(
    month: Path, tmp_path: Path, cache_dir: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _build(month, tmp_path / "first.docx")
    assert (cache_dir / "photos" / ".index").exists()
    reads = _counting_reads(monkeypatch)
    with monkeypatch.context() as mp:
        mp.setattr(Image, "open", _no_decoding)
        again = _build(month, tmp_path / "again.docx")
        assert check(month, [YearMonth(2020, 2)]) == [YearMonth(2020, 2)]
    assert reads == []
    assert again == first
    monkeypatch.setenv("BULLETIN_NO_CACHE", "1")
    assert _build(month, tmp_path / "uncached.docx") == first


def test_a_photo_written_moments_before_a_build_is_read_again_next_time(
    month: Path, tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The month's photos were written just now, within cache.RACY_NS of the first build
    reading them: a write in the same tick of a coarse clock would leave their stat as it
    was, so the next build reads (and hashes) them again rather than trusting the index."""
    first = _build(month, tmp_path / "first.docx")
    reads = _counting_reads(monkeypatch)
    with monkeypatch.context() as mp:
        mp.setattr(Image, "open", _no_decoding)  # same content: the cache entry serves
        assert _build(month, tmp_path / "again.docx") == first
    assert sorted(reads) == ["a.jpg", "b.jpg"]


class _Stat:
    """What StatIndex reads of an os.stat_result."""

    def __init__(self, size: int, mtime_ns: int, ctime_ns: int, ino: int = 7, dev: int = 1):
        self.st_size, self.st_mtime_ns, self.st_ctime_ns = size, mtime_ns, ctime_ns
        self.st_ino, self.st_dev = ino, dev


def test_the_index_trusts_only_a_settled_file_whose_stat_is_unchanged(cache_dir: Path) -> None:
    store = cache.Cache("photos")
    digest = bytes(range(32))
    t = 1_700_000_000 * 10**9
    st = _Stat(5000, t, t)
    index = cache.StatIndex(store)
    index.record("/m/a.jpg", st, t + cache.RACY_NS // 2, digest)  # read within the tick
    assert index.digest("/m/a.jpg", st) is None
    index.record("/m/a.jpg", st, t + cache.RACY_NS + 1, digest)  # read well after
    assert index.digest("/m/a.jpg", st) == digest
    for changed in (
        _Stat(5001, t, t),  # size
        _Stat(5000, t + 1, t),  # modification time, to the ns
        _Stat(5000, t, t + 1),  # change time (a copy keeping the old modification time)
        _Stat(5000, t, t, ino=8),  # another file moved in under the name
        _Stat(5000, t, t, dev=2),
    ):
        assert index.digest("/m/a.jpg", changed) is None
    assert index.digest("/m/b.jpg", st) is None
    index.save()
    assert cache.StatIndex(store).digest("/m/a.jpg", st) == digest  # as read back


def _unsealed(raw: bytes) -> bytes:
    return raw[len(cache.MAGIC) + 32 :]


INDEX_DAMAGE = {
    "lost": None,
    "cut short": lambda raw: raw[: len(raw) // 2],
    "bytes changed": lambda raw: raw[:-10] + b"0123456789",
    "another version's": lambda raw: _sealed(
        b"bulletin-stat-index-9\n" + _unsealed(raw).partition(b"\n")[2]
    ),
    "checksum right, content meaningless": lambda raw: _sealed(
        b'bulletin-stat-index-1\n{"x": [1, "two"], "y": 3}'
    ),
    "checksum right, not JSON": lambda raw: _sealed(b"bulletin-stat-index-1\n\xff{"),
}


@pytest.mark.parametrize("damage", INDEX_DAMAGE)
def test_a_lost_damaged_or_foreign_index_only_costs_reading_the_photos_again(
    month: Path,
    tmp_path: Path,
    cache_dir: Path,
    settled: None,
    monkeypatch: pytest.MonkeyPatch,
    damage: str,
) -> None:
    first = _build(month, tmp_path / "first.docx")
    index = cache_dir / "photos" / ".index"
    if INDEX_DAMAGE[damage] is None:
        index.unlink()
    else:
        index.write_bytes(INDEX_DAMAGE[damage](index.read_bytes()))
    reads = _counting_reads(monkeypatch)

    assert _build(month, tmp_path / "again.docx") == first
    assert sorted(reads) == ["a.jpg", "b.jpg"]  # read and hashed, as without an index
    reads.clear()
    assert _build(month, tmp_path / "third.docx") == first
    assert reads == []  # the index was written again


def test_a_photo_changed_under_an_index_entry_is_prepared_again(
    month: Path, tmp_path: Path, cache_dir: Path, settled: None
) -> None:
    _build(month, tmp_path / "first.docx")
    photo = month / "2020-02" / "images" / "a.jpg"
    before = photo.stat()
    _photo(photo, orientation=1)  # now landscape
    os.utime(photo, ns=(before.st_atime_ns, before.st_mtime_ns))  # its old time kept

    _build(month, tmp_path / "second.docx")

    shapes = Document(str(tmp_path / "second.docx")).inline_shapes
    assert [s.height > s.width for s in shapes] == [False, False]


def test_photos_are_prepared_one_per_core_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Peak memory stays bounded: never more photos decoded at once than there are cores."""
    import threading
    import time

    monkeypatch.setattr(pictures.os, "cpu_count", lambda: 2)
    paths = []
    for n in range(6):
        _photo(tmp_path / f"p{n}.jpg", shade=n)
        paths.append(tmp_path / f"p{n}.jpg")
    busy, most, lock = [0], [0], threading.Lock()
    real = pictures._decode

    def decode(*args, **kwargs):
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        time.sleep(0.05)
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                busy[0] -= 1

    monkeypatch.setattr(pictures, "_decode", decode)
    verdicts = pictures.examine_all(paths, prepare=True)
    assert all(isinstance(v, pictures.Picture) for v in verdicts.values())
    assert most[0] == 2


def test_ctrl_c_while_photos_are_prepared_is_one_line_and_leaves_nothing(
    small, tmp_path: Path, cache_dir: Path
) -> None:
    from tests.test_output import EARLIER, bulletin, earlier_output

    names = [f"p{n}.jpg" for n in range(8)]
    images = "".join(f"      - {{path: images/{name}}}\n" for name in names)
    data = small({"2020-02": {"articles.yaml": ARTICLE.split("    images:")[0] + "    images:\n"
                              + images}})  # fmt: skip
    for n, name in enumerate(names):
        _photo(data / "2020-02" / "images" / name, shade=n)
    out = earlier_output(tmp_path)
    # Ctrl-C once the build waits for its photos, the first being prepared (a signal in
    # the middle of an import can wedge Python's import lock, whatever the program does).
    fault = """
        import os, signal, threading
        os.cpu_count = lambda: 2
        from bulletin import pictures
        waiting = threading.Event()
        _verdicts = pictures.Batch.verdicts
        def verdicts(self):
            waiting.set()
            return _verdicts(self)
        pictures.Batch.verdicts = verdicts
        _real = pictures._prepare
        def _prepare(image):
            if waiting.wait(30):
                os.kill(os.getpid(), signal.SIGINT)
            return _real(image)
        pictures._prepare = _prepare
    """
    result = bulletin("build", "2020-02", "-o", str(out), "--data", str(data), code=fault)
    assert (result.returncode, result.stdout) == (130, b"")
    assert result.stderr.decode() == "interrupted; nothing was written\n"
    assert out.read_bytes() == EARLIER
    assert sorted(p.name for p in out.parent.iterdir()) == ["2020-02.docx"]
    left = sorted(p.name for p in (cache_dir / "photos").iterdir())
    assert not any(name.startswith(".tmp-") for name in left)
    assert len(left) < len(names)  # what was being prepared finished; the rest never began
