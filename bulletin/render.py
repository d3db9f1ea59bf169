"""Word mechanics: fill the .docx template with a context and return the file's bytes,
deterministically.

This is the only module that imports the Word libraries, so `check` and `--help` do
not pay for them.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from bulletin import __version__
from bulletin.context import Context
from bulletin.errors import BuildError, Msg

_VMERGE_CELL = re.compile(
    r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*vmerge\s+(?:(?!%}).)*?%}.*?</w:tc>", re.DOTALL
)
_VMERGE_TAG = re.compile(r"{%\s*vmerge\s+((?:(?!%}).)*?)\s*%}", re.DOTALL)


class _Template(DocxTemplate):
    """docxtpl with one more cell tag: `{% vmerge expr %}` merges the cell with the one
    above when `expr` is 'continue' and starts a merge when it is 'restart'. Unlike
    docxtpl's `{% vm %}`, the data decides which cells merge (see context.merge_flags)."""

    def patch_xml(self, src_xml: str) -> str:
        xml = super().patch_xml(src_xml)

        def patch_cell(m: re.Match[str]) -> str:
            cell = m.group(0)
            expr = _VMERGE_TAG.search(cell).group(1)  # type: ignore[union-attr]
            cell = _VMERGE_TAG.sub("", cell)
            merge = f'{{% if {expr} %}}<w:vMerge w:val="{{{{ {expr} }}}}"/>{{% endif %}}'
            if re.search(r"<w:tcW[^>]*/>", cell):
                return re.sub(r"(<w:tcW[^>]*/>)", lambda t: t.group(1) + merge, cell, count=1)
            if "<w:tcPr>" in cell:
                return cell.replace("<w:tcPr>", "<w:tcPr>" + merge, 1)
            return re.sub(r"(<w:tc[ >])", r"\1<w:tcPr>" + merge + "</w:tcPr>", cell, count=1)

        return _VMERGE_CELL.sub(patch_cell, xml)


def _images(tpl: DocxTemplate, paths: list[Path]) -> dict[Path, InlineImage]:
    """The month's pictures turned upright and scaled to their printed size, prepared
    together (in parallel, through the cache: see bulletin.pictures)."""
    if not paths:
        return {}
    from bulletin import pictures  # Pillow is imported only for months with pictures

    unique = list(dict.fromkeys(paths))
    return {
        path: InlineImage(tpl, io.BytesIO(picture.data), width=Mm(picture.width_mm))
        for path, picture in zip(unique, pictures.prepare_all(unique), strict=True)
    }


def _docx_context(context: Context, tpl: DocxTemplate) -> dict[str, Any]:
    """The context as docxtpl reads it: plain dicts, each picture prepared for Word."""
    names = {f.name: getattr(context, f.name) for f in fields(context)}
    names["sections"] = [asdict(section) for section in context.sections]
    images = [
        image
        for section in names["sections"]
        for article in section["articles"]
        for image in article["images"]
    ]
    prepared = _images(tpl, [image["path"] for image in images])
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


def _timestamp(month_end: datetime) -> datetime:
    """SOURCE_DATE_EPOCH when set, else a date derived from the data (so builds repeat)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return month_end
    # A zip entry holds 1980 to 2107; milliseconds or a date string are mistakes to report.
    if not epoch.isascii() or not epoch.isdigit() or not 315532800 <= int(epoch) < 4354819200:
        raise BuildError(
            Msg("bad_source_date_epoch", {"value": epoch}), Msg("hint_source_date_epoch")
        )
    return datetime.fromtimestamp(int(epoch), UTC)


def render(context: Context, template: Path) -> bytes:
    """Fill the Word template with `context`; return the .docx bytes (the same bytes for the
    same context)."""
    try:
        tpl = _Template(str(template))
        tpl.init_docx()
    except Exception as exc:  # python-docx raises several kinds for a broken file
        raise BuildError(Msg("template_bad", {"path": template, "problem": exc})) from None
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    try:
        tpl.render(_docx_context(context, tpl), jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise BuildError(Msg("template_bad", {"path": template, "problem": exc})) from None
    stamp = _timestamp(context.dated)
    props = tpl.docx.core_properties
    props.created = props.modified = stamp.replace(tzinfo=None)
    if props.last_printed is not None:
        props.last_printed = stamp.replace(tzinfo=None)
    props.revision = 1
    write_properties(tpl.docx)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return _normalise_zip(buffer.getvalue(), stamp)


def _normalise_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite the zip with fixed entry times and attributes, so equal input gives equal bytes."""
    date_time = (
        max(stamp.year, 1980),
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second,
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            zout.writestr(info, zin.read(item.filename), compresslevel=6)
    return out.getvalue()
