"""Command line: parse options, call one library function, turn errors into messages."""

# Annotations are evaluated where the commands are declared (no `from __future__ import
# annotations`): typer reads each command's parameters on every run, and would otherwise
# compile and evaluate each annotation's text twice (about 20 ms of `bulletin --help`).

import io
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from bulletin import __version__
from bulletin.clilang import LocalisedTyper, language_of
from bulletin.clilang import h as _h
from bulletin.errors import BulletinError, display_path
from bulletin.i18n import t
from bulletin.month_commands import data_dir_of as _data_dir
from bulletin.month_commands import run_build, run_check, state
from bulletin.month_commands import with_progress as _with_progress

app = LocalisedTyper(
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help=_h("help_compile_monthly_word_bulletin"),
)


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        envvar="BULLETIN_DATA",
        help=_h("help_data_folder_project_yaml"),
        show_default=False,
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help=_h("help_treat_warnings_record_entered"),
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help=_h("help_neither_use_nor_fill"),
    ),
]
PdfOpt = Annotated[
    bool,
    typer.Option(
        "--pdf",
        help=_h("help_also_convert_pdf_libreoffice"),
    ),
]
SofficeOpt = Annotated[
    Path | None,
    typer.Option(
        "--soffice",
        help=_h("help_libreoffice_program_pdf_contents"),
        show_default=False,
    ),
]
TemplatesOpt = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help=_h("help_folder_whose_bulletin_docx"),
        show_default=False,
    ),
]


def _complete_months(incomplete: str) -> list[str]:
    """Shell completion: the months that have data, newest first."""
    from bulletin.loader import find_data_dir, list_months

    try:
        months = list_months(find_data_dir(None))
    except (BulletinError, OSError):
        return []
    return [str(m) for m in reversed(months) if str(m).startswith(incomplete)]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bulletin {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=_h("help_language_messages_zh_en"),
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help=_h("help_show_version_exit"),
        ),
    ] = False,
) -> None:
    state.lang = language_of(ctx)  # chosen, and a bad --lang reported, by the command group


def _fail(exc: BulletinError) -> None:
    for line in exc.lines(state.lang):
        typer.echo(line, err=True)
    raise typer.Exit(exc.exit_code)


@app.command(help=_h("help_validate_month_write_bulletin"))
def build(
    month: Annotated[
        str | None,
        typer.Argument(
            help=_h("help_month_2020_02_default"),
            show_default=False,
            autocompletion=_complete_months,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_h("help_where_write_docx_default"),
            show_default=False,
        ),
    ] = None,
    pdf: PdfOpt = False,
    soffice: SofficeOpt = None,
    html: Annotated[
        bool,
        typer.Option(
            "--html",
            help=_h("help_write_html_edition_instead"),
        ),
    ] = False,
    data: DataOpt = None,
    templates: TemplatesOpt = None,
    strict: StrictOpt = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            help=_h("help_also_say_which_templates"),
        ),
    ] = False,
    no_cache: NoCacheOpt = False,
    no_layout: Annotated[
        bool,
        typer.Option(
            "--no-layout",
            help=_h("help_do_not_lay_document"),
        ),
    ] = False,
) -> None:
    """Validate a month and write its bulletin (build/MONTH.docx)."""
    code = run_build(
        month,
        output,
        pdf,
        soffice,
        data,
        templates,
        strict,
        verbose,
        html=html,
        no_cache=no_cache,
        no_layout=no_layout,
    )
    if code:
        raise typer.Exit(code)


def _convert_pdf(written: Path, soffice: Path | None) -> None:
    """Convert a written .docx to PDF beside it (--pdf, --soffice) and say where it went."""
    from bulletin import pdf as pdfmod

    made = _with_progress(
        lambda: pdfmod.convert(written, soffice=soffice), t("converting_pdf", state.lang)
    )
    typer.echo(t("built_pdf", state.lang, path=made))


