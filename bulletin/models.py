"""The data format: one pydantic model per YAML file. The descriptions are the reference.

Validation that needs the project (towns, sections, the month being read) takes it from
pydantic's validation context, built by the loader (see `Context`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bulletin import figures
from bulletin.chars import HAN, first_invisible, is_han

# ---------------------------------------------------------------- months


# How a month may be written, listed once:
# - anywhere but a folder's name (a command's MONTH, project.yaml's first_issue, a contract's
#   months, a plan's due month): 2020-02, 2020-2, 2020/2 or 2020年2月 (_MONTH_FORMS below,
#   read by month_of);
# - as a month folder's name: exactly the month's own spelling, 2020-02 (YearMonth.of_folder).
MONTH_TEXT = re.compile(r"\s*(\d{4})-(\d{1,2})\s*")


@dataclass(frozen=True, order=True)
class YearMonth:
    """A calendar month, written 2020-02."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        """Read a month written on its own (MONTH_TEXT); ValueError if it is none."""
        m = MONTH_TEXT.fullmatch(text)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(text)
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of_folder(cls, name: str) -> YearMonth | None:
        """The month a folder is for: its name must be the month's own spelling (2020-02)."""
        try:
            month = cls.parse(name)
        except ValueError:
            return None
        return month if str(month) == name else None

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> YearMonth:
        return YearMonth(self.year + self.month // 12, self.month % 12 + 1)

    def prev(self) -> YearMonth:
        return YearMonth(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def index(self) -> int:
        return self.year * 12 + self.month - 1

    def contains(self, day: date) -> bool:
        return (day.year, day.month) == (self.year, self.month)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)


@dataclass(frozen=True)
class Context:
    """What validation needs to know beyond the file itself."""

    month: YearMonth
    towns: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    folder: Path | None = None
    titles: tuple[str, ...] = ()  # the project's own titles, besides TITLES


def problem(key: str, /, at: tuple[str | int, ...] = (), **values: object) -> PydanticCustomError:
    """The error a validator raises: `key` names the catalogue message that says it (the words
    live only there), `values` fill it; `at` is the field a check on a whole entry is about.
    bulletin.validation turns it into a Problem."""
    context = {**values, "at": at} if at else values
    return PydanticCustomError(key, key, context)


def _ctx(info: ValidationInfo) -> Context | None:
    ctx = info.context
    return ctx.get("bulletin") if isinstance(ctx, dict) else None


# ---------------------------------------------------------------- field types

_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
)
# A day with no year (11月20日): the year of the month being edited (plans: of the next month).
_NO_YEAR = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTH_FORMS = (
    MONTH_TEXT,
    re.compile(r"(\d{4})/(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?"),
)


@functools.lru_cache(maxsize=1024)
def _day_numbers(text: str) -> tuple[int, int, int] | None:
    """Year, month and day of a date typed with its year in one of _DATE_FORMS, or None.
    Remembered: a month's thousands of records are dated with a few dozen days."""
    for form in _DATE_FORMS:
        if m := form.fullmatch(text):
            return int(m.group(1)), int(m.group(2)), int(m.group(3))
    return None


