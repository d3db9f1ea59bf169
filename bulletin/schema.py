"""JSON Schemas of the data files, generated from the models, for editors to check and
complete while typing (VS Code's YAML extension reads the `# yaml-language-server` line).

The schemas carry the project's towns and sections as choices, so they are written per
project (`data/schemas/`) and refreshed by `bulletin schema`, `bulletin new` and `bulletin init`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bulletin.models import (
    MONTH_FILES,
    SECTION_MARK,
    TOWN_MARK,
    Activity,
    Answers,
    Article,
    ArticlesFile,
    Consultation,
    ConsultationsFile,
    ContractPeriod,
    EventsFile,
    Image,
    Indicator,
    MonthInfo,
    PlanItem,
    PlanRow,
    PlansFile,
    Project,
    Satisfaction,
    Service,
    Session,
    Strict,
    Visit,
    VisitsFile,
    Wish,
    WishesFile,
)
from bulletin.output import write_atomically

SCHEMA_DIR = "schemas"
# Draft 7: the version VS Code's YAML extension (yaml-language-server) validates with.
DIALECT = "http://json-schema.org/draft-07/schema#"

# What each model is, in the words of the people who fill the files in.
DESCRIPTIONS: dict[type[Strict], str] = {
    Project: "project.yaml：项目的基本信息，每月不变",
    ContractPeriod: "一个合同期：起止月份和合同指标",
    Indicator: "一项合同指标：统计项和目标值",
    MonthInfo: "month.yaml（可选）：本期的设置，如期号",
    VisitsFile: "visits.yaml：本月探访困难职工记录",
    Visit: "一次探访",
    WishesFile: "wishes.yaml：本月收集的困难职工“小心愿”",
    Wish: "一个小心愿",
    EventsFile: "events.yaml：本月开展的活动和持续开展的服务",
    Activity: "一项活动，按场次和人次统计",
    Session: "活动的一场：日期和地点",
    Satisfaction: "满意度问卷结果：收回份数和各选项（或各分数）的份数",
    Answers: "各选项的份数：非常满意、满意、一般、不满意、非常不满意，没写的选项为 0 份",
    Service: "持续开展的服务，只列在服务汇总表中",
    ConsultationsFile: "consultations.yaml：本月心理咨询记录，不写求助者姓名",
    Consultation: "一条心理咨询记录（一次或一批）",
    PlansFile: "plans.yaml：下个月的服务预告",
    PlanItem: "服务预告中的一项活动",
    PlanRow: "活动的一行：对象、时间、跟进人员",
    ArticlesFile: "articles.yaml：本月文章，按出现顺序",
    Article: "一篇文章",
    Image: "文章中的一张图片及其说明",
}

FILES: dict[str, type[Strict]] = {"project.yaml": Project, **MONTH_FILES}


def schema_file(data_file: str) -> str:
    """visits.yaml -> visits.schema.json"""
    return data_file.rsplit(".", 1)[0] + ".schema.json"


def modeline(data_file: str, in_month_folder: bool = True) -> str:
    """The first line of a data file that points editors at its schema."""
    prefix = "../" if in_month_folder else ""
    return f"# yaml-language-server: $schema={prefix}{SCHEMA_DIR}/{schema_file(data_file)}"


def file_schema(data_file: str, project: Project | None = None) -> dict[str, Any]:
    """The JSON Schema of one data file; with `project`, towns and sections are choices."""
    model = FILES[data_file]
    raw = model.model_json_schema(ref_template="#/definitions/{model}")
    if "$defs" in raw:  # draft 7 keeps shared parts under "definitions"
        raw = {"definitions": raw.pop("$defs"), **raw}
    definitions = raw.get("definitions", {})
    for described, text in DESCRIPTIONS.items():
        if described.__name__ in definitions:
            definitions[described.__name__]["description"] = text
    raw["description"] = DESCRIPTIONS[model]
    raw["title"] = data_file
    if model is MonthInfo:
        raw["type"] = ["object", "null"]  # comments only: nothing set this month
    elif model is not Project:
        # `visits:` with nothing after it is an empty list (see models._none_is_empty).
        for prop in raw["properties"].values():
            if prop.get("type") == "array":
                prop["type"] = ["array", "null"]
    choices = {
        TOWN_MARK: list(project.towns) if project else None,
        SECTION_MARK: list(project.sections) if project else None,
    }
    cleaned = _clean(raw, choices)
    return {"$schema": DIALECT, **cleaned}


def _clean(node: Any, choices: dict[str, list[str] | None]) -> Any:
    """Drop pydantic's English titles; turn the town and section markers into choices."""
    if isinstance(node, list):
        return [_clean(item, choices) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {name: _clean(v, choices) for name, v in value.items()}
        elif key == "title" and isinstance(value, str) and not value.endswith(".yaml"):
            continue
        elif key in choices:
            if choices[key]:
                out["enum"] = choices[key]
        else:
            out[key] = _clean(value, choices)
    return out


def schemas(project: Project | None = None) -> dict[str, dict[str, Any]]:
    """Every data file's schema, keyed by the schema's file name."""
    return {schema_file(name): file_schema(name, project) for name in FILES}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(out_dir: Path, project: Project | None = None) -> list[Path]:
    """Write the schemas into `out_dir`; returns the files whose content changed."""
    changed = []
    for name, schema in schemas(project).items():
        path = out_dir / name
        text = dumps(schema)
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except (OSError, UnicodeDecodeError):
            pass
        write_atomically(text.encode("utf-8"), path)
        changed.append(path)
    return changed
