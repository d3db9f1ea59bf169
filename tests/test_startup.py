"""Start-up: what the `bulletin` command loads for a plain `check` and `build`. Each module
named here costs every run milliseconds of import; a change that brings one back should be
a choice, not an accident."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Run the console script's main() and report, as JSON on the error stream's last line, the
# modules loaded and what pydantic's plugin loader is.
SCRIPT = """\
import json, sys
sys.argv[0] = 'bulletin'
from bulletin.__main__ import main
try:
    main()
except SystemExit as exc:
    code = exc.code
loader = sys.modules.get('pydantic.plugin._loader')
print(json.dumps({
    'code': code,
    'modules': sorted(sys.modules),
    'loader': getattr(loader, '__file__', None),
    'plugins': list(loader.get_plugins()) if loader else None,
}), file=sys.stderr)
"""


def _run(args: list[str], cwd: Path) -> tuple[str, dict]:
    env = {**os.environ, "LANGUAGE": "en"}
    env.pop("BULLETIN_DATA", None)
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    *_, report = done.stderr.splitlines()
    return done.stdout, json.loads(report)


def test_a_plain_check_loads_neither_word_nor_pictures_nor_the_framework(example: Path) -> None:
    stdout, report = _run(["check", "2020-02", "--data", str(example)], example.parent)
    assert (stdout, report["code"]) == ("2020-02: no problems found\n", 0)
    modules = set(report["modules"])
    for unused in (
        "typer",
        "click",
        "rich",
        "docx",
        "docxtpl",
        "lxml",
        "PIL",  # the example month has no pictures
        "openpyxl",
        "matplotlib",
        "importlib.metadata",  # pydantic's plugin search, see __main__
        "bulletin.render",
        "bulletin.stats",
        "bulletin.schema",
    ):
        assert unused not in modules, unused


def test_pydantic_searches_no_plugins_yet_its_loader_is_there_when_asked(example: Path) -> None:
    _, report = _run(["check", "2020-02", "--data", str(example)], example.parent)
    assert report["plugins"] == []
    assert report["loader"] is None  # the stand-in, not the module that reads the metadata
    # Anything but get_plugins comes from pydantic's own loader.
    code = (
        "import sys\n"
        "from bulletin.__main__ import _without_pydantic_plugins\n"
        "_without_pydantic_plugins()\n"
        "from pydantic import BaseModel\n"
        "class M(BaseModel):\n"
        "    a: int\n"
        "assert M(a=1).a == 1\n"
        "assert 'importlib.metadata' not in sys.modules\n"
        "loader = sys.modules['pydantic.plugin._loader']\n"
        "print(loader.PYDANTIC_ENTRY_POINT_GROUP, loader.PYDANTIC_ENTRY_POINT_GROUP)\n"
        "print(sys.modules['pydantic.plugin._loader'].__file__.endswith('_loader.py'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.stdout, done.returncode) == ("pydantic pydantic\nTrue\n", 0), done.stderr


def test_a_plain_build_loads_no_framework_and_no_pictures(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    _, report = _run(["build", "2020-02", "--data", str(example), "-o", str(out)], tmp_path)
    assert report["code"] == 0
    modules = set(report["modules"])
    for unused in ("typer", "click", "openpyxl", "matplotlib", "importlib.metadata"):
        assert unused not in modules, unused


def test_a_rebuild_with_its_photos_in_the_cache_does_not_load_pillow(
    small, tmp_path: Path, cache_dir: Path
) -> None:
    """Pillow is for decoding: the second build of a month with photos takes them from the
    cache without importing PIL.Image."""
    from tests.test_cache import ARTICLE, _photo

    data = small({"2020-02": {"articles.yaml": ARTICLE}})
    for name in ("a.jpg", "b.jpg"):
        _photo(data / "2020-02" / "images" / name)
    args = ["build", "2020-02", "--data", str(data), "-o", str(tmp_path / "out.docx")]
    _, first = _run(args, tmp_path)
    assert first["code"] == 0 and "PIL.Image" in first["modules"]
    first_doc = (tmp_path / "out.docx").read_bytes()
    _, again = _run(args, tmp_path)
    assert again["code"] == 0 and "PIL.Image" not in again["modules"]
    assert (tmp_path / "out.docx").read_bytes() == first_doc