def _date_from(value: Any, year: int | None = None) -> date | None:
    """Parse a typed date (without a year, in `year` when given); None if `value` has no
    date form at all."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    found = _day_numbers(text)
    if found is None and year is not None and (m := _NO_YEAR.fullmatch(text)):
        found = (year, int(m.group(1)), int(m.group(2)))
    if found is None:
        return None
    y, mo, d = found
    try:
        return date(y, mo, d)
    except ValueError:
        raise problem("date_invalid", value=text) from None


def parse_day(value: Any, info: ValidationInfo) -> date:
    ctx = _ctx(info)
    day = _date_from(value, ctx.month.year if ctx else None)
    if day is None:
        raise problem("date_format", value=value)
    return day


def in_month(value: date, info: ValidationInfo) -> date:
    ctx = _ctx(info)
    if ctx and not ctx.month.contains(value):
        raise problem("date_outside_month", value=value.isoformat(), month=str(ctx.month))
    return value


def in_next_month(value: date | YearMonth, info: ValidationInfo) -> date | YearMonth:
    ctx = _ctx(info)
    if ctx:
        nxt = ctx.month.next()
        ok = value == nxt if isinstance(value, YearMonth) else nxt.contains(value)
        if not ok:
            raise problem("plan_outside_month", value=str(value), month=str(nxt))
    return value


def parse_day_or_month(value: Any, info: ValidationInfo) -> date | YearMonth:
    ctx = _ctx(info)
    day = _date_from(value, ctx.month.next().year if ctx else None)
    if day is not None:
        return day
    try:
        return parse_month_value(value)
    except PydanticCustomError:  # neither a day nor a month
        raise problem("month_format", value=value) from None


def known_town(value: str, info: ValidationInfo) -> str:
    ctx = _ctx(info)
    if ctx and ctx.towns and value not in ctx.towns:
        raise problem("town_unknown", value=value)
    return value


def known_section(value: str, info: ValidationInfo) -> str:
    ctx = _ctx(info)
    if ctx and ctx.sections and value not in ctx.sections:
        raise problem("section_unknown", value=value)
    return value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _words(value: Any) -> Any:
    """Accept 'a b' or 'a、b' as well as a list for lists of short names."""
    if isinstance(value, str):
        return [w for w in re.split(r"[\s、，,；;]+", value) if w]
    return _split_items(value)


# What a Chinese input method types between two items: `[婚恋问题，情绪压力]` is two topics.
_ITEM_SEPARATORS = re.compile(r"[，、；]")


def _split_items(value: Any) -> Any:
    """A list item holding a full-width comma, 、 or ； is the items it separates, as the
    person typing meant them; an item of separators only is left to be refused as it is."""
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for item in value:
        pieces = _ITEM_SEPARATORS.split(item) if isinstance(item, str) else [item]
        pieces = [p for p in pieces if not isinstance(p, str) or p.strip()]
        out += pieces if pieces else [item]
    return out


_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _check_id(value: str) -> str:
    if not _ID.fullmatch(value):
        raise problem("id_format", value=value)
    return value


# What editors check while typing (see bulletin/schema.py): the spellings of dates and
# months that the validators above accept, as patterns, and markers that the schema generator turns into the project's
# towns and sections.
_DAY_RE = "|".join(form.pattern for form in (*_DATE_FORMS, _NO_YEAR))
_MONTH_RE = "|".join(form.pattern for form in _MONTH_FORMS)
# patternErrorMessage is what VS Code shows instead of the regular expression.
DAY_SCHEMA = {
    "type": "string",
    "pattern": rf"^\s*(?:{_DAY_RE})\s*$",
    "patternErrorMessage": "日期请写成 2020-02-25（也可以写 2020/2/25 或 2020年2月25日）",
}
MONTH_SCHEMA = {
    "type": "string",
    "pattern": f"^{MONTH_TEXT.pattern}$",
    "patternErrorMessage": "月份请写成 2020-02",
}
PLAN_DUE_SCHEMA = {
    "type": "string",
    "pattern": rf"^\s*(?:{_DAY_RE}|{_MONTH_RE})\s*$",
    "patternErrorMessage": "请写下个月内的日期（如 2020-03-06）或整月（如 2020-03）",
}
NAMES_SCHEMA = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 40}},
    ]
}
TOWN_MARK = "x-bulletin-towns"
SECTION_MARK = "x-bulletin-sections"


def _shows_as_typed(value: str) -> str:
    """Names, towns and ids must not hold characters that do not show (see chars.py)."""
    if found := first_invisible(value):
        pos, char = found
        raise problem("invisible_char", value=value, char=char, pos=pos)
    return value


# How the bulletin names a person it serves: a surname and a title, never a full name.
# project.yaml `titles:` adds the project's own.
TITLES = (
    "女士", "先生", "小姐", "阿姨", "叔叔", "师傅", "伯伯", "奶奶", "爷爷", "大姐", "大哥",
    "阿伯", "阿婆", "阿叔", "婆婆", "同学", "老师", "姐", "哥", "伯", "姨", "叔",
)  # fmt: skip
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "令狐", "慕容", "司徒",
    "司空", "夏侯", "轩辕", "宇文", "长孙", "澹台", "端木", "南宫", "西门", "独孤", "万俟",
    "钟离", "闻人", "申屠", "呼延", "赫连", "太史", "濮阳", "第五",
)  # fmt: skip


def _surname_and_title(value: str, info: ValidationInfo) -> str:
    """A client is named by surname and title (梁女士, 欧阳先生), never by full name."""
    ctx = _ctx(info)
    titles = (*TITLES, *(ctx.titles if ctx else ()))
    surname = value[:2] if value[:2] in COMPOUND_SURNAMES else value[:1]
    if not is_han(surname[:1]):
        # Y先生, 1号女士: offering Y女士 would offer what is refused again.
        raise problem("client_no_surname", value=value, titles="、".join(titles))
    if value[len(surname) :] in titles:
        return value
    # 小黄, 老王, 阿珍: a familiar prefix before the surname, offered as 黄女士, not 小女士
    if surname in _FAMILIAR and len(value) > 1 and is_han(value[1]):
        surname = value[1:3] if value[1:3] in COMPOUND_SURNAMES else value[1]
    raise problem("client_full_name", value=value, surname=surname, titles="、".join(titles))


_FAMILIAR = ("小", "老", "阿")


# Texts are stripped, then measured: pydantic's own string constraints, so a blank or overlong
# text is reported as a string error (string_too_short, string_too_long).
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(_shows_as_typed),
]
ClientName = Annotated[Name, AfterValidator(_surname_and_title)]
Day = Annotated[
    date, BeforeValidator(parse_day), AfterValidator(in_month), WithJsonSchema(DAY_SCHEMA)
]
AnyDay = Annotated[date, BeforeValidator(parse_day), WithJsonSchema(DAY_SCHEMA)]
PlanDue = Annotated[
    date | YearMonth,
    BeforeValidator(parse_day_or_month),
    AfterValidator(in_next_month),
    WithJsonSchema(PLAN_DUE_SCHEMA),
]
Town = Annotated[
    str,
    BeforeValidator(_strip),
    AfterValidator(_shows_as_typed),
    AfterValidator(known_town),
    WithJsonSchema({"type": "string", TOWN_MARK: True}),
]
Section = Annotated[
    str,
    BeforeValidator(_strip),
    AfterValidator(_shows_as_typed),
    AfterValidator(known_section),
    WithJsonSchema({"type": "string", SECTION_MARK: True}),
]
Names = Annotated[list[Name], BeforeValidator(_words), WithJsonSchema(NAMES_SCHEMA)]


_Item = TypeVar("_Item")
# `Items[Name]`: a list of names or words whose items are split at ，、； (_split_items).
Items = Annotated[list[_Item], BeforeValidator(_split_items)]
Ident = Annotated[
    str,
    AfterValidator(_shows_as_typed),
    AfterValidator(_check_id),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": f"^{_ID.pattern}$",
            "patternErrorMessage": "编号只用英文字母、数字和下划线，以字母开头，如 haircut",
        }
    ),
]
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Hours = Annotated[float, Field(ge=0, le=100_000)]


def _none_is_empty(value: Any) -> Any:
    """`visits:` with nothing after it (a new month's file) reads as an empty list."""
    return [] if value is None else value


def _no_items() -> list:
    """An empty list, for defaults: a function of our own rather than `list`, whose
    signature pydantic would parse from its text (tokenize, ast) for each field."""
    return []


class Strict(BaseModel):
    """Unknown keys are errors, so a misspelt key never silently drops data.

    Built when first used (defer_build): a file's model builds the entries' models into its
    own, so an entry's model (Visit, Article, ...) builds its own validator only when it is
    used on its own."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, arbitrary_types_allowed=True, defer_build=True
    )


# ---------------------------------------------------------------- contract indicators


def month_numbers(text: str) -> tuple[int, int] | None:
    """The year and the month's number as `text` writes them in one of _MONTH_FORMS (2020-02,
    2020/2, 2020年2月), whatever the number; None if `text` is written as no month at all."""
    for form in _MONTH_FORMS:
        if m := form.fullmatch(text.strip()):
            return int(m.group(1)), int(m.group(2))
    return None


def month_of(text: str) -> YearMonth | None:
    """The month `text` names in any spelling the data takes, or None: what a month in the
    data and a month argument both accept."""
    found = month_numbers(text)
    if found is None or not 1 <= found[1] <= 12:
        return None
    return YearMonth(*found)


def parse_month_value(value: Any) -> YearMonth:
    """A whole month (2020-02, 2020/2, 2020年2月)."""
    if isinstance(value, YearMonth):
        return value
    if isinstance(value, str) and (month := month_of(value)) is not None:
        return month
    raise problem("month_value_format", value=value)


MonthValue = Annotated[YearMonth, BeforeValidator(parse_month_value), WithJsonSchema(MONTH_SCHEMA)]


def known_figure(value: str) -> str:
    """The figure's key, for its key or its Chinese name (the registry's names)."""
    key = figures.resolve(value)
    if key is None:
        raise problem("figure_unknown", value=value)
    return key


FIGURE_SCHEMA = {
    "type": "string",
    "enum": [*figures.all_keys(), *(f.zh for f in figures.FIGURES)],
}
Figure = Annotated[
    str, BeforeValidator(_strip), AfterValidator(known_figure), WithJsonSchema(FIGURE_SCHEMA)
]


class Indicator(Strict):
    """A contract indicator: a figure of `bulletin stats` and the target it must reach."""

    name: Text = Field(description="指标名称，按合同的写法，如“困难职工探访 不少于 200 户次”")
    figure: Figure = Field(
        description="统计项：编号（与 bulletin stats 的 json 列名相同）或中文名称，如 visits 或"
        "探访户数、"
        "activity_sessions 活动场次、people_served 服务人次、counselling_hours 咨询小时、"
        "wishes_fulfilled 完成心愿、satisfaction 满意度"
    )
    target: Annotated[
        float,
        Field(gt=0, le=10_000_000),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "exclusiveMinimum": 0},
                    {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*[%％]\s*$"},
                ]
            }
        ),
    ] = Field(description="目标值，如 200；可以有小数（如小时数）；满意度的目标是百分数，如 90 %")
    towns: Items[Town] | None = Field(
        default=None, description="只计这些镇区的探访（可选，仅用于 visits）"
    )
    kind: Text | None = Field(
        default=None,
        description="只计这一类别的活动（可选，仅用于 activity_sessions、"
        "activity_participants、satisfaction_responses 和 satisfaction），如“职工活动”",
    )
    due: MonthValue | None = Field(
        default=None, description="须在哪个月底前达成（可选，默认合同期的最后一个月）"
    )

    @model_validator(mode="before")
    @classmethod
    def _percent_target(cls, data: Any) -> Any:
        """`target: 90 %` (or 90%) for a rate: the per cent sign only on a rate's target."""
        target = data.get("target") if isinstance(data, dict) else None
        if not isinstance(target, str) or not target.strip().endswith(("%", "％")):
            return data
        figure = figures.resolve(str(data.get("figure") or ""))
        if figure is not None and not figures.is_rate(figure):
            raise problem("target_percent_not_rate", at=("target",), value=target, figure=figure)
        return {**data, "target": target.strip()[:-1].strip()}

    @model_validator(mode="after")
    def _restriction_fits(self) -> Indicator:
        if figures.is_rate(self.figure) and self.target > 100:
            raise problem("target_rate_above_100", at=("target",), value=f"{self.target:g}")
        for key in ("towns", "kind"):
            allowed = figures.restrictable(key)
            if getattr(self, key) is not None and self.figure not in allowed:
                raise problem(
                    "restriction_figure",
                    at=(key,),
                    key=key,
                    figure=self.figure,
                    figures=", ".join(allowed),
                )
        return self

    @property
    def restriction(self) -> str:
        """The restriction in words for tables, e.g. '民众镇、东凤镇' or '职工活动'."""
        return "、".join(self.towns) if self.towns else (self.kind or "")


