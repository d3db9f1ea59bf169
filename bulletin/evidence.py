"""The evaluation pack (佐证材料): every contract indicator as of the pack's month, the records
behind it, and the evidence files those records list, copied under names that say what they
are; with the period's ledger and report. Written all or nothing, and the same bytes for the
same data.

An indicator lists the records its figure counts over the pack's months with its
restrictions, as `--explain` lists them (`explain.behind`: a distinct figure's towns each by
their earliest visit). Each evidence file of a listed record gets a number under the
indicator's (1-01, 1-02, …) and is copied into the indicator's folder as
"1-03 2020-02-28 <record> <what it is>.jpg". A record whose figure keeps evidence (visits,
wishes, activity sessions: `figures.Figure.evidenced`) but lists none is 缺佐证; counselling
and the plan figures keep none (their logs are totals) and are listed without.

Evidence files of the range's records that no indicator lists, and article evidence, are
copied under 附 (appendix), so nothing the data lists is left out; a file in a month's
evidence/ folder that no record lists is a warning, as it cannot be placed.

The privacy rule (README, "Evaluation evidence"): evidence files go into this pack only. The
bulletin and its HTML edition refuse to print them (`loader._check_public`), and pictures
are copied without their metadata (`scrub`).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin import figures, period
from bulletin.errors import BuildError, DataError, Msg, Problem, UsageError, display_path
from bulletin.explain import behind
from bulletin.loader import evidence_of, load_project, same_file
from bulletin.models import EVIDENCE_FOLDER, Month, Project, YearMonth
from bulletin.ranges import Range, of_period, safe_name
from bulletin.records import Record
from bulletin.scrub import scrubbed
from bulletin.tables import Sheet, number_text, percent_text
from bulletin.wording import Wording, load_wording

if TYPE_CHECKING:
    from bulletin.report import Phrases

NAME_CHARS = 40  # of a record's text or an indicator's name in a file name: paths stay short


@dataclass
class Listed:
    """A record listed in the 目录, with the files copied for it."""

    file: Path
    line: int
    day: str  # its date, or its month
    text: str
    needed: bool  # its figure keeps evidence: without any it is 缺佐证
    files: list[tuple[str, str, Path]] = field(default_factory=list)  # number, name, source

    @property
    def where(self) -> str:
        """file:line, as messages and --explain show a record's source."""
        return f"{display_path(self.file)}:{self.line}"


@dataclass
class Group:
    """An indicator (or the appendix) and the records listed under it."""

    number: str  # 1, 2, … or 附
    name: str
    folder: str  # its folder in the pack
    target: str = ""
    actual: str = ""
    percent: str = ""
    status: str = ""
    listed: list[Listed] = field(default_factory=list)
    appendix: bool = False  # the evidence no indicator lists

    @property
    def needed(self) -> int:
        return sum(1 for entry in self.listed if entry.needed)

    @property
    def complete(self) -> int:
        return sum(1 for entry in self.listed if entry.needed and entry.files)


@dataclass
class Pack:
    """The pack of a range as of a month: its groups, warnings, and every file it holds."""

    title: str
    first: YearMonth
    as_of: YearMonth
    groups: list[Group]
    warnings: list[Problem] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # path inside the pack -> bytes

    def _needing(self) -> dict[tuple[Path, int], Listed]:
        """Each record whose kind keeps evidence, once, however many indicators list it."""
        return {(e.file, e.line): e for g in self.groups for e in g.listed if e.needed}

    @property
    def needed(self) -> int:
        return len(self._needing())

    @property
    def complete(self) -> int:
        return sum(1 for e in self._needing().values() if e.files)

    def missing(self) -> list[Listed]:
        """The records whose kind keeps evidence but that list none (缺佐证), each once."""
        return [e for e in self._needing().values() if not e.files]


def _short(text: str) -> str:
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1] + "…"


def _day(r: Record) -> str:
    return r.date.isoformat() if r.date else str(r.month)


def _subject(r: Record) -> str:
    """The record's text without its date (the file name starts with the date)."""
    if r.date is not None:
        return " ".join(w for w in r.text.split() if w != r.date.isoformat()) or r.text
    return r.text


