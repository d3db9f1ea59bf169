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
    help=_h(
        "Compile the monthly Word bulletin (简报) of a trade-union social-work project "
        "from YAML data.",
        "根据 YAML 数据生成工会社工服务项目的每月 Word 简报。",
    ),
)


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        envvar="BULLETIN_DATA",
        help=_h(
            "The data folder (with project.yaml); found upwards from here by default.",
            "数据文件夹（含 project.yaml）；默认从当前目录向上查找。",
        ),
        show_default=False,
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help=_h(
            "Treat warnings (a record entered twice) as errors.",
            "把警告（如重复录入的记录）视为错误。",
        ),
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help=_h(
            "Neither use nor fill the cache of prepared photos and compiled templates "
            "(as BULLETIN_NO_CACHE=1 does); the result is the same, only slower.",
            "不使用也不写入缓存（处理好的照片、编译好的模板），与设置 BULLETIN_NO_CACHE=1 "
            "相同；结果完全一样，只是更慢。",
        ),
    ),
]
PdfOpt = Annotated[
    bool,
    typer.Option(
        "--pdf",
        help=_h("Also convert it to PDF with LibreOffice.", "同时用 LibreOffice 转换为 PDF。"),
    ),
]
SofficeOpt = Annotated[
    Path | None,
    typer.Option(
        "--soffice",
        help=_h(
            "The LibreOffice program for --pdf and the contents' page numbers (default: the "
            "BULLETIN_SOFFICE environment variable, then PATH, then where LibreOffice "
            "installs itself).",
            "--pdf 和目录页码使用的 LibreOffice 程序（默认：环境变量 BULLETIN_SOFFICE，"
            "然后是 PATH，再是 LibreOffice 的默认安装位置）。",
        ),
        show_default=False,
    ),
]
TemplatesOpt = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help=_h(
            "A folder whose bulletin.docx / overview.txt.j2 replace the project's and the "
            "built-in ones.",
            "模板文件夹，其中的 bulletin.docx / overview.txt.j2 优先于项目和内置模板。",
        ),
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
            help=_h(
                "Language of messages: zh or en (default: from the locale).",
                "提示信息的语言：zh 或 en（默认按系统语言）。",
            ),
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help=_h("Show the version and exit.", "显示版本号后退出。"),
        ),
    ] = False,
) -> None:
    state.lang = language_of(ctx)  # chosen, and a bad --lang reported, by the command group


def _fail(exc: BulletinError) -> None:
    for line in exc.lines(state.lang):
        typer.echo(line, err=True)
    raise typer.Exit(exc.exit_code)