class ContractPeriod(Strict):
    """A contract period (合同期) with the indicators the evaluation checks."""

    name: Text = Field(description="合同期名称，如“2020年度”；bulletin report 可以用它指代这一期")
    start: MonthValue = Field(description="第一个月，如 2020-02")
    end: MonthValue = Field(description="最后一个月，如 2021-01")
    indicators: list[Indicator] = Field(
        default_factory=_no_items, description="合同指标：名称、统计项、目标值"
    )

    @model_validator(mode="after")
    def _in_order(self) -> ContractPeriod:
        if self.end < self.start:
            raise problem("period_order", at=("end",), start=str(self.start), end=str(self.end))
        for i, indicator in enumerate(self.indicators):
            if indicator.due is not None and not self.start <= indicator.due <= self.end:
                raise problem(
                    "due_outside_period",
                    at=("indicators", i, "due"),
                    value=str(indicator.due),
                    start=str(self.start),
                    end=str(self.end),
                )
        if "indicators" in self.model_fields_set and not self.indicators:
            raise problem("indicators_empty", at=("indicators",), value=self.name)
        self._no_indicator_twice()
        return self

    def _no_indicator_twice(self) -> None:
        """An indicator entered twice would be reported twice, or against two targets."""
        names: dict[str, int] = {}
        counts: dict[tuple[object, ...], int] = {}
        for i, ind in enumerate(self.indicators):
            what = (ind.figure, frozenset(ind.towns or ()), ind.kind, ind.due)
            if ind.name in names:
                raise problem("indicator_same_name", at=("indicators", i, "name"), value=ind.name)
            if what in counts:
                other = self.indicators[counts[what]].name
                raise problem(
                    "indicator_same_count", at=("indicators", i), value=ind.name, other=other
                )
            names[ind.name], counts[what] = i, i

    @property
    def months(self) -> int:
        return self.end.index() - self.start.index() + 1

    def contains(self, month: YearMonth) -> bool:
        return self.start <= month <= self.end


