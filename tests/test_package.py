"""The package as installed from a wheel: the default templates and the message catalogues
travel inside it."""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx_text import lines

from bulletin.template_search import builtin_templates

REPO = Path(__file__).resolve().parents[1]


def test_builtin_templates_are_found() -> None:
    folder = builtin_templates()
    assert (folder / "bulletin.docx").is_file()
    assert (folder / "overview.txt.j2").is_file()
    assert (folder / "wording.yaml").is_file()
    assert (folder / "report.docx").is_file()
    assert (folder / "evidence.docx").is_file()
    assert (folder / "signin.docx").is_file()


def test_wheel_contains_the_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "bulletin/templates/bulletin.docx" in names
    assert "bulletin/templates/overview.txt.j2" in names
    assert "bulletin/templates/wording.yaml" in names
    assert "bulletin/templates/report.docx" in names
    assert "bulletin/templates/evidence.docx" in names
    assert "bulletin/templates/signin.docx" in names
    assert "bulletin/templates/project.yaml.j2" in names
    from bulletin.models import MONTH_FILES

    for name in MONTH_FILES:
        assert f"bulletin/templates/month/{name}.j2" in names
    assert "bulletin/cli.py" in names
    for locale in ("en", "zh_CN"):
        assert f"bulletin/locale/{locale}/LC_MESSAGES/bulletin.mo" in names


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bulletin", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("bulletin ")


def _package_imports() -> dict[str, set[str]]:
    """Each bulletin module and the bulletin modules it imports, anywhere in its body
    (lazy imports inside functions and TYPE_CHECKING blocks count too)."""
    import ast

    package = REPO / "bulletin"
    modules = {path.stem for path in package.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in package.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "bulletin":
                    found |= {a.name for a in node.names if a.name in modules}
                elif node.module.startswith("bulletin."):
                    found.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                found |= {
                    a.name.split(".")[1] for a in node.names if a.name.startswith("bulletin.")
                }
        graph[path.stem] = found - {path.stem}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, as the modules along it, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_package_has_no_import_cycle() -> None:
    graph = _package_imports()
    assert graph["pipeline"] >= {"render", "context", "template_search"}
    assert "pipeline" not in graph["render"]
    assert _cycle(graph) is None


def test_render_is_word_mechanics_only() -> None:
    """Every word the document prints comes from the context, never from the renderer."""
    import re

    for module in ("render", "wordtables", "ooxml"):
        source = (REPO / "bulletin" / f"{module}.py").read_text(encoding="utf-8")
        assert re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", source) == [], module
    # cache: compiled templates kept between runs, mechanics with no words of its own;
    # stamp: the document's date and its zip entries, shared with the workbooks; wordtables:
    # the tables' layout, whose words (name endings, 续) come from the context.
    assert _package_imports()["render"] <= {
        "context", "errors", "pictures", "cache", "stamp", "wordtables", "ooxml"
    }  # fmt: skip
    assert _package_imports()["wordtables"] <= {"ooxml"}
    assert _package_imports()["ooxml"] == set()
    assert _package_imports()["stamp"] <= {"errors", "models"}


# The modules that write the cross-month outputs: their words live in templates/wording.yaml
# (the report's phrases) and the message catalogues (headers, sheet names, labels).
OUTPUT_MODULES = (
    "stats", "progress", "ledger", "report", "explain", "records", "period", "plans", "tables",
    "ranges", "html", "context", "pipeline", "fastpath", "month_commands", "cli", "evidence",
    "scrub", "signin",
)  # fmt: skip
# Modules whose Chinese is their data by design, and why.
CHINESE_BY_DESIGN = {
    "figures": "the figure registry holds each figure's two names, the Chinese one accepted "
    "wherever a key is",
}
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _chinese_literals(path: Path) -> list[str]:
    """The string literals of a module that hold Chinese text, docstrings left out."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        f"{path.name}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and CHINESE.search(node.value)
    ]


def test_chinese_literals_are_found_outside_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""模块说明"""\n\ndef f():\n    """函数说明"""\n    return "、".join(["a", f"{1}月"])\n',
        encoding="utf-8",
    )
    assert _chinese_literals(module) == ["m.py:5: '、'", "m.py:5: '月'"]


