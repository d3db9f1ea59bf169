"""What the tool reads but would otherwise use wrongly or not at all, without a word: each is
refused through the command line with its file, line and fix, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import run

CONTRACT = """\
contract:
  - name: 2020年度
    start: 2020-02
    end: 2021-01
    indicators:
      - name: 困难职工探访 不少于 200 户次
        figure: visits
        target: 200
      - name: 职工活动 不少于 24 场
        figure: activity_sessions
        target: 24
"""


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _with_contract(example: Path, contract: str) -> None:
    project = example / "project.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text[: text.index("\ncontract:") + 1] + contract, encoding="utf-8")


def _line_of(example: Path, text: str, nth: int = 1) -> int:
    lines = (example / "project.yaml").read_text(encoding="utf-8").splitlines()
    found = [i + 1 for i, line in enumerate(lines) if text in line]
    return found[nth - 1]


CONTRACT_CASES = {
    "two periods of one name": (
        CONTRACT + "  - name: 2020年度\n    start: 2021-02\n    end: 2022-01\n",
        ("name: 2020年度", 2),
        "contract[1].name: a second contract period named '2020年度': --period and report would "
        "only ever find the first (give each period its own name, e.g. 2020年度 and 2021年度)",
    ),
    "an indicator entered twice": (
        CONTRACT + "      - name: 困难职工探访 不少于 200 户次\n        figure: visits\n"
        "        target: 200\n",
        ("name: 困难职工探访 不少于 200 户次", 2),
        "contract[0].indicators[2].name: the indicator '困难职工探访 不少于 200 户次' is entered "
        "twice in this period: it would be reported twice (delete one of them, or tell them "
        "apart: a mid-term target has its own due month)",
    ),
    "an indicator counted twice under two names": (
        CONTRACT + "      - name: 探访 200 户\n        figure: visits\n        target: 150\n",
        ("name: 探访 200 户", 1),
        "contract[0].indicators[2]: the indicator '探访 200 户' counts the same figure as "
        "'困难职工探访 不少于 200 户次' (the same figure, towns, kind and due month): one of "
        "them is entered twice (delete one of them, or tell them apart: a mid-term target "
        "has its own due month)",
    ),
    "a period without indicators": (
        "contract:\n  - name: 2020年度\n    start: 2020-02\n    end: 2021-01\n    indicators: []\n",
        ("indicators: []", 1),
        "contract[0].indicators: contract period '2020年度' lists no indicators: progress and "
        "the report would show nothing for it (list the contract's indicators, each with name, "
        "figure and target)",
    ),
}


@pytest.mark.parametrize("case", list(CONTRACT_CASES))
def test_a_contract_that_would_lose_something_is_refused(
    case: str, example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract, (text, nth), message = CONTRACT_CASES[case]
    monkeypatch.chdir(tmp_path)
    _with_contract(example, contract)
    line = _line_of(example, text, nth)
    before = files_of(example)
    for args in (
        ("progress",),
        ("check",),
        ("report", "2020年度", "-o", str(tmp_path / "out" / "r.docx")),
    ):
        result = run(*args, "--data", "data")
        assert (result.exit_code, result.output.splitlines()) == (
            1,
            [f"data/project.yaml:{line}: {message}", "1 error in 1 file"],
        ), args
    assert files_of(example) == before and not (tmp_path / "out").exists()


# ---------------------------------------------------------------- a centre's templates


def test_a_phrase_that_drops_what_it_is_given_is_refused(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`list_text: "、"` would print 、 for every list (the towns, the topics, the partners);
    a phrase that keeps its argument, or drops one of the month's names, is the centre's
    choice."""
    monkeypatch.chdir(tmp_path)
    (example / "templates").mkdir()
    (example / "templates" / "wording.yaml").write_text(
        '# our wording\nlist_text: "、"\nday: "{{ date.day }}日"\nwhole_month: 本月\n'
        'summary_title: "{{ month.label }}服务汇总"\n',
        encoding="utf-8",
    )
    with (example / "project.yaml").open("a", encoding="utf-8") as f:
        f.write("templates: templates\n")
    before = files_of(example)
    out = tmp_path / "out" / "2020-02.docx"
    for args in (("check",), ("build", "2020-02", "-o", str(out))):
        result = run("--lang", "zh", *args, "--data", "data")
        assert (result.exit_code, result.output.splitlines()) == (
            1,
            [
                "data/templates/wording.yaml:2: list_text: 这句话没有用到 items：无论给它什么内容"
                "都会印出同样的字（请保留 items；内置的写法是 {{ items | join('、') }}）",
                "data/templates/wording.yaml:4: whole_month: 这句话没有用到 date：无论给它什么内容"
                "都会印出同样的字（请保留 date；内置的写法是 {{ date.month }}月）",
                "1 个文件中共有 2 处错误",
            ],
        ), args
    assert files_of(example) == before and not out.parent.exists()
