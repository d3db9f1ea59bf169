"""Which months a command covers, and where and in which format its result is written.

One home for the rules every cross-month command shares: a month, `--from/--to`, `--year`, a
quarter, a contract period by name; the default output file names (always inside `build/`,
whatever a period is called); and the output's kind, from `--format` or the file's ending,
which must agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bulletin.errors import Msg, UsageError
from bulletin.models import ContractPeriod, Project, YearMonth

FIRST_YEAR, LAST_YEAR = 1900, 9998  # a range's months and the month after it stay in 4 digits


@dataclass(frozen=True)
class Range:
    """[first, last]; None for "from the first month with data" / "to the latest"."""

    first: YearMonth | None = None
    last: YearMonth | None = None
    period: ContractPeriod | None = None  # when named by a contract period
    # how a report names it (its phrase in wording.yaml): quarter, year or range, and values
    kind: tuple[str, dict] = ("range", {})


def month(text: str) -> YearMonth:
    """A month argument (2020-02, 2020-2, 2020/2, 2020年2月); a UsageError when it is none."""
    from bulletin.loader import parse_month

    ym = parse_month(text)
    _year(ym.year, text)
    return ym


def _year(value: int, said: str | None = None) -> int:
    """`value` when a range may name it; a UsageError quoting `said` (default: the year)."""
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise UsageError(
            Msg("year_out_of_range", {"value": said or value, "lo": FIRST_YEAR, "hi": LAST_YEAR})
        )
    return value


def _ordered(lo: YearMonth | None, hi: YearMonth | None) -> None:
    if lo and hi and lo > hi:
        raise UsageError(Msg("range_empty", {"first": lo, "last": hi}))


def of_months(
    one: str | None = None,
    first: str | None = None,
    last: str | None = None,
    year: int | None = None,
) -> Range:
    """`stats` and `--explain`: one month, a year, or --from/--to (each end optional)."""
    if sum(x is not None for x in (one, year, first or last)) > 1:
        raise UsageError(Msg("range_conflict"))
    if one:
        ym = month(one)
        return Range(ym, ym)
    if year is not None:
        y = _year(year)
        return Range(YearMonth(y, 1), YearMonth(y, 12))
    lo, hi = (month(first) if first else None), (month(last) if last else None)
    _ordered(lo, hi)
    return Range(lo, hi)


def _periods(project: Project) -> str:
    from bulletin.wording import list_text

    return list_text(p.name for p in project.contract) or "-"


def named_period(project: Project, name: str) -> ContractPeriod:
    """The contract period called `name`; a UsageError listing the periods otherwise."""
    found = project.period_named(name)
    if found is None:
        raise UsageError(
            Msg("report_period_unknown", {"value": name, "periods": _periods(project)})
        )
    return found


def of_period(
    project: Project, text: str | None, first: str | None = None, last: str | None = None
) -> Range:
    """`report` and `ledger`: a quarter (2020-Q1), a year (2020), a contract period by name,
    or --from/--to."""
    if text is not None and (first or last):
        raise UsageError(Msg("period_or_range"))
    if text is None:
        lo, hi = (month(first) if first else None), (month(last) if last else None)
        _ordered(lo, hi)
        return Range(lo, hi)
    text = text.strip()
    if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text):
        year, q = _year(int(m.group(1))), int(m.group(2))
        return Range(
            YearMonth(year, 3 * q - 2),
            YearMonth(year, 3 * q),
            kind=("quarter", {"year": year, "quarter": q}),
        )
    if re.fullmatch(r"\d{4}", text):
        year = _year(int(text))
        return Range(YearMonth(year, 1), YearMonth(year, 12), kind=("year", {"year": year}))
    period = named_period(project, text)
    return Range(period.start, period.end, period)


# ---------------------------------------------------------------- outputs

SUFFIXES = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".txt": "table"}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_name(text: str) -> str:
    """`text` as one file name: no folder separators or characters Windows refuses, no
    leading dots, so a default output stays inside build/ whatever a period is called."""
    name = _UNSAFE.sub("_", text).strip().lstrip(".")
    return name or "_"


def default_output(stem: str, suffix: str) -> Path:
    """build/STEM.SUFFIX, STEM made a safe file name."""
    return Path("build") / f"{safe_name(stem)}{suffix}"


def output_format(
    fmt: str | None, output: Path | None, default: str, allowed: tuple[str, ...]
) -> str:
    """The kind to write: `--format`, else the ending of `-o` (x.xlsx, x.csv, x.json), else
    `default`. A `--format` and an ending that name different kinds are a UsageError naming
    both: a .csv holding a workbook would open as garbage."""
    named = None
    if output is not None and str(output) != "-":
        named = SUFFIXES.get(output.suffix.lower())
    if fmt is not None and named is not None and named != fmt:
        raise UsageError(Msg("format_suffix_clash", {"format": fmt, "path": output}))
    if fmt is not None:
        return fmt
    if named is not None and named not in allowed:
        kinds = ", ".join(allowed)
        raise UsageError(Msg("format_suffix_unfit", {"path": output, "formats": kinds}))
    return named or default
