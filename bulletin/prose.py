"""The figures as words may cite them: Chinese numerals, the placeholder names, and the
article bodies' placeholders filled in (the phrases around them: bulletin.wording).

Article bodies may cite figures as `{{ visits.households }}`. They are rendered in Jinja's
sandbox with strict undefined, and only placeholders are allowed: no loops, calls or
statements, so a body can neither reach Python internals nor run for long. Every other
field of the data is literal text and is never evaluated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bulletin.models import YearMonth
from bulletin.summary import Summary


class Phrases(Protocol):
    """The project's phrases (bulletin.wording.Wording): one filled in with the names given."""

    def say(self, key: str, **names: Any) -> str: ...


_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Write 0–9999 in Chinese numerals as in running text (6 → 六, 12 → 十二)."""
    if not 0 <= n <= 9999:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += _DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return out


def cn_count(n: int) -> str:
    """Write a count that a measure word follows (个, 户, 场): 2 is 两 (两个, 两户), every
    other number as cn_number (二十, 十二)."""
    return "两" if n == 2 else cn_number(n)


def num(x: float | int) -> str:
    """A figure as printed: 16.0 → 16, 1.5 → 1.5."""
    if isinstance(x, float) and not x.is_integer():
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return str(int(x))


def month_text(m: YearMonth) -> str:
    """A month outside the document (starter files, charts); the document's own month
    words are the phrase month_label (bulletin.wording)."""
    return f"{m.year}年{m.month}月"


def quoted(text: str) -> str:
    """“text”, with quotation marks inside it turned into the inner pair ‘…’."""
    inner = text.replace("“", "‘").replace("”", "’")
    return f"“{inner}”"


def area_key(towns: list[str]) -> str:
    """Which phrase names the places together: all towns, all subdistricts (…街道) or both."""
    streets = sum(1 for t in towns if t.endswith("街道"))
    if not streets:
        return "area_towns"
    return "area_subdistricts" if streets == len(towns) else "area_mixed"


def namespace(summary: Summary, wording: Phrases) -> dict[str, Any]:
    """The figures that article placeholders and the overview template may cite, their
    words (month names, lists, …) from the project's phrases."""
    v, c = summary.visits, summary.counselling

    def listed(items: list[str]) -> str:
        return wording.say("list_text", items=items)

    def month_label(m: YearMonth) -> str:
        return wording.say("month_label", date={"year": m.year, "month": m.month, "day": 0})

    activities = [
        {
            "id": a.id or "",
            "name": a.name,
            "kind": a.kind,
            "sessions": a.sessions,
            "participants": a.participants,
            "partners": listed(list(a.partners)),
            # only for an activity that records questionnaires: no figure is no 满意度
            **satisfaction(a.source.questionnaires() if a.source else []),
        }
        for a in summary.activities
    ]
    every = [q for a in summary.activities if a.source for q in a.source.questionnaires()]
    pooled = satisfaction(every)
    return {
        "month": {
            "year": summary.month.year,
            "month": summary.month.month,
            "label": month_label(summary.month),
            "next_label": month_label(summary.month.next()),
        },
        "issue": f"{summary.issue:02d}",
        "visits": {
            "households": v.households,
            "phone": v.by_mode.get("电访", 0),
            "in_person": v.by_mode.get("走访", 0),
            "modes_text": wording.say("visit_modes", modes=list(v.by_mode)),
            "towns": v.towns,
            "towns_text": listed(v.towns),
            "town_count": len(v.towns),
            "town_count_cn": cn_count(len(v.towns)),
            "area": wording.say(area_key(v.towns)),
        },
        "wishes": {
            "collected": summary.wishes.collected,
            "collected_cn": cn_count(summary.wishes.collected),
            "fulfilled": summary.wishes.fulfilled,
        },
        "activities": activities,
        "activity": {a["id"]: a for a in activities if a["id"]},
        "counselling": {
            "people": c.people,
            "hours": num(c.hours),
            "sessions": c.sessions if c.sessions is not None else "",
            "channels_text": listed(list(c.channels)),
            "topics": c.topics,
            "topics_text": listed(c.topics),
        },
        "totals": {
            "sessions": summary.activity_sessions,
            "participants": summary.people_served,
        },
        # the month's questionnaires pooled, only in a month that records any
        **(
            {
                "satisfaction": {
                    "rate": pooled["satisfaction"],
                    "responses": pooled["questionnaires"],
                }
            }
            if pooled
            else {}
        ),
    }


def satisfaction(questionnaires: list) -> dict[str, Any]:
    """{"satisfaction": "95.8%", "questionnaires": 24} for questionnaire results (models.
    Satisfaction), pooled as the registry's 满意度 (figures.rate); empty when there are none."""
    from bulletin import figures
    from bulletin.tables import percent_text

    responses = sum(q.total for q in questionnaires)
    rate = figures.rate(sum(q.satisfied for q in questionnaires), responses)
    if rate is None:
        return {}
    return {"satisfaction": percent_text(rate), "questionnaires": responses}


def placeholder_names(ns: dict[str, Any]) -> list[str]:
    """Every placeholder path available, for hints (visits.households, …)."""
    names = []
    for key, value in ns.items():
        if isinstance(value, dict) and key != "activity":
            names += [f"{key}.{sub}" for sub in value]
        elif key == "activity":
            names += [f"activity.{i}.participants" for i in value]
            names += [f"activity.{i}.satisfaction" for i, a in value.items() if "satisfaction" in a]
        elif not isinstance(value, list):
            names.append(key)
    return names