@app.command(
    help=_h(
        "Validate a month and write its bulletin (build/MONTH.docx).",
        "校验某月数据并生成简报（build/月份.docx）。",
    )
)
def build(
    month: Annotated[
        str | None,
        typer.Argument(
            help=_h(
                "The month, e.g. 2020-02 (default: the latest month with data).",
                "月份，例如 2020-02（默认：最近一个有数据的月份）。",
            ),
            show_default=False,
            autocompletion=_complete_months,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_h(
                "Where to write the .docx (default: build/MONTH.docx); a name ending in .pdf "
                "also converts it to PDF.",
                "输出 .docx 的路径（默认 build/月份.docx）；以 .pdf 结尾时同时转换为 PDF。",
            ),
            show_default=False,
        ),
    ] = None,
    pdf: PdfOpt = False,
    soffice: SofficeOpt = None,
    html: Annotated[
        bool,
        typer.Option(
            "--html",
            help=_h(
                "Write the HTML edition instead (build/MONTH.html): one self-contained page, "
                "styles inline, ready to paste into the WeChat article editor.",
                "改为生成网页版（build/月份.html）：单个自包含网页，样式内联，"
                "可直接粘贴到微信公众号编辑器。",
            ),
        ),
    ] = False,
    data: DataOpt = None,
    templates: TemplatesOpt = None,
    strict: StrictOpt = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            help=_h(
                "Also say which templates come from your own folders, and what a template "
                "lacks for the contents.",
                "同时列出哪些模板来自自己的模板文件夹，以及模板缺少目录所需的什么。",
            ),
        ),
    ] = False,
    no_cache: NoCacheOpt = False,
    no_layout: Annotated[
        bool,
        typer.Option(
            "--no-layout",
            help=_h(
                "Do not lay the document out with LibreOffice to write the contents' page "
                "numbers into it (as BULLETIN_NO_LAYOUT=1 does); Word then asks to update "
                "its fields when the file is opened.",
                "不用 LibreOffice 排版、不把目录页码写入文件（与设置 BULLETIN_NO_LAYOUT=1 "
                "相同）；Word 打开文件时会询问是否更新域。",
            ),
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


@app.command(
    help=_h(
        "Show a month's HTML edition in the browser, rendered again on every save, with the "
        "data's problems at the top.",
        "在浏览器中预览某月的网页版，每次保存后自动刷新，数据问题显示在页面顶部。",
    )
)
def preview(
    month: Annotated[
        str | None,
        typer.Argument(
            help=_h(
                "The month, e.g. 2020-02 (default: the latest month with data).",
                "月份，例如 2020-02（默认：最近一个有数据的月份）。",
            ),
            show_default=False,
            autocompletion=_complete_months,
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option(
            "--port",
            help=_h(
                "The port on 127.0.0.1 (default: a free one).",
                "使用 127.0.0.1 上的哪个端口（默认：任一空闲端口）。",
            ),
            show_default=False,
        ),
    ] = 0,
    no_open: Annotated[
        bool,
        typer.Option(
            "--no-open",
            help=_h("Do not open the browser.", "不自动打开浏览器。"),
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


@app.command(
    help=_h(
        "Validate data without writing anything; report every problem at once.",
        "只校验数据、不生成文件；一次列出所有问题。",
    )
)
def check(
    months: Annotated[
        list[str] | None,
        typer.Argument(
            help=_h(
                "Months to check, or data files and folders (their months are checked; "
                "project.yaml means all). Default: all months.",
                "要检查的月份，或数据文件、文件夹（检查它们所在的月份；project.yaml 表示全部）。"
                "默认检查全部月份。",
            ),
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
        help=_h(
            "First month, e.g. 2020-02 (default: the first month with data).",
            "起始月份，例如 2020-02（默认：最早有数据的月份）。",
        ),
        show_default=False,
    ),
]
ToOpt = Annotated[
    str | None,
    typer.Option(
        "--to",
        help=_h(
            "Last month (default: the latest with data).", "结束月份（默认：最近有数据的月份）。"
        ),
        show_default=False,
    ),
]
PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period", help=_h("A contract period by name.", "按名称指定合同期。"), show_default=False
    ),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        help=_h(
            "Output format (default: from the ending of -o, else a table).",
            "输出格式（默认按 -o 文件的扩展名，否则为表格）。",
        ),
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help=_h("Write to this file instead of the terminal.", "写入文件而不是显示在终端。"),
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


@app.command(
    help=_h(
        "Totals across months: per month and overall, with breakdowns and exports.",
        "跨月份统计：每月和合计，可细分、可导出。",
    )
)
def stats(
    month: Annotated[
        str | None,
        typer.Argument(
            help=_h("A single month (optional).", "单个月份（可选）。"),
            show_default=False,
            autocompletion=_complete_months,
        ),
    ] = None,
    first: FromOpt = None,
    last: ToOpt = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help=_h("A calendar year.", "某一年。"), show_default=False),
    ] = None,
    by: Annotated[
        By | None,
        typer.Option(
            "--by",
            help=_h(
                "Break down by town, counselling topic or activity kind.",
                "按镇区、咨询问题类型或活动类别细分。",
            ),
            show_default=False,
        ),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart",
            help=_h(
                "Also draw monthly bars to this file (.png, .svg or .pdf).",
                "同时把每月柱状图保存到这个文件（.png、.svg 或 .pdf）。",
            ),
            show_default=False,
        ),
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option(
            "--plan",
            help=_h(
                "Compare the plan published the month before this month with what this "
                "month records (as a table, or exported with --format).",
                "对照上月发布的服务预告与该月实际开展情况（表格，或用 --format 导出）。",
            ),
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            help=_h(
                "List every record counted into this figure (a key of --format json such as "
                "people_served, or its Chinese name such as 服务人次) with its file:line, and "
                "the arithmetic.",
                "列出计入这个统计项（--format json 中的编号如 people_served，或中文名称如"
                "服务人次）的每条记录及其文件和行号，并给出算式。",
            ),
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
            span = period.read(data_dir, wanted.last)
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


@app.command(
    help=_h(
        "Contract indicators of project.yaml: actual to date, target, % reached, where it "
        "should be by now, status.",
        "project.yaml 中的合同指标：截至目前的实际值、目标、完成率、应达进度和状态。",
    )
)
def progress(
    month: Annotated[
        str | None,
        typer.Argument(
            help=_h(
                "Report up to this month (default: the latest month with data); its contract "
                "period is reported.",
                "统计到这个月（默认：有数据的最近一个月）；报告它所在的合同期。",
            ),
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


@app.command(
    help=_h(
        "The service ledger (服务台账): one sheet per kind, one row per record with its "
        "source line, totals equal to stats; xlsx, or a folder of csv files.",
        "服务台账：每类记录一个工作表，每条记录一行并注明来源行，合计与 stats 一致；"
        "xlsx，或一个文件夹的 csv 文件。",
    )
)
def ledger(
    first: FromOpt = None,
    last: ToOpt = None,
    period: PeriodOpt = None,
    fmt: Annotated[
        LedgerFormat | None,
        typer.Option(
            "--format",
            help=_h(
                "xlsx (default), or csv: a folder of csv files.",
                "xlsx（默认），或 csv：一个文件夹的 csv 文件。",
            ),
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_h(
                "The .xlsx file, or the folder for csv (default: build/台账-FROM-TO.xlsx).",
                "输出的 .xlsx 文件，或 csv 的文件夹（默认 build/台账-起始-结束.xlsx）。",
            ),
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
        kind = fmt.value if fmt else "xlsx"
        if output is not None and kind == "xlsx" and output.suffix.lower() == ".csv":
            raise UsageError(Msg("format_suffix_clash", {"format": kind, "path": output}))
        if output is not None and kind == "csv" and output.suffix.lower() == ".xlsx":
            raise UsageError(Msg("format_suffix_clash", {"format": kind, "path": output}))
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


@app.command(
    help=_h(
        "The period report (.docx): indicators, totals per month with a chart, activities, "
        "plan follow-through, articles and the ledger's totals.",
        "阶段服务报告（.docx）：合同指标、每月数据及图表、活动、计划执行、简报文章和台账合计。",
    )
)
def report(
    period: Annotated[
        str | None,
        typer.Argument(
            help=_h(
                "A quarter (2020-Q1), a year (2020) or a contract period by name; "
                "or use --from/--to.",
                "季度（2020-Q1）、年份（2020）或合同期名称；也可以用 --from/--to。",
            ),
            show_default=False,
        ),
    ] = None,
    first: FromOpt = None,
    last: ToOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_h(
                "Where to write the .docx (default: build/报告-PERIOD.docx); a name ending "
                "in .pdf writes the .docx beside it and converts it.",
                "输出 .docx 的路径（默认 build/报告-期间.docx）；以 .pdf 结尾时在旁边写 .docx "
                "并转换为 PDF。",
            ),
            show_default=False,
        ),
    ] = None,
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
        written = write_report(_data_dir(data), period, first, last, output, templates)
        typer.echo(t("built", lang, path=written))
        if pdf:
            _convert_pdf(written, soffice)
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
    least = {
        i: min(max((width(c) for c in cells[i]), default=1), 8) if i < left else
        max(width(c) for c in [*cells[i], heads[i][:2]])
        for i in keep
    }  # fmt: skip
    if sum(least.values()) + 3 * len(keep) + 1 > console.width:
        # Too narrow for a table: one block per row, a line per column.
        console.print(title, highlight=False)
        for n, _row in enumerate(rows):
            console.print("")
            console.print(cells[keep[0]][n], style="bold", highlight=False)
            for i in keep[1:]:
                if cells[i][n]:
                    console.print(f"  {heads[i]}：{cells[i][n]}", highlight=False)
        console.print("")
        console.print(note, style="dim")
        return console.file.getvalue() if to_file else ""
    table = Table(title=title)
    for i in keep:
        table.add_column(
            heads[i],
            justify="left" if i < left else "right",
            overflow="fold",
            min_width=least[i],
        )
    for n in range(len(rows)):
        table.add_row(*(cells[i][n] for i in keep))
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
    help=_h(
        "Start a month: every data file with a commented example, last month's plan "
        "listed as the activities to record, ongoing services copied.",
        "新建月份：每个数据文件都带注释示例，上月服务预告列为待记录的活动，并复制持续开展的服务。",
    ),
)
def new(
    month: Annotated[
        str | None,
        typer.Argument(
            help=_h(
                "The month, e.g. 2020-03 (default: the month after the latest one).",
                "月份，例如 2020-03（默认：最近一个月的下一个月）。",
            ),
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help=_h(
                "Copy the ongoing services and counsellors of this month "
                "(default: the latest month before).",
                "从这个月复制持续开展的服务和咨询师（默认：之前最近的一个月）。",
            ),
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
    help=_h(
        "Start a project in FOLDER: project.yaml with comments, the default templates to "
        "restyle, the editor schemas and a .gitignore.",
        "在文件夹中新建项目：带注释的 project.yaml、可修改样式的默认模板、编辑器用的数据格式说明和 .gitignore。",
    ),
)
def init(
    folder: Annotated[
        Path,
        typer.Argument(help=_h("The new data folder.", "新的数据文件夹。"), show_default=False),
    ],
    name: Annotated[
        str, typer.Option("--name", help=_h("Project name.", "项目名称。"))
    ] = "工会社工服务项目",
    organisation: Annotated[
        str,
        typer.Option("--organisation", help=_h("The organisation running it.", "执行机构。")),
    ] = "中山市工会社工综合服务中心",
    union: Annotated[
        str, typer.Option("--union", help=_h("The union it serves.", "委托方（工会）。"))
    ] = "市总工会",
    first_issue: Annotated[
        str | None,
        typer.Option(
            "--first-issue",
            help=_h("Month of issue 01 (default: this month).", "第 01 期所在的月份（默认本月）。"),
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
    help=_h(
        "Write the JSON Schemas of the data files, for editors to check and complete "
        "while typing (default: data/schemas).",
        "生成数据文件的 JSON Schema，供编辑器边写边检查和提示（默认写到 data/schemas）。",
    ),
)
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_h("The folder to write to.", "写入的文件夹。"),
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
