"""Word tables laid out from their content, as a careful typist would: every column as wide
as its names and dates need (long text takes the rest), a name too long for its column
broken only between its words, a table's first and last rows kept with the rest, and a row
taller than a page continued on further rows (marked with the wording's `continued`).

Only `render` imports this module (it needs the Word libraries).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from docx.oxml.ns import qn
from docx.styles.style import StyleFactory

from bulletin import ooxml

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
    """Whether `rest` may begin a line: not empty, and not a closing bracket or quotation
    mark or other punctuation (·, which stays with what it follows)."""
    return bool(rest) and unicodedata.category(rest[0]) not in ("Pe", "Pf", "Po")


def _name_cuts(text: str, rules: BreakRules) -> list[int]:
    """Where a name or term without spaces may break: before the organisation's kind that
    ends it, before an opening bracket, after the quotation that begins it, after a place
    (not before another place word: a subdistrict's name stays whole), never inside a longer
    ending, and leaving no part shorter than three characters but a last one of two (a
    district's name). Text with sentence punctuation is prose, which breaks anywhere."""
    if _SENTENCE.search(text):
        return []
    cuts: set[int] = set()
    inside: set[int] = set()
    # Inside the quotation that begins the text: how many quotation marks are open.
    quoted = 1 if text and unicodedata.category(text[0]) == "Pi" else 0
    for i in range(len(text)):
        kind = unicodedata.category(text[i])
        if kind == "Ps":
            cuts.add(i)  # before an opening bracket
        elif quoted and i and kind in ("Pi", "Pf"):
            quoted += 1 if kind == "Pi" else -1
            if not quoted and _starts_word(text[i + 1 :]):
                cuts.add(i + 1)  # after the quotation that begins it (its own quotes inside)
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
            if text.startswith(place, i) and not rest.startswith(rules.places):
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
        return _shared(total, least)
    if sum(more) <= spare:
        return _shared(total, [lo + m for lo, m in zip(least, more, strict=True)])
    return [lo + s for lo, s in zip(least, _shared(spare, more), strict=True)]


def _shared(total: float, weights: list[float]) -> list[float]:
    """`total` in proportion to `weights`; alike when every weight is nought."""
    whole = sum(weights)
    if not whole:
        return [total / len(weights)] * len(weights)
    return [total * w / whole for w in weights]


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
            ppr = ooxml.element("w:pPr")
            p.insert(0, ppr)
        if ppr.find(qn("w:keepNext")) is None:
            keep = ooxml.element("w:keepNext")
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
        # a header with no row under it keeps with nothing
        start = [tr for tr, is_head in zip(rows[:-1], head, strict=False) if is_head]
        if not merged:
            start += body[: TABLE_ENDS - 1] if len(body) > 2 * TABLE_ENDS else body[:-1]
        for tr in start:
            if _row_twips(tr, em) + _row_twips(tr.getnext(), em) <= page / 6:
                _keep_with_next(tr)
        for tr in body[-TABLE_ENDS:-1]:
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
            br, more = ooxml.element("w:br"), ooxml.element("w:t")
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
        p = ooxml.element("w:p")
        if ppr is not None:
            p.append(copy.deepcopy(ppr))
        t = ooxml.element("w:t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = line
        p.append(ooxml.run(t, rpr))
        tc.append(p)


def _em_twips(document, tr) -> int:
    """The size of the table's text (its last row's first paragraph style) in twips."""
    p = tr.find(".//" + qn("w:p"))
    style_id = p.find(qn("w:pPr") + "/" + qn("w:pStyle")) if p is not None else None
    size = None
    if style_id is not None:
        wanted = style_id.get(qn("w:val"))
        for element in ooxml.style_elements(document):
            if element.get(qn("w:styleId")) == wanted:
                size = StyleFactory(element).font.size
                break
    return int(size.pt * 20) if size is not None else 210


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
