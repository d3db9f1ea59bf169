"""The Chinese user guide: the pictures it shows exist and are the ones the script makes,
the two READMEs link to each other, the commands it teaches exist, it covers everything a
centre does, and every guide section a message cites is a heading of the guide in the
message's language."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import typer
from babel.messages.pofile import read_po

from bulletin.cli import app
from bulletin.i18n import DOMAIN, LOCALE_DIR, LOCALES
from bulletin.loader import load_month, load_project, parse_month
from bulletin.prose import namespace
from bulletin.summary import summarize
from bulletin.wording import load_wording

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "README.zh-CN.md"
GUIDES = {"en": REPO / "README.md", "zh": GUIDE}
# How a message of each language cites a section of its guide, and words that mean a message
# is citing one (so that a citation written another way fails the test instead of escaping it).
CITATION = {
    "en": re.compile(r"README, (?:section ([A-Z][\w ]*\w)|'([^']+)')"),
    "zh": re.compile(r"《使用指南》的“([^”]+)”一节"),
}
MENTION = {"en": re.compile(r"README"), "zh": re.compile(r"README|使用指南|一节")}


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_guide_images", REPO / "tools/make_guide_images.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_picture_the_guide_shows_exists_and_is_small() -> None:
    shown = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert shown, "the guide shows the bulletin's pages"
    for ref in shown:
        picture = REPO / ref
        assert picture.is_file(), f"{ref} is missing: run python tools/make_guide_images.py"
        data = picture.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 60_000, ref


def test_the_guide_shows_what_the_script_makes() -> None:
    made = {f"docs/images/{name}" for name in _script().PAGES}
    shown = set(re.findall(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8")))
    assert shown == made


def test_the_readmes_link_to_each_other_at_the_top() -> None:
    english = (REPO / "README.md").read_text(encoding="utf-8").splitlines()[:5]
    chinese = GUIDE.read_text(encoding="utf-8").splitlines()[:5]
    assert any("(README.zh-CN.md)" in line for line in english)
    assert any("(README.md)" in line for line in chinese)


def test_the_commands_the_guide_teaches_exist() -> None:
    group = typer.main.get_command(app)
    taught = set(re.findall(r"\bbulletin ([a-z]+)\b", GUIDE.read_text(encoding="utf-8")))
    everything = {"init", "new", "check", "build", "stats", "schema", "preview"}
    everything |= {"progress", "ledger", "report", "signin"}
    assert everything <= taught, everything - taught
    assert taught <= set(group.commands)
    options = {opt for cmd in group.commands.values() for p in cmd.params for opt in p.opts}
    used = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", GUIDE.read_text(encoding="utf-8")))
    pip_options = {"--user", "--pip-args", "--index-url", "--cask", "--no-deps", "--force"}
    pip_options |= {"--version", "--lang"}  # options of bulletin itself, before the command
    assert used - pip_options <= options, used - pip_options - options
    assert {"--explain", "--html", "--period", "--plan", "--by", "--chart"} <= used


def _outline(path: Path) -> list[tuple[int, str, list[str]]]:
    """A Markdown file's sections: (level, title, lines up to the next heading); a line in
    fenced code is never a heading."""
    sections: list[tuple[int, str, list[str]]] = [(0, "", [])]
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and (m := re.match(r"(#{1,6}) +(.+?) *$", line)):
            sections.append((len(m.group(1)), m.group(2), []))
        else:
            sections[-1][2].append(line)
    return sections


def _headings(path: Path) -> set[str]:
    return {title for level, title, _ in _outline(path) if level}


def _messages(lang: str) -> dict[str, list[str]]:
    """key -> every text of that key in `lang`'s catalogue (plural forms too)."""
    path = LOCALE_DIR / LOCALES[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        catalogue = read_po(f)
    out = {}
    for message in catalogue:
        if message.id:
            key = message.id[0] if isinstance(message.id, tuple | list) else message.id
            strings = (
                message.string if isinstance(message.string, tuple | list) else [message.string]
            )
            out[key] = list(strings)
    return out


@pytest.mark.parametrize(
    ("lang", "known"),
    [("en", {"Placeholders", "Contract indicators"}), ("zh", {"占位符", "合同指标"})],
)
def test_every_section_a_message_cites_is_a_heading_of_its_languages_guide(
    lang: str, known: set[str]
) -> None:
    headings = _headings(GUIDES[lang])
    cited: dict[str, set[str]] = {}
    for key, texts in _messages(lang).items():
        for text in texts:
            titles = (
                {a or b for a, b in CITATION[lang].findall(text)}
                if lang == "en"
                else set(CITATION[lang].findall(text))
            )
            if MENTION[lang].search(text):
                assert titles, f"{key}: cites the guide in a form the test does not know: {text}"
            if lang == "zh":
                assert "README" not in text, f"{key}: a Chinese message cites the English README"
            for title in titles:
                cited.setdefault(title, set()).add(key)
    assert known <= set(cited), cited  # the patterns still find the citations we know of
    missing = {title: keys for title, keys in cited.items() if title not in headings}
    assert not missing, f"cited by messages but no heading of {GUIDES[lang].name}: {missing}"


def test_the_chinese_guide_has_a_section_for_everything_a_centre_does() -> None:
    wanted = {
        "占位符",
        "网页版与实时预览",
        "统计（bulletin stats）",
        "数字从哪里来（--explain）",
        "合同指标",
        "指标进度（bulletin progress）",
        "服务台账（bulletin ledger）",
        "阶段报告（bulletin report）",
        "签到表（bulletin signin）",
        "表格文件可以放心打开",
    }
    assert wanted <= _headings(GUIDE), wanted - _headings(GUIDE)


def _section(title: str) -> str:
    """The text of the Chinese guide's section `title` with its subsections."""
    outline = _outline(GUIDE)
    start = next(i for i, (_, name, _) in enumerate(outline) if name == title)
    level, lines = outline[start][0], list(outline[start][2])
    for sub_level, name, sub_lines in outline[start + 1 :]:
        if sub_level <= level:
            break
        lines += [name, *sub_lines]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("title", "taught"),
    [
        (
            "统计（bulletin stats）",
            ["bulletin stats", "--by", "--format", "-o", "--plan", "--chart"],
        ),
        (
            "数字从哪里来（--explain）",
            ["--explain 服务人次", "--explain 覆盖镇区", "159 = 134 + 14 + 11"],
        ),
        ("合同指标", ["contract:", "indicators:", "figure:", "towns:", "kind:", "due"]),
        (
            "指标进度（bulletin progress）",
            ["bulletin progress", "应达", "进度", "已完成", "逾期未达", "超前", "正常", "滞后"],
        ),
        ("服务台账（bulletin ledger）", ["bulletin ledger", "--period", "--format csv"]),
        ("阶段报告（bulletin report）", ["bulletin report", "2020-Q1", "--pdf"]),
        (
            "签到表（bulletin signin）",
            ["bulletin signin 2020-03", "--rows", "signin.docx", "service:", "电话"],
        ),
        ("网页版与实时预览", ["--html", "bulletin preview", "127.0.0.1", "403", "Ctrl-C"]),
        ("表格文件可以放心打开", ["公式", "32,767", "CSV"]),
    ],
)
def test_each_section_teaches_its_command(title: str, taught: list[str]) -> None:
    section = _section(title)
    assert [word for word in taught if word not in section] == []


def test_the_placeholder_section_lists_every_placeholder() -> None:
    """Every name an article may cite (bulletin.prose.namespace, on the example's month) is in
    the guide's table, with an activity's id written 编号; the lists that would print as
    Python lists are left out, as their _text forms are there."""
    data = REPO / "data"
    project = load_project(data)
    wording = load_wording(project, data)
    ns = namespace(summarize(project, load_month(project, data, parse_month("2020-02"))), wording)
    names = []
    for key, value in ns.items():
        if key == "activity":
            names += [f"activity.编号.{sub}" for a in value.values() for sub in a if sub != "id"]
        elif isinstance(value, dict):
            names += [f"{key}.{sub}" for sub, v in value.items() if not isinstance(v, list)]
        elif not isinstance(value, list):
            names.append(key)
    assert "activity.编号.participants" in names and "visits.households" in names
    section = _section("占位符")
    assert sorted({name for name in names if f"`{name}`" not in section}) == []
