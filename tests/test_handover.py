"""What is handed over is what was asked for: the output's kind follows --format or the file's
ending, --explain honours the options of stats, a range without data writes nothing, and no
name or number a user types makes a traceback or a file outside build/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from contract_project import make

run = run_cli  # bulletin --lang LANG ARGS, in this process


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    return make(tmp_path_factory.mktemp("handover"))


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize(
    "args",
    [
        ("stats", "--format", "xlsx", "-o", "s.csv"),
        ("stats", "--format", "csv", "-o", "s.xlsx"),
        ("progress", "--format", "xlsx", "-o", "p.csv"),
        ("progress", "--format", "json", "-o", "p.xlsx"),
        ("ledger", "--format", "csv", "-o", "l.xlsx"),
        ("ledger", "--format", "xlsx", "-o", "l.csv"),
    ],
)
def test_a_format_and_an_ending_that_disagree(project, tmp_path: Path, args) -> None:
    data, _exp = project
    result = run(*args, "--data", str(data), cwd=tmp_path)
    assert result.exit_code == 2, result.output
    fmt, out = args[args.index("--format") + 1], args[-1]
    assert f"--format {fmt} and -o {out} name different kinds of file" in result.stderr
    assert files(tmp_path) == set()


@pytest.mark.parametrize(
    ("name", "kind"), [("s.xlsx", b"PK"), ("s.csv", "\ufeff".encode()), ("s.json", b"{")]
)
def test_the_ending_alone_chooses_the_kind(project, tmp_path: Path, name: str, kind) -> None:
    data, _exp = project
    result = run("stats", "-o", name, "--data", str(data), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_bytes().startswith(kind)


def test_every_output_option_is_honoured(project, tmp_path: Path) -> None:
    """progress -o p.txt writes the table into the file; an unknown ending gets the default
    kind, as asked; nothing is printed instead."""
    data, _exp = project
    result = run("progress", "-o", "p.txt", "--data", str(data), cwd=tmp_path, lang="zh")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "p.txt").read_text(encoding="utf-8")
    assert "困难职工探访 不少于 30 户次" in text and "应达 = 目标" in text
    assert "困难职工探访" not in result.stdout
    result = run("stats", "-o", "s.docx", "--data", str(data), cwd=tmp_path)
    assert result.exit_code == 0
    assert "households visited" in (tmp_path / "s.docx").read_text(encoding="utf-8")
    assert files(tmp_path) == {"p.txt", "s.docx"}


def test_report_to_a_pdf_name_writes_the_docx_beside_it(project, tmp_path: Path) -> None:
    data, _exp = project
    result = run("report", "上半年", "-o", "r.txt", "--data", str(data), cwd=tmp_path)
    assert result.exit_code == 2
    assert "-o r.txt: the document is written as .docx" in result.stderr
    assert files(tmp_path) == set()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--explain", ""), "'' is not a figure of bulletin stats"),
        (("--explain", "visits", "--chart", "c.png"), "--explain lists the records of one figure"),
        (("--explain", "visits", "--by", "town"), "cannot be combined with --by"),
    ],
)
def test_explain_refuses_what_it_cannot_honour(project, tmp_path: Path, args, message) -> None:
    data, _exp = project
    result = run("stats", *args, "--data", str(data), cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert files(tmp_path) == set()


def test_explain_writes_the_format_asked_for(project, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data, _exp = project
    out = tmp_path / "e.xlsx"
    result = run("stats", "--explain", "visits", "-o", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    doc = json.loads(
        run("stats", "--explain", "visits", "--format", "json", "--data", str(data)).stdout
    )
    assert rows[0] == ("file", "line", "month", "record", "value")
    assert len(rows) == len(doc["records"]) + 2
    assert rows[-1][3] == doc["arithmetic"] and rows[-1][4] == doc["total"]


@pytest.mark.parametrize(
    "args",
    [
        ("stats", "--explain", "visits", "--year", "2019"),
        ("stats", "--year", "2019"),
        ("ledger", "--from", "2019-01", "--to", "2019-12", "-o", "l.xlsx"),
        ("report", "2019", "-o", "r.docx"),
    ],
)
def test_a_range_without_data_writes_nothing(project, tmp_path: Path, args) -> None:
    data, _exp = project
    result = run(*args, "--data", str(data), cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert "has data" in result.stderr
    assert files(tmp_path) == set()


@pytest.mark.parametrize(
    "args", [("report", "9999"), ("report", "10000-Q1"), ("stats", "--year", "99999")]
)
def test_a_year_out_of_range_is_a_usage_error(project, tmp_path: Path, args) -> None:
    data, _exp = project
    result = run(*args, "--data", str(data), cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert "a year from 1900 to 9998" in result.stderr or "10000-Q1" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert files(tmp_path) == set()


def test_the_first_and_last_years_a_range_may_name() -> None:
    """1900 and 9998 are years a range may name (the month after 9998-12 is still four digits);
    the years beyond them are refused with the bounds."""
    from bulletin.errors import UsageError
    from bulletin.ranges import of_months

    assert str(of_months(year=1900).first) == "1900-01"
    assert str(of_months(year=9998).last) == "9998-12"
    for year in (1899, 9999):
        with pytest.raises(UsageError) as caught:
            of_months(year=year)
        assert caught.value.message.params == {"value": year, "lo": 1900, "hi": 9998}


def test_a_period_name_cannot_lead_out_of_build(small, tmp_path: Path) -> None:
    from conftest import PROJECT_YAML

    contract = """\
contract:
  - name: x/../../../逃逸
    start: 2020-02
    end: 2020-03
"""
    data = small(
        {
            "2020-02": {
                "visits.yaml": "visits:\n  - {date: 2020-02-03, name: 梁女士, town: 神湾镇, mode: 走访}\n"
            }
        },
        PROJECT_YAML + contract,
    )
    work = tmp_path / "work"
    work.mkdir()
    result = run("report", "x/../../../逃逸", "--data", str(data), cwd=work)
    assert result.exit_code == 0, result.output
    assert files(work) == {"build", "build/报告-x_.._.._.._逃逸.docx"}
    result = run("ledger", "--period", "x/../../../逃逸", "--data", str(data), cwd=work)
    assert result.exit_code == 0, result.output
    assert "build/台账-2020-02-2020-03.xlsx" in files(work)


def test_a_control_character_in_a_picture_name_reaches_the_ledger_safely(
    project, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    data, _exp = project
    images = data / "2020-03" / "images"
    weird = images / "act1-\x1b[31m.png"
    weird.write_bytes((images / "act1-合影.png").read_bytes())
    try:
        out = tmp_path / "l.xlsx"
        result = run("ledger", "-o", str(out), "--data", str(data))
        assert result.exit_code == 0, result.output
        cells = [
            c
            for ws in load_workbook(out).worksheets
            for r in ws.iter_rows(values_only=True)
            for c in r
        ]
        assert any(isinstance(c, str) and "act1-<U+001B>[31m.png" in c for c in cells)
    finally:
        weird.unlink()


def test_the_ledgers_kind_follows_its_ending_too(project, tmp_path: Path) -> None:
    """ledger -o 台账.csv writes the folder of csv files, as --format csv does; an ending that
    is neither is a usage error naming what the ledger writes."""
    data, _exp = project
    result = run("ledger", "-o", "台账.csv", "--data", str(data), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "台账.csv" / "探访.csv").is_file()
    result = run("ledger", "-o", "l.json", "--data", str(data), cwd=tmp_path)
    assert result.exit_code == 2
    assert "-o l.json: this command writes xlsx, csv" in result.stderr
    assert not (tmp_path / "l.json").exists()
