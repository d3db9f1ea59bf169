"""Evidence files on records, the privacy rule, and the evaluation pack (bulletin evidence).

The pack's index is checked against what a person counts in the generated files: every
record of each indicator, its files with their numbers, and the records without any."""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import PROJECT_YAML, run_cli, write_project
from docx import Document

MONTHS = ["2020-02", "2020-03", "2020-04", "2020-05"]
TOWNS = ["神湾镇", "黄圃镇", "三乡镇"]
CONTRACT = """\
contract:
  - name: 2020年度
    start: 2020-02
    end: 2021-01
    indicators:
      - {name: 困难职工探访 不少于 200 户次, figure: visits, target: 200}
      - {name: 神湾镇探访 40 户次, figure: visits, target: 40, towns: [神湾镇]}
      - {name: 职工活动 不少于 24 场, figure: activity_sessions, target: 24}
      - {name: 完成职工微心愿 20 个, figure: wishes_fulfilled, target: 20}
      - {name: 心理咨询 120 小时, figure: counselling_hours, target: 120}
"""


def jpeg(color: str = "white", size: tuple[int, int] = (60, 40), exif: bytes = b"") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def png_with_text() -> bytes:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "梁女士的手机")
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def exif_with(orientation: int = 1, gps: bool = False) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    if gps:
        exif[0x8825] = {1: "N", 2: (22.0, 31.0, 0.0)}
    return exif.tobytes()


def make(root: Path) -> tuple[Path, dict[int, list[tuple[str, int]]]]:
    """Four months of a contract period, most records with evidence. Returns the data folder
    and, per indicator number, what a person lists: (record's date, its number of files)."""
    expected: dict[int, list[tuple[str, int]]] = {n: [] for n in range(1, 6)}
    months: dict[str, dict[str, str]] = {}
    files: dict[str, bytes] = {}
    for i, month in enumerate(MONTHS):
        visits = ""
        for j in range(4):
            day = f"{month}-{j + 10}"
            town = TOWNS[j % 3]
            kept = j != 3  # every fourth visit has no scan
            if kept:
                name = f"evidence/visit{j}.jpg"
                files[f"{month}/{name}"] = jpeg()
                visits += f"  - {{date: {day}, name: 梁女士, town: {town}, mode: 走访, evidence: [{name}]}}\n"
            else:
                visits += f"  - {{date: {day}, name: 郭先生, town: {town}, mode: 电访}}\n"
            expected[1].append((day, 1 if kept else 0))
            if town == "神湾镇":
                expected[2].append((day, 1 if kept else 0))
        sessions = ""
        for k in range(2):
            day = f"{month}-{k + 20}"
            if k == 0:  # a sign-in sheet and a questionnaire, the latter as a mapping
                files[f"{month}/evidence/s{k}.jpg"] = jpeg()
                files[f"{month}/evidence/q{k}.pdf"] = b"%PDF-1.4\n%scan\n"
                sessions += (
                    f"      - date: {day}\n        venue: 企业{k}\n        evidence:\n"
                    f"          - evidence/s{k}.jpg\n"
                    f"          - {{file: evidence/q{k}.pdf, what: 满意度问卷}}\n"
                )
                expected[3].append((day, 2))
            else:
                sessions += f"      - {{date: {day}, venue: 企业{k}}}\n"
                expected[3].append((day, 0))
        nxt = MONTHS[i + 1] if i + 1 < len(MONTHS) else "2020-06"
        files[f"{month}/evidence/receipt.png"] = png_with_text()
        files[f"{month}/evidence/wish2.jpg"] = jpeg()
        wishes = (
            "wishes:\n"
            f"  - {{name: 梁女士, situation: 情况, wish: 书包, fulfilled: {month}-25,"
            " evidence: [evidence/receipt.png]}\n"
            "  - {name: 郭女士, situation: 情况, wish: 文具, evidence: [evidence/wish2.jpg]}\n"
        )
        expected[4].append((f"{month}-25", 1))
        expected[5].append((month, -1))  # counselling keeps no evidence
        months[month] = {
            "visits.yaml": "visits:\n" + visits,
            "events.yaml": f"activities:\n  - name: 职工活动{i}\n    participants: 20\n"
            "    sessions:\n" + sessions,
            "wishes.yaml": wishes,
            "consultations.yaml": "consultations:\n"
            "  - {counsellor: 廖诗敏, channel: 线上, people: 2, hours: 3}\n",
            "plans.yaml": "plans:\n"
            f"  - name: 读书会\n    content: 活动\n    rows: [{{target: 职工, due: {nxt}, staff: 李}}]\n",
        }
    data = write_project(root, months, PROJECT_YAML + CONTRACT)
    for name, content in files.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_bytes(content)
    return data, expected


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    return make(tmp_path_factory.mktemp("evidence"))