@app.command(help=_h("help_show_month_s_html"))
def preview(
    month: Annotated[
        str | None,
        typer.Argument(
            help=_h("help_month_2020_02_default_2"),
            show_default=False,
            autocompletion=_complete_months,
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option(
            "--port",
            help=_h("help_port_127_0_0"),
            show_default=False,
        ),
    ] = 0,
    no_open: Annotated[
        bool,
        typer.Option(
            "--no-open",
            help=_h("help_do_not_open_browser"),
        ),
    ] = False,
    data: DataOpt = None,
    templates: TemplatesOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Serve the month's HTML edition until Ctrl-C."""
    from bulletin.cache import switched_off

    with switched_off(no_cache):
        _preview(month, port, no_open, data, templates)


def _preview(
    month: str | None, port: int, no_open: bool, data: Path | None, templates: Path | None
) -> None:
    import signal
    import threading
    import webbrowser

    from bulletin.loader import latest_month, parse_month
    from bulletin.preview import Preview, serve

    try:
        data_dir = _data_dir(data)
        ym = parse_month(month) if month else latest_month(data_dir)
        shown = Preview(data_dir, ym, templates, state.lang)
        server = serve(shown, port, lambda msg: typer.echo(msg.text(state.lang), err=True))
    except BulletinError as exc:
        _fail(exc)
    shown.refresh()
    stop = threading.Event()
    watcher = threading.Thread(target=shown.watch, args=(stop,), daemon=True)
    watcher.start()
    shown.ready.wait(30)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    typer.echo(t("preview_serving", state.lang, month=ym, url=url), err=True)
    if not no_open:
        webbrowser.open(url)
    # Ctrl-C is how a preview ends, not an interruption of work: it raises KeyboardInterrupt
    # here (rather than the entry point's "nothing was written") and the command ends well.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo(t("preview_stopped", state.lang), err=True)
    finally:
        stop.set()
        server.server_close()


@app.command(help=_h("help_validate_data_without_writing"))
def check(
    months: Annotated[
        list[str] | None,
        typer.Argument(
            help=_h("help_months_check_data_files"),
            show_default=False,
            autocompletion=_complete_months,
        ),
    ] = None,
    data: DataOpt = None,
    templates: TemplatesOpt = None,
    strict: StrictOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Validate data without writing anything; report every problem at once."""
    code = run_check(months, data, templates, strict, no_cache)
    if code:
        raise typer.Exit(code)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class LedgerFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


class By(str, Enum):
    town = "town"
    topic = "topic"
    activity = "activity"


# Options several commands share, declared once.
FromOpt = Annotated[
    str | None,
    typer.Option(
        "--from",
        help=_h("help_first_month_2020_02"),
        show_default=False,
    ),
]
ToOpt = Annotated[
    str | None,
    typer.Option(
        "--to",
        help=_h("help_last_month_default_latest"),
        show_default=False,
    ),
]
# report and evidence: the period (a quarter, a year, a contract period) and the month it is as of.
PeriodArg = Annotated[
    str | None,
    typer.Argument(help=_h("help_quarter_2020_q1_year"), show_default=False),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help=_h("help_report_as_of"), show_default=False),
]
PeriodOpt = Annotated[
    str | None,
    typer.Option("--period", help=_h("help_contract_period_name"), show_default=False),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        help=_h("help_output_format_default_ending"),
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help=_h("help_write_file_instead_terminal"),
        show_default=False,
    ),
]


def _kind(fmt: Format | None, output: Path | None, default: str, allowed: tuple[str, ...]) -> str:
    """The output's kind (see ranges.output_format); xlsx only into a file."""
    from bulletin.errors import Msg, UsageError
    from bulletin.ranges import output_format

    kind = output_format(fmt.value if fmt else None, output, default, allowed)
    if kind == "xlsx" and (output is None or str(output) == "-"):
        raise UsageError(Msg("xlsx_needs_output"))
    return kind


@app.command(help=_h("help_totals_across_months_per"))
def stats(
    month: Annotated[
        str | None,
        typer.Argument(
            help=_h("help_single_month_optional"),
            show_default=False,
            autocompletion=_complete_months,
        ),
    ] = None,
    first: FromOpt = None,
    last: ToOpt = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help=_h("help_calendar_year"), show_default=False),
    ] = None,
    by: Annotated[
        By | None,
        typer.Option(
            "--by",
            help=_h("help_break_down_town_counselling"),
            show_default=False,
        ),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart",
            help=_h("help_also_draw_monthly_bars"),
            show_default=False,
        ),
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option(
            "--plan",
            help=_h("help_compare_plan_published_month"),
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            help=_h("help_list_every_record_counted"),
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Totals across months: per month and overall, with breakdowns and exports."""
    from bulletin import period, ranges
    from bulletin import stats as statsmod
    from bulletin.errors import Msg, UsageError

    lang = state.lang
    try:
        chart_format = _chart_format(chart) if chart else None
        given = {"--chart": chart, "--explain": explain, "--by": by}
        if plan is not None:
            given.update({"MONTH": month, "--from": first, "--to": last, "--year": year})
            clash = [name for name, value in given.items() if value is not None]
            if clash:
                raise UsageError(Msg("plan_conflict", {"options": ", ".join(clash)}))
        elif explain is not None:
            clash = [name for name in ("--chart", "--by") if given[name] is not None]
            if clash:
                raise UsageError(Msg("explain_conflict", {"options": ", ".join(clash)}))
        kind = _kind(fmt, output, "table", ("table", "csv", "json", "xlsx"))
        if plan is not None:
            ym = ranges.month(plan)
            data_dir = _data_dir(data)
            payload = statsmod.plan_export(statsmod.plan_report(data_dir, ym), kind, lang)
        else:
            if explain is not None:
                from bulletin.explain import check_figure

                check_figure(explain)  # a usage error before any data is read
            wanted = ranges.of_months(month, first, last, year)
            data_dir = _data_dir(data)
            # --explain lists records by their lines; the figures alone need only totals
            span = period.read(data_dir, wanted.last, totals_only=explain is None)
            result = statsmod.figures_of(span, wanted.first, wanted.last, by.value if by else None)
            statsmod.require_data(result, data_dir)
            if explain is not None:
                from bulletin import explain as explainmod

                found = explainmod.explain(data_dir, explain, result.first, result.last, span)
                payload = explainmod.export(found, kind, lang)
            else:
                if chart:
                    _write(statsmod.to_chart(result, chart_format), chart)
                    typer.echo(t("wrote", lang, path=chart), err=True)
                payload = statsmod.export(result, kind, lang, _terminal_width())
        _deliver(payload, output, lang)
    except BulletinError as exc:
        _fail(exc)


def _deliver(payload: bytes | str, output: Path | None, lang: str) -> None:
    """Text for the console in its code page; anything else written as it is."""
    if isinstance(payload, str) and output is None:
        typer.echo(payload, nl=False)
        return
    _emit(payload.encode("utf-8") if isinstance(payload, str) else payload, output, lang)


@app.command(help=_h("help_contract_indicators_project_yaml"))
def progress(
    month: Annotated[
        str | None,
        typer.Argument(
            help=_h("help_report_up_month_default"),
            show_default=False,
            autocompletion=_complete_months,
        ),
    ] = None,
    period: PeriodOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    data: DataOpt = None,
) -> None:
    """Contract indicators: actual, target, %, expected by now, status."""
    from bulletin import progress as progressmod
    from bulletin import ranges

    lang = state.lang
    try:
        kind = _kind(fmt, output, "table", ("table", "csv", "json", "xlsx"))
        ym = ranges.month(month) if month else None
        report = progressmod.progress(_data_dir(data), ym, period)
        for note in report.notes:
            typer.echo(note.text(lang), err=True)
        if kind == "table":
            text = _print_rows(
                progressmod.title(report, lang),
                progressmod.headers(lang),
                progressmod.rows(report, lang),
                left=3,
                note=t("progress_rule", lang),
                to_file=output is not None,
            )
            if output is not None:
                _emit(text.encode("utf-8"), output, lang)
            return
        _emit(progressmod.export(report, kind, lang), output, lang)
    except BulletinError as exc:
        _fail(exc)


@app.command(help=_h("help_service_ledger_one_sheet"))
def ledger(
    first: FromOpt = None,
    last: ToOpt = None,
    period: PeriodOpt = None,
    fmt: Annotated[
        LedgerFormat | None,
        typer.Option(
            "--format",
            help=_h("help_xlsx_default_csv_folder"),
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_h("help_xlsx_file_folder_csv"),
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """The service ledger: xlsx with a sheet per kind, or a folder of csv files."""
    from bulletin import ledger as ledgermod
    from bulletin import ranges
    from bulletin.errors import Msg, UsageError
    from bulletin.loader import load_project

    lang = state.lang
    try:
        if period and (first or last):
            raise UsageError(Msg("period_or_range"))
        # a workbook, or a folder of csv files: the kind follows --format or the ending
        kind = ranges.output_format(fmt.value if fmt else None, output, "xlsx", ("xlsx", "csv"))
        data_dir = _data_dir(data)
        project = load_project(data_dir)
        wanted = ranges.of_period(project, period, first, last)
        out, files = ledgermod.write_ledger(data_dir, wanted, kind, output, project)
        from bulletin.output import write_all_or_nothing, write_atomically

        if kind == "xlsx":
            write_atomically(files[out], out)
        else:
            write_all_or_nothing(files)
        typer.echo(t("wrote", lang, path=out))
    except BulletinError as exc:
        _fail(exc)


@app.command(help=_h("help_period_report_docx_indicators"))
def report(
    period: PeriodArg = None,
    first: FromOpt = None,
    last: ToOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_h("help_where_write_docx_default_2"),
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    pdf: PdfOpt = False,
    soffice: SofficeOpt = None,
    data: DataOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """The period report as .docx (and --pdf)."""
    from bulletin.month_commands import docx_output
    from bulletin.report import write_report

    lang = state.lang
    try:
        output, pdf = docx_output(output, pdf)
        written = write_report(_data_dir(data), period, first, last, output, templates, as_of)
        typer.echo(t("built", lang, path=written))
        if pdf:
            _convert_pdf(written, soffice)
    except BulletinError as exc:
        _fail(exc)


@app.command(help=_h("help_evidence"))
def evidence(
    period: PeriodArg = None,
    first: FromOpt = None,
    last: ToOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help=_h("help_evidence_output"), show_default=False),
    ] = None,
    as_of: AsOfOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help=_h("help_evidence_strict"))] = False,
    data: DataOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """The evaluation pack: indicators, their records and evidence files, ledger, report."""
    from bulletin.evidence import write_pack
    from bulletin.month_commands import print_warnings

    lang = state.lang
    try:
        written, pack = write_pack(
            _data_dir(data), period, first, last, output, templates, as_of, strict
        )
    except BulletinError as exc:
        _fail(exc)
    print_warnings(pack.warnings)
    indicators = sum(1 for g in pack.groups if not g.appendix)
    typer.echo(
        t("evidence_written", lang, path=written, indicators=indicators,
          complete=pack.complete, needed=pack.needed)
    )  # fmt: skip


@app.command(help=_h("help_signin_sheets"))
def signin(
    month: Annotated[
        str,
        typer.Argument(
            help=_h("help_signin_month"),
            show_default=False,
            autocompletion=_complete_months,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_h("help_where_write_signin"),
            show_default=False,
        ),
    ] = None,
    rows: Annotated[
        int | None,
        typer.Option("--rows", help=_h("help_signin_rows"), show_default=False),
    ] = None,
    pdf: PdfOpt = False,
    soffice: SofficeOpt = None,
    data: DataOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """The month's sign-in sheets as .docx (and --pdf), one page per session."""
    from bulletin import ranges
    from bulletin.month_commands import docx_output
    from bulletin.signin import write_signin

    lang = state.lang
    try:
        ym = ranges.month(month)
        output, pdf = docx_output(output, pdf)
        written = write_signin(_data_dir(data), ym, output, templates, rows)
        for note in written.notes:
            typer.echo(note.text(lang), err=True)
        typer.echo(
            t(
                "signin_written",
                lang,
                n=written.sheets,
                planned=written.planned,
                recorded=written.recorded,
            )
        )
        typer.echo(t("built", lang, path=written.path))
        if pdf:
            _convert_pdf(written.path, soffice)
    except BulletinError as exc:
        _fail(exc)


def _emit(payload: bytes, output: Path | None, lang: str) -> None:
    """Write to the file given (atomically) or to standard output."""
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        _write(payload, output)
        typer.echo(t("wrote", lang, path=output), err=True)


def _print_rows(
    title: str, heads: list[str], rows: list[list], left: int, note: str, to_file: bool = False
) -> str:
    """A terminal table: the first `left` columns are text, the others numbers. Nothing is
    ever cut: numbers keep their width, texts and headers wrap in their cells. With
    `to_file`, the table is returned as text (as wide as it needs) instead of printed."""
    from rich.console import Console
    from rich.table import Table

    from bulletin.tables import cell_text, width

    # Columns empty in every row (no indicator restricted, say) are left out on a terminal.
    keep = [i for i in range(len(heads)) if any(row[i] not in (None, "") for row in rows)]
    console = Console(file=io.StringIO(), width=200, color_system=None) if to_file else Console()
    cells = {i: [cell_text(row[i]) for row in rows] for i in keep}
    table = Table(title=title)
    for i in keep:
        numbers = max((width(c) for c in cells[i]), default=1)
        table.add_column(
            heads[i],
            justify="left" if i < left else "right",
            overflow="fold",
            min_width=None if i < left else numbers,  # a number is never folded
        )
    for n in range(len(rows)):
        table.add_row(*(cells[i][n] for i in keep))
    # Laid out at the terminal's width, a table too wide for it loses its right edge: every
    # line of the table (below its title) must end with the table's border.
    probe = Console(file=io.StringIO(), width=console.width, color_system=None)
    probe.print(table)
    lines = probe.file.getvalue().splitlines()
    frame = [line.rstrip() for line in lines if line.strip() and line.strip()[0] in "┏┃┡│└"]
    if not all(line.endswith(("┓", "┃", "┩", "│", "┘")) for line in frame):
        # Too narrow for a table: one block per row, a line per column.
        console.print(title, highlight=False)
        for n, _row in enumerate(rows):
            console.print("")
            console.print(cells[keep[0]][n], style="bold", highlight=False)
            for i in keep[1:]:
                if cells[i][n]:
                    line = t("table_field", state.lang, name=heads[i], value=cells[i][n])
                    console.print(f"  {line}", highlight=False)
        console.print("")
        console.print(note, style="dim")
        return console.file.getvalue() if to_file else ""
    console.print(table)
    console.print(note, style="dim")
    return console.file.getvalue() if to_file else ""


def _chart_format(path: Path) -> str:
    """The chart's format from its file name: png, svg or pdf."""
    from bulletin.errors import Msg, UsageError

    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise UsageError(Msg("chart_format", {"path": path, "suffix": suffix or path.name}))
    return suffix[1:]


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


@app.command(
    "new",
    help=_h("help_start_month_every_data"),
)
def new(
    month: Annotated[
        str | None,
        typer.Argument(
            help=_h("help_month_2020_03_default"),
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help=_h("help_copy_ongoing_services_counsellors"),
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Create data/MONTH/ with commented files; never overwrite."""
    from bulletin.errors import DataError
    from bulletin.loader import parse_month
    from bulletin.scaffold import new_month, next_month

    lang = state.lang
    ym = None
    try:
        data_dir = _data_dir(data)
        ym = parse_month(month) if month else next_month(data_dir)
        made = new_month(data_dir, ym, parse_month(source) if source else None)
    except DataError as exc:
        for line in exc.lines(lang):
            typer.echo(line, err=True)
        typer.echo(t("new_nothing_created", lang, month=ym), err=True)
        raise typer.Exit(exc.exit_code) from None
    except BulletinError as exc:
        _fail(exc)
    typer.echo(t("created_month", lang, path=display_path(made.folder)))
    typer.echo("  " + " ".join(path.name for path in made.files))
    if made.planned:
        typer.echo(t("created_planned", lang, n=made.planned, prev=ym.prev()))
    if made.services and made.source:
        typer.echo(t("created_services", lang, n=made.services, source=made.source))
    typer.echo(t("created_next", lang, month=ym))


@app.command(
    "init",
    help=_h("help_start_project_folder_project"),
)
def init(
    folder: Annotated[
        Path,
        typer.Argument(help=_h("help_new_data_folder"), show_default=False),
    ],
    name: Annotated[str, typer.Option("--name", help=_h("help_project_name"))] = t(
        "init_default_name", "zh"
    ),
    organisation: Annotated[
        str,
        typer.Option("--organisation", help=_h("help_organisation_running")),
    ] = t("init_default_organisation", "zh"),
    union: Annotated[str, typer.Option("--union", help=_h("help_union_serves"))] = t(
        "init_default_union", "zh"
    ),
    first_issue: Annotated[
        str | None,
        typer.Option(
            "--first-issue",
            help=_h("help_month_issue_01_default"),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create FOLDER/project.yaml and what a project needs besides its months."""
    from datetime import date

    from bulletin.loader import parse_month
    from bulletin.models import YearMonth
    from bulletin.scaffold import init_project

    lang = state.lang
    try:
        today = date.today()
        first = parse_month(first_issue) if first_issue else YearMonth(today.year, today.month)
        made = init_project(
            folder, name=name, organisation=organisation, union=union, first_issue=first
        )
    except BulletinError as exc:
        _fail(exc)
    typer.echo(t("created_project", lang, path=display_path(made.folder)))
    for path in made.files:
        typer.echo(f"  {path.relative_to(made.folder)}")
    typer.echo(t("created_project_next", lang, month=first))


@app.command(
    "schema",
    help=_h("help_write_json_schemas_data"),
)
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_h("help_folder_write"),
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Write one schema per data file, with the project's towns and sections as choices."""
    from bulletin.loader import load_project
    from bulletin.schema import SCHEMA_DIR, write_schemas

    try:
        data_dir = _data_dir(data)
        out = output or data_dir / SCHEMA_DIR
        changed = write_schemas(out, load_project(data_dir))
    except BulletinError as exc:
        _fail(exc)
    if changed:
        typer.echo(t("wrote_schemas", state.lang, path=display_path(out), count=len(changed)))
    else:
        typer.echo(t("schemas_current", state.lang, path=display_path(out)))


def _write(payload: bytes, path: Path) -> None:
    from bulletin.output import write_atomically

    write_atomically(payload, path)


def main() -> None:
    """Entry point of the `bulletin` console script."""
    from bulletin.console import tolerate_unencodable

    tolerate_unencodable()
    app()  # interruptions are turned into one line by bulletin.__main__


if __name__ == "__main__":  # pragma: no cover
    main()