@pytest.mark.parametrize("name", OUTPUT_MODULES)
def test_output_modules_hold_no_chinese_text(name: str) -> None:
    """Every word an output prints comes from wording.yaml or the catalogues; a Chinese
    docstring or comment is fine."""
    assert _chinese_literals(REPO / "bulletin" / f"{name}.py") == []


def test_the_modules_allowed_chinese_still_need_it() -> None:
    for name in CHINESE_BY_DESIGN:
        assert _chinese_literals(REPO / "bulletin" / f"{name}.py"), name


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from the working tree as `pip wheel .` builds it."""
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("bulletin-*.whl"))


def _venv_with(wheel: Path, folder: Path) -> Path:
    """A new virtual environment in `folder` with the wheel installed; returns its bin folder.
    The libraries bulletin needs come from this test environment's site folders (plain paths
    in a .pth file, which do not run the .pth files there, so not an editable install), so no network is needed;
    bulletin itself comes only from the wheel."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    bindir = folder / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    get_purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = subprocess.run(
        [python, "-c", get_purelib], check=True, capture_output=True, text=True
    ).stdout.strip()
    test_env = [*site.getsitepackages(), site.getusersitepackages()]
    Path(purelib, "test-dependencies.pth").write_text("\n".join(test_env) + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return bindir


def test_wheel_works_without_the_repository(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """init, new, check, build (with --pdf when LibreOffice is here) and stats from the
    installed wheel, in folders with Chinese names and spaces, with output redirected to
    files in the GBK code page as on a Chinese Windows."""
    home = tmp_path_factory.mktemp("wheel-home") / "社工 简报"
    home.mkdir()
    bindir = _venv_with(wheel, home / "运行 环境")
    where = subprocess.run(
        [bindir / "python", "-c", "import bulletin; print(bulletin.__file__)"],
        cwd=home,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(home / "运行 环境"))
    env = {
        **os.environ,
        "PYTHONIOENCODING": "gbk",
        "LANGUAGE": "zh_CN",
        "LANG": "zh_CN.UTF-8",
        "BULLETIN_DATA": "",
        "BULLETIN_SOFFICE": "",
    }
    out = home / "输出 文件"
    pdf = shutil.which("soffice") is not None

    def bulletin(*args: str, cwd: Path) -> str:
        with open(home / "out.txt", "wb") as stdout, open(home / "err.txt", "wb") as stderr:
            code = subprocess.run(
                [bindir / "bulletin", *args], cwd=cwd, env=env, stdout=stdout, stderr=stderr
            ).returncode
        printed = (home / "out.txt").read_bytes() + (home / "err.txt").read_bytes()
        assert code == 0, printed.decode("gbk", "replace")
        return printed.decode("gbk")

    assert "已在 中心 数据 新建项目：" in bulletin(
        "init", "中心 数据", "--first-issue", "2020-02", cwd=home
    )
    data = home / "中心 数据"
    assert "已创建 2020-02：" in bulletin("new", "2020-02", cwd=data)
    assert bulletin("check", cwd=data) == (
        "2020-02：没有发现问题\n"
        "提示：project.yaml 中的 24 个镇区是 bulletin init 写入的示例（中山市的），请改成本中心服务的镇区\n"
    )
    docx = out / "二月 简报.docx"
    printed = bulletin("build", "2020-02", "-o", str(docx), *(["--pdf"] if pdf else []), cwd=data)
    assert f"已生成 {docx}" in printed
    assert "第 01 期" in "\n".join(lines(docx))
    if pdf:
        assert (out / "二月 简报.pdf").read_bytes()[:4] == b"%PDF"
    csv, chart = out / "统计 表.csv", out / "图 表.png"
    bulletin("stats", "--format", "csv", "-o", str(csv), "--chart", str(chart), cwd=data)
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "探访户数" in csv.read_text(encoding="utf-8-sig")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
