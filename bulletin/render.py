"""Word mechanics: fill the .docx template with a context and return the file's bytes,
deterministically.

This is the only module that imports the Word libraries, so `check` and `--help` do
not pay for them.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import docxtpl
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.package import ImageParts
from docx.shared import Mm
from docx.styles import BabelFish
from docx.styles.style import StyleFactory
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from bulletin import __version__
from bulletin.cache import Cache, CompiledTemplates
from bulletin.cache import key as cache_key
from bulletin.context import Context
from bulletin.errors import BuildError, Msg
from bulletin.stamp import timestamp, zip_entry

_VMERGE_CELL = re.compile(
    r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*vmerge\s+(?:(?!%}).)*?%}.*?</w:tc>", re.DOTALL
)
_VMERGE_TAG = re.compile(r"{%\s*vmerge\s+((?:(?!%}).)*?)\s*%}", re.DOTALL)


class _Template(DocxTemplate):
    """docxtpl with one more cell tag: `{% vmerge expr %}` merges the cell with the one
    above when `expr` is 'continue' and starts a merge when it is 'restart'. Unlike
    docxtpl's `{% vm %}`, the data decides which cells merge (see context.merge_flags)."""

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's and our own rewriting of the document XML into a Jinja template,
        kept in the cache for a template already seen (it costs ~10 ms)."""
        store = Cache("templates")
        name = cache_key("patched xml", _PATCHER, src_xml)
        cached = store.get(name)
        if cached is not None:
            try:
                return cached.decode("utf-8")
            except UnicodeDecodeError:
                pass
        xml = self._patch_xml(src_xml)
        store.put(name, xml.encode("utf-8"))
        return xml

    def _patch_xml(self, src_xml: str) -> str:
        xml = super().patch_xml(src_xml)

        def patch_cell(m: re.Match[str]) -> str:
            cell = m.group(0)
            expr = _VMERGE_TAG.search(cell).group(1)  # type: ignore[union-attr]
            cell = _VMERGE_TAG.sub("", cell)
            merge = f'{{% if {expr} %}}<w:vMerge w:val="{{{{ {expr} }}}}"/>{{% endif %}}'
            return _with_cell_property(cell, merge)

        return _VMERGE_CELL.sub(patch_cell, xml)


# The children of a cell's properties that come before w:vMerge (ECMA-376 CT_TcPr:
# cnfStyle, tcW, gridSpan, hMerge, vMerge, tcBorders, shd, noWrap, tcMar, textDirection,
# tcFitText, vAlign, hideMark, ...). Word refuses a cell whose properties are out of order.
_BEFORE_VMERGE = ("cnfStyle", "tcW", "gridSpan", "hMerge")
_TCPR = re.compile(r"<w:tcPr(?:\s[^>]*)?(?:/>|>(.*?)</w:tcPr>)", re.DOTALL)
_CHILD = re.compile(r"<w:(\w+)\b[^>]*?(?:/>|>.*?</w:\1>)", re.DOTALL)


def _with_cell_property(cell: str, merge: str) -> str:
    """The cell's XML with MERGE (a vMerge, or the Jinja that writes one) in its schema
    place among the cell's properties, in place of any vMerge the template had: the data
    decides what merges."""
    found = _TCPR.search(cell)
    if found is None:
        head = re.search(r"<w:tc(?:\s[^>]*)?>", cell)
        assert head is not None  # the pattern that found the cell starts with one
        return cell[: head.end()] + "<w:tcPr>" + merge + "</w:tcPr>" + cell[head.end() :]
    inner = re.sub(r"<w:vMerge\b[^>]*?(?:/>|>\s*</w:vMerge>)", "", found.group(1) or "")
    at = 0
    for child in _CHILD.finditer(inner):
        if child.group(1) in _BEFORE_VMERGE:
            at = child.end()
    inner = inner[:at] + merge + inner[at:]
    return cell[: found.start()] + "<w:tcPr>" + inner + "</w:tcPr>" + cell[found.end() :]


# What decides the patched XML besides the template: docxtpl's code and this module's.
_PATCHER = (
    f"docxtpl {docxtpl.__version__}, render "
    + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
)


class _Environment(CompiledTemplates, SandboxedEnvironment):
    """The sandbox the document template is rendered in, its compiled code cached."""


def _images(tpl: DocxTemplate, paths: list[Path], ready: dict) -> dict[Path, InlineImage]:
    """The month's pictures turned upright and scaled to their printed size: those in
    `ready` as they are, the others prepared together (in parallel, through the cache: see
    bulletin.pictures)."""
    if not paths:
        return {}
    from bulletin import pictures  # Pillow is imported only for months with pictures

    unique = list(dict.fromkeys(paths))
    return {
        path: InlineImage(tpl, io.BytesIO(picture.data), width=Mm(picture.width_mm))
        for path, picture in zip(unique, pictures.prepare_all(unique, ready), strict=True)
    }


def _docx_context(context: Context, tpl: DocxTemplate, ready: dict) -> dict[str, Any]:
    """The context as docxtpl reads it: plain dicts, each picture prepared for Word."""
    names = {f.name: getattr(context, f.name) for f in fields(context)}
    names["sections"] = [asdict(section) for section in context.sections]
    images = [
        image
        for section in names["sections"]
        for article in section["articles"]
        for image in article["images"]
    ]
    prepared = _images(tpl, [image["path"] for image in images], ready)
    for image in images:
        image["picture"] = prepared[image["path"]]
    return names


APPLICATION = f"bulletin/{__version__}"

APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    f"<Application>{APPLICATION}</Application>"
    "<DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged>"
    "</Properties>"
)


def write_properties(document) -> None:
    """Name this program as the application, with no page or word counts (Word recounts
    them when it saves), and drop any thumbnail (a picture of the template, not of this)."""
    rels = document.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            rels.pop(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            rel.target_part._blob = APP_XML.encode("utf-8")


# Column widths from the content. Word and LibreOffice break Chinese text between any two
# characters, so a name, a date or a short term stays whole only where its column is wide
# enough for all of it: every line up to `short` ems sets the least width of its column,
# with `short` as long as the text width allows (never under KEEP: names and dates). Longer
# text (a situation, a plan's content) may break anywhere and gets the width left over, in
# proportion to how much it has to say.
SHORTEST, LONGEST = 6.0, 14.0  # ems: a two-digit date .. an 11-character company name
BREAKABLE = 8.0  # ems: the least width of a column of long text
CELL_MARGINS = 2 * 57 + 100  # twips: the template's left and right cell margins, and slack


@lru_cache(maxsize=8192)  # the same cell lines are measured again for every width tried
def text_ems(text: str) -> float:
    """Printed width in ems: Chinese characters and punctuation 1, a space 0.3, other 0.6,
    and a quarter em where Chinese meets Latin or digits (Word's and LibreOffice's spacing)."""
    width, last = 0.0, None
    for ch in text:
        if ch == " ":
            width, kind = width + 0.3, None
        elif unicodedata.east_asian_width(ch) in "WFA":
            width, kind = width + 1.0, "wide"
        else:
            width, kind = width + 0.6, "narrow"
        if kind and last and kind != last:
            width += 0.25
        last = kind
    return width


def _cell_lines(tc) -> list[str]:
    """A cell's lines: its paragraphs, split at line breaks."""
    lines = []
    for p in tc.iter(qn("w:p")):
        text = "".join(
            "\n" if el.tag == qn("w:br") else el.text or "" for el in p.iter(qn("w:t"), qn("w:br"))
        )
        lines += text.split("\n")
    return lines


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WFA"