# ---------------------------------------------------------------- project.yaml


class Project(Strict):
    """data/project.yaml: what stays the same from month to month."""

    name: Text = Field(description="项目名称，印在封面和汇总标题中，如“工会社工服务项目”")
    organisation: Text = Field(description="执行机构，如“中山市工会社工综合服务中心”")
    union: Text = Field(description="委托方（工会），如“市总工会”，用于本月速览")
    first_issue: Annotated[
        str, AfterValidator(lambda v: str(parse_month_value(v))), WithJsonSchema(MONTH_SCHEMA)
    ] = Field(description="第 01 期所在的月份，如 2020-02；其后每月期号加一")
    towns: Items[Name] = Field(min_length=1, description="镇区列表；探访记录中的镇区必须在此列表中")
    sections: Items[Name] = Field(
        min_length=1, description="文章栏目，按简报中的先后顺序，如 项目快讯、职工关爱服务"
    )
    titles: Items[Name] = Field(
        default_factory=_no_items,
        description="本项目另用的称呼（可选），如 阿嫲；内置的有 " + "、".join(TITLES),
    )
    templates: str | None = Field(
        default=None,
        description="自定义模板文件夹（相对于本文件），其中的 bulletin.docx 或 overview.txt.j2 "
        "优先于内置模板",
    )
    contract: list[ContractPeriod] = Field(
        default_factory=_no_items,
        description="合同期及其指标（可选），供 bulletin progress、ledger 和 report 使用",
    )
    progress_table: bool = Field(
        default=False,
        description="在简报的服务汇总中加入“指标进度”表（默认不加）",
    )

    @model_validator(mode="after")
    def _periods_apart(self) -> Project:
        for i, period in enumerate(self.contract):
            for j, indicator in enumerate(period.indicators):
                for k, town in enumerate(indicator.towns or ()):
                    if town not in self.towns:
                        raise problem(
                            "town_unknown",
                            at=("contract", i, "indicators", j, "towns", k),
                            value=town,
                            towns=tuple(self.towns),
                        )
        named: set[str] = set()
        for i, period in enumerate(self.contract):
            if period.name in named:  # --period and report would only ever find the first
                raise problem("period_same_name", at=("contract", i, "name"), value=period.name)
            named.add(period.name)
        periods = sorted(enumerate(self.contract), key=lambda p: p[1].start)
        for (_, a), (j, b) in zip(periods, periods[1:], strict=False):
            if b.start <= a.end:
                raise problem(
                    "period_overlap", at=("contract", j, "start"), value=b.name, other=a.name
                )
        return self

    def period_named(self, name: str) -> ContractPeriod | None:
        return next((p for p in self.contract if p.name == name), None)

    def period_of(self, month: YearMonth) -> ContractPeriod | None:
        return next((p for p in self.contract if p.contains(month)), None)

    @property
    def first_month(self) -> YearMonth:
        return YearMonth.parse(self.first_issue)


# ---------------------------------------------------------------- month.yaml


class MonthInfo(Strict):
    """data/YYYY-MM/month.yaml (optional): settings of this issue."""

    issue: Annotated[int, Field(ge=1, le=9999)] | None = Field(
        default=None,
        description="本期期号；不填时从 project.yaml 的 first_issue 按月推算（跳过某月时填写）",
    )


# ---------------------------------------------------------------- visits.yaml


class Visit(Strict):
    """One visit to a worker in hardship."""

    date: Day = Field(description="探访日期，如 2020-02-25，必须在本月内")
    name: ClientName = Field(description="探访对象：姓加称呼，如“梁女士”“欧阳先生”，不写全名")
    town: Town = Field(description="镇区，必须是 project.yaml 中 towns 列出的镇区")
    mode: Literal["电访", "走访"] = Field(description="探访方式：电访 或 走访")
    evidence: Evidence = Field(default_factory=_no_items)


