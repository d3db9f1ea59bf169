"""Every .docx and .xlsx the tool writes is valid Office Open XML: Microsoft's schema and
semantic rules (openxml-audit, a pure-Python port of the Open XML SDK's validator) and the
checks it does not make (docPr ids, picture content types, fields, bookmarks)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import openxml_audit
import pytest
from conftest import EXAMPLE, write_project
from contract_project import make
from hard_month import write_hard_month
from PIL import Image
from typer.testing import CliRunner

from bulletin.cli import app

# What the validator reports that Office itself writes and reads would be listed here, with
# the reason; nothing is. (It refuses `<w:tblHeader w:val="true"/>`, which Word reads; the
# templates write the bare element, as Office does. The workbooks keep their fonts' children
# in the schema's order and their texts in a shared-strings table, as Excel writes them.)
KNOWN_FALSE_ALARMS: list[re.Pattern[str]] = []

PICTURES = """\
articles:
  - section: 项目快讯
    title: 爱心义剪
    body: 活动当天，社工为职工义剪。
    images:
      - {path: images/photo.jpg, caption: 义剪现场}
      - {path: images/logo.png, caption: 项目标志}
"""


def run(*args: str, layout: bool = False) -> None:
    env = {"LANG": "C", "LANGUAGE": "", **({"BULLETIN_NO_LAYOUT": ""} if layout else {})}
    result = CliRunner().invoke(app, ["--lang", "en", *args], env=env)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every kind of file the tool writes, once: the example's bulletin (laid out and not),
    the hard month's, a month with photos, the report of a quarter, a year and a contract
    period, the sign-in sheets, the evidence pack's index, stats (and the plan's), progress and the
    ledger."""
    root = tmp_path_factory.mktemp("validity")
    out: dict[str, Path] = {}

    def write(name: str, *args: str, layout: bool = False) -> None:
        out[name] = root / name
        run(*args, "-o", str(out[name]), layout=layout)

    write("example.docx", "build", "2020-02", "--data", str(EXAMPLE))
    if shutil.which("soffice"):
        write("example-laid-out.docx", "build", "2020-02", "--data", str(EXAMPLE), layout=True)
    hard = write_hard_month(root / "hard")
    write("hard.docx", "build", "2020-11", "--data", str(hard))
    photos = write_project(root / "photos", {"2020-02": {"articles.yaml": PICTURES}})
    images = photos / "2020-02" / "images"
    images.mkdir()
    Image.effect_noise((800, 600), 60).convert("RGB").save(images / "photo.jpg", "JPEG")
    Image.new("RGBA", (300, 300), (200, 0, 0, 128)).save(images / "logo.png")
    write("photos.docx", "build", "2020-02", "--data", str(photos))
    data, _ = make(root / "contract")
    for period, name in (("2020-Q2", "quarter"), ("2020", "year"), ("上半年", "contract")):
        write(f"report-{name}.docx", "report", period, "--data", str(data))
    write("stats.xlsx", "stats", "--data", str(data), "--format", "xlsx")
    write("plan.xlsx", "stats", "--plan", "2020-03", "--data", str(data), "--format", "xlsx")
    write("progress.xlsx", "progress", "2020-05", "--data", str(data), "--format", "xlsx")
    write("ledger.xlsx", "ledger", "--from", "2020-02", "--to", "2020-07", "--data", str(data))
    write("signin.docx", "signin", "2020-03", "--rows", "20", "--data", str(EXAMPLE))
    pack = root / "pack"
    run("evidence", "上半年", "-o", str(pack), "--data", str(data))
    out["evidence.docx"] = pack / "佐证材料目录.docx"
    out["evidence.xlsx"] = pack / "佐证材料目录.xlsx"
    return out


FILES = [
    "example.docx",
    pytest.param(
        "example-laid-out.docx",
        marks=pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice"),
    ),
    "hard.docx",
    "photos.docx",
    "report-quarter.docx",
    "report-year.docx",
    "report-contract.docx",
    "signin.docx",
    "evidence.docx",
    "evidence.xlsx",
    "stats.xlsx",
    "plan.xlsx",
    "progress.xlsx",
    "ledger.xlsx",
]


@pytest.mark.parametrize("name", FILES)
def test_the_validator_finds_nothing(written: dict[str, Path], name: str) -> None:
    result = openxml_audit.OpenXmlValidator().validate(str(written[name]))
    errors = [str(e) for e in result.errors]
    assert [e for e in errors if not any(alarm.search(e) for alarm in KNOWN_FALSE_ALARMS)] == []


def _word_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {
            n: z.read(n)
            for n in z.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml", n)
        }


