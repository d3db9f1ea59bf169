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