class VisitsFile(Strict):
    visits: Annotated[list[Visit], BeforeValidator(_none_is_empty)] = Field(
        default_factory=_no_items, description="本月探访困难职工记录"
    )


# ---------------------------------------------------------------- wishes.yaml


class Wish(Strict):
    """A small wish (小心愿) collected from a worker."""

    name: ClientName = Field(description="职工：姓加称呼，如“梁女士”“欧阳先生”，不写全名")
    situation: LongText = Field(description="职工情况")
    wish: Text = Field(description="小心愿内容，如“书包一个”")
    town: Town | None = Field(default=None, description="镇区（可选）")
    fulfilled: AnyDay | None = Field(
        default=None, description="心愿完成日期（可选）；可以是以后的月份，统计时计入完成的月份"
    )
    donor: Text | None = Field(default=None, description="捐赠方或圆梦人（可选）")
    evidence: Evidence = Field(default_factory=_no_items)

    @model_validator(mode="after")
    def _fulfilled_not_before(self, info: ValidationInfo) -> Wish:
        ctx = _ctx(info)
        if ctx and self.fulfilled and self.fulfilled < ctx.month.first_day():
            raise problem(
                "date_before_month",
                at=("fulfilled",),
                value=self.fulfilled.isoformat(),
                month=str(ctx.month),
            )
        return self


class WishesFile(Strict):
    wishes: Annotated[list[Wish], BeforeValidator(_none_is_empty)] = Field(
        default_factory=_no_items, description="本月收集的小心愿"
    )


# ---------------------------------------------------------------- events.yaml


# A satisfaction questionnaire's answers, best first; the first two are "satisfied".
SATISFACTION_LABELS = ("非常满意", "满意", "一般", "不满意", "非常不满意")
SATISFIED_LABELS = SATISFACTION_LABELS[:2]
# A five-point score: 5 is best; 4 and 5 are "satisfied".
SATISFACTION_SCORES = ("1", "2", "3", "4", "5")
SATISFIED_SCORES = ("4", "5")


class Answers(Strict):
    """How many questionnaires gave each answer (an answer left out: none gave it)."""

    非常满意: Count = Field(default=0, description="答“非常满意”的份数")
    满意: Count = Field(default=0, description="答“满意”的份数")
    一般: Count = Field(default=0, description="答“一般”的份数")
    不满意: Count = Field(default=0, description="答“不满意”的份数")
    非常不满意: Count = Field(default=0, description="答“非常不满意”的份数")

    def counts(self) -> dict[str, int]:
        return {label: getattr(self, label) for label in SATISFACTION_LABELS}


def _score_keys(value: Any) -> Any:
    """`scores:` names the points 1 to 5 (YAML reads `5:` as the text "5")."""
    if isinstance(value, dict):
        for key in value:
            if str(key).strip() not in SATISFACTION_SCORES:
                raise problem("satisfaction_score_unknown", at=(key,), value=str(key))
        return {str(k).strip(): v for k, v in value.items()}
    return value


Scores = Annotated[
    dict[str, Count],
    BeforeValidator(_score_keys),
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"enum": list(SATISFACTION_SCORES)},
            "additionalProperties": {"type": "integer", "minimum": 0},
        }
    ),
]


class Satisfaction(Strict):
    """A satisfaction questionnaire's results: the counts of each answer, or of each score."""

    responses: Count | None = Field(
        default=None, description="收回问卷份数（可选，不填则为各项份数之和）"
    )
    answers: Answers | None = Field(
        default=None,
        description="各选项的份数：非常满意、满意、一般、不满意、非常不满意（与 scores 二选一）",
    )
    scores: Scores | None = Field(
        default=None, description="五分制评分：1 到 5 各几份，5 分最满意（与 answers 二选一）"
    )

    @model_validator(mode="after")
    def _counts_fit(self) -> Satisfaction:
        if self.answers is not None and self.scores is not None:
            raise problem("satisfaction_both", at=("scores",))
        if self.answers is None and self.scores is None:
            raise problem("satisfaction_no_counts")
        counted = sum(self.counts().values())
        if self.responses is not None and counted > self.responses:
            raise problem(
                "satisfaction_over_responses",
                at=("responses",),
                counted=counted,
                responses=self.responses,
            )
        if self.total == 0:
            raise problem("satisfaction_no_responses", at=("responses",))
        return self

    def counts(self) -> dict[str, int]:
        """Each answer (or score) with its count."""
        if self.answers is not None:
            return self.answers.counts()
        return dict(self.scores or {})

    @property
    def total(self) -> int:
        """The questionnaires returned: `responses`, or the counts added up."""
        return self.responses if self.responses is not None else sum(self.counts().values())

    @property
    def satisfied(self) -> int:
        """非常满意 + 满意, or the scores 4 and 5."""
        counts = self.counts()
        best = SATISFIED_LABELS if self.answers is not None else SATISFIED_SCORES
        return sum(counts.get(k, 0) for k in best)


SATISFACTION_FIELD = (
    "满意度问卷结果（可选）：responses 收回份数，answers 各选项份数或 scores 五分制各分份数"
)


