"""The table writer's workbooks, read back as a spreadsheet program reads them."""

from __future__ import annotations

import io
from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from bulletin.models import YearMonth
from bulletin.tables import Sheet, cell_text, to_xlsx, width

_text = st.lists(
    st.sampled_from(["a", "7", "北", "滘", "，", "\n", "&", "<", " ", "Ω", "😀", "-"]), max_size=40
).map("".join)
_cell = st.one_of(
    st.none(),
    _text,
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.booleans(),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
)


def _expected(sheet: Sheet) -> list[float]:
    """The width rule said plainly: every line of every cell measured."""
    out = []
    for i, head in enumerate(sheet.headers):
        texts = [head, *(cell_text(row[i]) for row in sheet.all_rows() if i < len(row))]
        widest = max(width(line) for text in texts for line in text.split("\n"))
        out.append(max(min(widest + 2, sheet.wide.get(i, 60)), 6))
    return out


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(_cell, min_size=0, max_size=5), max_size=12),
    heads=st.lists(_text, min_size=1, max_size=4),
    cap=st.integers(min_value=6, max_value=70),
)
# Equal values printed differently: True and 1 (the column is as wide as "True").
@example(rows=[[1], [True]], heads=["x"], cap=60)
@example(rows=[[None, 0], [None, False]], heads=["", ""], cap=6)
# Numbers whose longest text is the least, not the largest, and the other way round.
@example(rows=[[-100000], [99]], heads=["x"], cap=60)
@example(rows=[[7], [1234567]], heads=["x"], cap=60)
# An ASCII line wider than a line of Chinese, and the other way round.
@example(rows=[["a" * 30], ["北滘" * 6]], heads=["x"], cap=60)
@example(rows=[["a" * 20], ["北滘" * 6]], heads=["x"], cap=60)
# A column one line short of its limit: the Chinese line after it still widens it to the limit.
@example(rows=[["a" * 7], ["北滘" * 2]], heads=["x"], cap=10)
def test_workbook_columns_are_as_wide_as_their_widest_line(
    rows: list[list], heads: list[str], cap: int
) -> None:
    sheet = Sheet("表", heads, rows, [1, "合计"], {0: cap})
    book = load_workbook(io.BytesIO(to_xlsx([sheet], YearMonth(2024, 1))))
    ws = book.active
    found = [ws.column_dimensions[chr(65 + i)].width for i in range(len(heads))]
    assert found == _expected(sheet)
    # Every cell reads back as written: numbers as numbers, every other value as its text.
    for r, row in enumerate(sheet.all_rows(), 2):
        for c, value in enumerate(row):
            got = ws.cell(r, c + 1).value
            if value is None or value == "":
                assert got is None
            elif type(value) in (int, float):
                assert got == value
            else:
                assert got == str(value)