def build_pack(
    data_dir: Path,
    wanted: Range,
    until: YearMonth | None = None,
    project: Project | None = None,
    wording: Wording | None = None,
) -> Pack:
    """The pack of `wanted` as of its latest month with data (or `until`): the 目录 and the
    evidence files (the ledger and report are added by `write_pack`). Raises BuildError."""
    from bulletin.i18n import t
    from bulletin.progress import STATUSES, progress
    from bulletin.report import Phrases, title_of
    from bulletin.stats import figures_of, require_data

    project = project or load_project(data_dir)
    wording = wording or load_wording(project, data_dir)
    if wanted.first is None or wanted.last is None:
        raise UsageError(Msg("report_needs_period"))
    span = period.read(data_dir, until or wanted.last, project=project)
    start = max(wanted.first, span.start)
    if span.as_of(start, wanted.last) is None:  # no month of the range has data
        require_data(figures_of(span, wanted.first, wanted.last), data_dir)  # says which have
    as_of = until or span.as_of(start, wanted.last)
    assert as_of is not None  # some month of the range has data
    contract = project.period_of(as_of)
    if contract is None or not contract.indicators:
        raise BuildError(Msg("evidence_no_indicators", {"month": as_of}), Msg("hint_contract"))
    say = Phrases(wording, project)
    title = title_of(wanted, say)
    first = max(start, contract.start)
    rows = progress(data_dir, as_of, span=span).rows
    pack = Pack(title, first, as_of, [])
    copied: dict[Path, bool] = {}  # sources copied under some indicator
    for n, row in enumerate(rows, 1):
        indicator = row.indicator
        group = Group(
            str(n),
            indicator.name,
            safe_name(f"{n} {_short(indicator.name)}"),
            number_text(indicator.target),
            number_text(row.actual),
            percent_text(row.percent),
            t(STATUSES[row.status], "zh"),
        )
        records = behind(span, indicator.figure, first, as_of, indicator.towns, indicator.kind)
        for r in records:
            entry = _entry(r)
            for path, what in r.evidence:
                number = f"{n}-{_files_in(group) + len(entry.files) + 1:02d}"
                name = safe_name(f"{number} {entry.day} {_short(_subject(r))} {what}")
                entry.files.append((number, name + path.suffix.lower(), path))
                copied[path] = True
            group.listed.append(entry)
        pack.groups.append(group)
    mark = say("evidence_appendix_number")
    appendix = Group(mark, say("evidence_appendix"), safe_name(say("evidence_appendix")))
    appendix.appendix = True
    for month in span.months(first, as_of):
        view = span.views.get(month)
        if view is None:
            continue
        data = view.data
        lists = (data.visits, data.wishes, data.activities, data.articles)
        listed_here: set[str] = set()
        by_record: dict[tuple, Listed] = {}
        for name, path, item in evidence_of(*lists):
            source = data.folder / item.file
            listed_here.add(same_file(item.file))
            if source in copied:
                continue
            record_at = path[:-2]  # the record's own keys, without ("evidence", k)
            entry = by_record.get((name, record_at))
            if entry is None:
                entry = Listed(
                    data.folder / name,
                    data.line(name, record_at),
                    str(month),
                    _described(data, record_at),
                    needed=False,
                )
                by_record[(name, record_at)] = entry
                appendix.listed.append(entry)
            number = f"{mark}-{_files_in(appendix) + 1:02d}"
            label = safe_name(f"{number} {month} {_short(entry.text)} {item.label}")
            entry.files.append((number, label + source.suffix.lower(), source))
        pack.warnings += _unlisted(data, listed_here)
    if appendix.listed:
        pack.groups.append(appendix)
    return pack


def _files_in(group: Group) -> int:
    """How many files the group holds so far (the next file's number is one more)."""
    return sum(len(entry.files) for entry in group.listed)


def _entry(r: Record) -> Listed:
    return Listed(
        r.file,
        r.line,
        _day(r),
        _subject(r),
        figures.BY_KEY[r.figure].evidenced,
    )


