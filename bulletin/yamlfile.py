"""Read one YAML data file safely into plain values that remember their line numbers.

Safety rules (see README, "Safe input"):
- bytes must be UTF-8 (a BOM is allowed); other encodings are refused with a hint;
- files are bounded in size and nesting depth;
- anchors and aliases are refused, so a small file cannot expand into a huge one;
- YAML 1.2-style scalars: only null/true/false are typed, everything else stays the text
  the user typed (`no`, `010`, `12:30` and `+8613812345678` are not converted);
  numbers and dates are parsed later by the models, with located messages;
- duplicate keys are errors;
- every string is checked for characters Word cannot store and for phone/ID numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bulletin.errors import Msg, Problem, field_path

try:  # the C parser is several times faster; its nodes keep line numbers too
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_BaseLoader):  # type: ignore[valid-type, misc]
    """The composer without tag resolution: `parse` types plain scalars itself (text, null
    and booleans only), so matching every scalar against YAML's number and date patterns
    (a fifth of the time spent loading a month) is skipped."""

    def resolve(self, kind, value, implicit):  # type: ignore[no-untyped-def]
        return _TAGS[kind]


MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_PLAIN_TYPED = {
    **dict.fromkeys(_NULLS),
    **dict.fromkeys(_TRUE, True),
    **dict.fromkeys(_FALSE, False),
}

# Characters that XML 1.0 (and so Word) cannot hold, plus lone surrogates and non-characters,
# and a carriage return (only a "\r" escape can put one in a value), which XML reads back as
# a line break.
_BAD_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_MOBILE = re.compile(r"(?<![\d])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![\d])")
_LANDLINE = re.compile(r"(?<![\d-])0\d{2,3}-\d{7,8}(?![\d])|(?<![\d])0\d{9,11}(?![\d])")
_ID_CARD = re.compile(r"(?<![\dA-Za-z])\d{6}(?:18|19|20)\d{2}[01]\d[0-3]\d{4}[\dXx](?![\dA-Za-z])")
# What git writes into a file it could not merge, at the start of a line (|||||||: diff3 style).
_CONFLICT = re.compile(r"^(<{7}|\|{7}|={7}|>{7})(?=\s|$)", re.MULTILINE)
_CONFLICT_IN_TEXT = re.compile(r"^\s*(<{7}|>{7})(?=\s|$)", re.MULTILINE)
_KEY_FULLWIDTH = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*：")
_KEY_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):(?![\s/]|$)")


@dataclass
class Located:
    """A file's value and the line of every value in it, keyed by its path of keys/indexes."""

    value: Any
    lines: dict[Path_, int]
    # The line after the | or > of each block scalar (`body: |`): where its text starts.
    blocks: dict[Path_, int] = field(default_factory=dict)

    def text_line(self, path: Path_, text: str) -> int:
        """The line where the text of the value at `path` begins once stripped (the first
        line that is not blank of a `body: |` block), `text` being the value as read."""
        start = self.blocks.get(tuple(path))
        if start is None:
            return self.line(path)
        return start + text[: len(text) - len(text.lstrip())].count("\n")

    def line(self, path: Path_) -> int:
        """Line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class YamlProblems(Exception):
    """Raised with the problems found while reading one file. When they are all slips whose
    meaning is plain (`town:北滘镇`), `located` holds the file read as meant, so that the
    rest of it is still checked."""

    def __init__(self, problems: list[Problem], located: Located | None = None):
        super().__init__(len(problems))
        self.problems = problems
        self.located = located


def read_text(path: Path) -> str:
    """Return the file's text, refusing files that are too large or not UTF-8."""

    def fail(message: Msg, line: int = 0, hint: Msg | None = None) -> YamlProblems:
        return YamlProblems([Problem(path, line, "", message, hint)])

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise fail(Msg("file_too_large", {"size": size, "limit": MAX_BYTES}))
        data = path.read_bytes()
    except OSError as exc:
        raise fail(Msg("file_unreadable", {"reason": exc.strerror or str(exc)})) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail(Msg("encoding_utf16"), 1, Msg("hint_save_utf8"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        if len(data) > 1 and data[1::2].count(0) > len(data) // 4:
            raise fail(Msg("encoding_utf16"), 1, Msg("hint_save_utf8")) from None
        try:
            data.decode("gb18030")
            message = Msg("encoding_gbk")
        except UnicodeDecodeError:
            message = Msg("encoding_other", {"byte": data[exc.start], "column": column})
        raise fail(message, line, Msg("hint_save_utf8")) from None


def _lint_lines(path: Path, text: str) -> list[Problem]:
    """Catch typing slips that YAML would silently read as text."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith("#"):
            continue
        if m := _KEY_FULLWIDTH.match(line):
            key = m.group(1)
            problems.append(
                Problem(
                    path,
                    number,
                    key,
                    Msg("yaml_fullwidth_colon", {"key": key}),
                    Msg("hint_fullwidth_colon", {"key": key}),
                )
            )
        elif (m := _KEY_NO_SPACE.match(line)) and not stripped.startswith(("'", '"')):
            key = m.group(1)
            problems.append(
                Problem(
                    path,
                    number,
                    key,
                    Msg("yaml_colon_space", {"key": key}),
                    Msg("hint_colon_space", {"key": key}),
                )
            )
    return problems


_INDENT = re.compile(r"[ \t-]*")  # a line's indentation with its list dashes


def _syntax_problem(path: Path, text: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 0
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    bad_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    # A tab in the indentation or after a list's dash (`-<Tab>date: …`, typed with the Tab key)
    if "\t" in _INDENT.match(bad_line).group() or "\\t" in problem:
        return Problem(path, line, "", Msg("yaml_tab"), Msg("hint_tab"))
    if "escape" in problem:
        return Problem(path, line, "", Msg("yaml_bad_escape"), Msg("hint_bad_char"))
    if "quoted scalar" in context:
        start = getattr(exc, "context_mark", None)
        line = start.line + 1 if start is not None else line
        return Problem(path, line, "", Msg("yaml_unclosed_quote"), Msg("hint_unclosed_quote"))
    closed = _after_closing(bad_line, mark.column) if mark is not None else None
    if problem in _AFTER_CLOSING and closed is not None:
        return Problem(path, line, "", Msg(closed[0]), Msg(closed[1]))
    if problem == "but found another document":  # after "expected a single document"
        return Problem(path, line, "", Msg("yaml_multi_doc"))
    if problem in _COLON_PROBLEMS and (slip := _line_without_colon(text, line)):
        number, key = slip
        return Problem(
            path,
            number,
            "",
            Msg("yaml_missing_colon", {"key": key}),
            Msg("hint_colon_space", {"key": key}),
        )
    if problem in _PROBLEMS:
        key, hint = _PROBLEMS[problem]
        start = getattr(exc, "context_mark", None)
        if key in ("yaml_open_bracket", "yaml_open_brace") and start is not None:
            line = start.line + 1  # where the [ or { was opened
        return Problem(path, line, "", Msg(key), Msg(hint) if hint else None)
    column = f" (column {mark.column + 1})" if mark is not None else ""
    return Problem(path, line, "", Msg("yaml_syntax", {"problem": problem + column}))


# libyaml's problem texts (a small fixed set in its scanner and parser) -> message, hint.
_PROBLEMS: dict[str, tuple[str, str | None]] = {
    "mapping values are not allowed in this context": ("yaml_colon_here", "hint_quote_colon"),
    "could not find expected ':'": ("yaml_no_colon", "hint_no_colon"),
    "did not find expected '-' indicator": ("yaml_list_indent", "hint_indent"),
    "did not find expected key": ("yaml_key_indent", "hint_indent"),
    "did not find expected ',' or ']'": ("yaml_open_bracket", "hint_close_bracket"),
    "did not find expected ',' or '}'": ("yaml_open_brace", "hint_close_brace"),
    "found character that cannot start any token": ("yaml_reserved_char", "hint_quote_value"),
    "block sequence entries are not allowed in this context": ("yaml_dash_here", "hint_indent"),
    "did not find expected node content": ("yaml_no_value", None),
    "found undefined alias": ("yaml_alias", "hint_alias"),
}
# Problems that a missing colon on an earlier line causes: the parser notices it later.
_COLON_PROBLEMS = ("mapping values are not allowed in this context", "could not find expected ':'")
_KEY_WITHOUT_COLON = re.compile(r"\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s+[^\s:#][^:]*")


# What libyaml says when a quoted value, or a list or mapping in brackets, is followed by more
# text (`name: "黄小姐" 民众镇`, `topics: [婚恋, 家庭] 其他`).
_AFTER_CLOSING = (
    "did not find expected key",
    "did not find expected '-' indicator",
    "did not find expected ',' or '}'",
    "did not find expected ',' or ']'",
)


# What closes a value, and the message and hint for text after it.
_CLOSINGS = {
    '"': ("yaml_after_quote", "hint_after_quote"),
    "'": ("yaml_after_quote", "hint_after_quote"),
    "]": ("yaml_after_bracket", "hint_after_bracket"),
    "}": ("yaml_after_brace", "hint_after_brace"),
}


def _after_closing(line: str, column: int) -> tuple[str, str] | None:
    """The message and hint when the text at `column` of `line` follows a closing quotation
    mark, a list's `]` or a record's `}`; None otherwise."""
    before = line[:column].rstrip()
    if not before or not line[column:].strip():
        return None
    return _CLOSINGS.get(before[-1])


def _line_without_colon(text: str, line: int) -> tuple[int, str] | None:
    """The line, at or above `line`, that starts with a field name and a value but no colon
    (`- date 2026-12-04`), and the field name; None when there is no such line."""
    lines = text.splitlines()
    for number in range(min(line, len(lines)), 0, -1):
        content = lines[number - 1].split(" #")[0].rstrip()
        if not content.strip() or content.lstrip().startswith("#"):
            continue
        if m := _KEY_WITHOUT_COLON.fullmatch(content):
            return number, m.group(1)
        if number < line:
            return None
    return None


# What each check in `check_text` needs before it can find anything, in one pattern: a
# character Word cannot hold, seven digits in a row (a landline, an ID card), or two groups of
# four digits with at most one character between them (a mobile number: 138-1234-5678), or
# seven < or > (a conflict marker). A value without any of them is proved clean by one search;
# tests/test_yamlfile.py checks that the two agree.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]|\\d{7}|\\d{4}\\D?\\d{4}|<{7}|>{7}"
)


def check_text(value: str) -> tuple[str, dict[str, object], str] | None:
    """Return (message key, params, hint key) if `value` holds unprintable or private data."""
    if not _SUSPECT.search(value):
        return None
    return _check_suspect(value)


def _check_suspect(value: str) -> tuple[str, dict[str, object], str] | None:
    """`check_text` without the pre-check: each problem's own pattern."""
    if ("<<<<<<<" in value or ">>>>>>>" in value) and (m := _CONFLICT_IN_TEXT.search(value)):
        return "merge_conflict", {"marker": m.group(1)}, "hint_merge_conflict"
    if m := _BAD_CHARS.search(value):
        char = m.group(0)
        code = f"U+{ord(char):04X}"
        return "bad_char", {"char": code, "pos": m.start() + 1}, "hint_bad_char"
    if m := _ID_CARD.search(value):
        return "id_number", {"value": m.group(0)}, "hint_private"
    if m := (_MOBILE.search(value) or _LANDLINE.search(value)):
        return "phone_number", {"value": m.group(0)}, "hint_private"
    return None


def conflict_markers(path: Path, text: str) -> list[Problem]:
    """A problem for each git merge-conflict marker line: both versions would be printed."""
    return [
        Problem(
            path,
            text.count("\n", 0, m.start()) + 1,
            "",
            Msg("merge_conflict", {"marker": m.group(1)}),
            Msg("hint_merge_conflict"),
        )
        for m in _CONFLICT.finditer(text)
    ]


def _anchors(path: Path, text: str) -> list[Problem]:
    """An anchor (&name) is refused even without an alias: the README promises it, and a
    copied value that silently stops being shared would surprise."""
    try:
        events = [e for e in yaml.parse(text, Loader=_Loader) if getattr(e, "anchor", None)]
    except yaml.YAMLError:
        return []  # compose reports the syntax error
    return [
        Problem(
            path,
            e.start_mark.line + 1,
            "",
            Msg("yaml_anchor", {"name": e.anchor}),
            Msg("hint_alias"),
        )
        for e in events
        if not isinstance(e, yaml.AliasEvent)
    ]


def parse(path: Path, text: str) -> Located:
    """Parse `text` (the content of `path`) into plain values with line numbers. A file
    with merge-conflict markers is reported for them alone: anything else is noise."""
    if problems := conflict_markers(path, text):
        raise YamlProblems(problems)
    problems = _lint_lines(path, text)
    slips = bool(problems)  # only colon slips so far: read the file as they meant it
    text = _as_meant(text, problems)
    if _UNREADABLE.search(text):
        text, unreadable = _unreadable(path, text)
        problems += unreadable
    problems += _anchors(path, text) if "&" in text else []
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise YamlProblems([*problems, _syntax_problem(path, text, exc)]) from None
    if root is None:
        if problems:
            raise YamlProblems(problems)
        return Located(None, {})
    if not problems:  # most files: nothing for the careful walk below to report
        try:
            return Located(*_plain(root))
        except _Unusual:
            pass
    value, lines, blocks = _careful(path, root, problems)
    if problems:
        meant = slips and all(p.message.key in _COLON_SLIPS for p in problems)
        raise YamlProblems(problems, Located(value, lines, blocks) if meant else None)
    return Located(value, lines, blocks)


# The characters YAML refuses to read anywhere in a file (control characters, a lone
# surrogate, U+FFFE/U+FFFF): pasted from WeChat or a web page into a long text.
_UNREADABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _unreadable(path: Path, text: str) -> tuple[str, list[Problem]]:
    """Each character YAML cannot read, on its own line and column, and `text` with each
    replaced by a space, so that the rest of the file is read and its problems found too."""
    problems = []
    for m in _UNREADABLE.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        line = text.count("\n", 0, start) + 1
        code = f"U+{ord(m.group(0)):04X}"
        problems.append(
            Problem(
                path,
                line,
                "",
                Msg("bad_char", {"char": code, "pos": m.start() - start + 1}),
                Msg("hint_bad_char"),
            )
        )
    return _UNREADABLE.sub(" ", text), problems


# The slips of `_lint_lines`, each reported on its own line; the file is then read as meant.
_COLON_SLIPS = ("yaml_fullwidth_colon", "yaml_colon_space")


def _as_meant(text: str, slips: list[Problem]) -> str:
    """`text` with each colon slip of `_lint_lines` written as meant (`town: 北滘镇`), so
    that the slip is not also a syntax error on a later line and the file's other
    problems are found."""
    if not slips:
        return text
    lines = text.splitlines(keepends=True)  # numbered as `_lint_lines` numbers them
    for slip in slips:
        line = lines[slip.line - 1]
        m = (_KEY_FULLWIDTH if slip.message.key == "yaml_fullwidth_colon" else _KEY_NO_SPACE).match(
            line
        )
        if m:
            key_end = m.end(1)
            # after the colon, either kind, and whatever space the pattern's \s took before it
            # (an input method types U+3000)
            rest = line[key_end:].lstrip()[1:]
            # and the spaces after it, the input method's too, but not the line's end
            lines[slip.line - 1] = line[:key_end] + ": " + rest.lstrip(" \t\u3000")
    return "".join(lines)


class _Unusual(Exception):
    """What `_plain` raises at anything that `_careful` must look at."""


def _typed(node: yaml.ScalarNode) -> Any:
    """A scalar's value: text as typed, but a plain null or boolean typed (see the module's
    docstring)."""
    if node.style:  # quoted or a block: text as typed
        return node.value
    return _PLAIN_TYPED.get(node.value, node.value)  # plain: only null and booleans typed


def _scalar(node: yaml.ScalarNode) -> Any:
    """A scalar's value (_typed); _Unusual if `check_text` finds anything in its text."""
    value = _typed(node)
    if value.__class__ is str and _SUSPECT.search(value) and _check_suspect(value):
        raise _Unusual
    return value


def _plain(root: yaml.Node) -> tuple[Any, dict[Path_, int], dict[Path_, int]]:
    """The fast walk over a file without problems: the same values and lines as `_careful`,
    or _Unusual at the first thing it would report (or that might be: a value deeper than
    MAX_DEPTH - 1). It skips the alias check: `parse` calls it only when the file has no
    anchor, and an alias needs one."""
    lines: dict[Path_, int] = {(): root.start_mark.line + 1}
    blocks: dict[Path_, int] = {}
    value = _scalar(root) if root.__class__ is _SCALAR else _walk(root, (), 0, lines, blocks)
    return value, lines, blocks


# Module functions, not closures: a recursive closure refers to itself through its cell, and
# that cycle would hold what it fills (`lines`: a tuple for every value of the file, which
# the month keeps) until the cycle collector finds it, long after the month is dropped.
_SCALAR, _MAPPING, _SEQUENCE = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode


def _walk(
    node: yaml.Node, at: Path_, depth: int, lines: dict[Path_, int], blocks: dict[Path_, int]
) -> Any:
    """`_plain`'s walk of `node`, at `at` in the file, filling `lines` and `blocks`."""
    if depth >= MAX_DEPTH:
        raise _Unusual
    if node.__class__ is _MAPPING:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not _SCALAR:
                raise _Unusual
            key = key_node.value
            if key in result:
                raise _Unusual
            key_at = (*at, key)
            if value_node.__class__ is _SCALAR:
                result[key] = _scalar(value_node)
                if value_node.style in _BLOCK_STYLES:
                    blocks[key_at] = value_node.start_mark.line + 2
            else:
                result[key] = _walk(value_node, key_at, depth + 1, lines, blocks)
            lines[key_at] = key_node.start_mark.line + 1
        return result
    if node.__class__ is _SEQUENCE:
        items = []
        for i, item in enumerate(node.value):
            item_at = (*at, i)
            lines[item_at] = item.start_mark.line + 1
            if item.__class__ is _SCALAR:
                items.append(_scalar(item))
                if item.style in _BLOCK_STYLES:
                    blocks[item_at] = item.start_mark.line + 2
            else:
                items.append(_walk(item, item_at, depth + 1, lines, blocks))
        return items
    raise _Unusual


_BLOCK_STYLES = ("|", ">")


def _careful(
    path: Path, root: yaml.Node, problems: list[Problem]
) -> tuple[Any, dict[Path_, int], dict[Path_, int]]:
    """Values, lines and block scalars' first lines of the file at `path`, adding to
    `problems` every alias, value too deep, key that is not text, duplicate key and text that
    `check_text` refuses (on its own line within a `body: |` block)."""
    lines: dict[Path_, int] = {}
    blocks: dict[Path_, int] = {}
    seen: set[int] = set()

    return _build(root, (), 0, path, problems, (lines, blocks, seen)), lines, blocks


def _build(
    node: yaml.Node,
    at: Path_,
    depth: int,
    path: Path,
    problems: list[Problem],
    state: tuple[dict[Path_, int], dict[Path_, int], set[int]],
) -> Any:
    """`_careful`'s walk of `node`, at `at` in the file; `state` holds its lines, blocks and
    the nodes seen (a module function for the reason given above `_walk`)."""
    lines, blocks, seen = state
    line = node.start_mark.line + 1
    if id(node) in seen:
        problems.append(Problem(path, line, field_path(at), Msg("yaml_alias"), Msg("hint_alias")))
        return None
    seen.add(id(node))
    lines[at] = line
    if depth > MAX_DEPTH:
        problems.append(Problem(path, line, field_path(at), Msg("yaml_too_deep")))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(path, key_line, field_path(at), Msg("yaml_key_type")))
                continue
            key = key_node.value
            if key in first:
                problems.append(
                    Problem(
                        path,
                        key_line,
                        field_path((*at, key)),
                        Msg("yaml_duplicate_key", {"key": key, "first": first[key]}),
                    )
                )
                continue
            first[key] = key_line
            result[key] = _build(value_node, (*at, key), depth + 1, path, problems, state)
            lines[(*at, key)] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*at, i), depth + 1, path, problems, state)
            for i, item in enumerate(node.value)
        ]
    value = _typed(node)
    if node.style in _BLOCK_STYLES:
        blocks[at] = line + 1
    if isinstance(value, str) and (found := check_text(value)):
        key, params, hint = found
        if node.style in _BLOCK_STYLES:  # one line of the block: the line it is on
            line += 1 + value[: _position(value, params)].count("\n")
        problems.append(Problem(path, line, field_path(at), Msg(key, params), Msg(hint)))
    return value


def _position(value: str, params: dict[str, object]) -> int:
    """Where in the block `value` the problem that `check_text` found first is: the conflict
    marker, or the phone or ID number. (No control character is left in a block: reading
    the file replaced each with a space and reported it, `_unreadable`.)"""
    return value.find(str(params["marker"] if "marker" in params else params["value"]))


def load(path: Path) -> Located:
    """Read and parse one YAML file; raises YamlProblems."""
    return parse(path, read_text(path))
