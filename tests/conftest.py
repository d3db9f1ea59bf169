"""Shared fixtures: the shipped example project, copied, and small projects built on tmp_path."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "data"

PROJECT_YAML = """\
name: 工会社工服务项目
organisation: 中山市工会社工综合服务中心
union: 市总工会
first_issue: 2020-02
towns: [神湾镇, 黄圃镇, 三乡镇, 东凤镇, 东升镇, 民众镇]
sections: [项目快讯, 职工关爱服务]
"""


# Under mutmut, the seconds each test spent being set up (its fixtures) while mutmut learnt which
# test reaches which function; mutmut itself keeps only the seconds of the test's own call.
SETUP_SECONDS = Path("mutmut-setup-seconds.json")
_setup_seconds: dict[str, float] = {}
# Under mutmut, the measured seconds of tests a mutant is tried with (see below).
MUTANT_SECONDS = 20.0


# Under mutmut, while it learns which test reaches which function: the functions reached while a
# test's shared fixtures (module, class, package or session scope) were first set up, and the
# tests that use each such fixture.
_reached_in_shared_setup: list[tuple[frozenset, frozenset[str]]] = []
_users_of_shared: dict[object, set[str]] = {}


def _shared_fixtures(item: pytest.Item) -> list:
    """The item's fixtures set up once for many tests (their latest definitions)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    return [
        defs[-1] for defs in info.name2fixturedefs.values() if defs and defs[-1].scope != "function"
    ]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    """Under mutmut, learning which test reaches which function: mutmut gives a function
    reached while a module's shared fixture is set up (a project written, a report built)
    to the first test that asked for it only, so the mutants of that function would be
    tried with that test alone, which may check none of it. Here the functions reached
    while a shared fixture was set up are noted with the fixture, and given to every test
    that uses it when the run ends (pytest_sessionfinish)."""
    import os

    if os.environ.get("MUTANT_UNDER_TEST") != "stats":
        return (yield)
    shared = _shared_fixtures(item)
    for fixture in shared:
        _users_of_shared.setdefault(fixture, set()).add(item.nodeid)
    unset = [fixture for fixture in shared if fixture.cached_result is None]
    try:
        return (yield)
    finally:
        made = frozenset(fixture for fixture in unset if fixture.cached_result is not None)
        if made:
            from mutmut.state import state

            _reached_in_shared_setup.append((made, frozenset(state()._stats)))


def _give_shared_setup_to_its_users() -> None:
    """Every function reached while a shared fixture was set up, to every test using it."""
    if not _reached_in_shared_setup:
        return
    from mutmut.state import state

    tests_of = state().tests_by_mangled_function_name
    for made, reached in _reached_in_shared_setup:
        users = set().union(*(_users_of_shared[fixture] for fixture in made))
        for function in reached:
            tests_of[function].update(users)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    import os

    if report.when == "setup" and os.environ.get("MUTANT_UNDER_TEST") == "stats":
        _setup_seconds[report.nodeid] = report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    import json

    _give_shared_setup_to_its_users()

    if _setup_seconds:
        known = json.loads(SETUP_SECONDS.read_text("utf-8")) if SETUP_SECONDS.is_file() else {}
        SETUP_SECONDS.write_text(json.dumps({**known, **_setup_seconds}), encoding="utf-8")


_measured_seconds: tuple[dict[str, float], dict[str, float]] | None = None


def _measured() -> tuple[dict[str, float], dict[str, float]] | None:
    """The seconds mutmut measured of each test's call, and of each test file the longest
    setting up of one of its tests (from SETUP_SECONDS), or None before it has measured them;
    read once, in the process that forks the mutants' runs (five megabytes)."""
    import json

    global _measured_seconds
    stats = Path("mutmut-stats.json")
    if _measured_seconds is None and stats.is_file():
        took = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
        setup = json.loads(SETUP_SECONDS.read_text("utf-8")) if SETUP_SECONDS.is_file() else {}
        setup_by_file: dict[str, float] = {}
        for test, seconds in setup.items():
            file = test.split("::")[0]
            setup_by_file[file] = max(setup_by_file.get(file, 0), seconds)
        _measured_seconds = (took, setup_by_file)
    return _measured_seconds


