"""The one table writer: every table the tool hands out (stats, plan follow-through,
progress, the ledger) is a `Sheet`, written here as text, CSV or a workbook.

- Numbers follow one rule (`number`): a whole number as an integer, else two decimals; a per
  cent to one decimal without a trailing .0 (7%, 7.5%; `bulletin.numbers`), as is a rate
  figure (`figure_cell`).
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
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import chain, zip_longest
from typing import Any

from bulletin import figures
from bulletin.errors import BuildError, Msg
from bulletin.models import YearMonth

# The per-cent rule lives in bulletin.numbers (the figure registry makes rates by it); the
# table writer prints by it, and readers of the number rule import it from here too.
from bulletin.numbers import percent, percent_text, rounded  # noqa: F401

CELL_LIMIT = 32_767  # characters Excel keeps in one cell
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def number(value: float | int) -> float | int:
    """The one number rule of every output: a whole number as an integer, else rounded to
    two decimals, a half up (hours 1.5, an expected 6.67)."""
    if float(value).is_integer():
        return int(value)
    value = rounded(value, 2)
    return int(value) if value.is_integer() else value


def number_text(value: float | int | None) -> str:
    """`number` as text, e.g. 13 (never 13.0) or 6.67; empty for None."""
    return "" if value is None else str(number(value))


def figure_cell(key: str, value: Any) -> Any:
    """Figure `key`'s value as a table shows it: a rate as a per cent (95.8%), else as is."""
    if value is not None and key in figures.BY_KEY and figures.is_rate(key):
        return percent_text(value)
    return value


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
    hours: set[int] = field(default_factory=set)  # columns of hours, shown as 0.0# (1.5, 2.25)
    source: int | None = None  # the column that names each row's file:line
    bold: set[int] = field(default_factory=set)  # rows (indexes into `rows`) shown in bold

    def all_rows(self) -> list[list[Any]]:
        return [*self.rows, *([self.totals] if self.totals else [])]


