"""The service ledger (服务台账): one row per record of a range of months, one sheet per kind,
in the order an evaluator reads them, with the file and line each row comes from.

Each sheet ends with a totals row whose figures are those of `bulletin stats` for the same
range (the tests check that the rows add up to them); the first sheet holds the range, the
contract indicators and every stats figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bulletin import figures, period
from bulletin.errors import display_path
from bulletin.models import Month, Project, YearMonth
from bulletin.plans import PlanReport
from bulletin.ranges import Range
from bulletin.stats import Stats, figures_of
from bulletin.tables import Sheet, number

WIDE = 40  # characters of a column that wraps (names, contents, evidence)


@dataclass
class Ledger:
    first: YearMonth
    last: YearMonth
    stats: Stats
    sheets: list[Sheet]


def _source(m: Month, name: str, path: tuple) -> str:
    return f"{_shown(m.folder, name)}:{m.line(name, path)}"


@lru_cache(maxsize=64)
def _shown(folder: Path, name: str) -> str:
    return display_path(folder / name, folder.parent)


def _staff(plan: PlanReport | None) -> dict[str, str]:
    """Activity name -> the staff of the plan item it carried out (from last month's plan)."""
    if plan is None:
        return {}
    staff: dict[str, str] = {}
    for item, names in plan.done:
        people: list[str] = []
        for row in item.rows:
            for person in row.staff or []:
                if person not in people:
                    people.append(person)
        for name in names:
            staff.setdefault(name, "、".join(people))
    return staff


def _evidence(m: Month, name: str, ident: str | None) -> str:
    """Pictures of the month's articles that name the activity, and image files whose name
    begins with the activity's id; as paths relative to the data folder."""
    found: list[str] = []
    for article in m.articles:
        words = " ".join(filter(None, (article.title, article.subtitle, article.body)))
        if name in words:
            found += [image.path for image in article.images]
    images = m.folder / "images"
    if ident and images.is_dir():
        found += [f"images/{p.name}" for p in sorted(images.iterdir()) if p.name.startswith(ident)]
    return "\n".join(f"{m.month}/{p}" for p in dict.fromkeys(found))


def build_ledger(
    data_dir: Path,
    first: YearMonth | None = None,
    last: YearMonth | None = None,
    span: period.Span | None = None,
) -> Ledger:
    """The ledger of [first, last] (default: every month with data); from `span` when the
    months are read already."""
    span = span or period.read(data_dir, last)
    stats = figures_of(span, first, last)
    first, last = stats.first, stats.last
    total = stats.total
    months = [v.data for m, v in span.views.items() if m <= last]
    visits: list[list[Any]] = []
    sessions: list[list[Any]] = []
    services: list[list[Any]] = []
    counselling: list[list[Any]] = []
    wishes: list[list[Any]] = []
    for m in months:
        for i, w in enumerate(m.wishes):
            done = w.fulfilled and first <= YearMonth(w.fulfilled.year, w.fulfilled.month) <= last
            if first <= m.month or done:
                wishes.append(
                    [
                        len(wishes) + 1,
                        str(m.month),
                        w.name,
                        w.town or "",
                        w.wish,
                        w.situation,
                        str(w.fulfilled) if w.fulfilled else "",
                        w.donor or "",
                        _source(m, "wishes.yaml", ("wishes", i)),
                    ]
                )
        if m.month < first:
            continue
        for i, v in enumerate(m.visits):
            row = [str(v.date), v.town, v.name, v.mode, 1, "", ""]
            visits.append([len(visits) + 1, *row, _source(m, "visits.yaml", ("visits", i))])
        staff = _staff(span.views[m.month].plan)
        for i, a in enumerate(m.activities):
            evidence = _evidence(m, a.name, a.id)
            for j, s in enumerate(a.sessions):
                people = s.participants if a.participants is None else None
                if a.participants is not None and j == 0:
                    people = a.participants  # the activity's total, on its first session
                sessions.append(
                    [
                        len(sessions) + 1,
                        str(s.date),
                        s.venue,
                        a.name,
                        s.title or a.name,
                        a.kind,
                        1,
                        people,
                        "、".join(a.partners),
                        staff.get(a.name, ""),
                        evidence,
                        _source(m, "events.yaml", ("activities", i, "sessions", j)),
                    ]
                )
        for i, s in enumerate(m.services):
            services.append(
                [
                    len(services) + 1,
                    str(s.date or m.month),
                    s.place,
                    s.name,
                    _source(m, "events.yaml", ("services", i)),
                ]
            )
        for i, c in enumerate(m.consultations):
            counselling.append(
                [
                    len(counselling) + 1,
                    str(c.date or m.month),
                    c.channel,
                    "、".join(c.topics),
                    c.people,
                    c.hours,
                    c.sessions,
                    c.counsellor,
                    _source(m, "consultations.yaml", ("consultations", i)),
                ]
            )
    label = "合计"
    sheets = [
        Sheet(
            "探访",
            ["序号", "日期", "镇区", "对象", "方式", "户次", "负责社工", "佐证材料", "来源"],
            visits,
            [label, "", "", "", "", total["visits"], "", "", ""],
            {3: WIDE},
        ),
        Sheet(
            "活动",
            [
                "序号",
                "日期",
                "地点",
                "活动名称",
                "内容",
                "类别",
                "场次",
                "人次",
                "合作单位",
                "负责社工",
                "佐证材料",
                "来源",
            ],
            sessions,
            [
                label,
                "",
                "",
                "",
                "",
                "",
                total["activity_sessions"],
                total["activity_participants"],
                "",
                "",
                "",
                "",
            ],
            {2: WIDE, 3: WIDE, 4: WIDE, 8: WIDE, 10: WIDE},
        ),
        Sheet(
            "服务",
            ["序号", "日期", "地点", "服务内容", "来源"],
            services,
            [label, "", "", total["services"], ""],
            {3: WIDE},
        ),
        Sheet(
            "心理咨询",
            ["序号", "日期", "方式", "问题类型", "人数", "时长（小时）", "次数", "咨询师", "来源"],
            counselling,
            [
                label,
                "",
                "",
                "",
                total["counselling_people"],
                total["counselling_hours"],
                total["counselling_sessions"],
                "",
                "",
            ],
            {3: WIDE},
        ),
        Sheet(
            "微心愿",
            [
                "序号",
                "收集月份",
                "职工姓名",
                "镇区",
                "小心愿",
                "职工情况",
                "完成日期",
                "捐赠方",
                "来源",
            ],
            wishes,
            [
                label,
                f"收集 {total['wishes_collected']}",
                "",
                "",
                "",
                "",
                f"完成 {total['wishes_fulfilled']}",
                "",
                "",
            ],
            {4: WIDE, 5: WIDE},
        ),
    ]
    for sheet in sheets:
        sheet.source = len(sheet.headers) - 1  # 来源: a message names the row's file:line
    return Ledger(first, last, stats, [_summary_sheet(span, stats), *sheets])


def _summary_sheet(span: period.Span, stats: Stats) -> Sheet:
    """The first sheet: the range, the contract indicators over it, every stats figure."""
    from bulletin.progress import measure

    project = span.project
    rows: list[list[Any]] = [["期间", f"{stats.first} 至 {stats.last}", "", ""]]
    contract = project.period_of(stats.first)
    if contract and contract.indicators and contract.contains(stats.last):
        values, _notes = measure(span, contract.indicators, stats.first, stats.last)
        rows.append(["合同期", f"{contract.name}（{contract.start} 至 {contract.end}）", "", ""])
        rows.append(["", "", "", ""])
        rows.append(["合同指标", "统计项", "目标", "本期实际"])
        for indicator, value in zip(contract.indicators, values, strict=True):
            rows.append(
                [
                    indicator.name,
                    figures.label(indicator.figure, "zh"),
                    number(indicator.target),
                    value,
                ]
            )
    rows.append(["", "", "", ""])
    rows.append(["统计项", "编号", "合计", ""])
    for f in figures.FIGURES:
        rows.append([f.zh, f.key, stats.total.get(f.key), ""])
    return Sheet("汇总", ["服务台账", "", "", ""], rows, None, {0: WIDE, 1: WIDE})


def write_ledger(
    data_dir: Path,
    wanted: Range,
    kind: str,
    output: Path | None,
    project: Project | None = None,
) -> tuple[Path, dict[Path, bytes]]:
    """The ledger of `wanted` as files to write: (where it goes, {file: bytes}); one .xlsx, or
    a folder with a .csv per sheet (default build/台账-FROM-TO[.xlsx]). Raises when no month
    of the range has data: an empty ledger would read as a period without service."""
    from bulletin import tables
    from bulletin.ranges import default_output
    from bulletin.stats import require_data

    span = period.read(data_dir, wanted.last, project=project)
    book = build_ledger(data_dir, wanted.first, wanted.last, span)
    require_data(book.stats, data_dir)
    suffix = ".xlsx" if kind == "xlsx" else ""
    out = output or default_output(f"台账-{book.first}-{book.last}", suffix)
    if kind == "xlsx":
        return out, {out: tables.to_xlsx(book.sheets, book.last)}
    return out, {out / f"{sheet.title}.csv": tables.to_csv(sheet) for sheet in book.sheets}
