"""The one table writer: every table the tool hands out (stats, plan follow-through,
progress, the ledger) is a `Sheet`, written here as text, CSV or a workbook.

- Numbers follow one rule (`number`): a whole number as an integer, else two decimals; a per
  cent to one decimal without a trailing .0 (7%, 7.5%).
- CSV is UTF-8 with a BOM and CRLF line ends, as Excel on Windows expects.
- Workbooks have bold headers, frozen panes, widths from the content (a Chinese character
  takes two columns), header rows repeated on print, and the same bytes for the same data.
- What leaves the machine is safe to open: a text cell that begins with =, +, -, @, a tab or
  a carriage return is never a formula. In a workbook it is a string cell; in CSV it is
  prefixed with an apostrophe, as OWASP recommends for "CSV injection", which Excel and WPS
  show as text. A text longer than a spreadsheet cell holds (32,767 characters) is refused
  with the row it is on, never cut.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from bulletin.errors import BuildError, Msg
from bulletin.models import YearMonth

CELL_LIMIT = 32_767  # characters Excel keeps in one cell
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def number(value: float | int) -> float | int:
    """The one number rule of every output: a whole number as an integer, else rounded to
    two decimals (hours 1.5, an expected 6.67)."""
    return int(value) if float(value).is_integer() else round(value, 2)


def number_text(value: float | int | None) -> str:
    """`number` as text, e.g. 13 (never 13.0) or 6.67; empty for None."""
    return "" if value is None else str(number(value))


def percent(actual: float | int, target: float | int) -> float:
    """Per cent reached, to one decimal: 7, 7.5, 112.3."""
    return round(actual / target * 100, 1)


def percent_text(value: float) -> str:
    """A per cent as printed everywhere: 7%, 7.5% (no trailing .0)."""
    return f"{value:g}%"


def cell_text(value: Any) -> str:
    """A cell as text: numbers by the number rule, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return number_text(value)
    return str(value)


def width(text: str) -> int:
    """Columns `text` takes on a terminal or in a spreadsheet (CJK characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int, right: bool = False) -> str:
    space = " " * max(columns - width(text), 0)
    return space + text if right else text + space


@dataclass
class Sheet:
    """One table: a title (the sheet's or file's name), a header row, rows, and an optional
    last row of totals shown in bold."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    totals: list[Any] | None = None
    wide: dict[int, int] = field(default_factory=dict)  # column index -> width in characters
    freeze: str = "A2"  # the first cell that scrolls
    formats: dict[int, str] = field(default_factory=dict)  # column index -> number format
    source: int | None = None  # the column that names each row's file:line

    def all_rows(self) -> list[list[Any]]:
        return [*self.rows, *([self.totals] if self.totals else [])]


def _check_cells(sheet: Sheet) -> None:
    """Refuse a text too long for a spreadsheet cell, naming its sheet, row and source."""
    for n, row in enumerate(sheet.all_rows(), 2):
        for i, value in enumerate(row):
            if isinstance(value, str) and len(value) > CELL_LIMIT:
                where = row[sheet.source] if sheet.source is not None else ""
                raise BuildError(
                    Msg(
                        "cell_too_long",
                        {
                            "sheet": sheet.title,
                            "row": n,
                            "column": sheet.headers[i] if i < len(sheet.headers) else i + 1,
                            "length": len(value),
                            "limit": CELL_LIMIT,
                            "source": where or "-",
                        },
                    ),
                    Msg("hint_cell_too_long"),
                )


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a BOM and CRLF line ends, as Excel on Windows expects; no cell a formula."""
    _check_cells(sheet)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in sheet.headers])
    for row in sheet.all_rows():
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _widths(sheet: Sheet) -> list[float]:
    out = []
    for i, head in enumerate(sheet.headers):
        cells = [head, *(row[i] for row in sheet.all_rows() if i < len(row))]
        widest = max(
            max((width(line) for line in cell_text(v).split("\n")), default=0) for v in cells
        )
        out.append(max(min(widest + 2, sheet.wide.get(i, 60)), 6))
    return out


def to_xlsx(sheets: list[Sheet], last: YearMonth) -> bytes:
    """A workbook with one sheet per table: headers bold and frozen and repeated on print,
    numbers as numbers, text never a formula, dated from `last` (see workbook_bytes)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for sheet in sheets:
        _check_cells(sheet)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        for i, w in enumerate(_widths(sheet), 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = sheet.freeze
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

        def cell(value: Any, i: int, strong: bool, ws=ws, sheet=sheet) -> Any:
            if isinstance(value, str):
                # Control characters (a file named with one) cannot be stored: shown as <U+…>.
                value = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)
            c = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                c.data_type = "s"  # text stays text, whatever it begins with
            if strong:
                c.font = bold
            if i in sheet.wide and not strong:
                c.alignment = wrap
            if i in sheet.formats and isinstance(value, int | float):
                c.number_format = sheet.formats[i]
            return c

        ws.append([cell(h, i, True) for i, h in enumerate(sheet.headers)])
        for row in sheet.rows:
            ws.append([cell(v, i, False) for i, v in enumerate(row)])
        if sheet.totals:
            ws.append([cell(v, i, True) for i, v in enumerate(sheet.totals)])
    return workbook_bytes(wb, last)


def workbook_bytes(wb, last: YearMonth) -> bytes:
    """Every workbook the tool writes, saved so the same data gives the same bytes: created
    and modified are the first day after `last` (or SOURCE_DATE_EPOCH), not the time of the
    run that openpyxl's save() writes, and the zip entries carry that date too."""
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    from bulletin.stamp import month_after, normalise_zip, timestamp

    stamp = timestamp(month_after(last))
    wb.properties.created = wb.properties.modified = stamp.replace(tzinfo=None)
    buffer = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return normalise_zip(buffer.getvalue(), stamp)