def _described(data: Month, at: tuple) -> str:
    """What the record at `at` is, in a few words: for the appendix's rows."""
    kind, i = at[0], at[1]
    if kind == "visits":
        v = data.visits[i]
        return f"{v.name} {v.town} {v.mode}"
    if kind == "wishes":
        w = data.wishes[i]
        return f"{w.name} {w.wish}"
    if kind == "activities":
        a = data.activities[i]
        s = a.sessions[at[3]]
        return f"{a.name} {s.date} {s.venue}"
    return data.articles[i].title


def _unlisted(data: Month, listed: set[str]) -> list[Problem]:
    """A warning for each file of the month's evidence/ folder that no record lists."""
    folder = data.folder / EVIDENCE_FOLDER
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            relative = path.relative_to(data.folder).as_posix()
            if same_file(relative) not in listed:
                found.append(
                    Problem(
                        path, 0, "", Msg("evidence_unlisted", {"path": relative}),
                        Msg("hint_evidence_unlisted"),
                    )
                )  # fmt: skip
    return found


# ---------------------------------------------------------------- the 目录


def sheets(pack: Pack, say: Phrases) -> list[Sheet]:
    """The 目录 as a workbook: the indicators, then one row per record and file."""
    head = [
        say("evidence_column_number"),
        say("evidence_column_indicator"),
        say("evidence_column_target"),
        say("evidence_column_actual"),
        say("evidence_column_percent"),
        say("evidence_column_status"),
        say("evidence_column_complete"),
    ]
    summary = [
        [g.number, g.name, g.target, g.actual, g.percent, g.status, f"{g.complete}/{g.needed}"]
        for g in pack.groups
    ]
    columns = [
        say("evidence_column_group"),
        say("evidence_column_day"),
        say("evidence_column_record"),
        say("evidence_column_source"),
        say("evidence_column_file_number"),
        say("evidence_column_file"),
    ]
    records = []
    for g in pack.groups:
        for e in g.listed:
            if not e.files:
                state = say("evidence_missing") if e.needed else say("evidence_not_kept")
                records.append([g.number, e.day, e.text, e.where, "", state])
            for number, name, _source in e.files:
                records.append([g.number, e.day, e.text, e.where, number, f"{g.folder}/{name}"])
    return [
        Sheet(say("evidence_sheet_indicators"), head, summary),
        Sheet(say("evidence_sheet_records"), columns, records),
    ]


@dataclass
class EvidenceContext:
    """What the 目录 template reads; all text is Simplified Chinese."""

    name: str
    organisation: str
    title: str
    span: str
    as_of: str
    complete: str
    dated: datetime
    indicators: list[dict[str, str]]
    groups: list[dict[str, object]]
    enclosed: list[str]  # the other documents of the pack


def context(pack: Pack, project: Project, say: Phrases, enclosed: list[str]) -> EvidenceContext:
    month = say.words.month
    groups = []
    for g in pack.groups:
        rows = []
        for e in g.listed:
            if e.files:
                files = "\n".join(name for _n, name, _s in e.files)
            else:
                files = say("evidence_missing") if e.needed else say("evidence_not_kept")
            rows.append({"day": e.day, "text": e.text, "source": e.where, "files": files})
        line = say(
            "evidence_group_line",
            actual=g.actual, target=g.target, percent=g.percent, status=g.status,
            records=len(g.listed), complete=g.complete, needed=g.needed, appendix=g.appendix,
        )  # fmt: skip
        groups.append({"heading": f"{g.number} {g.name}", "line": line, "rows": rows})
    nxt = pack.as_of.next()
    return EvidenceContext(
        name=project.name,
        organisation=project.organisation,
        title=pack.title,
        span=say("report_span", first=month(pack.first), last=month(pack.as_of)),
        as_of=say("report_as_of", month=month(pack.as_of)),
        complete=say("evidence_complete", complete=pack.complete, needed=pack.needed),
        dated=datetime(nxt.year, nxt.month, 1, tzinfo=UTC),
        indicators=[
            {
                "number": g.number,
                "name": g.name,
                "target": g.target,
                "actual": g.actual,
                "percent": g.percent,
                "status": g.status,
                "complete": f"{g.complete}/{g.needed}",
            }
            for g in pack.groups
            if not g.appendix
        ],
        groups=groups,
        enclosed=enclosed,
    )


