"""The pipeline: load a month, summarize it, word it, and (for build) render and write it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from bulletin.context import ArticleText, Context, build_context
from bulletin.errors import BuildError, DataError, Msg, Problem
from bulletin.loader import list_months, load_month, load_project
from bulletin.models import Article, Month, Project, YearMonth
from bulletin.prose import namespace, paragraphs, quoted, render_placeholders
from bulletin.summary import Summary, summarize
from bulletin.template_search import DOCX_TEMPLATE, OVERVIEW_TEMPLATE, find_template


@dataclass(frozen=True)
class Prepared:
    """Everything the document needs, checked: what `check` verifies and `build` renders."""

    project: Project
    month: Month
    summary: Summary
    context: Context
    docx_template: Path


def _overview(template: Path, ns: dict, project: Project) -> list[str]:
    env = SandboxedEnvironment(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["quoted"] = quoted
    try:
        text = env.from_string(template.read_text(encoding="utf-8-sig")).render(
            {**ns, "project": project.model_dump()}
        )
    except (TemplateError, OSError, UnicodeDecodeError) as exc:
        raise BuildError(Msg("template_bad", {"path": template, "problem": exc})) from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def _article_texts(month: Month, ns: dict) -> tuple[list[ArticleText], list[Problem]]:
    path = month.folder / "articles.yaml"
    texts, problems = [], []
    for i, article in enumerate(month.articles):
        body, found = render_placeholders(article.body, ns)
        base = month.body_lines[i] if i < len(month.body_lines) else 0
        for p in found:
            hint = Msg(p.hint[0], p.hint[1]) if p.hint else None
            problems.append(
                Problem(
                    path,
                    base + p.line - 1 if base else 0,
                    f"articles[{i}].body",
                    Msg(p.key, p.params),
                    hint,
                )
            )
        texts.append(_article_text(article, paragraphs(body)))
    return texts, problems


def _article_text(article: Article, paras: list[str]) -> ArticleText:
    return ArticleText(
        section=article.section,
        title=article.title,
        subtitle=article.subtitle,
        toc_title=article.toc_title or article.title,
        author=article.author,
        paragraphs=paras,
        table=article.table,
        images=list(article.images),
    )


def _table_problems(month: Month, summary: Summary) -> list[Problem]:
    problems = []
    have = {"wishes": summary.wishes.collected, "visits": summary.visits.households}
    names = {"wishes": "小心愿", "visits": "探访"}
    for i, article in enumerate(month.articles):
        if article.table and not have[article.table]:
            problems.append(
                Problem(
                    month.folder / "articles.yaml",
                    0,
                    f"articles[{i}].table",
                    Msg("table_empty", {"table": names[article.table]}),
                )
            )
    return problems


def visits_sentence(project: Project, summary: Summary) -> str:
    v = summary.visits
    head = f"{project.organisation}{summary.month.month}月份"
    if not v.households:
        return f"{head}没有探访记录。"
    if len(v.by_mode) == 1:
        return f"{head}共{next(iter(v.by_mode))}了{v.households}户，具体如下："
    parts = "，".join(f"{mode}{n}户" for mode, n in v.by_mode.items())
    return f"{head}共探访了{v.households}户（{parts}），具体如下："


def prepare(
    data_dir: Path, month: YearMonth, templates: Path | None = None, project: Project | None = None
) -> Prepared:
    """Load, validate and word one month; raises DataError with every problem found."""
    project = project or load_project(data_dir)
    data = load_month(project, data_dir, month)
    summary = summarize(project, data)
    ns = namespace(summary)
    articles, problems = _article_texts(data, ns)
    problems += _table_problems(data, summary)
    if problems:
        raise DataError(problems)
    overview = _overview(
        find_template(OVERVIEW_TEMPLATE, project, data_dir, templates), ns, project
    )
    context = build_context(
        project, summary, articles, overview, visits_sentence(project, summary), data.folder
    )
    return Prepared(
        project=project,
        month=data,
        summary=summary,
        context=context,
        docx_template=find_template(DOCX_TEMPLATE, project, data_dir, templates),
    )


def check(
    data_dir: Path, months: list[YearMonth] | None = None, templates: Path | None = None
) -> list[YearMonth]:
    """Validate the given months (None: every month in the data; []: none) and return the
    months checked; raises DataError with every problem found."""
    project = load_project(data_dir)
    if months is None:
        months = list_months(data_dir)
        if not months:  # a hook run in the wrong folder must not pass for ever
            raise DataError(
                [
                    Problem(
                        data_dir, 0, "", Msg("no_months", {"path": data_dir}), Msg("hint_no_months")
                    )
                ]
            )
    problems: list[Problem] = []
    for month in months:
        try:
            prepare(data_dir, month, templates, project)
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems)
    return months


def build(data_dir: Path, month: YearMonth, out: Path, templates: Path | None = None) -> Path:
    """Validate and render one month to `out`, atomically; returns the path written."""
    prepared = prepare(data_dir, month, templates)
    from bulletin import render  # the Word stack is imported only when rendering
    from bulletin.output import write_atomically

    data = render.render(prepared.context, prepared.docx_template)
    write_atomically(data, out)
    return out
