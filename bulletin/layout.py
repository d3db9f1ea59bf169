"""The contents' page numbers written into the .docx, from one LibreOffice layout.

Each contents entry ends in a PAGEREF field (bulletin.render.link_contents). Word computes
such a field only when asked (and asks the user first), WPS not at all, and LibreOffice
not inside a TOC field, so a field with an empty result shows no number. When LibreOffice
is found, a build therefore lays the document out once, reads each entry's page from the
PDF that layout makes (LibreOffice names a link by its text: the number it printed), and
writes the numbers into the fields' results; the document then no longer asks Word to
update its fields on opening.

The PDF is kept in the cache under the finished document's bytes, and the numbers under
the document's before they were filled in, so building an unchanged month again runs no
LibreOffice, and `--pdf` writes the PDF that layout made instead of laying it out again.
`--no-layout` (or BULLETIN_NO_LAYOUT=1) skips the layout.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

from bulletin.cache import Cache, key
from bulletin.errors import BuildError, Msg

ENV_VAR = "BULLETIN_NO_LAYOUT"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PAGEREF = re.compile(r"^\s*PAGEREF\s+(\S+)(.*)$")


def switched_off(no_layout: bool = False) -> bool:
    """Whether the layout is skipped: --no-layout, or BULLETIN_NO_LAYOUT set to other than 0."""
    return no_layout or os.environ.get(ENV_VAR, "").strip() not in ("", "0")


def fill_page_numbers(
    docx: bytes, soffice: Path | None = None, *, no_layout: bool = False
) -> tuple[bytes, Msg | None]:
    """The document with its contents' page numbers filled in, and None; or the document as
    it is (still asking Word to update its fields on opening) and the note that says why:
    the layout skipped, LibreOffice not found, or its layout unreadable. A document
    without contents comes back as it is, with no note."""
    fields = _pagerefs(docx)
    if not fields:
        return docx, None
    if switched_off(no_layout):
        return docx, Msg("layout_skipped")
    numbers_store = Cache("layouts")
    name = key("page numbers", docx)
    numbers = _read_numbers(numbers_store.get(name), len(fields))
    if numbers is not None:
        return fill(docx, numbers), None
    from bulletin import pdf

    try:
        program = pdf.find_soffice(soffice)
    except BuildError as exc:
        if exc.message.key == "pdf_soffice_given_missing":  # --soffice or BULLETIN_SOFFICE
            return docx, Msg("layout_soffice_given_missing", exc.message.params)
        return docx, Msg("layout_no_soffice")
    try:
        made = pdf.lay_out(docx, program)
    except BuildError as exc:
        return docx, Msg("layout_failed", {"reason": exc.message})
    numbers = page_numbers(made)
    if len(numbers) != len(fields):
        return docx, Msg("layout_unread", {"found": len(numbers), "wanted": len(fields)})
    numbers_store.put(name, json.dumps(numbers).encode("utf-8"))
    filled = fill(docx, numbers)
    pdf.remember(filled, made)
    return filled, None


def _read_numbers(entry: bytes | None, count: int) -> list[str] | None:
    if entry is None:
        return None
    try:
        numbers = json.loads(entry)
    except ValueError:
        return None
    if (
        isinstance(numbers, list)
        and len(numbers) == count
        and all(isinstance(n, str) for n in numbers)
    ):
        return numbers
    return None


def _document(docx: bytes):
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as source:
            return etree.fromstring(source.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return None


def _pagerefs(docx: bytes) -> list:
    """The instruction elements of the document's PAGEREF fields that print a link (\\h),
    in document order: those of the contents."""
    body = _document(docx)
    if body is None:
        return []
    return _pageref_instructions(body)


def _pageref_instructions(body) -> list:
    found = []
    for instr in body.iter(f"{{{_W}}}instrText"):
        m = _PAGEREF.match(instr.text or "")
        if m and "\\h" in m.group(2):
            found.append(instr)
    return found


def fill(docx: bytes, numbers: list[str]) -> bytes:
    """The document with NUMBERS as the results of its PAGEREF fields (in order), and
    without w:updateFields: nothing is left for Word to update."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(docx))
    with source:
        body = etree.fromstring(source.read("word/document.xml"))
        for instr, number in zip(_pageref_instructions(body), numbers, strict=True):
            _set_result(instr, number)
        settings = None
        if "word/settings.xml" in source.namelist():
            settings = etree.fromstring(source.read("word/settings.xml"))
            for update in settings.findall(f"{{{_W}}}updateFields"):
                settings.remove(update)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "word/document.xml":
                    data = etree.tostring(
                        body, xml_declaration=True, encoding="UTF-8", standalone=True
                    )
                elif info.filename == "word/settings.xml" and settings is not None:
                    data = etree.tostring(
                        settings, xml_declaration=True, encoding="UTF-8", standalone=True
                    )
                target.writestr(info, data)
    return out.getvalue()


