"""Each pydantic error the models can raise is said by a catalogue message, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROJECT_YAML
from pydantic import BaseModel, ValidationError
from test_bad_input import TITLES

from bulletin.errors import DataError
from bulletin.i18n import has_message
from bulletin.models import MONTH_FILES, Context, Project, YearMonth
from bulletin.pipeline import check
from bulletin.validation import BUILTIN_KINDS, FALLBACK_KEY, _inner_model, translate

FEB = YearMonth(2020, 2)

# Wrong values of every shape: each field of each model is given each of them.
BAD_VALUES = [
    None,
    "",
    "   ",
    "x" * 30_000,
    "abc",
    "2020-13-45",
    "2020/99",
    "2020-02-30",
    "王女士",
    "东风镇",
    "../x.jpg",
    "images/none.jpg",
    -1,
    0,
    2_000_000,
    1.5,
    True,
    [],
    [1],
    [{}],
    {"a": 1},
]


def _models() -> list[type[BaseModel]]:
    """Every model of the data format, the files' and those nested in them."""
    found: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [Project, *MONTH_FILES.values()]
    while todo:
        model = todo.pop()
        if model in found:
            continue
        found.append(model)
        for info in model.model_fields.values():
            inner = _inner_model(info.annotation)
            if inner is not None:
                todo.append(inner)
    return found


def _driven(tmp_path: Path) -> list[tuple[type[BaseModel], dict]]:
    """Validate every field of every model with every bad value; the errors pydantic gives."""
    ctx = Context(month=FEB, towns=("东凤镇",), sections=("项目快讯",), folder=tmp_path)
    errors = []
    for model in _models():
        tries = [{name: bad} for name in model.model_fields for bad in BAD_VALUES]
        tries += ["text", {"naem": 1}]
        for data in tries:
            try:
                model.model_validate(data, context={"bulletin": ctx})
            except ValidationError as exc:
                errors += [(model, e) for e in exc.errors(include_url=False)]
    return errors


def test_every_error_kind_the_models_raise_has_a_message(tmp_path: Path) -> None:
    """Every kind is in the table or is a catalogue key itself; every table entry is raised
    by a real bad value; every message and hint reads in both languages."""
    errors = _driven(tmp_path)
    kinds = {e["type"] for _, e in errors}
    assert {k for k in kinds if k not in BUILTIN_KINDS and not has_message(k)} == set()
    assert set(BUILTIN_KINDS) - kinds == set()
    for model, error in errors:
        loc, message, hint = translate(error, model, None)
        assert message.key != FALLBACK_KEY or error["type"] == "value_error", error
        for lang in ("en", "zh"):
            assert message.text(lang)
            assert hint is None or hint.text(lang)


def problems_of(data: Path, lang: str) -> list[str]:
    with pytest.raises(DataError) as info:
        check(data, [FEB])
    return [p.format(lang, data.parent) for p in info.value.problems]


CONSULTATION = "consultations:\n  - {counsellor: 李老师, channel: 线上, people: %s, hours: 2}\n"


@pytest.mark.parametrize(
    ("people", "en", "zh"),
    [
        (
            "2000000",
            "consultations[0].people: must be at most 1000000 (got 2000000)",
            "consultations[0].people（第 1 条）: 不能大于 1000000（现在是 2000000）",
        ),
        (
            "-3",
            "consultations[0].people: must not be negative (got -3)",
            "consultations[0].people（第 1 条）: 不能是负数（现在是 -3）",
        ),
        (
            "1.5",
            "consultations[0].people: '1.5' is not a whole number",
            "consultations[0].people（第 1 条）: “1.5”不是整数",
        ),
    ],
)
def test_a_number_out_of_range_is_said_as_a_number(small, people: str, en: str, zh: str) -> None:
    data = small({"2020-02": {"consultations.yaml": CONSULTATION % people}})
    assert problems_of(data, "en") == [f"data/2020-02/consultations.yaml:2: {en}"]
    assert problems_of(data, "zh") == [f"data/2020-02/consultations.yaml:2: {zh}"]


def test_a_check_on_a_whole_entry_names_its_field_at_any_index(small) -> None:
    plans = """\
        plans:
          - name: 义剪
            content: 理发
            rows: [{target: 企业职工, due: 2020-03, staff: 李社工}]
          - name: 探访
            content: 探访困难职工
            rows:
              - {target: 企业职工, staff: 李社工}
        """
    wishes = """\
        wishes:
          - {name: 梁女士, situation: 单亲, wish: 书包一个}
          - {name: 黄女士, situation: 单亲, wish: 书包一个, fulfilled: 2020-01-05}
        """
    data = small({"2020-02": {"plans.yaml": plans, "wishes.yaml": wishes}})
    assert problems_of(data, "en") == [
        "data/2020-02/plans.yaml:8: plans[1].rows[0].due: this field is required",
        "data/2020-02/wishes.yaml:3: wishes[1].fulfilled: 2020-01-05 is before 2020-02, "
        "the month the wish was collected",
    ]


