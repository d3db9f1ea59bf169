"""`bulletin ledger`: the service ledger's sheets, rows and totals, against the generated
project's hand counts and against `bulletin stats` for the same range."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import run_cli
from contract_project import make
from openpyxl import load_workbook
from typer.testing import CliRunner

from bulletin.cli import app

runner = CliRunner()
MONTHS = ("2020-03", "2020-04", "2020-05")


run = run_cli  # bulletin --lang LANG ARGS, in this process


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory):
    """The ledger of 2020-03 … 2020-05 of the generated project, written once."""
    root = tmp_path_factory.mktemp("ledger")
    data, exp = make(root)
    out = root / "台账.xlsx"
    result = run(
        "ledger", "--from", "2020-03", "--to", "2020-05", "-o", str(out), "--data", str(data)
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {out}"
    stats = json.loads(
        run(
            "stats", "--from", "2020-03", "--to", "2020-05", "--format", "json", "--data", str(data)
        ).stdout
    )["total"]
    return load_workbook(out), exp, stats, data


def _rows(ws) -> tuple[list[str], list[list], list]:
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return rows[0], rows[1:-1], rows[-1]


def test_sheets_in_order(book) -> None:
    wb, *_ = book
    assert wb.sheetnames == ["汇总", "探访", "活动", "服务", "心理咨询", "微心愿"]
    for ws in wb.worksheets[1:]:
        assert ws.freeze_panes == "A2"
        assert ws["A1"].value == "序号" and ws["A1"].font.b


def test_visits_sheet(book) -> None:
    wb, exp, stats, _data = book
    head, rows, total = _rows(wb["探访"])
    # no column the data can never fill (visits have no staff and no evidence)
    assert head == ["序号", "日期", "镇区", "对象", "方式", "户次", "来源"]
    assert len(rows) == sum(exp.visits[m] for m in MONTHS) == stats["visits"]
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0][:6] == [1, "2020-03-01", "神湾镇", "梁女士", "走访", 1]
    assert rows[0][6] == "2020-03/visits.yaml:2"
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)  # in date order
    assert total[0] == "合计" and total[5] == stats["visits"] == sum(r[5] for r in rows)


def test_activities_sheet_no_row_reads_empty(book) -> None:
    """A session row for each session with its own 人次; an activity whose 人次 is given for
    the whole of it is one row with all its dates and sessions, labelled so: no row reads as
    a session with nobody. Rows in date order; the totals are those of stats."""
    wb, exp, stats, _data = book
    head, rows, total = _rows(wb["活动"])
    assert head[:9] == [
        "序号",
        "日期",
        "地点",
        "活动名称",
        "内容",
        "类别",
        "场次",
        "人次",
        "满意度",
    ]
    assert sum(r[6] for r in rows) == sum(exp.sessions[m] for m in MONTHS)
    assert sum(r[6] for r in rows) == stats["activity_sessions"]
    assert all(isinstance(r[7], int) for r in rows)  # every row has its 人次
    people = sum(r[7] for r in rows)
    assert people == sum(exp.participants[m] for m in MONTHS) == stats["activity_participants"]
    assert total[6:8] == [stats["activity_sessions"], stats["activity_participants"]]
    assert [r[1][:10] for r in rows] == sorted(r[1][:10] for r in rows)  # in date order
    act1 = [r for r in rows if r[3] == "职工活动1"]
    assert len(act1) == 1
    assert act1[0][1:3] == ["2020-03-10、2020-03-11", "企业0、企业1"]
    assert act1[0][4] == "共 2 场，人次为整个活动的合计" and act1[0][6:8] == [2, 20]
    # staff from last month's plan, evidence from the photo named by the activity's id
    assert act1[0][8] is None  # no questionnaire recorded
    assert act1[0][10] == "张三、李四"
    assert act1[0][11] == "2020-03/images/act1-合影.png"
    care = [r for r in rows if r[5] == "职工关爱活动"]
    assert [r[7] for r in care] == [5, 6]
    assert care[0][12] == "2020-04/events.yaml:" + str(_line(book, "2020-04", "关爱活动2") + 3)


def _line(book, month: str, text: str) -> int:
    data = book[3]
    lines = (data / month / "events.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_counselling_services_and_wishes(book) -> None:
    wb, exp, stats, _data = book
    _head, rows, total = _rows(wb["心理咨询"])
    assert (
        sum(r[4] for r in rows) == sum(exp.people[m] for m in MONTHS) == stats["counselling_people"]
    )
    assert (
        sum(r[5] for r in rows) == sum(exp.hours[m] for m in MONTHS) == stats["counselling_hours"]
    )
    assert total[4:7] == [
        stats["counselling_people"],
        stats["counselling_hours"],
        stats["counselling_sessions"],
    ]
    assert all("女士" not in str(v) for r in rows for v in r)  # no client is named
    _head, rows, total = _rows(wb["服务"])
    # one row a month; the total counts each ongoing service once, as stats does
    assert len(rows) == 3
    assert total[3] == stats["services"] == len({r[3] for r in rows}) == 1
    _head, rows, total = _rows(wb["微心愿"])
    collected = [r for r in rows if r[1] in MONTHS]
    fulfilled = [r for r in rows if r[6] and r[6][:7] in MONTHS]
    assert len(collected) == sum(exp.wishes[m] for m in MONTHS) == stats["wishes_collected"]
    assert len(fulfilled) == sum(exp.fulfilled[m] for m in MONTHS) == stats["wishes_fulfilled"]
    # the wish of 2020-02 that came true in 2020-03 is in the ledger too
    assert rows[0][1:3] == ["2020-02", "梁女士"] and rows[0][6] == "2020-03-10"
    assert (
        total[1] == f"收集 {stats['wishes_collected']}"
        and total[6] == f"完成 {stats['wishes_fulfilled']}"
    )


def test_summary_sheet(book) -> None:
    wb, _exp, stats, _data = book
    rows = [[c.value for c in row] for row in wb["汇总"].iter_rows()]
    assert rows[1][:2] == ["期间", "2020-03 至 2020-05"]
    assert rows[2][:2] == ["截至", "2020-05"]
    assert rows[3][:2] == ["合同期", "上半年（2020-02 至 2020-07）"]
    assert rows[5][0] == "合同指标" and wb["汇总"]["A6"].font.b  # a header row, in bold
    indicators = {r[0]: r[3] for r in rows[6:12]}
    assert indicators["困难职工探访 不少于 30 户次"] == stats["visits"]
    assert indicators["职工活动 12 场"] == stats["activity_sessions"]
    assert rows[13][0] == "统计项" and wb["汇总"]["A14"].font.b
    figures = {r[1]: r[2] for r in rows[14:]}
    assert figures == stats


def test_the_ledger_holds_the_collector_while_it_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The months and the rows make no garbage: the collector, which would walk them again
    and again, is held while the workbook is written, and restored after."""
    import gc

    from bulletin import tables

    data, _exp = make(tmp_path)
    seen: list[bool] = []
    write = tables.to_xlsx

    def spy(*args, **kwargs) -> bytes:
        seen.append(gc.isenabled())
        return write(*args, **kwargs)

    monkeypatch.setattr(tables, "to_xlsx", spy)
    result = run("ledger", "-o", str(tmp_path / "l.xlsx"), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert seen == [False] and gc.isenabled()


def test_csv_folder(tmp_path: Path) -> None:
    data, _exp = make(tmp_path)
    out = tmp_path / "台账"
    result = run("ledger", "--format", "csv", "-o", str(out), "--data", str(data), lang="zh")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"已写入 {out}"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{n}.csv" for n in ["汇总", "探访", "活动", "服务", "心理咨询", "微心愿"]
    )
    raw = (out / "探访.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[-1][0] == "合计" and rows[-1][5] == str(sum(range(2, 8)))


def test_without_o_the_ledger_goes_to_build_named_by_its_months(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without -o: build/台账-FIRST-LAST.xlsx, or the folder build/台账-FIRST-LAST of csv
    files; up to a month, a slip in a later month's data is that month's business."""
    data, _exp = make(tmp_path / "project")
    (data / "2020-06" / "events.yaml").write_text("activities: [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ("ledger", "--from", "2020-02", "--to", "2020-04", "--data", str(data))
    assert run(*args).exit_code == 0
    assert run(*args, "--format", "csv").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [
        "台账-2020-02-2020-04",
        "台账-2020-02-2020-04.xlsx",
    ]
    assert (tmp_path / "build" / "台账-2020-02-2020-04" / "探访.csv").is_file()


def test_ledger_of_a_contract_period_by_name(tmp_path: Path) -> None:
    data, _exp = make(tmp_path)
    result = run(
        "ledger", "--period", "上半年", "--data", str(data), "-o", str(tmp_path / "a.xlsx")
    )
    assert result.exit_code == 0, result.output
    ws = load_workbook(tmp_path / "a.xlsx")["汇总"]
    assert ws["B2"].value == "2020-02 至 2020-07"


def test_ledger_bad_range_writes_nothing(tmp_path: Path) -> None:
    data, _exp = make(tmp_path)
    out = tmp_path / "x.xlsx"
    result = run(
        "ledger", "--from", "2020-05", "--to", "2020-03", "-o", str(out), "--data", str(data)
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == "--from 2020-05 is after --to 2020-03"
    result = run(
        "ledger", "--period", "全年", "--from", "2020-03", "-o", str(out), "--data", str(data)
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == "use either --period or --from/--to"
    (data / "2020-04" / "visits.yaml").write_text("visits:\n  - {date: 2020-04-01}\n", "utf-8")
    result = run("ledger", "-o", str(out), "--data", str(data))
    assert result.exit_code == 1
    assert "2020-04/visits.yaml:2: visits[0].name:" in result.stderr
    assert not out.exists()


def _xlsx(data: Path, out: Path, epoch: str = "", command: str = "ledger") -> bytes:
    args = ["--from", "2020-03", "--to", "2020-05", "--data", str(data), "-o", str(out)]
    if command == "stats":
        args += ["--format", "xlsx"]
    env = {"LANG": "C", "LANGUAGE": "", "SOURCE_DATE_EPOCH": epoch}
    result = runner.invoke(app, ["--lang", "en", command, *args], env=env)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _dates(payload: bytes) -> tuple[set, list[str]]:
    import io
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(payload)) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
        times = {i.date_time for i in z.infolist()}
    return times, re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)


@pytest.mark.parametrize("command", ["ledger", "stats"])
def test_workbooks_repeat_byte_for_byte(book, tmp_path: Path, command: str) -> None:
    """Dated the day after the range (2020-05 → 2020-06-01), not when they were run."""
    data = book[3]
    first = _xlsx(data, tmp_path / "a.xlsx", command=command)
    assert _xlsx(data, tmp_path / "b.xlsx", command=command) == first
    assert _dates(first) == ({(2020, 6, 1, 0, 0, 0)}, ["2020-06-01T00:00:00Z"] * 2)
    epoch = _xlsx(data, tmp_path / "c.xlsx", "1700000000", command)  # 2023-11-14 22:13:20 UTC
    assert _dates(epoch) == ({(2023, 11, 14, 22, 13, 20)}, ["2023-11-14T22:13:20Z"] * 2)


def _february_activities(data: Path, tmp_path: Path) -> tuple[list[str], list[list]]:
    """The header and rows of the 活动 sheet of the ledger of 2020-02, made by the CLI."""
    out = tmp_path / "台账.xlsx"
    result = run(
        "ledger", "--from", "2020-02", "--to", "2020-02", "-o", str(out), "--data", str(data)
    )
    assert result.exit_code == 0, result.output
    head, rows, _total = _rows(load_workbook(out)["活动"])
    return head, rows


def test_a_sessions_own_title_is_its_content_unless_it_repeats_the_activitys_name(
    tmp_path: Path,
) -> None:
    from conftest import write_project

    events = """\
activities:
  - name: 义剪
    sessions:
      - {date: 2020-02-03, venue: 社区, participants: 10, title: 义剪}
      - {date: 2020-02-10, venue: 社区, participants: 12, title: 理发进社区}
      - {date: 2020-02-17, venue: 社区, participants: 8}
"""
    data = write_project(tmp_path, {"2020-02": {"events.yaml": events}})
    _head, rows = _february_activities(data, tmp_path)
    assert [(r[1], r[3], r[4]) for r in rows] == [
        ("2020-02-03", "义剪", None),
        ("2020-02-10", "义剪", "理发进社区"),
        ("2020-02-17", "义剪", None),
    ]


def test_an_activitys_evidence_is_every_picture_of_every_article_that_names_it(
    tmp_path: Path,
) -> None:
    from conftest import write_project
    from contract_project import PNG

    events = """\
activities:
  - name: 义剪
    id: haircut
    sessions:
      - {date: 2020-02-03, venue: 社区, participants: 10}
"""
    articles = """\
articles:
  - section: 项目快讯
    title: 义剪进社区
    body: 正文
    images: [{path: images/a.png, caption: 一}]
  - section: 项目快讯
    title: 别的活动
    body: 正文
    images: [{path: images/b.png, caption: 二}]
  - section: 项目快讯
    title: 回顾
    body: 上周的义剪
    images: [{path: images/c.png, caption: 三}, {path: images/a.png, caption: 再一次}]
"""
    data = write_project(tmp_path, {"2020-02": {"events.yaml": events, "articles.yaml": articles}})
    (data / "2020-02" / "images").mkdir()
    for name in ("a.png", "b.png", "c.png", "haircut-签到.png"):
        (data / "2020-02" / "images" / name).write_bytes(PNG)
    head, rows = _february_activities(data, tmp_path)
    evidence = rows[0][head.index("佐证材料")]
    assert evidence.split("\n") == [
        "2020-02/images/a.png",
        "2020-02/images/c.png",
        "2020-02/images/haircut-签到.png",  # named by the activity's id, besides the articles'
    ]