# Where a name may go onto two lines when it is too long for its column (see _name_cuts):
# the kinds of organisation that end names and the places that start them come from the
# wording (name_ends, place_ends in templates/wording.yaml); punctuation is told by its
# Unicode category or code point, so this module holds no words of its own.
# Fullwidth comma, full stop, semicolon, colon, exclamation and question marks, the
# enumeration comma, and their ASCII forms.
_SENTENCE = re.compile("[\uff0c\u3002\uff1b\uff1a\uff01\uff1f\u3001,;:!?]")


@dataclass(frozen=True)
class BreakRules:
    """Where a name may go onto a new line: before one of `ends`, after one of `places`."""

    ends: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


SPACES_ONLY = BreakRules()  # names break only at their spaces (the period report)


def _starts_word(rest: str) -> bool:
    return bool(rest) and unicodedata.category(rest[0]) not in ("Pe", "Pf", "Po")


def _name_cuts(text: str, rules: BreakRules) -> list[int]:
    """Where a name or term without spaces may break: before the organisation's kind that
    ends it, before an opening bracket, after the quotation that begins it, after a place of at least two characters (not before another
    place word: a subdistrict's name stays whole), never inside a longer ending, and leaving
    no part of one or two characters. Text with sentence punctuation is prose, which breaks
    anywhere."""
    if _SENTENCE.search(text):
        return []
    cuts: set[int] = set()
    inside: set[int] = set()
    quoted_head = bool(text) and unicodedata.category(text[0]) == "Pi"
    for i in range(len(text)):
        if unicodedata.category(text[i]) == "Ps":
            cuts.add(i)  # before an opening bracket
        elif quoted_head and unicodedata.category(text[i]) == "Pf" and _starts_word(text[i + 1 :]):
            cuts.add(i + 1)  # after the quotation that begins it
            quoted_head = False
        for end_word in rules.ends:
            end = i + len(end_word)
            if text.startswith(end_word, i) and (
                end == len(text) or unicodedata.category(text[end]) in ("Pe", "Pf")
            ):
                cuts.add(i)
                inside.update(range(i + 1, end))
        for place in rules.places:
            end = i + len(place)
            rest = text[end:]
            if (
                text.startswith(place, i)
                and end >= 2
                and len(rest) >= 2
                and not rest.startswith(rules.places)
            ):
                cuts.add(end)
    kept, last = [], 0
    for cut in sorted(cuts - inside):
        if cut - last >= 3 and len(text) - cut >= 2:  # no part of one or two characters
            kept.append(cut)
            last = cut
    return kept


