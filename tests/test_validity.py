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


class Written(dict):
    """Every kind of file the tool writes, each made the first time a test asks for it: the
    example's bulletin (laid out and not), a hard month, photos, reports of a quarter, a year
    and a contract period, the sign-in sheets, the evidence pack's index, stats (and the
    plan's), progress and the ledger."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.projects: dict[str, Path] = {}

    def _write(self, name: str, *args: str, layout: bool = False) -> Path:
        run(*args, "-o", str(self.root / name), layout=layout)
        return self.root / name

    def _contract(self) -> Path:
        if "contract" not in self.projects:
            self.projects["contract"], _ = make(self.root / "contract")
        return self.projects["contract"]

    def __missing__(self, name: str) -> Path:
        if name in ("example.docx", "example-laid-out.docx"):
            path = self._write(
                name, "build", "2020-02", "--data", str(EXAMPLE), layout="laid" in name
            )
        elif name == "hard.docx":
            hard = write_hard_month(self.root / "hard")
            path = self._write(name, "build", "2020-11", "--data", str(hard))
        elif name == "photos.docx":
            photos = write_project(self.root / "photos", {"2020-02": {"articles.yaml": PICTURES}})
            images = photos / "2020-02" / "images"
            images.mkdir()
            Image.effect_noise((800, 600), 60).convert("RGB").save(images / "photo.jpg", "JPEG")
            Image.new("RGBA", (300, 300), (200, 0, 0, 128)).save(images / "logo.png")
            path = self._write(name, "build", "2020-02", "--data", str(photos))
        elif name.startswith("report-"):
            period = {"quarter": "2020-Q2", "year": "2020", "contract": "上半年"}[name[7:-5]]
            path = self._write(name, "report", period, "--data", str(self._contract()))
        elif name.startswith("evidence."):
            pack = self.root / "pack"
            if not pack.exists():
                run("evidence", "上半年", "-o", str(pack), "--data", str(self._contract()))
            path = pack / f"佐证材料目录{name[8:]}"
        else:
            args = {
                "signin.docx": ("signin", "2020-03", "--rows", "20", "--data", str(EXAMPLE)),
                "stats.xlsx": ("stats", "--format", "xlsx"),
                "plan.xlsx": ("stats", "--plan", "2020-03", "--format", "xlsx"),
                "progress.xlsx": ("progress", "2020-05", "--format", "xlsx"),
                "ledger.xlsx": ("ledger", "--from", "2020-02", "--to", "2020-07"),
            }[name]
            if "--data" not in args:
                args = (*args, "--data", str(self._contract()))
            path = self._write(name, *args)
        self[name] = path
        return path


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return Written(tmp_path_factory.mktemp("validity"))


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
def test_the_validator_finds_nothing(written: Written, name: str) -> None:
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
def test_drawing_ids_are_unique(written: Written, name: str) -> None:
    ids = [
        m
        for data in _word_parts(written[name]).values()
        for m in re.findall(rb"<wp:docPr [^>]*\bid=\"(\d+)\"", data)
    ]
    assert len(ids) == len(set(ids))


def test_the_pictured_documents_have_pictures(written: Written) -> None:
    """The checks below are not vacuous: these documents hold photos and a chart."""
    for name, count in (("photos.docx", 2), ("report-year.docx", 1)):
        with zipfile.ZipFile(written[name]) as z:
            assert len([n for n in z.namelist() if n.startswith("word/media/")]) == count


@pytest.mark.parametrize("name", DOCX)
def test_every_picture_has_its_content_type(written: Written, name: str) -> None:
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
def test_fields_balance_and_point_at_bookmarks(written: Written, name: str) -> None:
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


def test_the_bulletins_contents_is_checked(written: Written) -> None:
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