# ---------------------------------------------------------------- sandboxed placeholders

_ALLOWED = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Const,
)


class _Env(ImmutableSandboxedEnvironment):
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, dict) and super().is_safe_attribute(obj, attr, value)


_ENV = _Env(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


@dataclass(frozen=True)
class PlaceholderProblem:
    line: int  # line within the text, 1-based
    key: str
    params: dict[str, Any]
    hint: tuple[str, dict[str, Any]] | None = None


_SIMPLE = re.compile(r"{{\s*([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)\s*}}")


def _fill_simple(text: str, ns: dict[str, Any]) -> str | None:
    """`text` with its placeholders filled, when every one is a plain dotted name of a figure
    (`{{ visits.households }}`, nearly all of them); None for anything else, which Jinja then
    parses and explains. Gives what Jinja gives, without compiling a template per body."""
    if "{%" in text or "{#" in text or "\r" in text:
        return None
    out, pos = [], 0
    for m in _SIMPLE.finditer(text):
        if text[m.start() - 1 : m.start()] == "{":  # "{{{ x }}": Jinja reads "{{" first
            return None
        value: Any = ns
        for part in m.group(1).split("."):
            # A dict's own attributes (items, keys, …) are what Jinja would find first.
            if not isinstance(value, dict) or part not in value or hasattr(dict, part):
                return None
            value = value[part]
        if isinstance(value, dict | list):  # printed as Python would: leave it to Jinja
            return None
        out += (text[pos : m.start()], str(value))
        pos = m.end()
    out.append(text[pos:])
    return None if "{{" in "".join(out[::2]) else "".join(out)


def render_placeholders(text: str, ns: dict[str, Any]) -> tuple[str, list[PlaceholderProblem]]:
    """Fill `{{ … }}` placeholders in `text`; return (text, problems)."""
    if "{" not in text:
        return text, []
    filled = _fill_simple(text, ns)
    if filled is not None:
        return filled, []
    available = placeholder_names(ns)
    hint_all = ("hint_placeholders", {})
    # Names a placeholder cannot resolve, each on its line with the closest name: before
    # parsing, so that `activity.mid-autumn.participants` is one name, not a subtraction.
    unknown = [
        PlaceholderProblem(line, "placeholder_unknown", {"value": path}, _closest(path, available))
        for path, line in _unknown_paths(text, ns)
    ]
    if unknown:
        return text, unknown
    try:
        tree = _ENV.parse(text)
    except TemplateSyntaxError as exc:
        return text, [
            PlaceholderProblem(
                exc.lineno or 1,
                "placeholder_syntax",
                {"problem": exc.message},
                ("hint_raw", {}),
            )
        ]
    problems = []
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED):
            snippet = type(node).__name__.lower()
            problems.append(
                PlaceholderProblem(
                    node.lineno or 1, "placeholder_not_allowed", {"value": snippet}, hint_all
                )
            )
        elif isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            problems.append(
                PlaceholderProblem(
                    node.lineno, "placeholder_not_allowed", {"value": node.attr}, hint_all
                )
            )
    for name in sorted(meta.find_undeclared_variables(tree) - set(ns)):
        line = min(n.lineno for n in tree.find_all(nodes.Name) if n.name == name)
        hint = _closest(name, available)
        problems.append(PlaceholderProblem(line, "placeholder_unknown", {"value": name}, hint))
    if problems:
        return text, problems
    try:
        return _ENV.from_string(tree).render(ns), []
    except TemplateError as exc:
        line = _template_line(exc)
        return text, [
            PlaceholderProblem(line, "placeholder_failed", {"problem": str(exc)}, hint_all)
        ]


def _template_line(exc: TemplateError) -> int:
    """The line of the text where rendering failed: jinja2 gives it to the frames of the
    template's own code (filename <template>), not to the error."""
    line, tb = 1, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _unknown_paths(text: str, ns: dict[str, Any]) -> list[tuple[str, int]]:
    """The dotted placeholders in `text` that do not resolve (hyphens read as part of a
    name, as a user means them), each with its line."""
    found = []
    for m in re.finditer(r"{{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*}}", text):
        value: Any = ns
        for part in m.group(1).split("."):
            if not isinstance(value, dict) or part not in value:
                found.append((m.group(1), text.count("\n", 0, m.start()) + 1))
                break
            value = value[part]
    return found


def _closest(name: str, available: list[str]) -> tuple[str, dict[str, Any]]:
    """'did you mean …' with the closest placeholder, and where the full list is."""
    from bulletin.validation import suggest  # the error path only

    if "-" in name:  # ids are refused with a hyphen where they are defined (events.yaml)
        return ("hint_placeholder_hyphen", {"value": name.replace("-", "_")})
    best = suggest(name, available)
    return ("hint_placeholder_guess", {"value": best}) if best else ("hint_placeholders", {})


def paragraphs(text: str) -> list[str]:
    """Split on blank lines; join the lines inside a paragraph (with a space only between
    two Latin letters or digits, as Chinese text has no spaces between lines)."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines:  # none only when the text is empty
            para = lines[0]
            for line in lines[1:]:
                if _latin(para[-1]) and _latin(line[0]):
                    para += " "
                para += line
            out.append(para)
    return out


def _latin(ch: str) -> bool:
    """A Latin letter or an ASCII digit: two of them across a line end keep a space."""
    return ch.isascii() and ch.isalnum()