DOCX = [name for name in FILES if "xlsx" not in str(name)]


@pytest.mark.parametrize("name", DOCX)
def test_drawing_ids_are_unique(written: dict[str, Path], name: str) -> None:
    ids = [
        m
        for data in _word_parts(written[name]).values()
        for m in re.findall(rb"<wp:docPr [^>]*\bid=\"(\d+)\"", data)
    ]
    assert len(ids) == len(set(ids))


def test_the_pictured_documents_have_pictures(written: dict[str, Path]) -> None:
    """The checks below are not vacuous: these documents hold photos and a chart."""
    for name, count in (("photos.docx", 2), ("report-year.docx", 1)):
        with zipfile.ZipFile(written[name]) as z:
            assert len([n for n in z.namelist() if n.startswith("word/media/")]) == count


@pytest.mark.parametrize("name", DOCX)
def test_every_picture_has_its_content_type(written: dict[str, Path], name: str) -> None:
    """Each picture's content type (by extension or override) is the type of its bytes."""
    with zipfile.ZipFile(written[name]) as z:
        types = z.read("[Content_Types].xml").decode("utf-8")
        defaults = dict(re.findall(r'<Default Extension="([^"]+)" ContentType="([^"]+)"', types))
        overrides = dict(re.findall(r'<Override PartName="([^"]+)" ContentType="([^"]+)"', types))
        for member in z.namelist():
            if not member.startswith("word/media/"):
                continue
            kind = Image.open(io.BytesIO(z.read(member))).format.lower()
            declared = overrides.get("/" + member) or defaults.get(
                member.rsplit(".", 1)[-1].lower()
            )
            assert declared == f"image/{kind}", member


def _fields(xml: bytes) -> list[str]:
    """The part's field codes; fails when begin, separate and end do not nest."""
    stack: list[dict] = []
    codes = []
    for m in re.finditer(rb'<w:fldChar [^>]*w:fldCharType="(\w+)"|<w:instrText[^>]*>([^<]*)<', xml):
        kind, instr = m.group(1), m.group(2)
        if instr is not None:
            assert stack and not stack[-1]["separated"], "field code outside a field"
            stack[-1]["code"] += instr.decode("utf-8")
        elif kind == b"begin":
            stack.append({"code": "", "separated": False})
        elif kind == b"separate":
            assert stack and not stack[-1]["separated"], "separator without a field"
            stack[-1]["separated"] = True
        else:
            assert kind == b"end" and stack, "end without a field"
            codes.append(stack.pop()["code"])
    assert stack == [], "field not ended"
    return codes


@pytest.mark.parametrize("name", DOCX)
def test_fields_balance_and_point_at_bookmarks(written: dict[str, Path], name: str) -> None:
    parts = _word_parts(written[name])
    bookmarks = set()
    for data in parts.values():
        starts = re.findall(rb'<w:bookmarkStart [^>]*w:id="(\d+)"[^>]*w:name="([^"]+)"', data)
        ends = re.findall(rb'<w:bookmarkEnd [^>]*w:id="(\d+)"', data)
        assert sorted(i for i, _ in starts) == sorted(ends)
        bookmarks |= {n.decode("utf-8") for _, n in starts}
    for data in parts.values():
        for code in _fields(data):
            if target := re.match(r"\s*PAGEREF\s+(\S+)", code):
                assert target.group(1) in bookmarks, code
        for anchor in re.findall(rb'<w:hyperlink [^>]*w:anchor="([^"]+)"', data):
            assert anchor.decode("utf-8") in bookmarks


def test_the_bulletins_contents_is_checked(written: dict[str, Path]) -> None:
    """The example has 14 contents entries, each a link and a PAGEREF field, so the field
    and bookmark checks above have something to check."""
    codes = _fields(_word_parts(written["example.docx"])["word/document.xml"])
    assert len([c for c in codes if "PAGEREF" in c]) == 14
    assert len([c for c in codes if c.strip().startswith("TC ")]) == 14


@pytest.mark.parametrize(
    "xml",
    [
        b'<w:fldChar w:fldCharType="begin"/><w:instrText> PAGE </w:instrText>',
        b'<w:fldChar w:fldCharType="end"/>',
        b'<w:fldChar w:fldCharType="begin"/><w:fldChar w:fldCharType="separate"/>'
        b'<w:fldChar w:fldCharType="separate"/><w:fldChar w:fldCharType="end"/>',
    ],
)
def test_unbalanced_fields_are_caught(xml: bytes) -> None:
    with pytest.raises(AssertionError):
        _fields(xml)