# ---------------------------------------------------------------- writing


def write_pack(
    data_dir: Path,
    period_text: str | None,
    first: str | None,
    last: str | None,
    output: Path | None,
    templates: Path | None = None,
    as_of: str | None = None,
    strict: bool = False,
) -> tuple[Path, Pack]:
    """Build the pack and write it (a folder, or a .zip when `output` ends so); returns where
    it went and the pack (its warnings to show). Writes nothing when anything fails; under
    `strict`, records without evidence are errors."""
    from bulletin.ledger import write_ledger
    from bulletin.output import write_atomically, write_folder
    from bulletin.ranges import default_output, month
    from bulletin.render import render_document
    from bulletin.report import Phrases, make_report
    from bulletin.stamp import timestamp, zip_entry
    from bulletin.template_search import EVIDENCE_TEMPLATE, find_template

    project = load_project(data_dir)
    wording = load_wording(project, data_dir, templates)
    say = Phrases(wording, project)
    wanted = of_period(project, period_text, first, last)
    until = None
    if as_of is not None:
        until = month(as_of)
        if wanted.first is None or wanted.last is None:
            raise UsageError(Msg("report_needs_period"))
        if not wanted.first <= until <= wanted.last:
            raise UsageError(
                Msg("as_of_outside", {"month": until, "first": wanted.first, "last": wanted.last})
            )
    pack = build_pack(data_dir, wanted, until, project, wording)
    missing = pack.missing()
    if missing:
        gap = missing[0]
        pack.warnings.append(
            Problem(
                gap.file, gap.line, "",
                Msg("evidence_gaps", {"count": len(missing), "first": gap.text}),
                Msg("hint_evidence_gaps"),
            )
        )  # fmt: skip
    if strict and pack.warnings:  # each record without evidence, and each unlisted file
        lacking = [
            Problem(e.file, e.line, "", Msg("evidence_lacking", {"record": e.text}),
                    Msg("hint_evidence_lacking"))
            for e in missing
        ]  # fmt: skip
        raise DataError(lacking + pack.warnings[: len(pack.warnings) - bool(missing)])
    template = find_template(EVIDENCE_TEMPLATE, project, data_dir, templates)
    ledger_out, ledger = write_ledger(
        data_dir, Range(pack.first, pack.as_of), "xlsx", None, project
    )
    report_name, report = make_report(
        data_dir, period_text, first, last, templates, as_of or str(pack.as_of)
    )
    index = say("evidence_index")
    files: dict[str, bytes] = {}
    enclosed = [ledger_out.name, report_name]
    ctx = context(pack, project, say, enclosed)
    files[f"{index}.docx"] = render_document(ctx, template)
    from bulletin.tables import to_xlsx

    files[f"{index}.xlsx"] = to_xlsx(sheets(pack, say), pack.as_of)
    files[ledger_out.name] = ledger[ledger_out]
    files[report_name] = report
    for g in pack.groups:
        for e in g.listed:
            for _number, name, source in e.files:
                try:
                    data = source.read_bytes()
                except OSError as exc:
                    raise BuildError(
                        Msg("image_unreadable", {"path": source, "reason": exc})
                    ) from None
                files[f"{g.folder}/{name}"] = scrubbed(data, source.suffix.lower(), str(source))
    pack.files = files
    out = output or default_output(say("evidence_file", title=pack.title), "")
    if out.suffix.lower() == ".zip":
        stamp = timestamp(ctx.dated)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in sorted(files):
                stored = name.lower().endswith((".jpg", ".jpeg", ".png", ".xlsx", ".docx"))
                archive.writestr(zip_entry(name, stamp, stored), files[name])
        write_atomically(buffer.getvalue(), out)
    else:
        write_folder(out, files, marker=f"{index}.xlsx")
    return out, pack
