"""Tabular exports shared by progress and ledger: CSV that Excel opens with Chinese intact,
and workbooks with bold frozen headers and column widths that fit Chinese text."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from bulletin.models import YearMonth


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


@dataclass
class Sheet:
    """One table: a title (the sheet's or file's name), a header row, rows, and an optional
    last row of totals shown in bold."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    totals: list[Any] | None = None
    wide: dict[int, int] = field(default_factory=dict)  # column index -> width in characters


def to_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a BOM and CRLF line ends, as Excel on Windows expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in [*sheet.rows, *([sheet.totals] if sheet.totals else [])]:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    # A Chinese character takes about two columns of Excel's width unit.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def to_xlsx(sheets: list[Sheet], last: YearMonth) -> bytes:
    """A workbook with one sheet per table, headers bold and frozen, numbers as numbers,
    dated from `last`, the data's last month (see workbook_bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        ws.append(sheet.headers)
        for row in sheet.rows:
            ws.append(row)
        if sheet.totals:
            ws.append(sheet.totals)
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for i, head in enumerate(sheet.headers):
            cells = [head, *(row[i] for row in sheet.rows if i < len(row))]
            width = min(max(_width(v) for v in cells) + 2, sheet.wide.get(i, 40))
            ws.column_dimensions[get_column_letter(i + 1)].width = max(width, 6)
            if i in sheet.wide:
                for column in ws.iter_cols(min_col=i + 1, max_col=i + 1, min_row=2):
                    for cell in column:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
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