class Session(Strict):
    """One session of an activity: its own day and venue."""

    date: Day = Field(description="日期，必须在本月内")
    venue: Text = Field(description="地点，如“中国电信中山分公司”")
    title: Text | None = Field(
        default=None, description="这一场在服务汇总表中的内容（可选，不填则用活动名称）"
    )
    participants: Count | None = Field(default=None, description="这一场的参与人次（可选）")
    evidence: Evidence = Field(default_factory=_no_items)
    satisfaction: Satisfaction | None = Field(
        default=None, description=SATISFACTION_FIELD + "；这一场的问卷"
    )

    @model_validator(mode="after")
    def _responses_not_above_participants(self) -> Session:
        q = self.satisfaction
        if q is not None and self.participants is not None and q.total > self.participants:
            raise problem(
                "satisfaction_over_participants",
                at=("satisfaction", "responses"),
                responses=q.total,
                participants=self.participants,
            )
        return self


class Activity(Strict):
    """An activity, counted in 场次 (sessions) and 人次 (participants)."""

    id: Ident | None = Field(
        default=None,
        description="英文编号（可选），供文章占位符 {{ activity.编号 }} 和计划对照使用",
    )
    name: Text = Field(description="活动名称")
    kind: Text = Field(default="职工活动", description="活动类别，如“职工活动”“职工关爱活动”")
    sessions: list[Session] = Field(min_length=1, description="各场次（每场一个日期和地点）")
    participants: Count | None = Field(
        default=None, description="总参与人次；也可以改为在每一场中分别填写"
    )
    partners: Items[Text] = Field(default_factory=_no_items, description="合作单位（可选）")
    plan: Text | None = Field(
        default=None, description="对应上月服务预告中的活动名称（可选，名称不同时填写）"
    )
    satisfaction: Satisfaction | None = Field(
        default=None,
        description=SATISFACTION_FIELD + "；整个活动一份汇总，也可以改为在每一场中分别填写",
    )

    @model_validator(mode="after")
    def _participants_once(self) -> Activity:
        per_session = [s.participants for s in self.sessions]
        if self.participants is not None and any(p is not None for p in per_session):
            raise problem("participants_where")
        if self.participants is None and any(p is None for p in per_session):
            raise problem("participants_missing")
        self._questionnaires_fit()
        return self

    def _questionnaires_fit(self) -> None:
        """A questionnaire on the activity or on its sessions, not both; no more returned
        than took part."""
        sessions = [j for j, s in enumerate(self.sessions) if s.satisfaction is not None]
        if self.satisfaction is not None and sessions:
            raise problem("satisfaction_where", at=("satisfaction",))
        returned = sum(q.total for q in self.questionnaires())
        if returned > self.total_participants:
            at = ("satisfaction", "responses") if self.satisfaction else ("participants",)
            raise problem(
                "satisfaction_over_participants",
                at=at,
                responses=returned,
                participants=self.total_participants,
            )

    def questionnaires(self) -> list[Satisfaction]:
        """The activity's questionnaire results: its own, or its sessions'."""
        if self.satisfaction is not None:
            return [self.satisfaction]
        return [s.satisfaction for s in self.sessions if s.satisfaction is not None]

    @property
    def total_participants(self) -> int:
        if self.participants is not None:
            return self.participants
        return sum(s.participants or 0 for s in self.sessions)


class Service(Strict):
    """An ongoing service, listed in the summary table only."""

    name: Text = Field(description="服务内容，如“心理咨询”")
    place: Text = Field(description="地点，如“全市”“心灵港湾”")
    date: Day | None = Field(default=None, description="日期（可选）；不填则显示为本月")


class EventsFile(Strict):
    activities: Annotated[list[Activity], BeforeValidator(_none_is_empty)] = Field(
        default_factory=_no_items, description="本月开展的活动"
    )
    services: Annotated[list[Service], BeforeValidator(_none_is_empty)] = Field(
        default_factory=_no_items, description="本月持续开展的服务"
    )


# ---------------------------------------------------------------- consultations.yaml


_CLIENT_NAME = re.compile(f"[{HAN}]" r"(?:女士|先生|小姐|师傅|阿姨|大姐|大哥|同学)")


def _no_client_name(value: str) -> str:
    if m := _CLIENT_NAME.search(value):
        raise problem("client_name", value=m.group(0))
    return value


Topic = Annotated[Text, AfterValidator(_no_client_name)]


class Consultation(Strict):
    """A line of the counselling log: one session or a batch. Never a client's name."""

    counsellor: Name = Field(description="咨询师或社工姓名")
    channel: Literal["线上", "到访", "电话"] = Field(description="方式：线上、到访 或 电话")
    people: Count = Field(description="人数")
    hours: Hours = Field(description="时长（小时），可以有小数，如 1.5")
    sessions: Count | None = Field(default=None, description="次数（可选）")
    topics: Items[Topic] = Field(default_factory=_no_items, description="求助问题类型，如 婚恋问题")
    date: Day | None = Field(default=None, description="日期（可选），必须在本月内")


class ConsultationsFile(Strict):
    consultations: Annotated[list[Consultation], BeforeValidator(_none_is_empty)] = Field(
        default_factory=_no_items, description="本月心理咨询记录（按次或按批），不写求助者姓名"
    )


# ---------------------------------------------------------------- plans.yaml


class PlanRow(Strict):
    """One row of a planned activity: a target, when, and who follows it up."""

    target: Text = Field(description="地点/对象，如“企业职工”或某企业名称")
    due: PlanDue | None = Field(
        default=None,
        description="计划完成时间：下个月内的日期（2020-03-06）或整月（2020-03）；不填则同上一行",
    )
    staff: Names | None = Field(
        default=None, description="跟进人员，可写成列表或用空格分隔；不填则同上一行"
    )


