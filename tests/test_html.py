"""The HTML edition: the Word document's content in its order, as one self-contained page
that the WeChat article editor keeps as it is (inline styles only, no scripts, classes,
ids or external addresses, pictures as data URIs), and the notes when it is too long."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from bulletin import html
from bulletin.models import YearMonth
from bulletin.pipeline import build_html
from tests.docx_text import lines
from tests.html_text import read
from tests.test_cli import run

ARTICLE = """\
articles:
  - section: 项目快讯
    title: 爱心义剪
    body: 活动当天，社工为职工义剪。
    images:
      - {path: images/photo.jpg, caption: 义剪现场}
"""


@pytest.fixture(scope="module")
def example_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.conftest import EXAMPLE

    out = tmp_path_factory.mktemp("html") / "2020-02.html"
    assert build_html(EXAMPLE, YearMonth(2020, 2), out) == []
    return out.read_text(encoding="utf-8")


def _squeeze(texts: list[str]) -> list[str]:
    # Word breaks some table headers and cells at chosen places; the words are the same.
    return [re.sub(r"\s+", "", text) for text in texts]


def test_the_html_edition_has_the_documents_content_in_its_order(
    example_html: str, built_example: Path
) -> None:
    assert _squeeze(read(example_html).lines) == _squeeze(lines(built_example))


def test_the_html_edition_has_the_sections_and_rows_of_the_reference(example_html: str) -> None:
    found = read(example_html).lines
    headings = [line for line in found if line.startswith("◎")]
    assert headings[-7:] == [
        "◎ 本月速览 ◎",
        "◎ 项目快讯 ◎",
        "◎ 职工关爱服务 ◎",
        "◎ 职工服务站 ◎",
        "◎ 心理咨询服务 ◎",
        "◎ 服务汇总 ◎",
        "◎ 服务预告 ◎",
    ]
    visits = [line for line in found if re.fullmatch(r"\d+\t2月\d+日\t\w+\t\w+镇\t电访", line)]
    assert visits[0] == "1\t2月25日\t黄小姐\t民众镇\t电访"
    assert visits[-1] == "14\t2月28日\t张先生\t三乡镇\t电访"
    assert len(visits) == 14
    wishes = [line.split("\t")[1] for line in found if re.match(r"\d\t\w女士|\d\t\w先生", line)]
    assert wishes == ["梁女士", "郭女士", "邱女士", "梁女士", "伍女士", "欧女士", "周先生"]


def test_the_html_edition_is_what_the_wechat_editor_keeps(example_html: str) -> None:
    tags = read(example_html).tags
    assert not [t for t, _ in tags if t in ("script", "style", "link", "iframe")]
    assert not [(t, a) for t, a in tags if "class" in a or "id" in a]
    body = [(t, a) for t, a in tags if t not in ("html", "head", "meta", "title", "br")]
    assert [(t, a) for t, a in body if t != "tr" and not a.get("style")] == []
    assert not re.search(r"(?i)(https?:|//)[\w.-]+\.", example_html)
    assert not re.search(r"(?i)(src|href)=\"(?!data:)", example_html)
    page = next(a["style"] for t, a in tags if t == "section")
    assert "PingFang SC" in page and "Noto Sans CJK SC" in page
    assert "font-size:16px" in page and "line-height:1.75" in page


def test_pictures_are_embedded_scaled(small, tmp_path: Path) -> None:
    # A service, so the month has a record (a month without any is warned about).
    events = "services:\n  - {name: 心理咨询, place: 心灵港湾}\n"
    data = small({"2020-02": {"articles.yaml": ARTICLE, "events.yaml": events}})
    photo = data / "2020-02" / "images" / "photo.jpg"
    photo.parent.mkdir()
    Image.effect_noise((4000, 3000), 60).convert("RGB").save(photo, "JPEG", dpi=(72, 72))
    out = tmp_path / "b.html"

    result = run("build", "2020-02", "--html", "-o", str(out), "--data", str(data))

    assert (result.exit_code, result.output) == (0, f"wrote {out}\n")
    page = out.read_text(encoding="utf-8")
    (img,) = [a for t, a in read(page).tags if t == "img"]
    assert img["alt"] == "义剪现场"
    assert img["src"].startswith("data:image/jpeg;base64,")
    embedded = Image.open(io.BytesIO(base64.b64decode(img["src"].split(",", 1)[1])))
    assert max(embedded.size) < 1300  # prepared by the picture step, not the 12 MP original
    assert "max-width:100%" in img["style"]
    assert "义剪现场" in read(page).lines


def test_build_html_by_default_writes_build_month_html(example: Path, tmp_path: Path) -> None:
    result = run("build", "2020-02", "--html", cwd=example.parent)
    assert (result.exit_code, result.output) == (0, "wrote build/2020-02.html\n")
    assert "◎ 本月速览 ◎" in (tmp_path / "build" / "2020-02.html").read_text(encoding="utf-8")


def test_an_html_name_makes_the_html_edition(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "微信.html"
    result = run("build", "2020-02", "-o", str(out), "--data", str(example))
    assert (result.exit_code, result.output) == (0, f"wrote {out}\n")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("lang", "args", "message"),
    [
        (
            "en",
            ["--pdf"],
            "--html and --pdf cannot be used together: the HTML edition is a "
            "web page, build the .docx for a PDF",
        ),
        ("zh", ["--pdf"], "--html 与 --pdf 不能同时使用：网页版是网页，要 PDF 请生成 .docx"),
        ("en", ["-o", "{tmp}/x.docx"], "-o {tmp}/x.docx: the HTML edition is written as .html"),
        ("zh", ["-o", "{tmp}/x.docx"], "-o {tmp}/x.docx：网页版只能保存为 .html"),
    ],
)
def test_html_usage_errors(example: Path, tmp_path: Path, lang, args, message) -> None:
    args = [a.format(tmp=tmp_path) for a in args]
    result = run("--lang", lang, "build", "2020-02", "--html", *args, "--data", str(example))
    assert (result.exit_code, result.output) == (2, message.format(tmp=tmp_path) + "\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_bad_data_writes_no_html(example: Path, tmp_path: Path) -> None:
    visits = example / "2020-02" / "visits.yaml"
    visits.write_text(visits.read_text(encoding="utf-8").replace("民众镇", "民众乡", 1), "utf-8")
    out = tmp_path / "b.html"
    result = run("build", "2020-02", "--html", "-o", str(out), "--data", str(example))
    assert result.exit_code == 1
    assert "民众乡" in result.output and "visits.yaml:" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("lang", "long", "big"),
    [
        (
            "en",
            "note: the HTML edition has {chars} characters; a WeChat article takes fewer than "
            "20000: shorten the month's articles or publish it as two articles",
            "note: the HTML edition is {size} MB; a WeChat article takes less than 1 MB: use "
            "fewer or smaller pictures",
        ),
        (
            "zh",
            "注意：网页版共 {chars} 字，微信公众号文章须少于 20000 字：请精简本月文章，或分成两篇发布",
            "注意：网页版大小为 {size} MB，微信公众号文章须小于 1 MB：请减少或缩小图片",
        ),
    ],
)
def test_a_month_too_long_for_wechat_is_noted(
    example: Path, tmp_path: Path, monkeypatch, lang, long, big
) -> None:
    # The example is well within the limits; lower them rather than write 20,000 characters.
    monkeypatch.setattr(html, "WECHAT_MAX_CHARS", 1000)
    monkeypatch.setattr(html, "WECHAT_MAX_BYTES", 10_000)
    out = tmp_path / "b.html"
    result = run(
        "--lang", lang, "build", "2020-02", "--html", "-o", str(out), "--data", str(example)
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    chars, size = html.text_length(page), len(page.encode("utf-8")) / 1e6
    assert 5000 < chars < 20_000
    assert result.output.splitlines() == [
        long.format(chars=chars).replace("20000", "1000"),
        big.format(size=f"{size:.1f}").replace(" 1 MB", " 0.01 MB"),
        f"wrote {out}" if lang == "en" else f"已生成 {out}",
    ]


def test_the_optional_progress_table_is_in_the_html_edition_too(example: Path, tmp_path) -> None:
    project = example / "project.yaml"
    project.write_text(project.read_text("utf-8") + "progress_table: true\n", "utf-8")
    for name in ("b.docx", "b.html"):
        result = run("build", "2020-02", "--data", str(example), "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    found = read((tmp_path / "b.html").read_text(encoding="utf-8")).lines
    assert _squeeze(found) == _squeeze(lines(tmp_path / "b.docx"))
    assert "1\t困难职工探访 不少于 200 户次\t200\t14\t7%\t滞后" in found


def test_a_centre_restyles_the_html_edition_from_its_templates_folder(
    example: Path, tmp_path: Path
) -> None:
    from bulletin.template_search import builtin_templates

    project = example / "project.yaml"
    project.write_text(project.read_text("utf-8") + "templates: templates\n", "utf-8")
    own = example / "templates"
    own.mkdir()
    builtin = (builtin_templates() / html.HTML_TEMPLATE).read_text(encoding="utf-8")
    (own / html.HTML_TEMPLATE).write_text(builtin.replace('"#c00000"', '"#005bac"'), "utf-8")
    out = tmp_path / "b.html"
    assert run("build", "2020-02", "-o", str(out), "--data", str(example)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "color:#005bac" in page and "#c00000" not in page


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("<p>\n{{ no_such_name }}</p>\n", 2, "'no_such_name' is undefined"),
        ("<p>\n\n<b>{{ project.name ! }}</b>\n</p>\n", 3, "unexpected char '!' at 24"),
        (
            "<p>\n{% for a in articles %}\n{{ a.title }}\n</p>\n",
            3,  # where Jinja finds that the template ends
            "Unexpected end of template. Jinja was looking for the following tags: 'endfor' or "
            "'else'. The innermost block that needs to be closed is 'for'.",
        ),
    ],
)
def test_a_broken_html_template_is_located(
    example: Path, tmp_path: Path, text: str, line: int, reason: str
) -> None:
    """A centre's HTML template with a mistake: its file and the line of the mistake."""
    project = example / "project.yaml"
    project.write_text(project.read_text("utf-8") + "templates: templates\n", "utf-8")
    (example / "templates").mkdir()
    broken = example / "templates" / html.HTML_TEMPLATE
    broken.write_text(text, "utf-8")
    out = tmp_path / "b.html"
    result = run("build", "2020-02", "-o", str(out), "--data", str(example))
    assert (result.exit_code, result.output) == (
        1,
        f"{broken}:{line}: the HTML template cannot be used: {reason}\n",
    )
    assert sorted(tmp_path.iterdir()) == [example]  # nothing written beside the data


def test_a_month_without_records_reads_the_same_in_both_editions(small, tmp_path: Path) -> None:
    data = small({"2020-03": {}})
    for name in ("b.docx", "b.html"):
        result = run("build", "2020-03", "--data", str(data), "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    found = read((tmp_path / "b.html").read_text(encoding="utf-8")).lines
    assert _squeeze(found) == _squeeze(lines(tmp_path / "b.docx"))
    assert "中山市工会社工综合服务中心3月份没有活动和服务记录。" in found
    assert not [line for line in found if line.startswith("序号")]  # no empty table
