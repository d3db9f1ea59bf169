"""The bulletin's content as the document template reads it: one typed object, built by
`build_context` from the month's figures, its articles and its words (bulletin.wording).

Everything here is plain data (text, numbers, picture paths), so the Word renderer and a
future HTML edition can read the same object; nothing in a template computes what this
module or the summary should compute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bulletin.models import Image, Project
from bulletin.summary import Summary
from bulletin.wording import Words


@dataclass(frozen=True)
class ArticleText:
    """An article with its placeholders filled and its body split into paragraphs."""

    section: str
    title: str
    subtitle: str | None
    toc_title: str
    author: str | None
    paragraphs: list[str]
    table: str | None
    images: list[Image]


@dataclass(frozen=True)
class TocEntry:
    section: str
    titles: list[str]


@dataclass(frozen=True)
class Picture:
    path: Path  # the picture file; the renderer prepares it for its medium
    caption: str


@dataclass(frozen=True)
class ArticleView:
    title: str
    subtitle: str
    paragraphs: list[str]
    table: str  # "wishes", "visits" or ""
    author: str
    images: list[Picture]


@dataclass(frozen=True)
class SectionView:
    title: str
    articles: list[ArticleView]


@dataclass(frozen=True)
class WishRow:
    no: int
    name: str
    situation: str
    wish: str


@dataclass(frozen=True)
class VisitRow:
    no: int
    date: str
    name: str
    town: str
    mode: str


@dataclass(frozen=True)
class IndicatorRow:
    """A row of the optional 指标进度 table (project.yaml `progress_table: true`)."""

    no: int
    name: str
    target: str
    actual: str
    percent: str
    status: str


@dataclass(frozen=True)
class ServiceRow:
    no: int
    time: str
    content: str
    place: str
    merge_time: str  # "restart", "continue" or "" (see merge_flags)


@dataclass(frozen=True)
class PlanRow:
    name: str
    content: str
    target: str
    due: str
    staff: str
    merge_name: str
    merge_due: str
    merge_staff: str


@dataclass(frozen=True)
class Context:
    """The names the document template reads."""

    project_name: str
    organisation: str
    issue: str
    cover_month: str
    month_label: str  # 2020年2月
    toc: list[TocEntry]
    overview: list[str]
    sections: list[SectionView]
    wishes_caption: str
    wishes: list[WishRow]
    visits_caption: str
    visit_rows: list[VisitRow]
    visits_sentence: str
    summary_title: str
    service_rows: list[ServiceRow]
    summary_empty: str  # in place of the summary table when it has no rows
    plan_title: str
    plan_rows: list[PlanRow]
    plan_empty: str
    continued: str  # under the name on a table row that continues one taller than a page
    name_ends: tuple[str, ...]  # a long name in a table may break before these …
    place_ends: tuple[str, ...]  # … and after these (see wordtables.fit_columns)
    dated: datetime  # the document's date: the first day of the next month (builds repeat)
    # The optional 指标进度 table: empty unless project.yaml asks for it.
    progress_period: str = ""
    progress_rows: list[IndicatorRow] = field(default_factory=list)


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


def build_context(
    project: Project,
    summary: Summary,
    articles: list[ArticleText],
    words: Words,
    folder: Path,
) -> Context:
    """Build what the document template reads from the month's figures, articles and
    words; `folder` is the month's folder, where the articles' pictures are."""
    nxt = summary.month.next()
    sections = []
    for title in project.sections:
        here = [a for a in articles if a.section == title]
        if here:
            sections.append(SectionView(title, [_article_view(a, folder) for a in here]))
    summary_title = words["summary_title"]
    plan_title = words["plan_title"]
    toc = [TocEntry(words["contents_overview"], [])]
    toc += [
        TocEntry(s.title, [a.toc_title for a in articles if a.section == s.title]) for s in sections
    ]
    toc.append(TocEntry(words["contents_summary"], [summary_title, plan_title]))
    return Context(
        project_name=project.name,
        organisation=project.organisation,
        issue=f"{summary.issue:02d}",
        cover_month=words["cover_date"],
        month_label=words.month(summary.month),
        toc=toc,
        overview=words.overview(),
        sections=sections,
        wishes_caption=words["wishes_caption"],
        wishes=[
            WishRow(i, w.name, w.situation, w.wish) for i, w in enumerate(summary.wishes.rows, 1)
        ],
        visits_caption=words["visits_caption"],
        visit_rows=[
            VisitRow(i, words.day(v.date), v.name, v.town, v.mode)
            for i, v in enumerate(summary.visits.rows, 1)
        ],
        visits_sentence=words["visits_sentence"],
        summary_title=summary_title,
        service_rows=_service_rows(summary, words),
        summary_empty=words["summary_empty"],
        plan_title=plan_title,
        plan_rows=_plan_rows(summary, words),
        plan_empty=words["plan_empty"],
        continued=words["continued"],
        name_ends=tuple(words["name_ends"].split()),
        place_ends=tuple(words["place_ends"].split()),
        dated=datetime(nxt.year, nxt.month, 1, tzinfo=UTC),
    )


def _article_view(article: ArticleText, folder: Path) -> ArticleView:
    return ArticleView(
        title=article.title,
        subtitle=article.subtitle or "",
        paragraphs=article.paragraphs,
        table=article.table or "",
        author=article.author or "",
        images=[Picture(folder / img.path, img.caption or "") for img in article.images],
    )


def _service_rows(summary: Summary, words: Words) -> list[ServiceRow]:
    """一、服务汇总表, in the summary's order (by date; the whole month's services last)."""
    month_label = words.whole_month(summary.month)
    cells = [
        (words.day(r.date) if r.date else month_label, r.content, r.place) for r in summary.schedule
    ]
    flags = merge_flags([time for time, _, _ in cells], [0] * len(cells))
    return [
        ServiceRow(i, "" if flag == "continue" else time, content, place, flag)
        for i, ((time, content, place), flag) in enumerate(zip(cells, flags, strict=True), 1)
    ]


def _plan_rows(summary: Summary, words: Words) -> list[PlanRow]:
    """服务预告: one table row per plan row; name and content merge over an activity's rows,
    due and staff merge where consecutive rows of an activity share them."""
    rows: list[dict[str, str]] = []
    groups: list[int] = []
    for g, item in enumerate(summary.plans):
        for row in item.filled_rows():
            rows.append(
                {
                    "name": item.name,
                    "content": item.content,
                    "target": row.target,
                    "due": words.due(row.due),
                    "staff": "\n".join(row.staff),  # one name a line
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
    return [PlanRow(**row) for row in rows]
