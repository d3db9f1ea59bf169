"""Start a project (`bulletin init`) or a month (`bulletin new`) from commented templates.

Nothing is half-written: files are rendered first, then a month folder is moved into place
in one rename, and an existing month or project is never overwritten.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined
from pydantic import ValidationError

from bulletin.errors import BuildError, Msg, UsageError, display_path
from bulletin.loader import PROJECT_FILE, list_months, load_month, load_project, search_project
from bulletin.models import MONTH_FILES, PlanItem, Project, YearMonth
from bulletin.output import cannot_write, clear_leftovers, temp_prefix, write_atomically
from bulletin.prose import month_text
from bulletin.summary import issue_number
from bulletin.template_search import (
    DOCX_TEMPLATE,
    EVIDENCE_TEMPLATE,
    OVERVIEW_TEMPLATE,
    REPORT_TEMPLATE,
    SIGNIN_TEMPLATE,
    WORDING_FILE,
    builtin_templates,
    find_template,
    render_text,
)

MONTH_TEMPLATES = "month"
PROJECT_TEMPLATE = "project.yaml.j2"
GITIGNORE = "# Built bulletins and Word's lock files\nbuild/\n~$*.docx\n"


@dataclass(frozen=True)
class NewMonth:
    """What `bulletin new` made."""

    folder: Path
    files: list[Path]
    source: YearMonth | None  # the month whose ongoing services were copied
    planned: int  # activities of last month's plan listed to record
    services: int  # ongoing services copied


@dataclass(frozen=True)
class NewProject:
    """What `bulletin init` made."""

    folder: Path
    files: list[Path]


def yaml_scalar(value: Any) -> str:
    """A value written so that YAML reads it back as the same text."""
    text = yaml.safe_dump(str(value), allow_unicode=True, width=10_000)
    text = text.removesuffix("\n").removesuffix("\n...")
    if ":" in text and text[:1] not in "'\"":
        # Plain `A:*` is valid YAML, but the loader reads `key:value` as a missing space
        # after a colon (yamlfile's colon slip): quoted, it reads back as written.
        text = yaml.safe_dump(str(value), allow_unicode=True, width=10_000, default_style="'")
        text = text.removesuffix("\n").removesuffix("\n...")
    return text


def _environment() -> Environment:
    env = Environment(
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not markup; values go through the `q` filter
    )
    env.filters["q"] = yaml_scalar
    return env


def _render(path: Path, context: dict[str, Any]) -> str:
    return render_text(_environment(), path, context)


def _planned(items: list[PlanItem], month: YearMonth) -> list[dict[str, Any]]:
    """Last month's plan, as activities to record: one session per plan row."""
    planned = []
    for item in items:
        rows = []
        for row in item.filled_rows():  # a row without due has the row above's
            due = row.due
            whole = not isinstance(due, date)
            rows.append(
                {
                    "date": f"{month}-??" if whole else due.isoformat(),
                    "whole_month": whole,
                    "target": row.target,
                }
            )
        planned.append({"id": item.id, "name": item.name, "rows": rows})
    return planned


def _source_month(data_dir: Path, month: YearMonth, source: YearMonth | None) -> YearMonth | None:
    """The month to copy ongoing services and counsellors from: --from, else the latest
    month before the new one."""
    existing = list_months(data_dir)
    if source is not None:
        if source not in existing:
            raise UsageError(
                Msg("month_missing", {"month": str(source)}),
                Msg("hint_from_month", {"months": ", ".join(map(str, existing)) or "-"}),
            )
        return source
    earlier = [m for m in existing if m < month]
    return earlier[-1] if earlier else None


def next_month(data_dir: Path) -> YearMonth:
    """The month `bulletin new` starts when none is named: the one after the latest month,
    or the first issue in a project that has none yet (its first bulletin is 第 01 期)."""
    months = list_months(data_dir)
    if months:
        return months[-1].next()
    return load_project(data_dir).first_month


def new_month(data_dir: Path, month: YearMonth, source: YearMonth | None = None) -> NewMonth:
    """Create the folder of `month` with every data file, commented, and refresh the schemas.
    Raises BuildError if the month exists and DataError if a month it copies from is invalid."""
    # Here rather than at the top: `check` imports this module only for example_notes.
    from bulletin.plans import service_carries_out
    from bulletin.schema import SCHEMA_DIR, modeline, write_schemas

    project = load_project(data_dir)
    folder = data_dir / str(month)
    if folder.exists():
        raise BuildError(Msg("month_exists", {"path": folder}), Msg("hint_month_exists"))
    if month < project.first_month:
        raise UsageError(
            Msg("month_before_first", {"month": str(month), "first": project.first_issue}),
            Msg("hint_first_issue"),
        )
    source = _source_month(data_dir, month, source)
    copied = load_month(project, data_dir, source) if source else None
    prev = month.prev()
    plans: list[PlanItem] = []
    if (data_dir / str(prev)).is_dir():
        plans = (
            copied.plans if copied and source == prev else load_month(project, data_dir, prev).plans
        )
    nxt = month.next()
    counsellors: list[dict[str, str]] = []
    for c in copied.consultations if copied else []:
        entry = {"counsellor": c.counsellor, "channel": c.channel}
        if entry not in counsellors:
            counsellors.append(entry)
    services = list(copied.services) if copied else []
    # A plan item that an ongoing service carries out is not an activity to record.
    to_record = [p for p in plans if not any(service_carries_out(p, s.name) for s in services)]
    context = {
        "month": str(month),
        "month_text": month_text(month),
        "month_number": month.month,
        "example_day": f"{month}-05",
        "prev_text": month_text(prev),
        "next_month": str(nxt),
        "next_text": month_text(nxt),
        "next_example_day": f"{nxt}-05",
        "issue": issue_number(project, month),
        "towns": project.towns,
        "sections": project.sections,
        "planned": _planned(to_record, month),
        "services": [s.model_dump() for s in services],
        "counsellors": counsellors,
    }
    texts = {}
    for name in MONTH_FILES:
        template = find_template(f"{MONTH_TEMPLATES}/{name}.j2", project, data_dir, None)
        texts[name] = _render(template, {**context, "modeline": modeline(name)})
    write_schemas(data_dir / SCHEMA_DIR, project)
    _write_folder(folder, texts)
    return NewMonth(
        folder=folder,
        files=[folder / name for name in texts],
        source=source,
        planned=len(to_record),
        services=len(services),
    )