class PlanItem(Strict):
    """A planned activity for next month (服务预告)."""

    id: Ident | None = Field(default=None, description="英文编号（可选），用于计划对照")
    name: Text = Field(description="活动名称")
    service: Text | None = Field(
        default=None,
        description="由哪项持续开展的服务完成（可选）：填 events.yaml 中 services 的服务名称，"
        "如“心理咨询”；这样的计划项不列为要记录的活动，由该服务完成",
    )
    content: LongText = Field(description="内容")
    rows: list[PlanRow] = Field(min_length=1, description="一行或多行：对象、时间、跟进人员")

    @model_validator(mode="after")
    def _first_row_complete(self) -> PlanItem:
        first = self.rows[0]
        if first.due is None or first.staff is None:
            raise problem("missing", at=("rows", 0, "due" if first.due is None else "staff"))
        return self

    def filled_rows(self) -> list[FilledPlanRow]:
        """The rows with due and staff filled in: a row without them takes the row above's.
        The one rule for the bulletin's plan table and the activities `bulletin new` lists."""
        filled: list[FilledPlanRow] = []
        for row in self.rows:
            above = filled[-1] if filled else None
            due = row.due if row.due is not None or above is None else above.due
            staff = row.staff if row.staff is not None or above is None else above.staff
            # The first row is complete (validated above), so both are set from there on.
            assert due is not None and staff is not None
            filled.append(FilledPlanRow(row.target, due, staff))
        return filled


@dataclass(frozen=True)
class FilledPlanRow:
    """A plan row with due and staff taken from the row above where it omits them."""

    target: str
    due: date | YearMonth
    staff: list[str]


class PlansFile(Strict):
    plans: Annotated[list[PlanItem], BeforeValidator(_none_is_empty)] = Field(
        default_factory=_no_items, description="下个月的服务预告"
    )


# ---------------------------------------------------------------- articles.yaml


# The pictures a month may show, by how their content begins; all are re-encoded when rendering.
_PICTURE_KINDS = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


def _picture_kind(head: bytes) -> str | None:
    """The kind of picture a file's first bytes begin (PNG, JPEG, …, WebP), or None."""
    for magic, kind in _PICTURE_KINDS:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None


def _month_file(
    value: str, folder: Path, kind: str, ending: Callable[[], None] | None = None
) -> tuple[bytes, int]:
    """The rules every file the data names keeps (a picture, an evidence file): inside the
    month `folder` (no absolute path, no `..`, no link out), there, named exactly; returns
    its first bytes and its size. `kind` names the messages (image_…, evidence_…);
    `ending`, when given, checks the name's ending once the path is known to be inside."""
    path = Path(value)
    root = folder.resolve()
    target = (folder / path).resolve()
    if path.is_absolute() or ".." in path.parts or not target.is_relative_to(root):
        raise problem("image_path_outside" if kind == "image" else "evidence_outside", value=value)
    if ending is not None:
        ending()
    try:
        found = target.is_file()
    except OSError:  # a name too long for the file system
        found = False
    if not found:
        if (near := _named_alike(root, target.relative_to(root))) is not None:
            raise problem(f"{kind}_name_differs", value=value, found=near)
        raise problem(f"{kind}_missing", value=value)
    try:
        size = target.stat().st_size
        with target.open("rb") as fh:
            return fh.read(16), size
    except FileNotFoundError:  # removed since it was found
        raise problem(f"{kind}_missing", value=value) from None
    except OSError as exc:  # there, but held by another program or not ours to read
        reason = exc.strerror or str(exc)
        raise problem(f"{kind}_cannot_open", value=value, reason=reason) from None


def _inside_folder(value: str, info: ValidationInfo) -> str:
    ctx = _ctx(info)
    if ctx is None or ctx.folder is None:
        return value
    head, _size = _month_file(value, ctx.folder, "image")
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc", b"ftypheif"):
        raise problem("image_heic", value=value)
    if _picture_kind(head) is None:
        raise problem("image_not_picture", value=value)
    return value


# ---------------------------------------------------------------- evidence files

EVIDENCE_FOLDER = "evidence"  # scans kept for the evaluator: never printed in the bulletin
EVIDENCE_MAX_MB = 20  # a scanned page is well under 5 MB; more is a photo to make smaller
# The kinds of evidence file, by ending: the content must be of that kind (_content_kind).
_EVIDENCE_KINDS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".pdf": "PDF"}


def _content_kind(head: bytes) -> str | None:
    """What a file is by its first bytes, for the evidence message: PDF, JPEG, PNG, GIF, …"""
    return "PDF" if head.startswith(b"%PDF-") else _picture_kind(head)


def _evidence_file(value: str, info: ValidationInfo) -> str:
    """An evidence file: inside the month folder like a picture, a jpg, png or pdf whose
    content is what its ending says, and not larger than EVIDENCE_MAX_MB."""
    ctx = _ctx(info)
    if ctx is None or ctx.folder is None:
        return value
    ending = Path(value).suffix.lower()

    def known_ending() -> None:
        if ending not in _EVIDENCE_KINDS:
            raise problem("evidence_ending", value=value)

    head, size = _month_file(value, ctx.folder, "evidence", known_ending)
    kind = _EVIDENCE_KINDS[ending]
    if (found_kind := _content_kind(head)) != kind:
        if found_kind is None:
            raise problem("evidence_unknown_content", value=value, kind=kind)
        raise problem("evidence_wrong_content", value=value, kind=kind, found=found_kind)
    if size > EVIDENCE_MAX_MB * 1024 * 1024:
        raise problem(
            "evidence_too_large",
            value=value,
            size=f"{size / 1024 / 1024:.1f}",
            limit=EVIDENCE_MAX_MB,
        )
    return value


