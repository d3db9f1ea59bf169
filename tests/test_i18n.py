"""The message catalogues: both languages complete, compiled, and exactly what the code uses."""

from __future__ import annotations

import ast
import gettext
import io
import string
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bulletin.errors import DataError, Msg, Problem
from bulletin.i18n import DOMAIN, LOCALE_DIR, LOCALES, t

PACKAGE = Path(__file__).resolve().parents[1] / "bulletin"


def _po(lang: str):
    path = LOCALE_DIR / LOCALES[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        return read_po(f)


def _texts(lang: str) -> dict[str, tuple[str, ...]]:
    """key -> its msgstr (all plural forms) in `lang`."""
    out = {}
    for message in _po(lang):
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        out[key] = tuple(strings)
    return out


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    en, zh = _texts("en"), _texts("zh")
    assert sorted(en) == sorted(zh)
    for key in en:
        assert all(en[key]) and all(zh[key]), key
        wanted = _placeholders(en[key][0])
        for text in (*en[key], *zh[key]):
            assert _placeholders(text) == wanted, (key, text)


@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_compiled_catalogue_matches_its_source(lang: str) -> None:
    """The shipped .mo holds exactly what its .po says (recompile after editing a .po)."""
    compiled = io.BytesIO()
    write_mo(compiled, _po(lang))
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    path = LOCALE_DIR / LOCALES[lang] / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as f:
        shipped = gettext.GNUTranslations(f)
    fresh_entries = {k: v for k, v in fresh._catalog.items() if k != ""}
    shipped_entries = {k: v for k, v in shipped._catalog.items() if k != ""}
    assert shipped_entries == fresh_entries, f"run: pybabel compile -d {LOCALE_DIR} -D {DOMAIN}"


def _literal_keys() -> tuple[set[str], set[str]]:
    """(every string literal in the package, the first argument of each Msg, t or
    models.problem call that is a literal)."""
    literals, named = set(), set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                first = node.args[0]
                if name in ("Msg", "t", "problem") and isinstance(first, ast.Constant):
                    named.add(first.value)
    return literals, named


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    _, named = _literal_keys()
    assert named - set(_texts("en")) == set()


def test_every_key_in_the_catalogue_is_used() -> None:
    literals, _ = _literal_keys()
    assert set(_texts("en")) - literals == set()


def test_unknown_key_is_an_error_not_a_silent_key() -> None:
    with pytest.raises(KeyError):
        t("no_such_message", "en")


@pytest.mark.parametrize(
    ("errors", "files", "en", "zh"),
    [
        (1, 1, "1 error in 1 file", "1 个文件中共有 1 处错误"),
        (2, 1, "2 errors in 1 file", "1 个文件中共有 2 处错误"),
        (3, 2, "3 errors in 2 files", "2 个文件中共有 3 处错误"),
    ],
)
def test_error_count_in_plural_forms(errors: int, files: int, en: str, zh: str) -> None:
    problems = [
        Problem(Path(f"f{i % files}.yaml"), i + 1, "x", Msg("missing")) for i in range(errors)
    ]
    error = DataError(problems)
    assert error.lines("en")[-1] == en
    assert error.lines("zh")[-1] == zh


def _given_values() -> list[tuple[str, set[str], str]]:
    """(key, the value names given, where) for each Msg/t call whose key and values are
    written out (Msg("k", {"a": ...}) or t("k", lang, a=...))."""
    calls = []
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if not node.args or not isinstance(node.args[0], ast.Constant):
                continue
            where = f"{path.name}:{node.lineno}"
            if node.func.id == "Msg":
                values = node.args[1] if len(node.args) > 1 else None
                if values is None:
                    calls.append((node.args[0].value, set(), where))
                elif isinstance(values, ast.Dict) and None not in values.keys:
                    names = {k.value for k in values.keys if isinstance(k, ast.Constant)}
                    calls.append((node.args[0].value, names, where))
            elif node.func.id == "t" and all(k.arg for k in node.keywords):
                calls.append((node.args[0].value, {k.arg for k in node.keywords}, where))
    return calls


def test_every_message_is_given_the_values_it_shows() -> None:
    texts = _texts("en")
    for key, names, where in _given_values():
        if key in texts:
            assert _placeholders(texts[key][0]) <= names, (where, key, names)