def test_a_place_in_a_month_is_on_its_line_or_its_nearest_written_ancestors(
    small,
) -> None:
    """A field left out (the first picture's caption) is placed on the line of the entry it
    would belong to; a file the month does not have has no line (0)."""
    from bulletin.loader import load_month, load_project

    articles = """\
        articles:
          - section: 项目快讯
            title: 标题
            body: 正文
            images:
              - path: images/a.jpg
              - {path: images/b.jpg, caption: 说明}
        """
    data = small({"2020-02": {"articles.yaml": articles}})
    (data / "2020-02" / "images").mkdir()
    for name in ("a.jpg", "b.jpg"):
        (data / "2020-02" / "images" / name).write_bytes(b"\xff\xd8\xff\xe0" + bytes(16))
    month = load_month(load_project(data), data, FEB)
    images = ("articles", 0, "images")
    assert [
        month.line("articles.yaml", (*images, 0, "caption")),
        month.line("articles.yaml", (*images, 1, "caption")),
        month.line("articles.yaml", ("articles", 0, "title")),
        month.line("wishes.yaml", ("wishes", 0)),
    ] == [6, 7, 3, 0]


WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "
WAVE = b"RIFF\x24\x00\x00\x00WAVEfmt "


@pytest.mark.parametrize(
    ("model", "name", "message"),
    [
        ("Image", "photo.webp", None),
        ("Image", "sound.jpg", "'sound.jpg' is not a picture (JPEG, PNG, GIF, BMP, TIFF or WebP)"),
        ("Image", "/photo.jpg", "'/photo.jpg' is outside the month folder"),
        ("Image", "../photo.jpg", "'../photo.jpg' is outside the month folder"),
        ("Image", "images/../photo.jpg", "'images/../photo.jpg' is outside the month folder"),
        ("Image", "link.jpg", "'link.jpg' is outside the month folder"),
        ("Image", "none.jpg", "the picture 'none.jpg' does not exist"),
        ("Image", "长" * 200 + ".jpg", f"the picture '{'长' * 200}.jpg' does not exist"),
        (
            "Image",
            "PHOTO.jpg",
            "the picture 'PHOTO.jpg' does not exist, but 'photo.jpg' does: a name must match "
            "exactly, capital letters too",
        ),
        ("EvidenceFile", "sheet.pdf", None),
        (
            "EvidenceFile",
            "../sheet.pdf",
            "evidence file '../sheet.pdf' is outside the month folder",
        ),
        ("EvidenceFile", "none.pdf", "evidence file 'none.pdf' does not exist"),
        (
            "EvidenceFile",
            "photo.webp.jpg",
            "'photo.webp.jpg' ends like a JPEG file but holds a WebP file",
        ),
    ],
)
def test_a_file_the_month_names_is_inside_it_there_and_of_its_kind(
    tmp_path: Path, model: str, name: str, message: str | None
) -> None:
    """The rules of every file the data names, each said with the name as written: a picture
    (WebP known by its RIFF container, a sound file in the same container not) and an
    evidence file."""
    from bulletin import models

    folder = tmp_path / "2020-02"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(16))
    (folder / "photo.webp").write_bytes(WEBP)
    (folder / "photo.webp.jpg").write_bytes(WEBP)
    (folder / "sound.jpg").write_bytes(WAVE)
    (folder / "sheet.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "outside.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(16))
    (folder / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    cls = getattr(models, model)
    data = {"path": name} if model == "Image" else {"file": name}
    ctx = Context(month=FEB, folder=folder)
    try:
        cls.model_validate(data, context={"bulletin": ctx})
        said = None
    except ValidationError as exc:
        (error,) = exc.errors(include_url=False)
        said = translate(error, cls, ctx)[1].text("en")
    assert said == message


CONTRACT = """\
contract:
  - name: 2020年度
    start: 2020-02
    end: 2020-07
    indicators:
      - {name: 探访 30 户, figure: visits, target: 30}
      - %s
"""
APART = " (delete one of them, or tell them apart: a mid-term target has its own due month)"


@pytest.mark.parametrize(
    ("second", "en"),
    [
        (
            "{name: 探访 30 户, figure: visits, target: 9, towns: [神湾镇]}",
            "project.yaml:13: contract[0].indicators[1].name: the indicator '探访 30 户' is "
            "entered twice in this period: it would be reported twice" + APART,
        ),
        (
            "{name: 探访三十户, figure: visits, target: 30}",
            "project.yaml:13: contract[0].indicators[1]: the indicator '探访三十户' counts the "
            "same figure as '探访 30 户' (the same figure, towns, kind and due month): one of "
            "them is entered twice" + APART,
        ),
    ],
)
def test_an_indicator_entered_twice_is_refused_on_its_line(small, second: str, en: str) -> None:
    data = small({"2020-02": {}}, PROJECT_YAML + CONTRACT % second)
    assert problems_of(data, "en") == [f"data/{en}"]


EVENTS = """\
activities:
  - name: 义剪
    participants: %d
    %s
    sessions:
      - {date: 2020-02-28, venue: 社区, %s}
"""
ASKED = "satisfaction: {responses: 10, answers: {满意: 10}}"
ANSWERED = " (each questionnaire comes from a participant: check 'responses' and 'participants')"


@pytest.mark.parametrize(
    ("participants", "own", "session", "en"),
    [
        (10, ASKED, "", None),
        (
            9,
            ASKED,
            "",
            "events.yaml:4: activities[0].satisfaction.responses: 10 questionnaires returned, "
            "more than the 9 participants" + ANSWERED,
        ),
        (
            9,
            "",
            ASKED,
            "events.yaml:3: activities[0].participants: 10 questionnaires returned, "
            "more than the 9 participants" + ANSWERED,
        ),
        (
            10,
            ASKED,
            ASKED,
            "events.yaml:4: activities[0].satisfaction: give 'satisfaction' either for the "
            "activity or in its sessions, not both (one questionnaire summary for the whole "
            "activity goes on the activity; questionnaires collected at each session go in each "
            "session)",
        ),
    ],
)
def test_questionnaires_are_on_the_activity_or_its_sessions_and_no_more_than_took_part(
    small, participants: int, own: str, session: str, en: str | None
) -> None:
    text = EVENTS % (participants, own or "kind: 职工活动", session or "title: 义剪")
    data = small({"2020-02": {"events.yaml": text}})
    if en is None:
        check(data, [FEB])
    else:
        assert problems_of(data, "en") == [f"data/2020-02/{en}"]


# One visit, on a day and with a name as written.
VISIT = "visits:\n  - {{date: {date}, name: {name}, town: 神湾镇, mode: 电访}}\n"


@pytest.mark.parametrize(
    ("written", "en"),
    [
        ("2月25日", None),  # the year is the month folder's
        ("2020/2/25", None),
        (
            "三月二日",
            "'三月二日' is not a date (write dates as 2020-02-25; 2020/2/25, 2020年2月25日 and 2月25日 also work)",
        ),
        (
            "2019-02-25",
            "2019-02-25 is not in 2020-02",
        ),
    ],
)
def test_a_visits_day_is_read_in_the_months_year_and_must_fall_in_it(
    small, written: str, en: str | None
) -> None:
    visits = VISIT.format(date=written, name="梁女士")
    data = small({"2020-02": {"visits.yaml": visits}})
    if en is None:
        check(data, [FEB])
    else:
        assert problems_of(data, "en") == [f"data/2020-02/visits.yaml:2: visits[0].date: {en}"]


def test_a_month_is_written_with_its_number_from_01_to_12() -> None:
    assert [str(YearMonth.parse(text)) for text in ("2021-01", "2020-12")] == [
        "2021-01",
        "2020-12",
    ]
    for bad in ("2020-00", "2020-13"):
        with pytest.raises(ValueError, match=bad):
            YearMonth.parse(bad)


def test_a_list_item_typed_with_chinese_separators_is_the_items_it_separates() -> None:
    """`[婚恋问题、家庭问题]`, typed with the input method's 、 or ， or ；, is two topics; an
    item of separators only is kept as it is, to be refused."""
    from bulletin.models import _split_items

    assert _split_items(["婚恋问题、家庭问题", "子女教育；劳动纠纷，其他", 3]) == [
        "婚恋问题",
        "家庭问题",
        "子女教育",
        "劳动纠纷",
        "其他",
        3,
    ]
    assert _split_items(["、"]) == ["、"]


@pytest.mark.parametrize(
    ("model", "name", "en", "zh"),
    [
        (
            "Image",
            "held.jpg",
            "the picture 'held.jpg' is there but cannot be opened: Permission denied",
            "图片“held.jpg”存在，但打不开：Permission denied",
        ),
        (
            "EvidenceFile",
            "held.pdf",
            "evidence file 'held.pdf' is there but cannot be opened: Permission denied",
            "佐证文件“held.pdf”存在，但打不开：Permission denied",
        ),
    ],
)
def test_a_file_another_program_holds_is_said_to_be_there_but_not_opened(
    tmp_path: Path, monkeypatch, model: str, name: str, en: str, zh: str
) -> None:
    """A photo open in a picture viewer on Windows, or one not ours to read, is there: saying
    it does not exist would send the social worker looking for a file they can see."""
    from bulletin import models

    folder = tmp_path / "2020-02"
    folder.mkdir()
    (folder / name).write_bytes(b"\xff\xd8\xff\xe0" + bytes(16))
    real_open = Path.open

    def held(self: Path, *args, **kwargs):
        if self.name == name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", held)
    cls = getattr(models, model)
    data = {"path": name} if model == "Image" else {"file": name}
    ctx = Context(month=FEB, folder=folder)
    with pytest.raises(ValidationError) as exc:
        cls.model_validate(data, context={"bulletin": ctx})
    (error,) = exc.value.errors(include_url=False)
    message, hint = translate(error, cls, ctx)[1:3]
    assert (message.text("en"), message.text("zh")) == (en, zh)
    assert hint is not None and hint.text("en") == (
        "close the program that has it open (a picture viewer, Word or WPS, a cloud-drive sync), "
        "or make sure you may read it, then run again"
    )


NOT_MONTH = "'%s' is not a month (write a month as 2020-03; 2020/3 and 2020年3月 also work)"
WISHES = "{name: 微心愿 4 个, figure: wishes_fulfilled, target: 4}"


@pytest.mark.parametrize(
    "end", ["2020/7", "2020年7月份", "2020年12月", "2020/13", "2020年13月", "2020年0月"]
)
def test_a_months_number_runs_1_to_12_in_every_spelling(small, end: str) -> None:
    """The contract period's last month, written 2020/7 or 2020年7月份, is July, and 2020年12月
    December; 13 and 0 are no month in any spelling, not only in 2020-13."""
    from bulletin.loader import load_project

    contract = CONTRACT.replace("end: 2020-07", f"end: {end}") % WISHES
    data = small({"2020-02": {}}, PROJECT_YAML + contract)
    number = end[5:].rstrip("月份")  # 2020/7, 2020年7月份: 7
    if number in ("7", "12"):
        check(data, [FEB])
        assert load_project(data).contract[0].end == YearMonth(2020, int(number))
    else:
        assert problems_of(data, "en") == [
            f"data/project.yaml:10: contract[0].end: {NOT_MONTH % end}"
        ]


@pytest.mark.parametrize(
    "name", ["一女士", "\u9fff先生", "欧阳先生", "㐀女士", "𠮷先生", "\uf900女士"]
)
def test_a_surname_is_any_chinese_character_from_the_first_to_the_last(small, name: str) -> None:
    """The basic block from its first to its last character, and the rare surnames outside
    it (extension A's 㐀, extension B's 𠮷, a compatibility ideograph)."""
    visits = VISIT.format(date="2020-02-25", name=name)
    check(small({"2020-02": {"visits.yaml": visits}}), [FEB])


@pytest.mark.parametrize("name", ["Y先生", "ア女士", "1号先生"])
def test_a_surname_is_a_chinese_character_not_a_letter(small, name: str) -> None:
    """A letter or a number in place of the surname is not how the bulletin names people; the
    message does not offer Y女士, which would be refused again."""
    visits = VISIT.format(date="2020-02-25", name=name)
    assert problems_of(small({"2020-02": {"visits.yaml": visits}}), "en") == [
        f"data/2020-02/visits.yaml:2: visits[0].name: '{name}' does not begin with a surname in "
        "Chinese characters: the bulletin names the people it serves by surname and title (write "
        "the person's surname in Chinese characters, then a title, as in 梁女士 or 欧阳先生; "
        f"titles: {TITLES})"
    ]


@pytest.mark.parametrize(
    ("due", "en"),
    [
        ("2020年3月", None),
        ("3月6日", None),
        ("下周", "'下周' is not a month or date (write a month as 2020-03 or a day as 2020-03-06)"),
        (
            "2020/13",
            "'2020/13' is not a month or date (write a month as 2020-03 or a day as 2020-03-06)",
        ),
    ],
)
def test_a_plans_due_is_a_day_or_a_month_of_the_next_month(small, due: str, en: str | None) -> None:
    plan = f"plans:\n  - {{name: 讲座, content: 内容, rows: [{{target: 职工, due: '{due}', staff: 李}}]}}\n"
    data = small({"2020-02": {"plans.yaml": plan}})
    if en is None:
        check(data, [FEB])
    else:
        assert problems_of(data, "en") == [f"data/2020-02/plans.yaml:2: plans[0].rows[0].due: {en}"]