def test_writing_a_workbook_does_not_import_openpyxl() -> None:
    """openpyxl is an eighth of a second to import; the writer needs only its theme."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from bulletin.models import YearMonth\n"
        "from bulletin.tables import Sheet, to_xlsx\n"
        "to_xlsx([Sheet('表', ['a'], [[1]])], YearMonth(2024, 1))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def _sheet_xml(book: bytes, part: str = "xl/worksheets/sheet1.xml") -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(book)) as z:
        return z.read(part).decode("utf-8")


def test_column_letters_go_on_after_z_as_a_spreadsheet_names_them() -> None:
    from bulletin.tables import _column

    assert [_column(n) for n in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_a_sheet_frozen_after_its_first_column_and_row_scrolls_from_b2() -> None:
    """The pane a spreadsheet program reads: one column and one row split off, or only the
    header row; a one-column sheet's extent is that column; no stray text in the sheet."""
    import xml.etree.ElementTree as ET

    for freeze, columns in (("B2", 1), ("A2", None)):
        sheet = Sheet("表", ["月份", "探访"], [["2020-02", 1]], freeze=freeze)
        book = to_xlsx([sheet], YearMonth(2024, 1))
        pane = load_workbook(io.BytesIO(book)).active.sheet_view.pane
        assert (pane.xSplit, pane.ySplit, pane.topLeftCell) == (columns, 1, freeze)
        assert pane.activePane == ("bottomRight" if columns else "bottomLeft")
    xml = _sheet_xml(
        to_xlsx([Sheet("表", ["月份"], [["2020-02"], ["2020-03"]])], YearMonth(2024, 1))
    )
    assert '<dimension ref="A1:A3"/>' in xml
    # an empty text is an empty cell, not a cell holding nothing
    empty = to_xlsx([Sheet("表", ["a", "b", "c"], [["", None, "x"]])], YearMonth(2024, 1))
    row = _sheet_xml(empty).split('<row r="2">')[1]
    assert '<c r="A2"' not in row and '<c r="B2"' not in row and '<c r="C2"' in row
    two = Sheet("表", ["月份", "探访"], [["2020-02", 1], ["2020-03", 2]], [1, 3])
    root = ET.fromstring(_sheet_xml(to_xlsx([two], YearMonth(2024, 1))))
    assert all(
        not (e.text or "").strip() for e in root.iter() if e.tag.split("}")[1] not in ("v", "t")
    )
    assert all(not (e.tail or "").strip() for e in root.iter())
    assert root[0].tag.endswith("sheetPr")  # fit to the page's width when printed


def test_text_that_looks_like_markup_reads_back_as_typed() -> None:
    texts = ["a]]>b", "<w:t>", "x & y", "1 > 0"]
    book = to_xlsx([Sheet("表", ["备注"], [[t] for t in texts])], YearMonth(2024, 1))
    assert "a]]&gt;b" in _sheet_xml(book, "xl/sharedStrings.xml")
    ws = load_workbook(io.BytesIO(book)).active
    assert [ws.cell(r, 1).value for r in range(2, 6)] == texts


_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_TYPE = "application/vnd.openxmlformats-officedocument."


def test_every_part_of_a_workbook_has_its_type_and_is_reached_by_a_relationship() -> None:
    """What Excel checks before it shows a cell (LibreOffice and openpyxl forgive more): each
    part's content type, by its extension or its own entry; each relationship's target there;
    each sheet named at most 31 characters, with its print titles naming it as Excel quotes it
    ('' for an apostrophe)."""
    import xml.etree.ElementTree as ET
    import zipfile

    long = "甲" * 40
    sheets = [Sheet("汇总", ["a"], [[1]]), Sheet("O'Brien", ["b"], [["x"]]), Sheet(long, ["c"], [])]
    with zipfile.ZipFile(io.BytesIO(to_xlsx(sheets, YearMonth(2024, 1)))) as z:
        names = set(z.namelist())
        for name in names:  # no stray text between the elements of any part
            root = ET.fromstring(z.read(name))
            assert all(not (e.tail or "").strip() for e in root.iter()), name
            assert all(not (e.text or "").strip() for e in root.iter() if len(e)), name
        created = ET.fromstring(z.read("docProps/core.xml"))[0]
        assert created.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "dcterms:W3CDTF"
        types = ET.fromstring(z.read("[Content_Types].xml"))
        default = {e.get("Extension"): e.get("ContentType") for e in types.iter(f"{_CT}Default")}
        override = {e.get("PartName"): e.get("ContentType") for e in types.iter(f"{_CT}Override")}
        assert default == {
            "rels": "application/vnd.openxmlformats-package.relationships+xml",
            "xml": "application/xml",
        }
        assert {name[1:] for name in override} <= names
        assert override == {
            "/xl/workbook.xml": _TYPE + "spreadsheetml.sheet.main+xml",
            "/xl/styles.xml": _TYPE + "spreadsheetml.styles+xml",
            "/xl/sharedStrings.xml": _TYPE + "spreadsheetml.sharedStrings+xml",
            "/xl/theme/theme1.xml": _TYPE + "theme+xml",
            **{
                f"/xl/worksheets/sheet{i}.xml": _TYPE + "spreadsheetml.worksheet+xml"
                for i in (1, 2, 3)
            },
            "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
            "/docProps/app.xml": _TYPE + "extended-properties+xml",
        }
        assert all(f"/{n}" in override or n.rsplit(".", 1)[-1] in default for n in names)

        def targets(part: str, folder: str) -> dict[str, str]:
            rels = ET.fromstring(z.read(part))
            return {
                e.get("Type"): folder + e.get("Target") for e in rels.iter(f"{_RELS}Relationship")
            }

        package = targets("_rels/.rels", "")
        assert package == {
            _OFFICE + "officeDocument": "xl/workbook.xml",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
            "core-properties": "docProps/core.xml",
            _OFFICE + "extended-properties": "docProps/app.xml",
        }
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        ids = [e.get("Id") for e in rels.iter(f"{_RELS}Relationship")]
        assert len(ids) == len(set(ids)) == 6
        by_id = {e.get("Id"): "xl/" + e.get("Target") for e in rels.iter(f"{_RELS}Relationship")}
        assert set(by_id.values()) <= names and len(by_id) == 6
        main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        listed = [
            (e.get("name"), by_id[e.get(f"{{{_OFFICE[:-1]}}}id")])
            for e in workbook.iter(f"{main}sheet")
        ]
        assert listed == [
            ("汇总", "xl/worksheets/sheet1.xml"),
            ("O'Brien", "xl/worksheets/sheet2.xml"),
            ("甲" * 31, "xl/worksheets/sheet3.xml"),
        ]
        assert [e.text for e in workbook.iter(f"{main}definedName")] == [
            "'汇总'!$1:$1",
            "'O''Brien'!$1:$1",
            f"'{'甲' * 31}'!$1:$1",
        ]