def _check_cells(sheet: Sheet) -> None:
    """Refuse a text too long for a spreadsheet cell, naming its sheet, row and source."""
    rows = sheet.all_rows()
    texts = [v for v in chain.from_iterable(rows) if isinstance(v, str)]
    if max(map(len, texts), default=0) <= CELL_LIMIT:  # every cell fits: nothing to name
        return
    for n, row in enumerate(rows, 2):
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
    """A cell as CSV text: a number by the number rule (16, not 16.0), a text that would be
    a formula with an apostrophe in front."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return cell_text(value)


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
    """Each column's width: its widest line in characters (CJK counting two) plus a margin,
    at most the column's limit. A line of ASCII is as wide as it is long; any other line
    of n characters is n to 2n wide, so only the longest of them are measured."""
    columns = list(zip_longest(*sheet.all_rows()))
    out = []
    for i, head in enumerate(sheet.headers):
        cap = sheet.wide.get(i, 60)
        column = columns[i] if i < len(columns) else ()
        texts = [head, *(v for v in column if isinstance(v, str))]
        others = [v for v in column if v is not None and not isinstance(v, str)]
        if all(v.__class__ is int for v in others):  # the longest is the largest or the least
            texts += [cell_text(max(others)), cell_text(min(others))] if others else []
        elif all(v.__class__ is int or v.__class__ is float for v in others):
            texts += [cell_text(v) for v in set(others)]  # equal numbers print alike
        else:  # equal values that may print differently (False and 0): each as it prints
            texts += [cell_text(v) for v in others]
        lines = [line for text in texts if "\n" in text for line in text.split("\n")]
        lines += [text for text in texts if "\n" not in text]
        best = max((len(line) for line in lines if line.isascii()), default=0)
        wide = {line for line in lines if not line.isascii()}
        for line in sorted(wide, key=len, reverse=True):
            if 2 * len(line) <= best or best + 2 >= cap:
                break
            best = max(best, width(line))
        out.append(max(min(best + 2, cap), 6))
    return out


# SpreadsheetML, written directly: a workbook of 50,000 ledger rows takes about a quarter of
# the time openpyxl needs, and every byte is ours to keep reproducible. Styles (cellXfs):
# 0 plain, 1 bold, 2 wrapped at the top, 3 hours (0.0#), 4 bold hours.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0#"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _column(n: int) -> str:
    """The letters of the n-th column (0-based): A … Z, AA …"""
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _xml_text(text: str) -> str:
    if not _XML_SPECIAL.search(text):  # most texts: nothing to escape
        return text
    # Control characters cannot be stored in XML (a file named with one): shown as <U+…>.
    text = _BAD_XML.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _sheet_xml(sheet: Sheet, strings: dict[str, int]) -> str:
    letters = [_column(i) for i in range(max(len(sheet.headers), 1))]
    out = [
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
    ]
    rows = [(sheet.headers, True), *((r, n in sheet.bold) for n, r in enumerate(sheet.rows))]
    if sheet.totals:
        rows.append((sheet.totals, True))
    out.append(f'<dimension ref="A1:{letters[-1]}{len(rows)}"/>')
    col, row = sheet.freeze[0], int(sheet.freeze[1:])
    split = ord(col) - 65
    pane = "bottomRight" if split else "bottomLeft"
    out.append(
        '<sheetViews><sheetView workbookViewId="0"><pane '
        + (f'xSplit="{split}" ' if split else "")
        + f'ySplit="{row - 1}" topLeftCell="{sheet.freeze}" activePane="{pane}" state="frozen"/>'
        f'<selection pane="{pane}" activeCell="{sheet.freeze}" sqref="{sheet.freeze}"/>'
        "</sheetView></sheetViews>"
    )
    out.append('<sheetFormatPr defaultRowHeight="15"/><cols>')
    for i, w in enumerate(_widths(sheet), 1):
        out.append(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>')
    out.append("</cols><sheetData>")
    # Each cell is its column's opening (<c r="B), the row's number, the style of its kind
    # in a plain or a bold row, its value: worked out once per column, not per cell.
    styled = len(letters)  # a row longer than the headers: its extra cells plain or bold
    count = max(styled, *map(len, (values for values, _strong in rows)))
    letters += [_column(i) for i in range(styled, count)]
    opening = [f'<c r="{letter}' for letter in letters]

    def kinds(text: list[int], number: list[int]) -> tuple[list[str], list[str]]:
        return (
            [f'" s="{style}" t="s"><v>' for style in text],
            [f'" s="{style}"><v>' for style in number],
        )

    plain = kinds(
        [2 if i in sheet.wide and i < styled else 0 for i in range(count)],
        [3 if i in sheet.hours and i < styled else 0 for i in range(count)],
    )
    strong = kinds([1] * count, [4 if i in sheet.hours and i < styled else 1 for i in range(count)])
    shared = strings.setdefault
    for n, (values, bold) in enumerate(rows, 1):
        at = str(n)
        text, number = strong if bold else plain
        cells = []
        for i, value in enumerate(values):
            kind = value.__class__
            if kind is str:
                if value:
                    cells.append(f"{opening[i]}{at}{text[i]}{shared(value, len(strings))}</v></c>")
            elif kind is int or kind is float:
                cells.append(f"{opening[i]}{at}{number[i]}{value!r}</v></c>")
            elif value is not None:  # anything else (a date, True) as its text
                index = shared(str(value), len(strings))
                cells.append(f"{opening[i]}{at}{text[i]}{index}</v></c>")
        out.append(f'<row r="{at}">{"".join(cells)}</row>')
    out.append(
        '</sheetData><pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" '
        'header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "</worksheet>"
    )
    return "".join(out)


def _quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def to_xlsx(sheets: list[Sheet], last: YearMonth) -> bytes:
    """A workbook with one sheet per table: headers bold and frozen and repeated on print,
    numbers as numbers, text never a formula (every text is a string cell), landscape A4
    fitted to the width, dated from the data's last month (or SOURCE_DATE_EPOCH), so the same
    data gives the same bytes."""
    import zipfile

    from bulletin.stamp import month_after, timestamp, zip_entry
    from bulletin.xlsx_theme import THEME_XML

    for sheet in sheets:
        _check_cells(sheet)
    stamp = timestamp(month_after(last))
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    titles = [_xml_text(sheet.title[:31]) for sheet in sheets]
    parts: dict[str, str] = {
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/theme/theme1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" '
            'Target="docProps/app.xml"/></Relationships>'
        ),
        "docProps/app.xml": (
            f"{_XML}<Properties xmlns="
            '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>bulletin</Application></Properties>"
        ),
        "docProps/core.xml": (
            f"{_XML}<cp:coreProperties xmlns:cp="
            '"http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>"
        ),
        "xl/workbook.xml": (
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
            + "".join(
                f'<sheet name="{title}" sheetId="{i}" r:id="rId{i}"/>'
                for i, title in enumerate(titles, 1)
            )
            + "</sheets><definedNames>"
            + "".join(
                f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                f"{_xml_text(_quote(sheet.title[:31]))}!$1:$1</definedName>"
                for i, sheet in enumerate(sheets)
            )
            + "</definedNames></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML}<Relationships xmlns="{_PKG}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" '
            'Target="styles.xml"/>'
            f'<Relationship Id="rId{len(sheets) + 2}" Type="{_REL}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId{len(sheets) + 3}" Type="{_REL}/theme" '
            'Target="theme/theme1.xml"/></Relationships>'
        ),
        "xl/styles.xml": _STYLES,
        "xl/theme/theme1.xml": THEME_XML,
    }
    # Every text is a shared string (as Excel writes them): a string, never a formula.
    strings: dict[str, int] = {}
    for i, sheet in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(sheet, strings)
    parts["xl/sharedStrings.xml"] = (
        f'{_XML}<sst xmlns="{_MAIN}" uniqueCount="{len(strings)}">'
        + "".join(f'<si><t xml:space="preserve">{_xml_text(t)}</t></si>' for t in strings)
        + "</sst>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in parts.items():
            zf.writestr(zip_entry(name, stamp), text.encode("utf-8"), compresslevel=6)
    return buffer.getvalue()
