"""Command line: parse options, call one library function, turn errors into messages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bulletin import __version__
from bulletin.errors import BulletinError
from bulletin.i18n import detect_language, t

LANG = detect_language()


def _h(en: str, zh: str) -> str:
    """Help text in the locale's language."""
    return zh if LANG == "zh" else en


app = typer.Typer(
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


class State:
    data: Path | None = None
    lang: str = LANG


state = State()

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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bulletin {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
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
    if lang is not None and lang not in ("zh", "en"):
        raise typer.BadParameter("zh | en", param_hint="--lang")
    state.lang = lang or detect_language()


def _fail(exc: BulletinError) -> None:
    for line in exc.lines(state.lang):
        typer.echo(line, err=True)
    raise typer.Exit(exc.exit_code)


def _data_dir(data: Path | None) -> Path:
    from bulletin.loader import find_data_dir

    return find_data_dir(data)


@app.command()
def build(
    month: Annotated[
        str,
        typer.Argument(
            help=_h("The month, e.g. 2020-02.", "月份，例如 2020-02。"), show_default=False
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_h(
                "Where to write the .docx (default: build/MONTH.docx).",
                "输出 .docx 的路径（默认 build/月份.docx）。",
            ),
            show_default=False,
        ),
    ] = None,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf",
            help=_h("Also convert it to PDF with LibreOffice.", "同时用 LibreOffice 转换为 PDF。"),
        ),
    ] = False,
    data: DataOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """Validate a month and write its bulletin (build/MONTH.docx)."""
    from bulletin import build as pipeline
    from bulletin.loader import parse_month

    try:
        ym = parse_month(month)
        out = output or Path("build") / f"{ym}.docx"
        written = pipeline.build(_data_dir(data), ym, out, templates)
        typer.echo(t("built", state.lang, path=written))
        if pdf:
            from bulletin import pdf as pdfmod

            typer.echo(t("converting_pdf", state.lang), err=True)
            made = pdfmod.convert(written)
            typer.echo(t("built_pdf", state.lang, path=made))
    except BulletinError as exc:
        _fail(exc)


@app.command()
def check(
    months: Annotated[
        list[str] | None,
        typer.Argument(
            help=_h("Months to check (default: all).", "要检查的月份（默认全部）。"),
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """Validate data without writing anything; report every problem at once."""
    from bulletin import build as pipeline
    from bulletin.loader import parse_month

    try:
        parsed = [parse_month(m) for m in months or []]
        checked = pipeline.check(_data_dir(data), parsed or None, templates)
        label = ", ".join(str(m) for m in checked) or "-"
        typer.echo(t("checked_ok", state.lang, months=label))
    except BulletinError as exc:
        _fail(exc)


build.__doc__ = _h(build.__doc__ or "", "校验某月数据并生成简报（build/月份.docx）。")
check.__doc__ = _h(check.__doc__ or "", "只校验数据、不生成文件；一次列出所有问题。")


def main() -> None:
    """Entry point of the `bulletin` console script."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