def _set_result(instr, number: str) -> None:
    """Put NUMBER between the field's separator and its end, in the instruction's format,
    in place of any result it had."""
    import copy

    from lxml import etree

    run = instr.getparent()
    kind = f"{{{_W}}}fldCharType"
    separate = run.getnext()
    while separate is not None and separate.find(f"{{{_W}}}fldChar") is None:
        separate = separate.getnext()
    if separate is None or separate.find(f"{{{_W}}}fldChar").get(kind) != "separate":
        return  # a field without a result part: nothing to fill
    following = separate.getnext()
    while following is not None:
        char = following.find(f"{{{_W}}}fldChar")
        if char is not None and char.get(kind) == "end":
            break
        following.getparent().remove(following)
        following = separate.getnext()
    result = etree.Element(f"{{{_W}}}r")
    rpr = run.find(f"{{{_W}}}rPr")
    if rpr is not None:
        result.append(copy.deepcopy(rpr))
    etree.SubElement(result, f"{{{_W}}}t").text = number
    separate.addnext(result)


def cached_results(docx: bytes) -> list[str]:
    """The cached results of the document's contents PAGEREF fields, in order ('' where a
    field has none): what Word, WPS and LibreOffice show before any update."""
    body = _document(docx)
    if body is None:
        return []
    kind = f"{{{_W}}}fldCharType"
    results = []
    for instr in _pageref_instructions(body):
        text, inside = "", False
        node = instr.getparent().getnext()
        while node is not None:
            char = node.find(f"{{{_W}}}fldChar")
            if char is not None and char.get(kind) == "separate":
                inside = True
            elif char is not None and char.get(kind) == "end":
                break
            elif inside:
                text += "".join(t.text or "" for t in node.iter(f"{{{_W}}}t"))
            node = node.getnext()
        results.append(text)
    return results


# A PDF object and the parts of one that name a page's links and a link's place and text.
_OBJECT = re.compile(rb"(\d+)\s+0\s+obj\b(.*?)\bendobj", re.S)
_REF = re.compile(rb"(\d+)\s+0\s+R")


def page_numbers(pdf: bytes) -> list[str]:
    """The numbers LibreOffice printed as links to pages inside the document (the contents'
    PAGEREF fields), in reading order: page by page, top to bottom. LibreOffice writes
    each link with its text as /Contents; a link without one counts as its target page's
    position."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}
    pages = _page_order(objects)
    position = {page: n + 1 for n, page in enumerate(pages)}
    numbers = []
    for page in pages:
        annots = re.search(rb"/Annots\s*\[(.*?)\]", objects[page], re.S)
        if not annots:
            continue
        links = []
        for ref in _REF.findall(annots.group(1)):
            body = objects.get(int(ref), b"")
            if b"/Link" not in body:
                continue
            dest = re.search(rb"/D(?:est)?\s*\[\s*(\d+)\s+0\s+R", body)
            rect = re.search(rb"/Rect\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", body)
            if dest is None or rect is None:
                continue  # a link out of the document (/URI), or one without a place
            text = _pdf_text(body)
            if text is None:
                text = str(position.get(int(dest.group(1)), ""))
            if not text.isdigit():
                continue
            top, left = float(rect.group(4)), float(rect.group(1))
            links.append((-top, left, text))
        numbers += [text for _, _, text in sorted(links)]
    return numbers


def _page_order(objects: dict[int, bytes]) -> list[int]:
    """The page objects in the order of the page tree (from its root, the Pages node
    without a parent)."""
    roots = [
        n
        for n, body in objects.items()
        if re.search(rb"/Type\s*/Pages\b", body) and b"/Parent" not in body
    ]
    order: list[int] = []

    def walk(n: int, depth: int = 0) -> None:
        body = objects.get(n, b"")
        kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
        if re.search(rb"/Type\s*/Pages\b", body) and kids and depth < 32:
            for ref in _REF.findall(kids.group(1)):
                walk(int(ref), depth + 1)
        elif re.search(rb"/Type\s*/Page\b", body):
            order.append(n)

    for root in roots[:1]:
        walk(root)
    return order


def _pdf_text(body: bytes) -> str | None:
    """An annotation's /Contents: a hex string (UTF-16 with its byte order mark, as
    LibreOffice writes it) or a literal one."""
    hexed = re.search(rb"/Contents\s*<([0-9A-Fa-f\s]*)>", body)
    if hexed:
        raw = bytes.fromhex(re.sub(rb"\s", b"", hexed.group(1)).decode("ascii"))
        if raw.startswith(b"\xfe\xff"):
            return raw[2:].decode("utf-16-be", errors="replace").strip()
        return raw.decode("latin-1").strip()
    literal = re.search(rb"/Contents\s*\(((?:\\.|[^\\)])*)\)", body)
    if literal:
        return literal.group(1).decode("latin-1").strip()
    return None