@lru_cache(maxsize=8192)  # asked again for every width fit_columns tries
def _pieces(line: str, rules: BreakRules) -> tuple[tuple[str, str], ...]:
    """The parts of a line that must stay on one line, each with what joins it to the one
    before (a space, or nothing): a line may go onto several lines at a space between two
    Chinese characters (a space beside Latin text stays a space) and at a name's natural
    boundaries (_name_cuts)."""
    cuts = [
        i
        for i, ch in enumerate(line)
        if ch == " " and 0 < i < len(line) - 1 and _wide(line[i - 1]) and _wide(line[i + 1])
    ]
    bounds = [-1, *cuts, len(line)]
    pieces = []
    for n, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
        part = line[a + 1 : b]
        ends = [0, *_name_cuts(part, rules), len(part)]
        for m, (c, d) in enumerate(zip(ends, ends[1:], strict=False)):
            pieces.append((part[c:d], " " if n and not m else ""))
    return tuple(pieces)


def _widest(pieces: tuple[tuple[str, str], ...]) -> float:
    return max(text_ems(text) for text, _ in pieces)


def _needs(lines: list[str], header: bool, short: float, rules: BreakRules) -> tuple[float, float]:
    """(least, preferred) width of a cell in ems; a header of more than six characters may
    take two lines, a short line may break at a space between Chinese words."""
    least, preferred = 0.0, 0.0
    for line in lines:
        ems = text_ems(line)
        preferred = max(preferred, ems)
        if header:
            least = max(least, ems if len(line) <= 6 else text_ems(line[: -(-len(line) // 2)]))
        elif ems <= short:
            least = max(least, ems)
        elif len(pieces := _pieces(line, rules)) > 1 and _widest(pieces) <= short:
            least = max(least, _widest(pieces))  # goes onto lines between its pieces
        else:
            least = max(least, min(ems, BREAKABLE))
    return least, preferred


def column_widths(needs: list[tuple[float, float]], total: float) -> list[float]:
    """Share `total` among columns: each gets its least width, the rest goes to the columns
    with more to say, never more than they would fill unless every column is full."""
    least = [n[0] for n in needs]
    more = [max(0.0, n[1] - n[0]) for n in needs]
    spare = total - sum(least)
    if spare <= 0:
        return (
            [total * x / sum(least) for x in least]
            if sum(least)
            else [total / len(needs)] * len(needs)
        )
    if sum(more) <= spare:
        full = [lo + m for lo, m in zip(least, more, strict=True)]
        rest = total - sum(full)
        return [f + rest * f / sum(full) for f in full]
    return [lo + spare * m / sum(more) for lo, m in zip(least, more, strict=True)]


def fit_columns(document, rules: BreakRules = SPACES_ONLY) -> None:
    """Set every table's column widths from its content, across the text width; a name
    too long for its column goes onto lines where RULES allow."""
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    total_twips = int(text_width / 635)  # EMU to twips
    for table in document.tables:
        tbl = table._tbl
        grid = tbl.tblGrid.findall(qn("w:gridCol"))
        rows = tbl.findall(qn("w:tr"))
        if not grid or not rows or any(len(tr.findall(qn("w:tc"))) != len(grid) for tr in rows):
            continue  # merged across columns: leave the template's widths
        em = _em_twips(document, rows[-1])
        room = (total_twips - CELL_MARGINS * len(grid)) / em
        cells = [
            (i, tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None, _cell_lines(tc))
            for tr in rows
            for i, tc in enumerate(tr.findall(qn("w:tc")))
        ]
        # Over the width, the columns with the most long text give up their short lines
        # first (an activity's name before a company's).
        lines_of = [
            [line for i, h, ls in cells if i == c and not h for line in ls]
            for c in range(len(grid))
        ]
        long_share = [
            sum(text_ems(x) > LONGEST for x in ls) / len(ls) if ls else 0.0 for ls in lines_of
        ]
        shorts = [LONGEST] * len(grid)
        while True:
            needs = [(0.0, 0.0)] * len(grid)
            for i, header, lines in cells:
                lo, pref = _needs(lines, header, shorts[i], rules)
                needs[i] = (max(needs[i][0], lo), max(needs[i][1], pref))
            if sum(lo for lo, _ in needs) <= room:
                break
            candidates = [i for i in range(len(grid)) if shorts[i] > SHORTEST]
            if not candidates:
                break
            i = max(candidates, key=lambda c: (long_share[c], needs[c][0]))
            shorts[i] = min(shorts[i], needs[i][0]) - 1
        widths = [int(w * em) + CELL_MARGINS for w in column_widths(needs, room)]
        for tr in rows:
            for tc, width in zip(tr.findall(qn("w:tc")), widths, strict=True):
                _break_lines(tc, (width - CELL_MARGINS) / em, rules)
        _set_widths(tbl, rows, grid, widths)
        _keep_merged_rows_together(rows)


def _keep_merged_rows_together(rows) -> None:
    """Rows joined by a vertically merged cell stay on one page: each row but the group's
    last keeps with the next (a merged cell split by a page prints its text over the rows
    of the next page in LibreOffice)."""
    for tr, nxt in zip(rows, rows[1:], strict=False):
        merges = [m.get(qn("w:val")) for m in nxt.iter(qn("w:vMerge"))]
        if any(val in (None, "continue") for val in merges):
            _keep_with_next(tr)


def _keep_with_next(tr) -> None:
    """Keep a row on the page of the next one (Word and LibreOffice read it from its
    paragraphs)."""
    for p in tr.iter(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = _elem("w:pPr")
            p.insert(0, ppr)
        if ppr.find(qn("w:keepNext")) is None:
            keep = _elem("w:keepNext")
            style = ppr.find(qn("w:pStyle"))
            if style is not None:
                style.addnext(keep)
            else:
                ppr.insert(0, keep)


TABLE_ENDS = 3  # rows that begin a table together, and rows that end it together


def keep_table_ends(document) -> None:
    """No table begins or ends with a lone row on a page: its header and first rows keep
    with the next when the two take at most a sixth of a page (a few lines), and so do the
    rows before its last when the two take at most half a page (a last row alone under a
    repeated header is the worst stray). A table of few short rows is kept whole; a table
    with merged cells keeps only its end (its groups keep together already). Keeping tall
    rows together would leave half pages empty, and a lone tall row is no stray line."""
    section = document.sections[0]
    page = (section.page_height - section.top_margin - section.bottom_margin) / 635
    for table in document.tables:
        rows = table._tbl.findall(qn("w:tr"))
        if not rows:
            continue
        em = _em_twips(document, rows[-1])
        head = [tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None for tr in rows]
        body = [tr for tr, is_head in zip(rows, head, strict=True) if not is_head]
        merged = any(True for _ in table._tbl.iter(qn("w:vMerge")))
        start = [tr for tr, is_head in zip(rows, head, strict=True) if is_head]
        if not merged:
            start += body[: TABLE_ENDS - 1] if len(body) > 2 * TABLE_ENDS else body[:-1]
        for tr in start:
            if _row_twips(tr, em) + _row_twips(tr.getnext(), em) <= page / 6:
                _keep_with_next(tr)
        for tr in body[-TABLE_ENDS:-1] if len(body) > 1 else []:
            if _row_twips(tr, em) + _row_twips(tr.getnext(), em) <= page / 2:
                _keep_with_next(tr)


def _break_lines(tc, width: float, rules: BreakRules) -> None:
    """A line wider than its column goes onto several lines between its pieces (at spaces
    between Chinese words, at a name's natural boundaries), never inside one: an explicit
    line break, so Word and LibreOffice do not choose their own."""
    for t in list(tc.iter(qn("w:t"))):
        text = t.text or ""
        pieces = _pieces(text, rules)
        if len(pieces) < 2 or text_ems(text) <= width or _widest(pieces) > width:
            continue  # fits, or is long text that breaks anyway
        lines, current = [], pieces[0][0]
        for piece, joiner in pieces[1:]:
            joined = current + joiner + piece
            if text_ems(joined) <= width:
                current = joined
            else:
                lines.append(current)
                current = piece
        lines.append(current)
        t.text = lines[0]
        anchor = t
        for line in lines[1:]:
            br, more = _elem("w:br"), _elem("w:t")
            more.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            more.text = line
            anchor.addnext(br)
            br.addnext(more)
            anchor = more


# A row taller than a page. Every row is kept on one page (w:cantSplit in the template);
# a row with so much text that it would not fit on a page goes into several rows, each
# well under a page, cut between paragraphs or sentences of its longest cell. The cells
# before that one repeat on each continued row (number, name), the name with the wording's
# `continued` marker under it; the cells after it are printed on the first row only.
LINE_HEIGHT = 1.2 * 1.45  # a table line in ems: the styles' 1.2 lines of a CJK face
ROW_MARGINS = 120  # twips: a row's top and bottom cell margins and borders
_END = "\u3002\uff01\uff1f\uff1b!?;\u2026"  # full stop, !, ?, ;, ellipsis
_CLOSE = "\u201d\u2019\u300d\uff09)"  # closing quotes, corner bracket, parenthesis
_SENTENCE_END = re.compile(f"(?<=[{_END}])(?![{_CLOSE}])|(?<=[{_END}][{_CLOSE}])")


def _text_lines(text: str, width: float) -> int:
    """Lines that TEXT takes in a column WIDTH ems wide (a little less than the whole
    width: Chinese line breaking does not fill every line)."""
    return sum(
        max(1, -(-int(text_ems(line) * 100) // int(width * 95))) for line in text.split("\n")
    )


def _cell_text(tc) -> str:
    return "\n".join(_cell_lines(tc))


def _cell_width(tc, em: int) -> float:
    tc_w = tc.find(qn("w:tcPr") + "/" + qn("w:tcW"))
    twips = int(tc_w.get(qn("w:w"))) if tc_w is not None else 2000
    return max(1.0, (twips - CELL_MARGINS) / em)


def _row_twips(tr, em: int) -> float:
    """The estimated height of a row: its tallest cell's lines."""
    line = em * LINE_HEIGHT
    return ROW_MARGINS + line * max(
        (_text_lines(_cell_text(tc), _cell_width(tc, em)) for tc in tr.findall(qn("w:tc"))),
        default=1,
    )


def split_tall_rows(document, continued: str) -> None:
    """Put a row that would be taller than a page into several rows, each under a third of a page
    (see LINE_HEIGHT above); the cells before its longest one repeat on each."""
    section = document.sections[0]
    page = (section.page_height - section.top_margin - section.bottom_margin) / 635
    for table in document.tables:
        rows = table._tbl.findall(qn("w:tr"))
        if not rows or any(True for _ in table._tbl.iter(qn("w:vMerge"))):
            continue  # rows joined by a merged cell are kept together (the plan table)
        em = _em_twips(document, rows[-1])
        headers = [tr for tr in rows if tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None]
        room = page - sum(_row_twips(tr, em) for tr in headers) - ROW_MARGINS
        for tr in rows:
            if tr in headers or _row_twips(tr, em) <= room * 0.9:
                continue
            _split_row(tr, em, room / 3, continued)


def _split_row(tr, em: int, most: float, continued: str) -> None:
    """Cut TR's longest cell into parts of at most MOST twips, one row each."""
    import copy

    cells = tr.findall(qn("w:tc"))
    texts = [_cell_text(tc) for tc in cells]
    long = max(range(len(cells)), key=lambda i: len(texts[i]))
    width = _cell_width(cells[long], em)
    lines = max(1, int((most - ROW_MARGINS) / (em * LINE_HEIGHT)))
    parts: list[str] = []
    for sentence in _sentences(texts[long], width, lines):
        if parts and _text_lines((parts[-1] + sentence).strip("\n"), width) <= lines:
            parts[-1] += sentence
        else:
            parts.append(sentence)
    parts = [part.strip("\n") for part in parts]
    if len(parts) < 2:
        return
    anchor = tr
    for n, part in enumerate(parts):
        row = tr if n == 0 else copy.deepcopy(tr)
        row_cells = row.findall(qn("w:tc"))
        _set_text(row_cells[long], part)
        if n:
            for tc in row_cells[long + 1 :]:
                _set_text(tc, "")
            if long:
                _set_text(row_cells[long - 1], f"{texts[long - 1]}\n{continued}")
            anchor.addnext(row)
            anchor = row


def _sentences(text: str, width: float, lines: int) -> list[str]:
    """TEXT cut after each line break and sentence end; a sentence longer than LINES
    lines is cut where they end."""
    out = []
    for paragraph in re.split("(?<=\n)", text):
        for sentence in _SENTENCE_END.split(paragraph):
            while sentence and _text_lines(sentence.strip("\n"), width) > lines:
                size = int(width * 0.95) * lines
                out.append(sentence[:size])
                sentence = sentence[size:]
            if sentence:
                out.append(sentence)
    return out


def _set_text(tc, text: str) -> None:
    """Replace a cell's text, keeping its first paragraph's and first run's look; a line
    break in TEXT is a new paragraph."""
    import copy

    paragraphs = tc.findall(qn("w:p"))
    first = paragraphs[0]
    ppr = first.find(qn("w:pPr"))
    run = first.find(".//" + qn("w:r"))
    rpr = run.find(qn("w:rPr")) if run is not None else None
    for p in paragraphs:
        tc.remove(p)
    for line in text.split("\n"):
        p = _elem("w:p")
        if ppr is not None:
            p.append(copy.deepcopy(ppr))
        t = _elem("w:t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = line
        p.append(_run(t, rpr))
        tc.append(p)


def _em_twips(document, tr) -> int:
    """The size of the table's text (its last row's first paragraph style) in twips."""
    p = tr.find(".//" + qn("w:p"))
    style_id = p.find(qn("w:pPr") + "/" + qn("w:pStyle")) if p is not None else None
    size = None
    if style_id is not None:
        wanted = style_id.get(qn("w:val"))
        for element in _style_elements(document):
            if element.get(qn("w:styleId")) == wanted:
                size = StyleFactory(element).font.size
                break
    return int(size.pt * 20) if size is not None else 210


def _style_elements(document) -> list:
    """The template's style definitions as XML elements: asking python-docx's style
    objects for their id or name costs ~0.1 ms a style, and a template has ~170."""
    return document.styles.element.findall(qn("w:style"))


def _set_widths(tbl, rows, grid, widths: list[int]) -> None:
    tbl_w = tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(sum(widths)))
    for col, width in zip(grid, widths, strict=True):
        col.set(qn("w:w"), str(width))
    for tr in rows:
        for tc, width in zip(tr.findall(qn("w:tc")), widths, strict=True):
            tc_w = tc.find(qn("w:tcPr") + "/" + qn("w:tcW"))
            if tc_w is not None:
                tc_w.set(qn("w:type"), "dxa")
                tc_w.set(qn("w:w"), str(width))


# The contents: entries of Word's styles toc 1 and toc 2 stay typed text (readable in any
# editor) and each gets a link to its heading and a PAGEREF field for the heading's page.
# They are the cached result of a TOC field built from TC fields (TOC \f), and each heading
# carries a TC field with its entry's text and level, so the list Word rebuilds is this one
# (an article's shorter contents title and its subtitle, the plan under the summary's
# section), not one made from the headings. The document asks Word to update its fields
# when it is opened (w:updateFields), so Word fills in the page numbers (after asking); F9
# does it too. LibreOffice 7.4 keeps a TOC field's cached text as typed but does not compute
# the PAGEREFs inside it, so it would print dot leaders without page numbers; updating the
# index there rebuilds it from the TC fields one level too deep, without the break before
# a subtitle's dash. The PDF step therefore converts a copy without the TOC field's own
# markers (typed_contents), in which LibreOffice computes each PAGEREF.
CONTENTS_LEVELS = {"toc 1": "Heading 1", "toc 2": "Heading 2"}
# Word's TOC field over TC entries of levels 1 and 2, with links, page numbers hidden in
# web layout.
CONTENTS_FIELD = ' TOC \\f \\l "1-2" \\h \\z '


def _elem(tag: str, **attrs: str):
    from docx.oxml import OxmlElement

    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(key.replace("_", ":", 1)), value)
    return el


def _run(child, rpr=None):
    import copy

    run = _elem("w:r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    run.append(child)
    return run


def link_contents(document) -> tuple[int, int]:
    """Link each contents entry to the next heading of its level and print its page;
    returns how many entries there are and how many were linked."""
    by_id = {}
    for element in _style_elements(document):
        name = element.find(qn("w:name"))
        value = name.get(qn("w:val")) if name is not None else None
        # Word writes "toc 1", LibreOffice "TOC 1": style names are compared in lower case.
        by_id[element.get(qn("w:styleId"))] = (
            BabelFish.internal2ui(value).lower() if value is not None else None
        )
    paragraphs = list(document.element.body.iter(qn("w:p")))

    def style_of(p) -> str:
        ps = p.find(qn("w:pPr") + "/" + qn("w:pStyle"))
        return by_id.get(ps.get(qn("w:val")), "") if ps is not None else ""

    levels = {entry.lower(): heading.lower() for entry, heading in CONTENTS_LEVELS.items()}
    entries = [p for p in paragraphs if style_of(p) in levels]
    headings = [(i, p, style_of(p)) for i, p in enumerate(paragraphs)]
    start = max((paragraphs.index(e) for e in entries), default=0)
    next_heading = start
    linked = []
    for n, entry in enumerate(entries):
        level = levels[style_of(entry)]
        found = next((h for h in headings[next_heading:] if h[2] == level), None)
        if found is None:
            break
        next_heading = found[0] + 1
        _mark_entry(found[1], entry, list(levels).index(style_of(entry)) + 1)
        _break_before_dash(entry)
        _link(entry, found[1], f"_Toc{n + 1:08d}", n + 1)
        linked.append(entry)
    if linked:
        _wrap_in_field(linked[0], linked[-1])
        _update_fields_on_open(document)
    return len(entries), len(linked)


def _contents_notes(template: Path, entries: int, linked: int) -> list[Msg]:
    """What a template (re-saved by another program, restyled) lost of the contents."""
    if not entries:
        return [Msg("template_no_contents", {"path": template})]
    if linked < entries:
        return [
            Msg(
                "template_contents_unlinked",
                {"path": template, "n": entries - linked, "total": entries},
            )
        ]
    return []


def typed_contents(docx: bytes) -> bytes:
    """The same document without its contents' TOC field markers, so the entries are typed
    text whose PAGEREF fields LibreOffice computes (see the comment above CONTENTS_LEVELS).
    A document without that field comes back unchanged."""
    from lxml import etree

    try:
        source = zipfile.ZipFile(io.BytesIO(docx))
        body = etree.fromstring(source.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return docx  # not a Word document: LibreOffice says what it cannot read
    with source:
        markers = _contents_field_markers(body)
        if not markers:
            return docx
        for marker in markers:
            marker.getparent().remove(marker)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "word/document.xml":
                    data = etree.tostring(body, xml_declaration=True, encoding="UTF-8")
                target.writestr(info, data)
    return out.getvalue()


def _contents_field_markers(body) -> list:
    """The fldChar and instrText elements of the TOC field written by _wrap_in_field: its
    begin, instruction and separator, and the end that closes it (fields nested in its
    result, the PAGEREFs, stay)."""
    char, instr = qn("w:fldChar"), qn("w:instrText")
    kind = qn("w:fldCharType")
    elements = list(body.iter(char, instr))
    for i, el in enumerate(elements):
        if el.tag != instr or (el.text or "") != CONTENTS_FIELD or not 0 < i < len(elements) - 1:
            continue
        begin, separate = elements[i - 1], elements[i + 1]
        if begin.get(kind) != "begin" or separate.get(kind) != "separate":
            return []
        depth = 0
        for end in elements[i + 2 :]:
            if end.tag == char and end.get(kind) == "begin":
                depth += 1
            elif end.tag == char and end.get(kind) == "end":
                if depth == 0:
                    return [begin, el, separate, end]
                depth -= 1
        return []
    return []


def _field_text(text: str) -> str:
    """TEXT as a quoted field argument (a quote or backslash in it escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mark_entry(heading, entry, level: int) -> None:
    """Put a TC field with the entry's text and level at the start of its heading. Its code
    is hidden text, as when Word marks an entry (Word shows a TC field's code, having no
    result); its begin and end are not, since LibreOffice leaves a mark that starts in
    hidden text out of the contents it rebuilds."""
    text = "".join(t.text or "" for t in entry.iter(qn("w:t")))
    hidden = _elem("w:rPr")
    hidden.append(_elem("w:vanish"))
    anchor = heading.find(qn("w:pPr"))
    for field in (
        _elem("w:fldChar", w_fldCharType="begin"),
        _instr(f" TC {_field_text(text)} \\l {level} "),
        _elem("w:fldChar", w_fldCharType="end"),
    ):
        run = _run(field, hidden if field.tag == qn("w:instrText") else None)
        if anchor is not None:
            anchor.addnext(run)
        else:
            heading.insert(0, run)
        anchor = run


def _wrap_in_field(first, last) -> None:
    """Make the entries from FIRST to LAST the cached result of the contents' TOC field."""
    anchor = first.find(qn("w:pPr"))
    for field in (
        _elem("w:fldChar", w_fldCharType="begin"),
        _instr(CONTENTS_FIELD),
        _elem("w:fldChar", w_fldCharType="separate"),
    ):
        run = _run(field)
        if anchor is not None:
            anchor.addnext(run)
        else:
            first.insert(0, run)
        anchor = run
    last.append(_run(_elem("w:fldChar", w_fldCharType="end")))


# What may follow w:updateFields in w:settings (ECMA-376 CT_Settings; after these come
# only other namespaces' elements, such as w14:docId). Word refuses a settings part whose
# children are out of order.
_AFTER_UPDATE_FIELDS = (
    *("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids"),
    *("w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping"),
    *("w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade"),
    *("w:captions", "w:readModeInkLockDown", "w:smartTagType", "w:shapeDefaults"),
    *("w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator"),
)


def _update_fields_on_open(document) -> None:
    """Ask Word to compute the document's fields (the contents' page numbers) on opening."""
    settings = document.settings.element
    present = settings.find(qn("w:updateFields"))
    if present is not None:
        present.set(qn("w:val"), "true")
        return
    update = _elem("w:updateFields", w_val="true")
    later = {qn(tag) for tag in _AFTER_UPDATE_FIELDS}
    main = qn("w:x")[:-1]
    follower = next(
        (c for c in settings if c.tag in later or not str(c.tag).startswith(main)), None
    )
    if follower is not None:
        follower.addprevious(update)
    else:
        settings.append(update)


CONTENTS_LINE = 30.0  # ems of an entry's line, short of the page number
DASH = "\u2014\u2014"


def _break_before_dash(entry) -> None:
    """A title and subtitle too long for one line break before the dash that joins them,
    not inside a word where the line happens to end."""
    texts = list(entry.iter(qn("w:t")))
    whole = "".join(t.text or "" for t in texts)
    if text_ems(whole) <= CONTENTS_LINE:
        return
    for t in texts:
        if t.text and DASH in t.text:
            head, tail = t.text.split(DASH, 1)
            t.text = head
            after = _elem("w:t")
            after.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            after.text = DASH + tail
            t.addnext(after)
            t.addnext(_elem("w:br"))
            return


def _link(entry, heading, name: str, number: int) -> None:
    ppr = heading.find(qn("w:pPr"))
    start = _elem("w:bookmarkStart", w_id=str(number), w_name=name)
    if ppr is not None:
        ppr.addnext(start)
    else:
        heading.insert(0, start)
    heading.append(_elem("w:bookmarkEnd", w_id=str(number)))
    runs = entry.findall(qn("w:r"))
    link = _elem("w:hyperlink", w_anchor=name, w_history="1")
    if runs:
        runs[0].addprevious(link)
        for run in runs:
            link.append(run)
    rpr = runs[-1].find(qn("w:rPr")) if runs else None
    link.append(_run(_elem("w:tab"), rpr))
    for field in (
        _elem("w:fldChar", w_fldCharType="begin"),
        _instr(f" PAGEREF {name} \\h "),
        _elem("w:fldChar", w_fldCharType="separate"),
        _elem("w:fldChar", w_fldCharType="end"),
    ):
        link.append(_run(field, rpr))


def _instr(text: str):
    el = _elem("w:instrText")
    el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    el.text = text
    return el


class _ImageParts(ImageParts):
    """python-docx's collection of a document's pictures, which shares a picture added twice
    (the same bytes) as one part; here it finds the earlier part by a dict of the parts'
    SHA-1s, where python-docx hashes every part again for each picture added (435 SHA-1s
    of ~90 KB for 30 photos: 17 ms). The same part is found, so the same bytes are written."""

    def __init__(self, parts) -> None:
        super().__init__()
        self._by_sha1: dict = {}
        for part in parts:
            self.append(part)

    def append(self, item) -> None:
        super().append(item)
        self._by_sha1.setdefault(item.sha1, item)  # the first, as python-docx's search

    def _get_by_sha1(self, sha1: str):
        return self._by_sha1.get(sha1)


def _open(template: Path) -> _Template:
    """The template, opened; its core properties found under the relationship type
    LibreOffice writes (".../officedocument/2006/relationships/metadata/core-properties"),
    which python-docx does not know: it would add a second docProps/core.xml to the
    document, which Word then refuses."""
    try:
        tpl = _Template(str(template))
        tpl.init_docx()
        package = tpl.docx.part.package
        # python-docx keeps its collection in the instance's dict (a lazy property)
        package.__dict__["image_parts"] = _ImageParts(package.image_parts)
        for rid, rel in list(package.rels.items()):
            if rel.is_external or rel.reltype == RT.CORE_PROPERTIES:
                continue
            if rel.reltype.endswith("/metadata/core-properties"):
                from docx.opc.constants import CONTENT_TYPE as CT
                from docx.opc.parts.coreprops import CorePropertiesPart

                part = rel.target_part
                core = CorePropertiesPart.load(
                    part.partname, CT.OPC_CORE_PROPERTIES, part.blob, package
                )
                package.rels.pop(rid)
                package.relate_to(core, RT.CORE_PROPERTIES)
    except Exception as exc:  # python-docx raises several kinds for a broken file
        raise BuildError(Msg("template_bad", {"path": template, "problem": exc})) from None
    return tpl


def warm(template: Path) -> None:
    """Open the document template, patch its XML and compile it into the cache, as the render
    does (see _Template.patch_xml and CompiledTemplates): for a build to do while its photos
    are prepared on other threads, so that the render after them reads the compiled code back
    (a few ms) instead of making it (~30 ms with an empty cache). Without a cache there is
    nowhere to keep it, and a template that cannot be read or compiled is left for the
    render to report."""
    if not Cache("templates").enabled:
        return
    try:
        tpl = _open(template)
        xml = tpl.patch_xml(tpl.get_xml())
        env = _Environment(autoescape=True, undefined=StrictUndefined)
        # the text docxtpl's render_xml_part compiles: each paragraph on a line of its own
        env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml))
    except Exception:  # noqa: BLE001 - the render meets the same problem and reports it
        return


def render(
    context: Context,
    template: Path,
    pictures: dict | None = None,
    notes: list[Msg] | None = None,
) -> bytes:
    """Fill the Word template with `context`; return the .docx bytes (the same bytes for the
    same context). `pictures`: those already prepared in this run, by path. What the
    template lacks for the contents (its styles renamed) goes to `notes`."""
    tpl = _open(template)
    env = _Environment(autoescape=True, undefined=StrictUndefined)
    try:
        tpl.render(_docx_context(context, tpl, pictures or {}), jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise BuildError(Msg("template_bad", {"path": template, "problem": exc})) from None
    stamp = timestamp(context.dated)
    props = tpl.docx.core_properties
    props.created = props.modified = stamp.replace(tzinfo=None)
    if props.last_printed is not None:
        props.last_printed = stamp.replace(tzinfo=None)
    props.revision = 1
    write_properties(tpl.docx)
    fit_columns(tpl.docx, BreakRules(context.name_ends, context.place_ends))
    split_tall_rows(tpl.docx, context.continued)
    keep_table_ends(tpl.docx)
    entries, linked = link_contents(tpl.docx)
    if notes is not None:
        notes += _contents_notes(template, entries, linked)
    return _save(tpl, stamp)


def render_report(context: Any, template: Path) -> bytes:
    """Fill the period report's template (see bulletin.report) the same way: its fields as
    names, its `chart` (PNG bytes) as a picture the width of the text."""
    return render_document(context, template)


def render_document(context: Any, template: Path) -> bytes:
    """Fill a template with a dataclass's fields as names (the report's, the evaluation
    pack's index): a `chart` field (PNG bytes) as a picture the width of the text, `dated` as
    the document's date."""
    return _filled(_open(template), context, template, fit=True)


def _filled(tpl: DocxTemplate, context: Any, template: Path, *, fit: bool) -> bytes:
    """`tpl` (opened from `template`) filled with the fields of `context`, dated by its
    `dated`; its tables' columns fitted to their text when `fit`."""
    names = {f.name: getattr(context, f.name) for f in fields(context)}
    if "chart" in names:
        names["chart"] = InlineImage(tpl, io.BytesIO(context.chart), width=Mm(150))
    env = _Environment(autoescape=True, undefined=StrictUndefined)
    try:
        tpl.render(names, jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise BuildError(Msg("template_bad", {"path": template, "problem": exc})) from None
    stamp = timestamp(context.dated)
    props = tpl.docx.core_properties
    props.created = props.modified = stamp.replace(tzinfo=None)
    props.revision = 1
    write_properties(tpl.docx)
    if fit:
        fit_columns(tpl.docx)
    return _save(tpl, stamp)


def render_signin(context: Any, template: Path) -> bytes:
    """Fill the sign-in sheets' template (see bulletin.signin) with its fields as names. The
    table's columns are the template's own: only the row loop and the first cell are filled."""
    tpl = _open(template)
    # A table row left without its loop (deleted in Word with the rows around it) would give
    # sheets with nothing to sign on, and no error: the words of the tags, run by run, joined.
    if not _ROW_LOOP.search(re.sub(r"<[^>]+>", "", tpl.get_xml())):
        raise BuildError(
            Msg("signin_template_no_rows", {"path": template}), Msg("hint_signin_template_rows")
        )
    # The columns are the template's own, as wide as the centre made them: not fitted.
    return _filled(tpl, context, template, fit=False)


_ROW_LOOP = re.compile(r"\{%-?\s*tr\s+for\s[^%]*\brows\b")


# Members stored as they are: these formats are compressed already.
_STORED = (".jpeg", ".jpg", ".png", ".gif")


class _ZipWriter:
    """python-docx's package writer interface over one zip written once, with fixed entry
    times and attributes, so equal input gives equal bytes."""

    def __init__(self, stamp: datetime):
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w")
        self.stamp = stamp

    def write(self, pack_uri, blob: bytes) -> None:
        stored = pack_uri.membername.lower().endswith(_STORED)
        info = zip_entry(pack_uri.membername, self.stamp, stored)
        self.zip.writestr(info, blob, compresslevel=None if stored else 6)

    def close(self) -> None:
        self.zip.close()


def _save(tpl: DocxTemplate, stamp: datetime) -> bytes:
    """The .docx as python-docx would save it (its parts, relationships and content types,
    in its order), but written in one pass: no second zip to normalise, pictures not
    deflated again."""
    tpl.pre_processing()  # docxtpl's step before saving: pictures swapped in (none here)
    package = tpl.docx.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    writer = _ZipWriter(stamp)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.close()
    return writer.buffer.getvalue()
