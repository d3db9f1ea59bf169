"""Word mechanics: fill the .docx template with a context and return the file's bytes,
deterministically.

This module and those it uses (wordtables: the tables' layout; ooxml) are the only ones that
import the Word libraries, so `check` and `--help` do not pay for them.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import asdict, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import docxtpl
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.package import ImageParts
from docx.shared import Mm
from docx.styles import BabelFish
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from bulletin import __version__, ooxml
from bulletin.cache import Cache, CompiledTemplates
from bulletin.cache import key as cache_key
from bulletin.context import Context
from bulletin.errors import BuildError, Msg
from bulletin.stamp import timestamp, zip_entry
from bulletin.wordtables import BreakRules, fit_columns, keep_table_ends, split_tall_rows, text_ems

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


def link_contents(document) -> tuple[int, int]:
    """Link each contents entry to the next heading of its level and print its page;
    returns how many entries there are and how many were linked."""
    by_id = {}
    for element in ooxml.style_elements(document):
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
    hidden = ooxml.element("w:rPr")
    hidden.append(ooxml.element("w:vanish"))
    anchor = heading.find(qn("w:pPr"))
    for field in (
        ooxml.element("w:fldChar", w_fldCharType="begin"),
        _instr(f" TC {_field_text(text)} \\l {level} "),
        ooxml.element("w:fldChar", w_fldCharType="end"),
    ):
        run = ooxml.run(field, hidden if field.tag == qn("w:instrText") else None)
        if anchor is not None:
            anchor.addnext(run)
        else:
            heading.insert(0, run)
        anchor = run


def _wrap_in_field(first, last) -> None:
    """Make the entries from FIRST to LAST the cached result of the contents' TOC field."""
    anchor = first.find(qn("w:pPr"))
    for field in (
        ooxml.element("w:fldChar", w_fldCharType="begin"),
        _instr(CONTENTS_FIELD),
        ooxml.element("w:fldChar", w_fldCharType="separate"),
    ):
        run = ooxml.run(field)
        if anchor is not None:
            anchor.addnext(run)
        else:
            first.insert(0, run)
        anchor = run
    last.append(ooxml.run(ooxml.element("w:fldChar", w_fldCharType="end")))


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
    update = ooxml.element("w:updateFields", w_val="true")
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
            after = ooxml.element("w:t")
            after.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            after.text = DASH + tail
            t.addnext(after)
            t.addnext(ooxml.element("w:br"))
            return


def _link(entry, heading, name: str, number: int) -> None:
    ppr = heading.find(qn("w:pPr"))
    start = ooxml.element("w:bookmarkStart", w_id=str(number), w_name=name)
    if ppr is not None:
        ppr.addnext(start)
    else:
        heading.insert(0, start)
    heading.append(ooxml.element("w:bookmarkEnd", w_id=str(number)))
    runs = entry.findall(qn("w:r"))
    link = ooxml.element("w:hyperlink", w_anchor=name, w_history="1")
    if runs:
        runs[0].addprevious(link)
        for run in runs:
            link.append(run)
    rpr = runs[-1].find(qn("w:rPr")) if runs else None
    link.append(ooxml.run(ooxml.element("w:tab"), rpr))
    for field in (
        ooxml.element("w:fldChar", w_fldCharType="begin"),
        _instr(f" PAGEREF {name} \\h "),
        ooxml.element("w:fldChar", w_fldCharType="separate"),
        ooxml.element("w:fldChar", w_fldCharType="end"),
    ):
        link.append(ooxml.run(field, rpr))


def _instr(text: str):
    el = ooxml.element("w:instrText")
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
