"""The pipeline: load a month, summarize it, word it, and (for build) render and write it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from bulletin.context import ArticleText, Context, build_context
from bulletin.errors import BulletinError, DataError, Msg, Problem, display_path, field_path
from bulletin.loader import MonthProblems, list_months, load_month, load_project
from bulletin.models import Article, Month, Project, YearMonth
from bulletin.prose import PlaceholderProblem, namespace, paragraphs, render_placeholders
from bulletin.summary import Summary, summarize
from bulletin.template_search import DOCX_TEMPLATE, find_template
from bulletin.wording import Wording, builtin_wording, load_wording


@dataclass(frozen=True)
class Prepared:
    """Everything the document needs, checked: what `check` verifies and `build` renders."""

    project: Project
    month: Month
    summary: Summary
    context: Context
    docx_template: Path
    pictures: dict[Path, Any] = field(default_factory=dict)  # path -> pictures.Picture


def _article_texts(month: Month, ns: dict) -> tuple[list[ArticleText], list[Problem]]:
    path = month.folder / "articles.yaml"
    texts, problems = [], []
    for i, article in enumerate(month.articles):
        body, found = render_placeholders(article.body, ns)
        base = month.body_lines[i] if i < len(month.body_lines) else 0
        problems += [_placeholder_problem(path, i, base, p) for p in found]
        texts.append(_article_text(article, paragraphs(body)))
    return texts, problems


def _placeholder_problem(path: Path, i: int, base: int, p: PlaceholderProblem) -> Problem:
    """The problem of a placeholder in article `i`'s body, whose first line is `base`."""
    return Problem(
        path,
        base + p.line - 1 if base else 0,
        field_path(("articles", i, "body")),
        Msg(p.key, p.params),
        Msg(p.hint[0], p.hint[1]) if p.hint else None,
    )


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
    empty = {"wishes": "table_empty_wishes", "visits": "table_empty_visits"}
    for i, article in enumerate(month.articles):
        if article.table and not have[article.table]:
            at = ("articles", i, "table")
            problems.append(
                Problem(
                    month.folder / "articles.yaml",
                    month.line("articles.yaml", at),
                    field_path(at),
                    Msg(empty[article.table]),
                )
            )
    return problems