# The test files of a module that has none named after it.
_HOMES = {
    "models": ("test_validation.py", "test_bad_input.py"),
    "records": ("test_figures.py",),
    "output": ("test_writes.py",),
}


def _named_files(mutant: str, files: set[str]) -> set[str]:
    """The test files named by a word of the mutated function's name: for
    bulletin.models.x__evidence_file__mutmut_3, tests/test_evidence.py; for
    bulletin.pictures.x__picture_kind__mutmut_1, tests/test_pictures.py."""
    function = mutant.split(".", 2)[2].rsplit("__mutmut_", 1)[0]
    words = {w for w in re.split(r"[^a-z]+", function.lower()) if len(w) >= 4}
    named = set()
    for file in files:
        stem = Path(file).stem.removeprefix("test_")
        if any(
            w.startswith(f) or f.startswith(w)
            for f in stem.split("_")
            if len(f) >= 4
            for w in words
        ):
            named.add(file)
    return named


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under mutmut, trying one mutant (its name in MUTANT_UNDER_TEST), the tests of its module
    (tests/test_MODULE.py) run first, then those of the files in _HOMES for a module without a
    file of its own (where the unit tests of its rules are), then those of files named by a
    word of the function's name (a named file may be costly: test_pictures.py), then the
    cheapest test files, each file's tests quickest first: the run stops at the first test
    that fails, so
    a mutant that any quick test catches costs little. A file costs its quickest test plus the
    longest setting up of one of its tests, which is where a fixture the file's tests share (a
    project written, a document built) is paid. The seconds are those measured while mutmut learnt which test
    reaches which function (mutmut-stats.json, and SETUP_SECONDS, in the folder it runs in).

    A mutant is tried with all those of its module's file, and the others up to
    MUTANT_SECONDS of their measured time (set
    BULLETIN_MUTANT_SECONDS to change it, 0 for every test that reaches the function): a
    mutant that survives them is reported as surviving, so the score is never better than the
    truth, and `BULLETIN_MUTANT_SECONDS=0 mutmut run NAME` tries a survivor with all of them."""
    import os

    under = os.environ.get("MUTANT_UNDER_TEST")
    if under == "":  # mutmut's run of the unmutated tests, in the process each mutant forks from
        _measured()
    if "__mutmut_" not in (under or "") or not _measured():
        return
    took, setup = _measured()
    file_of = {item.nodeid: item.nodeid.split("::")[0] for item in items}
    cost = {file: setup.get(file, 0) for file in file_of.values()}
    quickest: dict[str, float] = {}
    for item in items:
        file = file_of[item.nodeid]
        quickest[file] = min(quickest.get(file, 1e9), took.get(item.nodeid, 1e9))
    module = under.split(".")[1]  # bulletin.MODULE.x_function__mutmut_N
    own = f"tests/test_{module}.py"
    named = _named_files(under, set(file_of.values()))
    home = {f"tests/{name}" for name in _HOMES.get(module, ())}
    items.sort(
        key=lambda item: (
            file_of[item.nodeid] != own,
            file_of[item.nodeid] not in home,
            file_of[item.nodeid] not in named,
            quickest[file_of[item.nodeid]] + cost[file_of[item.nodeid]],
            file_of[item.nodeid],
            took.get(item.nodeid, 1e9),
        )
    )
    budget = float(os.environ.get("BULLETIN_MUTANT_SECONDS", MUTANT_SECONDS) or 0)
    # The module's own tests all run (they say what it must do, under 30 s for each
    # module); the budget is for the others.
    spent, beyond, files, kept = 0.0, 0.0, set(), []
    for item in items:
        file = file_of[item.nodeid]
        more = took.get(item.nodeid, 0) + (0 if file in files else cost[file])
        if file != own:
            if beyond and budget > 0 and beyond + more > budget:
                break
            beyond += more
        spent += more
        files.add(file)
        kept.append(item)
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=items[len(kept) :])
        items[:] = kept
    # A mutant that loops for ever is stopped after three times the tests' measured seconds
    # and ten more, and counted as caught (mutmut's "timeout"); mutmut's own limit is fifteen
    # times the seconds of every test that reaches the function, an hour for the most read.
    import resource
    import time

    limit = int(time.process_time() + 10 + 3 * spent)
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if soft == resource.RLIM_INFINITY or limit < soft:
        resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))


@pytest.fixture(autouse=True)
def _fresh_memos_under_mutmut() -> None:
    """Under mutmut, every test starts with the package's memos (functools caches) empty.
    While it learns which test reaches which function (MUTANT_UNDER_TEST is "stats"), a
    function whose answer an earlier test left in a cache is not seen being called, and the
    tests that depend on it would never be run against its mutants; while it tries a mutant
    (the mutant's name), the process it forks holds the answers of the unmutated code from
    that first pass, and a cached answer would stand in for the mutated function's."""
    import os
    import sys

    under = os.environ.get("MUTANT_UNDER_TEST", "")
    if under != "stats" and "__mutmut_" not in under:
        return
    for name, module in list(sys.modules.items()):
        if name == "bulletin" or name.startswith("bulletin."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def _no_temporaries_left_under_mutmut(tmp_path_factory: pytest.TempPathFactory):
    """Under mutmut, each mutant's run removes its temporary folders when it ends: pytest
    keeps those of the last three runs, but thousands of runs forked at once outpace it
    (tens of gigabytes in an hour)."""
    import os

    yield
    under = os.environ.get("MUTANT_UNDER_TEST", "")
    if under == "stats" or "__mutmut_" in under:
        shutil.rmtree(tmp_path_factory.getbasetemp(), ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory: pytest.TempPathFactory):
    """Session fixtures (built_example) use a cache folder of the test run, never the user's."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BULLETIN_CACHE_DIR", str(tmp_path_factory.mktemp("session-cache")))
        mp.delenv("BULLETIN_NO_CACHE", raising=False)
        mp.setenv("BULLETIN_NO_LAYOUT", "1")
        yield


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty cache folder, never the user's real one. Builds skip
    the LibreOffice layout (a second or two each) unless a test of it asks for one."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("BULLETIN_CACHE_DIR", str(folder))
    monkeypatch.delenv("BULLETIN_NO_CACHE", raising=False)
    monkeypatch.setenv("BULLETIN_NO_LAYOUT", "1")
    return folder


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the shipped example data folder."""
    target = tmp_path / "data"
    shutil.copytree(EXAMPLE, target)
    return target


def run_cli(*args: str, lang: str = "en", cwd: Path | None = None):
    """`bulletin --lang LANG ARGS` in this process, as typed in `cwd` (default: here), in a
    locale that chooses nothing; the typer runner's result (exit code, stdout, stderr)."""
    import os

    from typer.testing import CliRunner

    from bulletin.cli import app

    old = Path.cwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(app, ["--lang", lang, *args], env={"LANG": "C", "LANGUAGE": ""})
    finally:
        os.chdir(old)


def write_project(
    root: Path, months: dict[str, dict[str, str]], project: str = PROJECT_YAML
) -> Path:
    """Write a small project: {'2020-02': {'visits.yaml': '...'}}; returns the data folder."""
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "project.yaml").write_text(project, encoding="utf-8")
    for month, files in months.items():
        folder = data / month
        folder.mkdir(exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return data


@pytest.fixture
def small(tmp_path: Path):
    """Factory for small projects on tmp_path."""

    def make(months: dict[str, dict[str, str]], project: str = PROJECT_YAML) -> Path:
        return write_project(tmp_path, months, project)

    return make


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example bulletin, built once for the document tests."""
    from bulletin.models import YearMonth
    from bulletin.pipeline import build

    out = tmp_path_factory.mktemp("built") / "2020-02.docx"
    build(EXAMPLE, YearMonth(2020, 2), out)
    return out