def test_a_text_longer_than_a_cell_holds_is_refused_with_where_it_came_from() -> None:
    """Excel keeps 32,767 characters in a cell and cuts the rest without a word: a longer
    text is refused, naming the sheet, the row as the spreadsheet numbers it, the column
    and the record's file:line; a text of exactly the limit is kept whole, in xlsx and csv."""
    import pytest

    from bulletin.errors import BuildError
    from bulletin.tables import CELL_LIMIT, to_csv

    def sheet(text: str, source: int | None = 2, headers=("日期", "内容", "来源")) -> Sheet:
        # the first record's text fills its cell exactly: kept, and not the one named
        rows = [["2020-02-03", whole, "visits.yaml:3"], ["2020-02-04", text, "visits.yaml:9"]]
        return Sheet("探访", list(headers), rows, source=source)

    whole = "字" * CELL_LIMIT
    book = load_workbook(io.BytesIO(to_xlsx([sheet(whole)], YearMonth(2020, 2))))
    assert book["探访"]["B2"].value == book["探访"]["B3"].value == whole
    assert to_csv(sheet(whole)).decode("utf-8-sig").count(whole) == 2
    for write in (lambda s: to_xlsx([s], YearMonth(2020, 2)), to_csv):
        for cut, source, headers, column, where in (
            (sheet(whole + "。"), 2, ("日期", "内容", "来源"), "内容", "visits.yaml:9"),
            (sheet(whole + "。", None), None, ("日期", "内容", "来源"), "内容", "-"),
            (sheet(whole + "。", None, ("日期",)), None, ("日期",), 2, "-"),
        ):
            with pytest.raises(BuildError) as caught:
                write(cut)
            assert "\n".join(caught.value.lines("en")).splitlines() == [
                f"sheet 探访, row 3, column {column}: a text of {CELL_LIMIT + 1} characters is "
                f"longer than a spreadsheet cell holds ({CELL_LIMIT}); from {where}",
                "  shorten the text in the data file, or split the record in two",
            ], (source, headers)