def _evidence_entry(value: Any) -> Any:
    """A path on its own stands for {file: path}: the file's name says what it is."""
    return {"file": value} if isinstance(value, str) else value


class EvidenceFile(Strict):
    """A file kept as evidence of a record for the evaluator: a scan or photo of a sign-in
    sheet, a receipt, a questionnaire. Never printed in the bulletin."""

    file: Annotated[str, BeforeValidator(_strip), AfterValidator(_evidence_file)] = Field(
        description="文件路径，相对于本月文件夹，如 evidence/0228-签到表.jpg（jpg、png 或 pdf）"
    )
    what: Text | None = Field(
        default=None, description="这是什么，如“签到表”“签收单”“满意度问卷”（可选，不填则用文件名）"
    )

    @property
    def label(self) -> str:
        """What the file is: `what`, else its file name without the ending."""
        return self.what or Path(self.file).stem


EVIDENCE_SCHEMA = {
    "type": "array",
    "description": "佐证材料（可选）：本月文件夹内的 jpg、png 或 pdf 文件，只进评估材料包，不印在简报里",
    "items": {
        "anyOf": [
            {"type": "string", "description": "文件路径，如 evidence/0228-签到表.jpg"},
            {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "description": "文件路径"},
                    "what": {"type": "string", "description": "这是什么，如“签到表”"},
                },
                "required": ["file"],
                "additionalProperties": False,
            },
        ]
    },
}
Evidence = Annotated[
    list[Annotated[EvidenceFile, BeforeValidator(_evidence_entry)]],
    BeforeValidator(_none_is_empty),
    WithJsonSchema(EVIDENCE_SCHEMA),
]


def _named_alike(folder: Path, path: Path) -> str | None:
    """The file under `folder` whose path differs from `path` only in capitals or in the
    width of its characters (探访2.JPG for 探访2.jpg), as a path relative to `folder`."""

    def alike(name: str) -> str:
        return unicodedata.normalize("NFKC", name).casefold()

    found = folder
    for part in path.parts:
        try:
            match = next((c for c in found.iterdir() if alike(c.name) == alike(part)), None)
        except OSError:
            return None
        if match is None:
            return None
        found = match
    return found.relative_to(folder).as_posix() if found.is_file() else None


class Image(Strict):
    """A picture in an article, with its caption."""

    path: Annotated[str, AfterValidator(_inside_folder)] = Field(
        description="图片路径，相对于本月文件夹，如 images/haircut.jpg"
    )
    caption: Text | None = Field(default=None, description="图片说明（可选）")


class Article(Strict):
    """A narrative article of the bulletin."""

    section: Section = Field(description="栏目，必须是 project.yaml 中 sections 之一")
    title: Text = Field(description="标题")
    subtitle: Text | None = Field(default=None, description="副标题（可选），印为“——副标题”")
    toc_title: Text | None = Field(default=None, description="目录中显示的标题（可选）")
    author: Name | None = Field(default=None, description="作者（可选），印为“（文：作者）”")
    body: LongText = Field(
        description="正文：空一行分段。可以用占位符引用统计数字，如 {{ counselling.people }}"
    )
    table: Literal["wishes", "visits"] | None = Field(
        default=None, description="在正文后嵌入的表格（可选）：wishes 小心愿登记表，visits 探访表"
    )
    images: list[Image] = Field(default_factory=_no_items, description="图片（可选）")
    evidence: Evidence = Field(default_factory=_no_items)


class ArticlesFile(Strict):
    articles: Annotated[list[Article], BeforeValidator(_none_is_empty)] = Field(
        default_factory=_no_items, description="本月文章，按出现顺序"
    )


# Files of a month folder, in the order they are read, with the model of each.
MONTH_FILES: dict[str, type[Strict]] = {
    "month.yaml": MonthInfo,
    "visits.yaml": VisitsFile,
    "wishes.yaml": WishesFile,
    "events.yaml": EventsFile,
    "consultations.yaml": ConsultationsFile,
    "plans.yaml": PlansFile,
    "articles.yaml": ArticlesFile,
}


@dataclass(frozen=True)
class Month:
    """Everything recorded for one month, validated."""

    month: YearMonth
    folder: Path
    info: MonthInfo
    visits: list[Visit]
    wishes: list[Wish]
    activities: list[Activity]
    services: list[Service]
    consultations: list[Consultation]
    plans: list[PlanItem]
    articles: list[Article]
    # Line in articles.yaml where each article's body text starts, for placeholder messages.
    body_lines: tuple[int, ...] = ()
    # Line of every value of each file read, keyed by file name and path of keys/indexes
    # (("visits", 3) is the fourth visit), so that a figure can name its source lines.
    lines: dict[str, dict[tuple[str | int, ...], int]] = field(default_factory=dict)
    # What is probably a mistake but may be meant (a record entered twice): printed, and an
    # error only under --strict.
    warnings: tuple[Any, ...] = ()

    def line(self, name: str, path: tuple[str | int, ...]) -> int:
        """Line of `path` in file `name`, or of its nearest ancestor that has one (0: none)."""
        found = self.lines.get(name, {})
        while path:
            if path in found:
                return found[path]
            path = path[:-1]
        return 0