@pytest.fixture(scope="module")
def pack(project, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    data, _expected = project
    out = tmp_path_factory.mktemp("pack") / "佐证"
    result = run_cli("evidence", "2020年度", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output + result.stderr
    return out, result


def index_rows(out: Path) -> list[list]:
    book = openpyxl.load_workbook(out / "佐证材料目录.xlsx")
    sheet = book["记录与佐证"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["指标序号", "日期", "记录", "来源", "编号", "佐证文件"]
    return rows[1:]


def test_the_index_lists_every_record_and_file_of_each_indicator(project, pack) -> None:
    _data, expected = project
    out, _result = pack
    rows = index_rows(out)
    for n, records in expected.items():
        mine = [r for r in rows if r[0] == str(n)]
        # one row a file, or one row for a record without any
        assert len(mine) == sum(max(1, files) for _day, files in records), n
        days = sorted({r[1] for r in mine})
        assert days == sorted({day for day, _files in records}), n
        missing = [r for r in mine if r[5] == "缺佐证"]
        assert len(missing) == sum(1 for _d, files in records if files == 0), n
        not_kept = [r for r in mine if r[5] == "不需佐证"]
        assert len(not_kept) == sum(1 for _d, files in records if files < 0), n
        numbers = [r[4] for r in mine if r[4]]
        count = sum(max(0, files) for _d, files in records)
        assert numbers == [f"{n}-{k:02d}" for k in range(1, count + 1)], n
        folder = next(out.glob(f"{n} *"), None)
        if count:
            copied = sorted(p.name for p in folder.iterdir())
            assert copied == sorted(r[5].split("/", 1)[1] for r in mine if r[4]), n
            assert all(name.startswith(f"{n}-") for name in copied)
        else:
            assert folder is None, n


def test_files_are_named_by_what_they_are(project, pack) -> None:
    out, _result = pack
    names = sorted(p.name for p in (out / "3 职工活动 不少于 24 场").iterdir())
    assert names[:2] == [
        "3-01 2020-02-20 职工活动0 企业0 s0.jpg",
        "3-02 2020-02-20 职工活动0 企业0 满意度问卷.pdf",
    ]


def test_the_appendix_holds_evidence_no_indicator_lists(project, pack) -> None:
    """The unfulfilled wishes' files belong to no indicator: they are not left out."""
    out, _result = pack
    appendix = [r for r in index_rows(out) if r[0] == "附"]
    assert len(appendix) == len(MONTHS)
    assert [r[4] for r in appendix] == [f"附-{k:02d}" for k in range(1, len(MONTHS) + 1)]
    assert all("郭女士 文具" in r[2] for r in appendix)
    assert len(list((out / "其他佐证材料").iterdir())) == len(MONTHS)


def test_the_first_page_counts_each_record_once(project, pack) -> None:
    """Records that need evidence: 16 visits, 8 sessions, 4 fulfilled wishes; a visit in 神湾镇
    is listed under two indicators but counted once."""
    out, result = pack
    doc = Document(str(out / "佐证材料目录.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    complete = 12 + 4 + 4
    assert f"佐证齐全 {complete}/28" in text
    assert f"evidence complete for {complete} of 28 records" in result.stdout
    assert "8 records have no evidence" in result.stderr
    tables = doc.tables
    summary = [[c.text for c in row.cells] for row in tables[0].rows]
    assert summary[0] == ["序号", "指标", "目标", "实际", "完成率", "状态", "佐证齐全"]
    assert summary[1] == ["1", "困难职工探访 不少于 200 户次", "200", "16", "8%", "滞后", "12/16"]
    assert summary[5][-1] == "0/0"  # counselling keeps no evidence
    # each indicator's records: date, record, source file:line, files
    # (the table's layout may break a long cell at a space: read as one line)
    first = [[c.text.replace("\n", " ") for c in row.cells] for row in tables[1].rows]
    assert first[0] == ["日期", "记录", "来源", "佐证材料"]
    assert first[1][0] == "2020-02-10" and first[1][1] == "梁女士 神湾镇 走访"
    assert first[1][2].endswith("2020-02/visits.yaml:2")
    assert first[1][3] == "1-01 2020-02-10 梁女士 神湾镇 走访 visit0.jpg"
    assert first[4][3] == "缺佐证"
    assert "台账-2020-02-2020-05.xlsx" in text and "报告-2020年度.docx" in text
    assert (out / "台账-2020-02-2020-05.xlsx").is_file()
    report = Document(str(out / "报告-2020年度.docx"))
    assert any("截至2020年5月" in p.text for p in report.paragraphs)


def test_pictures_lose_their_metadata_but_not_their_pixels(tmp_path: Path) -> None:
    from PIL import Image

    from bulletin.scrub import scrubbed

    photo = jpeg("red", exif=exif_with(1, gps=True))
    assert b"PhoneMaker" in photo
    clean = scrubbed(photo, ".jpg", "x.jpg")
    assert b"Exif" not in clean and b"PhoneMaker" not in clean
    assert clean[-len(photo) // 2 :] == photo[-len(photo) // 2 :]  # the image data as it was
    assert Image.open(io.BytesIO(clean)).tobytes() == Image.open(io.BytesIO(photo)).tobytes()
    png = png_with_text()
    clean_png = scrubbed(png, ".png", "x.png")
    assert b"iTXt" in png and b"iTXt" not in clean_png
    assert Image.open(io.BytesIO(clean_png)).tobytes() == Image.open(io.BytesIO(png)).tobytes()
    pdf = b"%PDF-1.4\n%scan\n"
    assert scrubbed(pdf, ".pdf", "x.pdf") == pdf


def test_a_sideways_scan_is_turned_upright_without_its_exif() -> None:
    """Orientation 6: the stored picture is 60×40 with a red top-left corner; shown, it is
    40×60 with the red corner at the top right."""
    from PIL import Image

    from bulletin.scrub import scrubbed

    image = Image.new("RGB", (60, 40), "white")
    image.paste((255, 0, 0), (0, 0, 10, 10))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, exif=exif_with(6, gps=True))
    clean = scrubbed(buffer.getvalue(), ".jpg", "x.jpg")
    assert b"Exif" not in clean
    shown = Image.open(io.BytesIO(clean))
    assert shown.size == (40, 60)
    r, g, b = shown.getpixel((35, 4))
    assert r > 200 and g < 80 and b < 80
    r, g, b = shown.getpixel((4, 4))
    assert g > 200


def test_the_pack_holds_no_metadata_of_the_originals(project, pack) -> None:
    data, _expected = project
    out, _result = pack
    receipt = next((out / "4 完成职工微心愿 20 个").glob("4-01 *"))
    assert "梁女士的手机".encode() in (data / "2020-02" / "evidence" / "receipt.png").read_bytes()
    assert b"iTXt" not in receipt.read_bytes()


def test_the_zip_is_the_same_bytes_every_time(project, tmp_path: Path) -> None:
    data, _expected = project
    made = []
    for k in range(2):
        out = tmp_path / f"pack{k}.zip"
        result = run_cli("evidence", "2020年度", "-o", str(out), "--data", str(data))
        assert result.exit_code == 0, result.stderr
        made.append(out.read_bytes())
    assert made[0] == made[1]
    names = zipfile.ZipFile(io.BytesIO(made[0])).namelist()
    assert "佐证材料目录.docx" in names
    assert "1 困难职工探访 不少于 200 户次/1-01 2020-02-10 梁女士 神湾镇 走访 visit0.jpg" in names
    info = zipfile.ZipFile(io.BytesIO(made[0])).getinfo("佐证材料目录.docx")
    assert info.flag_bits & 0x800  # names in UTF-8, as Windows' Explorer reads them


def test_strict_refuses_records_without_evidence_and_writes_nothing(
    project, tmp_path: Path
) -> None:
    data, _expected = project
    out = tmp_path / "pack"
    result = run_cli("evidence", "2020年度", "--strict", "-o", str(out), "--data", str(data))
    assert result.exit_code == 1
    assert "2020-02/visits.yaml:5: no evidence for 郭先生 神湾镇 电访 (缺佐证)" in result.stderr
    assert "2020-02/events.yaml:" in result.stderr
    assert not out.exists()
    zh = run_cli("evidence", "2020年度", "--strict", "-o", str(out), "--data", str(data), lang="zh")
    assert "郭先生 神湾镇 电访 没有佐证材料（缺佐证）" in zh.stderr
    assert not out.exists()


def test_a_file_no_record_lists_is_a_warning(tmp_path: Path) -> None:
    data, _expected = make(tmp_path)
    (data / "2020-03" / "evidence" / "forgotten.jpg").write_bytes(jpeg())
    out = tmp_path / "pack"
    result = run_cli("evidence", "2020年度", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0
    assert (
        "evidence/forgotten.jpg is in the evidence folder but no record lists it" in result.stderr
    )
    assert not any("forgotten" in p.name for p in out.rglob("*"))


def test_a_pack_replaces_its_earlier_self_and_never_a_folder_of_the_users(
    project, tmp_path: Path
) -> None:
    data, _expected = project
    out = tmp_path / "pack"
    assert run_cli("evidence", "2020年度", "-o", str(out), "--data", str(data)).exit_code == 0
    (out / "1 困难职工探访 不少于 200 户次" / "old.jpg").write_bytes(b"left from before")
    assert run_cli("evidence", "2020年度", "-o", str(out), "--data", str(data)).exit_code == 0
    assert not list(out.rglob("old.jpg"))
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep", encoding="utf-8")
    result = run_cli("evidence", "2020年度", "-o", str(mine), "--data", str(data))
    assert result.exit_code == 1
    assert "is a folder with other files in it, and no 佐证材料目录.xlsx" in result.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_the_pack_outside_any_contract_period_is_an_error(tmp_path: Path) -> None:
    data = write_project(tmp_path, {"2020-02": {}})
    result = run_cli("evidence", "--from", "2020-02", "--to", "2020-02", "--data", str(data))
    assert result.exit_code == 1
    assert "in no contract period with indicators" in result.stderr


# ---------------------------------------------------------------- evidence: in the data


def _month_with(events_evidence: str, files: dict[str, bytes], tmp_path: Path) -> Path:
    data = write_project(
        tmp_path,
        {
            "2020-02": {
                "events.yaml": "activities:\n  - name: 活动\n    participants: 3\n"
                "    sessions:\n      - date: 2020-02-20\n        venue: 社区\n"
                f"        evidence: {events_evidence}\n"
            }
        },
    )
    for name, content in files.items():
        (data / "2020-02" / name).parent.mkdir(parents=True, exist_ok=True)
        (data / "2020-02" / name).write_bytes(content)
    return data


@pytest.mark.parametrize(
    ("listed", "files", "message"),
    [
        ("[../outside.jpg]", {}, "evidence file '../outside.jpg' is outside the month folder"),
        (
            "[evidence/a.docx]",
            {"evidence/a.docx": b"PK"},
            "'evidence/a.docx' cannot be kept as evidence: evidence files are jpg, png or pdf",
        ),
        ("[evidence/a.jpg]", {}, "evidence file 'evidence/a.jpg' does not exist"),
        (
            "[evidence/A.jpg]",
            {"evidence/a.jpg": b"\xff\xd8\xff\xe0"},
            "does not exist, but 'evidence/a.jpg' does",
        ),
        (
            "[evidence/a.pdf]",
            {"evidence/a.pdf": b"\xff\xd8\xff\xe0rest"},
            "'evidence/a.pdf' ends like a PDF file but holds a JPEG file",
        ),
        (
            "[evidence/a.jpg]",
            {"evidence/a.jpg": b"hello"},
            "'evidence/a.jpg' ends like a JPEG file but is not one",
        ),
        (
            "[evidence/a.jpg]",
            {"evidence/a.jpg": b"GIF89a\x01\x00"},
            "'evidence/a.jpg' ends like a JPEG file but holds a GIF file",
        ),
        (
            "[evidence/a.png]",
            {"evidence/a.png": b"RIFF\x10\x00\x00\x00WEBPVP8 "},
            "'evidence/a.png' ends like a PNG file but holds a WebP file",
        ),
        (
            "[evidence/a.pdf]",
            {"evidence/a.pdf": b"II*\x00\x08\x00"},
            "'evidence/a.pdf' ends like a PDF file but holds a TIFF file",
        ),
        (
            "[evidence/a.jpg]",
            {"evidence/a.jpg": b"RIFF\x10\x00\x00\x00WAVEfmt "},
            "'evidence/a.jpg' ends like a JPEG file but is not one",
        ),
        ("[{what: 签到表}]", {}, "file"),
    ],
)
def test_bad_evidence_is_refused_with_its_line_and_nothing_is_written(
    tmp_path: Path, listed: str, files: dict[str, bytes], message: str
) -> None:
    data = _month_with(listed, files, tmp_path)
    out = tmp_path / "out.docx"
    result = run_cli("build", "2020-02", "-o", str(out), "--data", str(data))
    assert result.exit_code == 1
    assert "2020-02/events.yaml:7: activities[0].sessions[0].evidence[0]" in result.stderr
    assert message in result.stderr
    assert not out.exists()


def test_an_evidence_file_too_large_is_refused(tmp_path: Path, monkeypatch) -> None:
    from bulletin import models

    monkeypatch.setattr(models, "EVIDENCE_MAX_MB", 1)
    data = _month_with(
        "[evidence/big.pdf]", {"evidence/big.pdf": b"%PDF-" + b"0" * 1_206_000}, tmp_path
    )
    result = run_cli("check", "2020-02", "--data", str(data), lang="zh")
    assert result.exit_code == 1
    # 1,206,005 bytes are 1.1501 MB of 1,048,576 bytes
    assert "佐证文件“evidence/big.pdf”有 1.2 MB，超过了佐证文件的上限 1 MB" in result.stderr
    assert "扫描时用 150–200 dpi" in result.stderr
    # a file of exactly the limit, or a few bytes over, is kept or refused by the byte
    for size, refused in ((1024 * 1024, False), (1024 * 1024 + 1, True)):
        (data / "2020-02" / "evidence" / "big.pdf").write_bytes(b"%PDF-" + b"0" * (size - 5))
        result = run_cli("check", "2020-02", "--data", str(data), lang="zh")
        assert result.exit_code == int(refused), result.output


def test_evidence_of_another_kind_is_named_by_its_kind_in_chinese_too(tmp_path: Path) -> None:
    """The kind a file holds is its format's own name (GIF, WebP, …), the same in both
    languages: no English word inside the Chinese message."""
    data = _month_with("[evidence/a.jpg]", {"evidence/a.jpg": b"GIF87a\x01\x00"}, tmp_path)
    result = run_cli("check", "2020-02", "--data", str(data), lang="zh")
    assert result.exit_code == 1
    assert "“evidence/a.jpg”的结尾是 JPEG 文件，内容却是 GIF 文件" in result.stderr


def test_counselling_keeps_no_evidence(tmp_path: Path) -> None:
    data = write_project(
        tmp_path,
        {
            "2020-02": {
                "consultations.yaml": "consultations:\n  - {counsellor: 廖诗敏, channel: 线上,"
                " people: 2, hours: 3, evidence: [a.jpg]}\n"
            }
        },
    )
    result = run_cli("check", "2020-02", "--data", str(data))
    assert result.exit_code == 1
    assert "consultations[0].evidence" in result.stderr


@pytest.mark.parametrize(
    ("image", "why"),
    [
        ("evidence/sheet.jpg", "it lies in the month's evidence/ folder"),
        ("sheet.jpg", "events.yaml:7 lists it under evidence"),
    ],
)
def test_the_bulletin_never_prints_evidence(tmp_path: Path, image: str, why: str) -> None:
    data = _month_with("[sheet.jpg]", {"sheet.jpg": jpeg(), "evidence/sheet.jpg": jpeg()}, tmp_path)
    (data / "2020-02" / "articles.yaml").write_text(
        "articles:\n  - section: 项目快讯\n    title: 活动\n    body: 正文\n"
        f"    images:\n      - path: {image}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.docx"
    for command in (
        ["build", "2020-02", "-o", str(out)],
        ["build", "2020-02", "--html", "-o", str(tmp_path / "out.html")],
    ):
        result = run_cli(*command, "--data", str(data))
        assert result.exit_code == 1, command
        assert (
            f"articles.yaml:6: articles[0].images[0].path: '{image}' is evidence kept for the evaluator ({why})"
            in result.stderr
        )
    assert not out.exists() and not (tmp_path / "out.html").exists()


def test_the_example_keeps_its_sign_in_sheets_out_of_the_bulletin(example: Path, tmp_path) -> None:
    out = tmp_path / "pack.zip"
    result = run_cli("evidence", "2020年度", "-o", str(out), "--data", str(example))
    assert result.exit_code == 0, result.stderr
    names = zipfile.ZipFile(out).namelist()
    signed = [n for n in names if n.endswith("签到表.jpg")]
    assert signed and all(n.startswith(("3 ", "4 ")) for n in signed)


def test_jpeg_segments_after_the_scan_are_copied_as_they_are() -> None:
    """A JPEG's compressed data may hold 0xFF bytes: the scrubber stops parsing at the first
    scan and copies the rest."""
    from bulletin.scrub import scrubbed

    photo = jpeg("green", size=(200, 100), exif=exif_with(1))
    scan = photo.index(b"\xff\xda")
    clean = scrubbed(photo, ".jpg", "x.jpg")
    assert clean.endswith(photo[scan:])
    (length,) = struct.unpack(">H", photo[4:6])
    assert clean.startswith(b"\xff\xd8\xff\xe0")  # JFIF kept


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler-utils is not installed",
)
def test_the_index_reads_as_a_document_in_libreoffice(pack, tmp_path: Path) -> None:
    """As an evaluator opens it: the cover's count, each indicator's heading and its rows,
    the header row repeated on a table's later pages."""
    import subprocess

    out, _result = pack
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / "佐证材料目录.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "佐证材料目录.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert "佐证齐全 20/28" in pages[0]
    assert "1 困难职工探访 不少于 200 户次" in text
    assert "3 职工活动 不少于 24 场" in text and "其他佐证材料" in text
    # visits, of them 神湾镇 (every fourth visit is there), sessions; and the page-2 sentence
    assert text.count("缺佐证") == 4 + 4 + 4 + 1
    body = [p for p in pages[1:] if p.strip()]
    assert len(body) >= 2
    assert all("日期" in p or "序号" in p for p in body)  # every page under a header row


def test_a_quarters_pack_lists_the_quarters_records_and_the_periods_actual(
    project, tmp_path: Path
) -> None:
    data, expected = project
    out = tmp_path / "q2"
    result = run_cli("evidence", "2020-Q2", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.stderr
    rows = [r for r in index_rows(out) if r[0] == "1"]
    assert {r[1][:7] for r in rows} == {"2020-04", "2020-05"}
    assert len(rows) == sum(1 for day, _f in expected[1] if day >= "2020-04")
    summary = openpyxl.load_workbook(out / "佐证材料目录.xlsx")["指标"]
    assert [c.value for c in summary[2]][:4] == ["1", "困难职工探访 不少于 200 户次", "200", "16"]


def test_a_folder_named_like_the_missing_file_is_not_offered_for_it(tmp_path: Path) -> None:
    """`evidence/A.jpg` is missing; `evidence/a.jpg` is a folder, not the file meant: the
    message says the file does not exist and names nothing else."""
    data = _month_with(
        "[evidence/A.jpg]", {"evidence/a.jpg/scan.jpg": b"\xff\xd8\xff\xe0"}, tmp_path
    )
    result = run_cli("check", "2020-02", "--data", str(data))
    assert result.exit_code == 1
    assert "evidence file 'evidence/A.jpg' does not exist" in result.stderr
    assert "but" not in result.stderr
