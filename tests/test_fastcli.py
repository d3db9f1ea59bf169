"""`build` and `check` run without the command-line framework when their arguments are plain;
the result (standard output, error stream, exit code, files) is the typer app's, and anything
the fast parser does not understand goes to the app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bulletin.fastpath import parse

REPO = Path(__file__).resolve().parent.parent

# The console script (signals, then the fast dispatch) and the typer app alone.
FAST = "import sys; sys.argv[0] = 'bulletin'; from bulletin.__main__ import main; main()"
TYPER = "import sys; sys.argv[0] = 'bulletin'; from bulletin.cli import main; main()"

# Few, since each is two processes: success, data errors, usage errors said by the library
# and by the app, --lang both sides and both places, --data and its variable, -o, --strict,
# --verbose, --no-cache, --pdf without LibreOffice, an unknown option, --help.
VECTORS: list[tuple[list[str], dict[str, str]]] = [
    (["build", "--data=data", "--output=out.docx", "--strict", "--no-cache"], {}),
    (
        ["--lang", "zh", "build", "2020-02", "-o", "out.docx", "--verbose"],
        {"BULLETIN_DATA": "data"},
    ),
    (["build", "2020-02", "--data", "bad", "--lang", "zh"], {}),
    (["build", "2020-02", "--data", "data", "-o", "out.txt"], {}),
    (["build", "2020-02", "--data", "data", "--pdf", "--soffice", "no/soffice"], {}),
    (["build", "2020-02", "--data", "data", "--html"], {}),
    (["build", "2020-02", "--data", "data", "--no-layout"], {}),
    (["build", "2020-02", "--data", "data", "-o", "out.html", "--pdf"], {}),
    (["build", "--data", "data", "--bogus"], {}),
    (["build", "--help"], {}),
    (
        [
            "check",
            "2020-02",
            "data/2020-02/visits.yaml",
            "--data",
            "data",
            "--strict",
            "--no-cache",
        ],
        {},
    ),
    (["check", "--lang", "zh"], {"BULLETIN_DATA": "bad"}),
    (["check", "--data", "nowhere"], {}),
    (["check", "--lang", "xx", "--data", "data"], {}),
]


def _run(script: str, args: list[str], env: dict[str, str], cwd: Path):
    full = {**os.environ, "LANGUAGE": "en", **env}
    full.pop("BULLETIN_DATA", None) if "BULLETIN_DATA" not in env else None
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=cwd, env=full, capture_output=True
    )
    files = sorted((str(p.relative_to(cwd)), p.read_bytes()) for p in cwd.rglob("*") if p.is_file())
    return done.stdout.decode(), done.stderr.decode(), done.returncode, files


def _workspace(root: Path, example: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copytree(example, root / "data")
    shutil.copytree(example, root / "bad")
    visits = root / "bad" / "2020-02" / "visits.yaml"
    visits.write_text(visits.read_text(encoding="utf-8") + "\nnot a list: [\n", encoding="utf-8")
    return root


def _pair(index: int, tmp_path: Path, example: Path):
    args, env = VECTORS[index]
    results = []
    for name, script in (("fast", FAST), ("typer", TYPER)):
        cwd = _workspace(tmp_path / f"{index}-{name}", example)
        results.append(_run(script, args, env, cwd))
    return results


def test_fast_dispatch_says_and_writes_what_the_typer_app_does(
    tmp_path: Path, example: Path
) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        pairs = list(pool.map(lambda i: _pair(i, tmp_path, example), range(len(VECTORS))))
    codes = set()
    for (args, env), (fast, typer) in zip(VECTORS, pairs, strict=True):
        assert fast == typer, (args, env)
        codes.add(fast[2])
    assert codes == {0, 1, 2}  # successes, data errors and usage errors all compared


def test_a_plain_build_does_not_import_typer(tmp_path: Path, example: Path) -> None:
    args, env = ["build", "2020-02", "--data", "data", "-o", "out.docx", "--lang", "zh"], {}
    cwd = _workspace(tmp_path / "w", example)
    script = FAST.replace(
        "main()", "\ntry:\n    main()\nfinally:\n    print('typer' in sys.modules, file=sys.stderr)"
    )
    _, stderr, code, _ = _run(script, args, env, cwd)
    assert code == 0
    assert stderr.splitlines()[-1] == "False"


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--help"],
        ["build", "-h"],
        ["build", "--", "2020-02"],
        ["build", "-o"],
        ["build", "-oout.docx"],
        ["build", "--no-strict"],
        ["build", "--strict", "--strict"],
        ["build", "--no-cache=1"],
        ["build", "2020-02", "2020-03"],
        ["build", ""],
        ["build", "--lang", "fr"],
        ["build", "--lang=zh"],
        ["build", "--pdf=yes"],
        ["build", "--data", "--strict"],
        ["--version"],
        ["stats"],
        ["check", "-o", "x"],
        ["check", "--verbose"],
        [],
    ],
)
def test_anything_unusual_goes_to_the_typer_app(args: list[str]) -> None:
    assert parse(args, {}) is None


def test_completion_and_an_empty_data_variable_go_to_the_typer_app() -> None:
    assert parse(["check"], {"_BULLETIN_COMPLETE": "complete_bash"}) is None
    assert parse(["check"], {"BULLETIN_DATA": ""}) is None


def test_what_the_fast_parser_understands() -> None:
    args = ["build", "--lang", "zh", "2020-02", "-o", "-", "--pdf", "--data=d", "--verbose"]
    assert parse([*args, "--no-cache"], {"LANGUAGE": "en"}) == (
        "build",
        "zh",
        {
            "month": "2020-02",
            "output": Path("-"),
            "pdf": True,
            "data": Path("d"),
            "verbose": True,
            "no_cache": True,
        },
    )
    assert parse(["check", "2020-01", "2020-02"], {"BULLETIN_DATA": "d", "LANGUAGE": "en"}) == (
        "check",
        "en",
        {"months": ["2020-01", "2020-02"], "data": Path("d")},
    )


def test_the_fast_path_knows_each_option_as_the_command_does() -> None:
    """Every option the fast path takes is the typer command's, under the same parameter and
    taking a value alike, and every parameter reaches the command's body; an option it does
    not know sends the run to the typer app."""
    import inspect

    import typer

    from bulletin.cli import app
    from bulletin.fastpath import _OPTIONS
    from bulletin.month_commands import run_build, run_check

    group = typer.main.get_command(app)
    for name, table in _OPTIONS.items():
        command = group.commands[name]
        declared = {
            opt: (p.name, not p.is_flag)
            for p in command.params
            if p.param_type_name == "option"
            for opt in p.opts
        }
        for option, (param, takes) in table.items():
            assert declared.get(option) == (param, takes), (name, option)
        body = inspect.signature(run_build if name == "build" else run_check).parameters
        assert {param for param, _takes in table.values()} <= set(body), name
