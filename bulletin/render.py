"""Render a prepared month into a .docx with docxtpl, deterministically and atomically.

This is the only module that imports the Word libraries, so `check` and `--help` do
not pay for them.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from bulletin.errors import BuildError, Msg
from bulletin.prose import day_text, due_text, month_text

if TYPE_CHECKING:
    from bulletin.build import Prepared

_VMERGE_CELL = re.compile(
    r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*vmerge\s+(?:(?!%}).)*?%}.*?</w:tc>", re.DOTALL
)
_VMERGE_TAG = re.compile(r"{%\s*vmerge\s+((?:(?!%}).)*?)\s*%}", re.DOTALL)


class _Template(DocxTemplate):
    """docxtpl with one more cell tag: `{% vmerge expr %}` merges the cell with the one
    above when `expr` is 'continue' and starts a merge when it is 'restart'. Unlike
    docxtpl's `{% vm %}`, the data decides which cells merge (see render.merge_flags)."""

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


def merge_flags(values: list[str], groups: list[int]) -> list[str]:
    """For a column of cells, 'restart'/'continue' where consecutive equal values inside the
    same group merge, '' where a cell stands alone."""
    flags = [""] * len(values)
    for i in range(1, len(values)):
        if values[i] == values[i - 1] and groups[i] == groups[i - 1] and values[i]:
            flags[i] = "continue"
            if flags[i - 1] == "":
                flags[i - 1] = "restart"
    return flags


def _image(tpl: DocxTemplate, path: Path) -> InlineImage:
    """A picture turned upright and scaled to its printed size (see bulletin.pictures)."""
    from bulletin import pictures  # Pillow is imported only for months with pictures

    picture = pictures.prepare(path)
    return InlineImage(tpl, io.BytesIO(picture.data), width=Mm(picture.width_mm))


def build_context(prepared: Prepared, tpl: DocxTemplate) -> dict[str, Any]:
    """The names the Word template reads: computed here, never in the template."""
    project, summary, month = prepared.project, prepared.summary, prepared.month
    ym = summary.month
    nxt = ym.next()
    sections = []
    for title in project.sections:
        articles = [a for a in prepared.articles if a.section == title]
        if not articles:
            continue
        sections.append(
            {
                "title": title,
                "articles": [
                    {
                        "title": a.title,
                        "subtitle": a.subtitle or "",
                        "paragraphs": a.paragraphs,
                        "table": a.table or "",
                        "author": a.author or "",
                        "images": [
                            {
                                "picture": _image(tpl, month.folder / img.path),
                                "caption": img.caption or "",
                            }
                            for img in a.images
                        ],
                    }
                    for a in articles
                ],
            }
        )
    summary_title = f"{project.name}{month_text(ym)}份服务汇总"
    plan_title = f"{project.name}{month_text(nxt)}份服务预告"
    toc = [{"section": "本月速览", "titles": []}]
    toc += [
        {
            "section": s["title"],
            "titles": [a.toc_title for a in prepared.articles if a.section == s["title"]],
        }
        for s in sections
    ]
    toc.append({"section": "服务汇总", "titles": [summary_title, plan_title]})
    return {
        "project_name": project.name,
        "organisation": project.organisation,
        "issue": f"{summary.issue:02d}",
        "cover_month": f"{month_text(ym)}份",
        "toc": toc,
        "overview": prepared.overview,
        "sections": sections,
        "wishes_caption": f"{month_text(ym)}困难职工“小心愿”登记情况",
        "wishes": [
            {"no": i, "name": w.name, "situation": w.situation, "wish": w.wish}
            for i, w in enumerate(summary.wishes.rows, 1)
        ],
        "visits_caption": f"{month_text(ym)}困难职工探访情况",
        "visit_rows": [
            {"no": i, "date": day_text(v.date), "name": v.name, "town": v.town, "mode": v.mode}
            for i, v in enumerate(summary.visits.rows, 1)
        ],
        "visits_sentence": prepared.visits_sentence,
        "summary_title": summary_title,
        "service_rows": _service_rows(prepared),
        "plan_title": plan_title,
        "plan_rows": _plan_rows(prepared),
        "plan_empty": "下月暂无服务预告。",
    }


def _service_rows(prepared: Prepared) -> list[dict[str, Any]]:
    """一、服务汇总表: every activity session, then the ongoing services."""
    summary = prepared.summary
    rows: list[dict[str, Any]] = []
    for line in summary.activities:
        assert line.source is not None
        for s in line.source.sessions:
            rows.append(
                {"time": day_text(s.date), "content": s.title or line.name, "place": s.venue}
            )
    month_label = f"{summary.month.month}月"
    for service in summary.services:
        time = day_text(service.date) if service.date else month_label
        rows.append({"time": time, "content": service.name, "place": service.place})
    flags = merge_flags([r["time"] for r in rows], [0] * len(rows))
    for i, (row, flag) in enumerate(zip(rows, flags, strict=True), 1):
        row["no"] = i
        row["merge_time"] = flag
        if flag == "continue":
            row["time"] = ""
    return rows


def _plan_rows(prepared: Prepared) -> list[dict[str, Any]]:
    """服务预告: one table row per plan row; name and content merge over an activity's rows,
    due and staff merge where consecutive rows of an activity share them."""
    rows: list[dict[str, Any]] = []
    groups: list[int] = []
    for g, item in enumerate(prepared.summary.plans):
        due, staff = None, None
        for row in item.rows:
            due = row.due if row.due is not None else due
            staff = row.staff if row.staff is not None else staff
            rows.append(
                {
                    "name": item.name,
                    "content": item.content,
                    "target": row.target,
                    "due": due_text(due) if due is not None else "",
                    "staff": " ".join(staff or []),
                }
            )
            groups.append(g)
    names = [f"{g}" for g in groups]  # merge name/content over each activity's rows
    for key, values in (("name", names), ("due", None), ("staff", None)):
        flags = merge_flags(values or [r[key] for r in rows], groups)
        for row, flag in zip(rows, flags, strict=True):
            row[f"merge_{key}"] = flag
            if flag == "continue":
                row[key] = ""
                if key == "name":
                    row["content"] = ""
    return rows


def _timestamp(month_end: datetime) -> datetime:
    """SOURCE_DATE_EPOCH when set, else a date derived from the data (so builds repeat)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return month_end


def render(prepared: Prepared, template: Path) -> bytes:
    """Render the bulletin and return the .docx bytes (deterministic for the same data)."""
    try:
        tpl = _Template(str(template))
        tpl.init_docx()
    except Exception as exc:  # python-docx raises several kinds for a broken file
        raise BuildError(Msg("template_bad", {"path": template, "problem": exc})) from None
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    try:
        tpl.render(build_context(prepared, tpl), jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise BuildError(Msg("template_bad", {"path": template, "problem": exc})) from None
    nxt = prepared.summary.month.next()
    stamp = _timestamp(datetime(nxt.year, nxt.month, 1, tzinfo=UTC))
    props = tpl.docx.core_properties
    props.created = props.modified = stamp.replace(tzinfo=None)
    if props.last_printed is not None:
        props.last_printed = stamp.replace(tzinfo=None)
    props.revision = 1
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