def _write_folder(folder: Path, texts: dict[str, str]) -> None:
    """Write the files into a hidden sibling folder, then rename it into place."""
    try:
        clear_leftovers(folder.parent, folder.name)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=temp_prefix(folder.name)))
    except OSError as exc:
        raise cannot_write(folder, exc) from None
    try:
        for name, text in texts.items():
            (tmp / name).write_text(text, encoding="utf-8", newline="\n")
        os.chmod(tmp, 0o755)
        os.rename(tmp, folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise cannot_write(folder, exc) from None
    except BaseException:  # interrupted: leave nothing that `git add data` would pick up
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def init_project(
    folder: Path,
    *,
    name: str,
    organisation: str,
    union: str,
    first_issue: YearMonth,
) -> NewProject:
    """Start a data folder for another centre: project.yaml with comments, the default
    templates to restyle, the schemas and a .gitignore. Never overwrites a project."""
    from bulletin.schema import SCHEMA_DIR, modeline, write_schemas

    if (folder / PROJECT_FILE).exists():
        raise BuildError(
            Msg("project_exists", {"path": folder / PROJECT_FILE}), Msg("hint_project_exists")
        )
    builtin = builtin_templates()
    try:
        example = Project(
            name=name,
            organisation=organisation,
            union=union,
            first_issue=str(first_issue),
            towns=list(DEFAULT_TOWNS),
            sections=list(DEFAULT_SECTIONS),
            templates="templates",
        )
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        raise UsageError(Msg("bad_option", {"option": f"--{field}"})) from None
    # A project inside another (a clone of a project's repository, say) would be found by
    # neither: commands run in it would read the outer one.
    nearest = next((p for p in (folder, *folder.parents) if p.exists()), folder)
    outer = search_project(nearest)
    if outer is not None:
        raise BuildError(
            Msg("project_inside", {"path": display_path(outer / PROJECT_FILE)}),
            Msg("hint_project_inside"),
        )
    text = _render(
        builtin / PROJECT_TEMPLATE,
        {
            "modeline": modeline(PROJECT_FILE, in_month_folder=False),
            "project": example.model_dump(),
            "first_issue": str(first_issue),
            "example_towns": True,
        },
    )
    files = []
    templates_dir = folder / "templates"
    for template in (
        DOCX_TEMPLATE,
        REPORT_TEMPLATE,
        EVIDENCE_TEMPLATE,
        SIGNIN_TEMPLATE,
        OVERVIEW_TEMPLATE,
        WORDING_FILE,
    ):
        target = templates_dir / template
        if not target.exists():
            write_atomically((builtin / template).read_bytes(), target)
            files.append(target)
    files += write_schemas(folder / SCHEMA_DIR, example)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        write_atomically(GITIGNORE.encode("utf-8"), gitignore)
        files.append(gitignore)
    write_atomically(text.encode("utf-8"), folder / PROJECT_FILE)
    files.insert(0, folder / PROJECT_FILE)
    return NewProject(folder=folder, files=files)


DEFAULT_TOWNS = [
    "石岐街道",
    "东区街道",
    "西区街道",
    "南区街道",
    "五桂山街道",
    "中山港街道",
    "小榄镇",
    "古镇镇",
    "横栏镇",
    "南头镇",
    "阜沙镇",
    "港口镇",
    "三角镇",
    "南朗镇",
    "沙溪镇",
    "大涌镇",
    "坦洲镇",
    "板芙镇",
    "神湾镇",
    "黄圃镇",
    "三乡镇",
    "东凤镇",
    "东升镇",
    "民众镇",
]


def example_notes(project) -> list[Msg]:
    """What `init` filled in as an example and the project still has unedited."""
    notes = []
    if list(project.towns) == DEFAULT_TOWNS:
        notes.append(Msg("example_towns", {"n": len(DEFAULT_TOWNS)}))
    return notes


DEFAULT_SECTIONS = ("项目快讯", "职工关爱服务", "职工服务站", "心理咨询服务")