def _read(
    data_dir: Path,
    month: YearMonth,
    project: Project,
    wording: Wording,
    *,
    pictures: bool,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[Month, Summary, dict[str, Any], list[ArticleText], dict[Path, Any]]:
    """Load and summarize one month, fill its articles' placeholders and check its pictures
    (with `pictures`, also prepare them for print); raises DataError with every problem
    found. `meanwhile` is run while pictures are being prepared on other threads, if any
    are (the build loads the Word stack and compiles its template then)."""
    try:
        data = load_month(project, data_dir, month)
    except MonthProblems as exc:
        raise DataError(exc.problems + _later_problems(project, exc, wording)) from None
    batch = _start_pictures(data, prepare=pictures)  # on other cores meanwhile
    try:
        summary = summarize(project, data)
        ns = namespace(summary, wording)
        articles, problems = _article_texts(data, ns)
        problems += _table_problems(data, summary)
        if meanwhile is not None and batch is not None and batch.busy:
            meanwhile()
    except BaseException:
        if batch is not None:
            batch.cancel()
        raise
    picture_problems, prepared = _pictures(data, batch)
    problems += picture_problems
    if problems:
        raise DataError(problems)
    return data, summary, ns, articles, prepared


def _later_problems(project: Project, found: MonthProblems, wording: Wording) -> list[Problem]:
    """What the checks after loading find in a month whose fields have problems: its
    articles' placeholders (as typed, against every name they may cite) and pictures."""
    ns = namespace(summarize(project, found.month), wording)
    path = found.month.folder / "articles.yaml"
    problems = [
        _placeholder_problem(path, i, base, p)
        for i, body, base in found.bodies
        for p in render_placeholders(body, ns)[1]
        # an activity's id is cited as typed in events.yaml, which has problems of its own
        if found.activities_known or not str(p.params.get("value", "")).startswith("activity")
    ]
    return problems + _pictures(found.month, _start_pictures(found.month, prepare=False))[0]


def _start_pictures(month: Month, *, prepare: bool) -> Any:
    """Begin checking (with `prepare`, also preparing) the month's pictures on worker
    threads: a pictures.Batch, or None for a month without pictures."""
    if not any(article.images for article in month.articles):
        return None
    from bulletin.pictures import start  # Pillow only when there are pictures

    paths = [month.folder / image.path for article in month.articles for image in article.images]
    return start(paths, prepare=prepare)


def _pictures(month: Month, batch: Any) -> tuple[list[Problem], dict[Path, Any]]:
    """Every picture the bulletin would print must decode, so check refuses what build would;
    the pictures prepared on the way (from the cache, or for a build), by path."""
    if batch is None:
        return [], {}
    from bulletin.pictures import Picture

    verdicts = batch.verdicts()
    problems = []
    for i, article in enumerate(month.articles):
        for j, image in enumerate(article.images):
            if isinstance(message := verdicts[month.folder / image.path], Msg):
                at = ("articles", i, "images", j, "path")
                line = month.line("articles.yaml", at)
                where = f"articles[{i}].images[{j}].path"
                hint = Msg("hint_image_truncated") if message.key == "image_truncated" else None
                problems.append(Problem(month.folder / "articles.yaml", line, where, message, hint))
    ready = {path: p for path, p in verdicts.items() if isinstance(p, Picture)}
    return problems, ready


def prepare(
    data_dir: Path,
    month: YearMonth,
    templates: Path | None = None,
    project: Project | None = None,
    wording: Wording | None = None,
    *,
    pictures: bool = True,
    meanwhile: Callable[[Project, Path, Path | None], object] | None = None,
) -> Prepared:
    """Load, validate and word one month; raises DataError with every problem found.
    With `pictures` (to print it), its pictures are prepared too, not only checked;
    `meanwhile(project, data_dir, templates)` is run while they are."""
    project = project or load_project(data_dir)
    wording = wording or load_wording(project, data_dir, templates)
    while_pictures = partial(meanwhile, project, data_dir, templates) if meanwhile else None
    data, summary, ns, articles, ready = _read(
        data_dir, month, project, wording, pictures=pictures, meanwhile=while_pictures
    )
    words = wording.bind({**ns, "project": project.model_dump()})
    context = build_context(project, summary, articles, words, data.folder)
    if project.progress_table and project.period_of(month):
        from bulletin import period as engine
        from bulletin.progress import indicator_rows

        span = engine.read(data_dir, month, project=project, loaded={month: data})
        period, rows = indicator_rows(span, month)
        context = replace(context, progress_period=period, progress_rows=rows)
    return Prepared(
        project=project,
        month=data,
        summary=summary,
        context=context,
        docx_template=find_template(DOCX_TEMPLATE, project, data_dir, templates),
        pictures=ready,
    )


def check(
    data_dir: Path,
    months: list[YearMonth] | None = None,
    templates: Path | None = None,
    *,
    warnings: list[Problem] | None = None,
    strict: bool = False,
) -> list[YearMonth]:
    """Validate the given months (None: every month in the data; []: none) and return the
    months checked; raises DataError with every problem found. Warnings (a record entered
    twice) are added to `warnings`, or with `strict` are errors."""
    project = load_project(data_dir)
    if months is None:
        months = list_months(data_dir)
        if not months:  # a hook run in the wrong folder must not pass for ever
            where = display_path(data_dir)  # not a problem of a file: no count of files
            raise BulletinError(Msg("no_months", {"path": where}), Msg("hint_no_months"))
    problems: list[Problem] = []
    wording = None
    if months:
        try:
            wording = load_wording(project, data_dir, templates)
        except DataError as exc:  # reported once; the months' data is still checked
            problems += exc.problems
    for month in months:
        try:
            if wording is None:
                read = _read(data_dir, month, project, builtin_wording(), pictures=False)
                found = read[0].warnings
            else:
                checked = prepare(data_dir, month, templates, project, wording, pictures=False)
                found = checked.month.warnings
            _warn(found, strict, warnings, problems)
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems)
    return months


