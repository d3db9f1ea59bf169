"""The commands that work on one month, `build` and `check`: their bodies, run by the typer
commands in bulletin.cli and, for a plain invocation, by the fast path (bulletin.fastpath)
without the command-line framework, so both paths run the same code. Also the run's state
(language, data folder) and its console output, which both paths share."""

from __future__ import annotations

import sys
from pathlib import Path

from bulletin.errors import BulletinError, display_path
from bulletin.i18n import detect_language, t


class State:
    data: Path | None = None
    lang: str = detect_language()


state = State()


def echo(text: str, err: bool = False) -> None:
    """One line on standard output or the error stream, as the framework's echo writes it."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def _fail(exc: BulletinError) -> int:
    for line in exc.lines(state.lang):
        echo(line, err=True)
    return exc.exit_code


def _print_overrides(data_dir: Path, templates: Path | None) -> None:
    from bulletin.loader import load_project
    from bulletin.template_search import overrides

    for name, path in overrides(load_project(data_dir), data_dir, templates):
        echo(t("using_template", state.lang, name=name, path=display_path(path)), err=True)


def print_warnings(warnings: list) -> None:
    """Warnings on the error stream, in the same form as errors, then their count."""
    if not warnings:
        return
    from bulletin.errors import Problem, shown_lines

    for line in shown_lines(sorted(warnings, key=Problem.sort_key), state.lang):
        echo(t("warning_line", state.lang, line=line), err=True)
    echo(t("n_warnings", state.lang, n=len(warnings)), err=True)


def data_dir_of(data: Path | None) -> Path:
    from bulletin.loader import find_data_dir

    return find_data_dir(data)


def with_progress(work, label: str):
    """Run `work`, with a spinner on a terminal and the label alone elsewhere."""
    if not sys.stderr.isatty():
        echo(label, err=True)
        return work()
    from rich.console import Console

    with Console(stderr=True).status(label):
        return work()


def docx_output(output: Path | None, pdf: bool) -> tuple[Path | None, bool]:
    """The .docx to write and whether to convert it: `-o x.pdf` writes x.docx and x.pdf."""
    from bulletin.errors import Msg, UsageError
    from bulletin.output import is_stream

    if output is None or output.is_dir() or is_stream(output):
        return output, pdf  # a folder is refused where output is written
    suffix = output.suffix.lower()
    if suffix == ".pdf":
        return output.with_suffix(".docx"), True
    if suffix != ".docx":
        raise UsageError(Msg("build_output_suffix", {"path": output}))
    return output, pdf


def run_build(
    month: str | None = None,
    output: Path | None = None,
    pdf: bool = False,
    soffice: Path | None = None,
    data: Path | None = None,
    templates: Path | None = None,
    strict: bool = False,
    verbose: bool = False,
    html: bool = False,
    no_cache: bool = False,
    no_layout: bool = False,
) -> int:
    """`bulletin build`; returns the exit code."""
    from bulletin.cache import switched_off

    with switched_off(no_cache):
        return _build(
            month, output, pdf, soffice, data, templates, strict, verbose, html, no_layout
        )


def _build(
    month: str | None,
    output: Path | None,
    pdf: bool,
    soffice: Path | None,
    data: Path | None,
    templates: Path | None,
    strict: bool,
    verbose: bool,
    html: bool,
    no_layout: bool = False,
) -> int:
    from bulletin import pipeline
    from bulletin.errors import Msg, UsageError
    from bulletin.loader import latest_month, parse_month
    from bulletin.output import is_stream

    try:
        html = html or (output is not None and output.suffix.lower() in (".html", ".htm"))
        if html and pdf:
            raise UsageError(Msg("html_with_pdf"))
        out, pdf = (output, False) if html else docx_output(output, pdf)
        data_dir = data_dir_of(data)
        if month:
            ym = parse_month(month)
        else:
            ym = latest_month(data_dir)
            echo(t("build_latest", state.lang, month=ym), err=True)
        if html:
            out = out or Path("build") / f"{ym}.html"
            stream = is_stream(out)
            if not stream and out.suffix.lower() not in (".html", ".htm"):
                raise UsageError(Msg("html_output_suffix", {"path": out}))
        else:
            out = out or Path("build") / f"{ym}.docx"
            stream = is_stream(out)
            if pdf and stream:
                raise UsageError(Msg("pdf_needs_file", {"path": out}))
        if verbose:
            _print_overrides(data_dir, templates)
        warnings: list = []
        if html:
            try:
                notes = pipeline.build_html(
                    data_dir, ym, out, templates, warnings=warnings, strict=strict
                )
            finally:
                print_warnings(warnings)
            for note in notes:
                echo(note.text(state.lang), err=True)
            echo(t("built", state.lang, path=out), err=stream)
            return 0
        notes: list = []
        try:
            written = pipeline.build(
                data_dir,
                ym,
                out,
                templates,
                warnings=warnings,
                strict=strict,
                no_layout=no_layout,
                soffice=soffice,
                notes=notes,
                verbose=verbose,
            )
        finally:
            print_warnings(warnings)
        # With -o - the document is on standard output: the report goes to the error stream.
        echo(t("built", state.lang, path=written), err=stream)
        for note in notes:
            echo(note.text(state.lang), err=True)
        if pdf:
            from bulletin import pdf as pdfmod

            made = with_progress(
                lambda: pdfmod.convert(written, soffice=soffice), t("converting_pdf", state.lang)
            )
            echo(t("built_pdf", state.lang, path=made))
    except BulletinError as exc:
        return _fail(exc)
    return 0


def run_check(
    months: list[str] | None = None,
    data: Path | None = None,
    templates: Path | None = None,
    strict: bool = False,
    no_cache: bool = False,
) -> int:
    """`bulletin check`; returns the exit code."""
    from bulletin.cache import switched_off

    with switched_off(no_cache):
        return _check(months, data, templates, strict)


def _check(
    months: list[str] | None, data: Path | None, templates: Path | None, strict: bool
) -> int:
    from bulletin import pipeline
    from bulletin.loader import months_named

    try:
        data_dir = data_dir_of(data)
        named = months_named(data_dir, months or [])
        if named == []:
            echo(t("nothing_to_check", state.lang))
            return 0
        warnings: list = []
        try:
            checked = pipeline.check(data_dir, named, templates, warnings=warnings, strict=strict)
        finally:
            print_warnings(warnings)
        label = ", ".join(str(m) for m in checked) or "-"
        echo(t("checked_ok", state.lang, months=label))
        from bulletin.loader import load_project
        from bulletin.scaffold import example_notes

        for note in example_notes(load_project(data_dir)):
            echo(note.text(state.lang), err=True)
    except BulletinError as exc:
        return _fail(exc)
    return 0