def _warn(
    found: tuple[Problem, ...],
    strict: bool,
    warnings: list[Problem] | None,
    problems: list[Problem],
) -> None:
    """Pass a month's warnings on: to `problems` under --strict, else to `warnings`."""
    if strict:
        problems.extend(found)
    elif warnings is not None:
        warnings.extend(found)


def _empty(month: Month) -> tuple[Problem, ...]:
    """A warning for a month with no record (the plan is next month's): its bulletin says
    that nothing took place, which is more often a month not yet filled in than a quiet
    one. Only building warns: `check` of a month just made by `bulletin new` is clean."""
    if month.visits or month.wishes or month.activities or month.services or month.consultations:
        return ()
    return (Problem(month.folder, 0, "", Msg("empty_month"), Msg("hint_empty_month")),)


def _prepare_to_write(
    data_dir: Path,
    month: YearMonth,
    templates: Path | None,
    warnings: list[Problem] | None,
    strict: bool,
    meanwhile: Callable[[Project, Path, Path | None], object] | None = None,
) -> Prepared:
    """A month prepared for either edition, its warnings (a record entered twice, a month
    without records) passed to `warnings`, or raised as errors under `strict`."""
    prepared = prepare(data_dir, month, templates, meanwhile=meanwhile)
    problems: list[Problem] = []
    _warn(prepared.month.warnings + _empty(prepared.month), strict, warnings, problems)
    if problems:
        raise DataError(problems)
    return prepared


def build(
    data_dir: Path,
    month: YearMonth,
    out: Path,
    templates: Path | None = None,
    *,
    warnings: list[Problem] | None = None,
    strict: bool = False,
    no_layout: bool = False,
    soffice: Path | None = None,
    notes: list[Msg] | None = None,
    verbose: bool = False,
) -> Path:
    """Validate and render one month to `out`, atomically; returns the path written.
    Warnings (a record entered twice, a month without records) go to `warnings`; with
    `strict` they are errors and nothing is written. The contents' page numbers are
    written in from a LibreOffice layout (`soffice`, else found as for --pdf) unless
    `no_layout`; why they are not goes to `notes`, and with `verbose` also what the
    template lacks for the contents."""
    # The Word stack is imported, and the template compiled, only when rendering: while
    # photos are being prepared, if there are any to prepare, else after the month is checked.
    prepared = _prepare_to_write(
        data_dir, month, templates, warnings, strict, meanwhile=_load_renderer
    )
    from bulletin import layout, render
    from bulletin.output import write_atomically

    data = render.render(
        prepared.context,
        prepared.docx_template,
        prepared.pictures,
        notes if verbose else None,
    )
    data, note = layout.fill_page_numbers(data, soffice, no_layout=no_layout)
    if note is not None and notes is not None:
        notes.append(note)
    write_atomically(data, out)
    return out


def _load_renderer(project: Project, data_dir: Path, templates: Path | None) -> None:
    """While photos are prepared on other threads: import the Word stack and compile the
    document template into the cache, both for the render after them."""
    from bulletin import render

    try:
        template = find_template(DOCX_TEMPLATE, project, data_dir, templates)
    except BulletinError:
        return  # reported when the template is looked for to render
    render.warm(template)


def render_html(prepared: Prepared, data_dir: Path, templates: Path | None = None):
    """The HTML edition of a prepared month, from the first bulletin.html.j2 on the template
    search path."""
    from bulletin import html

    template = find_template(html.HTML_TEMPLATE, prepared.project, data_dir, templates)
    return html.render_html(prepared.context, template, prepared.pictures)


def build_html(
    data_dir: Path,
    month: YearMonth,
    out: Path,
    templates: Path | None = None,
    *,
    warnings: list[Problem] | None = None,
    strict: bool = False,
) -> list[Msg]:
    """Validate one month and write its HTML edition to `out`, atomically; returns the notes
    about it (too long for the WeChat editor). Warnings as for `build`."""
    from bulletin.output import write_atomically

    prepared = _prepare_to_write(data_dir, month, templates, warnings, strict)
    edition = render_html(prepared, data_dir, templates)
    write_atomically(edition.html.encode("utf-8"), out)
    return edition.notes
