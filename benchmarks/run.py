"""Benchmark bulletin as a user runs it, reporting ratios against floors measured in the same run.

    python benchmarks/run.py                # full run (a few minutes on 2 cores)
    python benchmarks/run.py --quick        # 24 months instead of 120, 5 rounds
    python benchmarks/run.py --photos       # only the photo month against the month without
    python benchmarks/run.py --startup      # only check, build and --help against the floor
    python benchmarks/run.py --layout       # only the build with and without the page numbers' layout
    python benchmarks/run.py --preview      # only the preview's time from a save to the page
    python benchmarks/run.py --pool         # only photo preparation on threads vs processes

Projects are generated deterministically (a seed) in the real data format under
benchmarks/out/ (ignored by git), photos included. Each command runs in a fresh process, as a
user runs it; the short ones in interleaved rounds. The tables give the median of the runs
with min and max and peak memory (max RSS), then each goal as a ratio measured in this run.
bulletin's modules are compiled to bytecode first, as an installed package's are.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bulletin.models import YearMonth

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
TOWNS = ["神湾镇", "黄圃镇", "三乡镇", "东凤镇", "东升镇", "民众镇"]
SURNAMES = "梁郭邱伍欧周郑谢张黄肖李陈林何"
WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "dt = time.perf_counter() - t\n"
    "if r.returncode: sys.stderr.write(r.stderr.decode()); sys.exit(r.returncode)\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(dt, u.ru_maxrss, u.ru_utime + u.ru_stime)\n"
)
# What any tool on this stack pays before doing anything: the libraries imported, and
# pydantic made to build and run one validator (it imports most of itself lazily).
LOADED_FLOOR = (
    "import docxtpl, typer, yaml, jinja2, docx\nfrom PIL import Image\n"
    "from pydantic import BaseModel\n"
    "class M(BaseModel):\n    a: int\n    b: str = ''\n"
    "M.model_validate({'a': 1, 'b': 'x'})\n"
)


# The builds measured here are the tool's own work: the LibreOffice layout that writes the
# contents' page numbers (seconds, and cached with the document) is left out, as --no-layout
# does, so that a ratio does not measure LibreOffice's start-up.
NO_LAYOUT = {"BULLETIN_NO_LAYOUT": "1"}


def compile_package() -> None:
    """Compile bulletin's modules to bytecode, as installing the package does, so that no
    run pays for compiling them (with PYTHONDONTWRITEBYTECODE set, or a checkout never run
    before, every run would compile ~9,000 lines while the libraries of the floor are
    compiled at install)."""
    import compileall

    compileall.compile_dir(ROOT / "bulletin", quiet=1)


def heavy_month(
    folder: Path,
    year: int,
    month: int,
    rng: random.Random,
    *,
    visits=2000,
    consultations=500,
    plan_rows=200,
    articles=30,
) -> None:
    """A busy month: thousands of visits, hundreds of counselling lines and plan rows."""
    folder.mkdir(parents=True, exist_ok=True)
    ym, nxt = YearMonth(year, month), YearMonth(year, month).next()
    files: dict[str, list[str]] = {}
    files["visits.yaml"] = lines = ["visits:"]
    for _ in range(visits):
        lines.append(
            f"  - {{date: {ym}-{rng.randint(1, 28):02d}, name: {rng.choice(SURNAMES)}女士, "
            f"town: {rng.choice(TOWNS)}, mode: {rng.choice(['电访', '走访'])}}}"
        )
    files["consultations.yaml"] = lines = ["consultations:"]
    for _ in range(consultations):
        lines.append(
            f"  - {{counsellor: 廖诗敏, channel: {rng.choice(['线上', '到访', '电话'])}, "
            f"people: {rng.randint(1, 4)}, hours: {rng.choice([1, 1.5, 2])}, "
            f"topics: [{rng.choice(['情绪困扰', '婚恋问题', '亲子关系', '睡眠障碍'])}]}}"
        )
    files["events.yaml"] = lines = ["activities:"]
    for i in range(20):
        lines.append(
            f"  - name: 职工活动{i}\n    participants: {rng.randint(10, 200)}\n    sessions:"
        )
        for k in range(rng.randint(1, 3)):
            lines.append(f"      - {{date: {ym}-{k + 1:02d}, venue: 企业{i}}}")
    lines.append("services:\n  - {name: 心理咨询, place: 心灵港湾}")
    files["wishes.yaml"] = lines = ["wishes:"]
    for _ in range(30):
        lines.append(
            f"  - {{name: {rng.choice(SURNAMES)}女士, situation: 在档困难职工，需要学习用品。, wish: 书包一个}}"
        )
    files["plans.yaml"] = lines = ["plans:"]
    for i in range(plan_rows // 4):
        lines.append(f"  - name: 计划活动{i}\n    content: 为职工提供服务。\n    rows:")
        for k in range(4):
            lines.append(f"      - {{target: 企业{k}, due: {nxt}-{k + 1:02d}, staff: 李绮文}}")
    files["articles.yaml"] = lines = ["articles:"]
    for i in range(articles):
        lines.append(
            f"  - section: {['项目快讯', '职工关爱服务', '职工服务站', '心理咨询服务'][i % 4]}\n"
            f"    title: 文章{i}\n    author: 梁嘉慧\n    body: |\n"
            + "\n\n".join(
                "      工会社工开展服务，共探访{{ visits.households }}户。" * 8 for _ in range(4)
            )
        )
    for name, text in files.items():
        (folder / name).write_text("\n".join(text) + "\n", encoding="utf-8")


def make_projects(months_big: int, seed: int) -> dict[str, Path]:
    """example (the shipped data), photos (the example month with 30 phone photos), heavy
    (one busy month), stats12 and statsN (the busy month repeated)."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    rng = random.Random(seed)
    example = OUT / "example"
    shutil.copytree(ROOT / "data", example)
    projects = {"example": example, "photos": photo_month(OUT / "photos", rng)}
    for name, count in (("heavy", 1), ("stats12", 12), (f"stats{months_big}", months_big)):
        data = OUT / name
        data.mkdir()
        text = (ROOT / "data" / "project.yaml").read_text(encoding="utf-8")
        (data / "project.yaml").write_text(
            text.replace("first_issue: 2020-02", "first_issue: 2010-01"), encoding="utf-8"
        )
        for i in range(count):
            year, month = 2010 + i // 12, i % 12 + 1
            heavy_month(data / f"{year:04d}-{month:02d}", year, month, rng)
        projects[name] = data
    projects["visits"] = visits_month(OUT / "visits", rng)  # last: the others as before
    return projects


def photo_month(data: Path, rng: random.Random, count: int = 30) -> Path:
    """The example project with 30 phone photos (4000×3000 JPEG, every third stored sideways
    with an EXIF rotation, as phones do) spread over the articles of 2020-02."""
    import yaml
    from PIL import Image

    shutil.copytree(ROOT / "data", data)
    folder = data / "2020-02"
    (folder / "images").mkdir()
    grain = Image.effect_noise((4000, 3000), 30).convert("RGB")  # sensor noise, shared
    for i in range(count):
        scene = Image.new("RGB", (16, 12))
        scene.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(16 * 12)])
        photo = Image.blend(scene.resize((4000, 3000), Image.Resampling.BICUBIC), grain, 0.2)
        exif = Image.Exif()
        exif[0x0112] = 6 if i % 3 == 0 else 1
        photo.save(folder / "images" / f"IMG_{i:04d}.jpg", "JPEG", quality=90, exif=exif)
    path = folder / "articles.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    articles = doc["articles"]
    for i in range(count):
        images = articles[i % len(articles)].setdefault("images", [])
        images.append({"path": f"images/IMG_{i:04d}.jpg", "caption": f"活动现场{i + 1}"})
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data


def run_once(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of one run of `argv` in a fresh process."""
    seconds, rss, _ = run_measured(argv, env)
    return seconds, rss


def run_measured(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Seconds, peak RSS (KiB) and CPU seconds (user + system) of one run of `argv`."""
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER, *argv],
        capture_output=True,
        text=True,
        cwd=OUT,
        env={**os.environ, **NO_LAYOUT, **(env or {})},
    )
    if result.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{result.stderr}")
    seconds, rss, cpu = result.stdout.split()
    return float(seconds), int(rss), float(cpu)


def fill(argv: list[str], env: dict[str, str]) -> None:
    """Fill a cache as a user's earlier builds have: run the build, let the photos' racy
    window (bulletin.cache.RACY_NS) pass, and run it again, so that the stat index trusts
    photos written moments before (a user's photos are older than 2 s at the second build)."""
    run_measured(argv, env)
    time.sleep(2.1)
    run_measured(argv, env)


def visits_month(data: Path, rng: random.Random, visits: int = 1400) -> Path:
    """The example project with `visits` visits in 2020-02 (for the preview)."""
    shutil.copytree(ROOT / "data", data)
    lines = ["visits:"]
    for _ in range(visits):
        name = rng.choice(SURNAMES) + rng.choice(["女士", "先生", "小姐", "阿姨", "师傅"])
        lines.append(
            f"  - {{date: 2020-02-{rng.randint(1, 28):02d}, name: {name}, "
            f"town: {rng.choice(TOWNS)}, mode: {rng.choice(['电访', '走访'])}}}"
        )
    (data / "2020-02" / "visits.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def _http(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def preview_latency(data: Path, env: dict[str, str], rounds: int) -> list[float]:
    """Seconds from saving a change to the month's articles.yaml (a title) to the preview
    serving the page with it: `bulletin preview` runs as a user starts it; each round writes
    the file, waits on the page's own long poll (/__wait) for a newer rendering, and fetches
    the page until it shows the new title."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    exe = shutil.which("bulletin") or "bulletin"
    argv = [exe, "preview", "2020-02", "--port", str(port), "--no-open", "--data", str(data)]
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=OUT,
        env={**os.environ, **NO_LAYOUT, **env, "LANGUAGE": "en"},
    )
    base = f"http://127.0.0.1:{port}"
    articles = data / "2020-02" / "articles.yaml"
    original = articles.read_text(encoding="utf-8")
    title = original.split("title:", 1)[1].split("\n", 1)[0].strip()
    times = []
    try:
        assert proc.stderr is not None
        proc.stderr.readline()  # "previewing ... at ...": it serves and watches the folder
        for n in range(rounds):
            version = int(_http(f"{base}/__wait?v=-1"))
            marker = f"改{n}"
            text = original.replace(f"title: {title}", f"title: {title}{marker}", 1)
            started = time.perf_counter()
            articles.write_text(text, encoding="utf-8")
            while True:
                version = int(_http(f"{base}/__wait?v={version}"))
                if marker in _http(f"{base}/"):
                    break
            times.append(time.perf_counter() - started)
            time.sleep(0.3)  # a user types between saves
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
        articles.write_text(original, encoding="utf-8")
    return times


def preview_cases(rounds: int, photos: Path, visits: Path, caches: Path) -> dict[str, list[float]]:
    """The preview's time from a save to the updated page, for the photo month (its cache
    filled, as after a first build) and for a month of 1,400 visits."""
    warm = {"BULLETIN_CACHE_DIR": str(caches / "preview")}
    exe = shutil.which("bulletin") or "bulletin"
    for data in (photos, visits):
        fill([exe, "build", "2020-02", "--data", str(data), "-o", str(OUT / "p.docx")], warm)
    return {
        "preview, 30 photos: save to page": preview_latency(photos, warm, rounds),
        "preview, 1,400 visits: save to page": preview_latency(visits, warm, rounds),
    }


def print_preview(times: dict[str, list[float]]) -> None:
    print("\n| preview | median | min | max | goal |\n| --- | --- | --- | --- | --- |")
    for name, ts in times.items():
        goal = "≤ 0.50 s" if "photos" in name else ""
        mark = f" ({'ok' if statistics.median(ts) <= 0.5 else 'missed'})" if goal else ""
        print(
            f"| {name} | {statistics.median(ts):.3f} s | {min(ts):.3f} | {max(ts):.3f} "
            f"| {goal}{mark} |"
        )


def _pool_work(path: Path) -> int:
    from bulletin import pictures

    return len(pictures.prepare(path).data)


def pool_cases(rounds: int, photos: Path) -> None:
    """Preparing the 30 photos (no cache) on as many threads as cores, against as many
    processes (forked, and spawned as Windows and macOS start them), in one process;
    interleaved rounds, median wall time."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    paths = sorted((photos / "2020-02" / "images").glob("*.jpg"))
    workers = os.cpu_count() or 1
    kinds = {
        "threads": lambda: ThreadPoolExecutor(workers),
        "processes (fork)": lambda: ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork")
        ),
        "processes (spawn)": lambda: ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn")
        ),
    }
    wall: dict[str, list[float]] = {name: [] for name in kinds}
    for _ in range(rounds):
        for name, make in kinds.items():
            started = time.perf_counter()
            with make() as pool:
                sizes = list(pool.map(_pool_work, paths))
            wall[name].append(time.perf_counter() - started)
            assert len(sizes) == len(paths)
    print(
        f"\n| 30 photos prepared on {workers} | wall median | min | max |\n| --- | --- | --- | --- |"
    )
    for name, ts in wall.items():
        print(f"| {name} | {statistics.median(ts):.3f} s | {min(ts):.3f} | {max(ts):.3f} |")


def photo_cases(runs: int, seed: int) -> None:
    """The photo goals alone, each ratio also in CPU time (user + system of the child), which
    the other work of a shared machine disturbs far less than wall time. The photo month is
    measured against the month without photos under the same cache conditions: a first
    build with both caches empty, a rebuild with both filled."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    example = OUT / "example"
    shutil.copytree(ROOT / "data", example)
    photos = photo_month(OUT / "photos", random.Random(seed))
    exe = shutil.which("bulletin") or "bulletin"
    caches = OUT / "caches"
    warm = {"BULLETIN_CACHE_DIR": str(caches / "warm")}

    def build(data: Path) -> list[str]:
        return [exe, "build", "2020-02", "--data", str(data), "-o", str(OUT / f"{data.name}.docx")]

    cold = {"BULLETIN_CACHE_DIR": str(caches / "cold")}
    cases = {
        "build example, first": (build(example), cold),
        "build 30 photos, first": (build(photos), cold),
        "build example, again": (build(example), warm),
        "build 30 photos, again": (build(photos), warm),
        "build 30 photos, no cache": (build(photos), {"BULLETIN_NO_CACHE": "1"}),
    }
    fill(build(photos), warm)
    fill(build(example), warm)
    wall, cpu = paired_rounds(
        cases,
        runs,
        caches / "cold",
        "30 photos / the month without photos",
        (
            ("build 30 photos, first", "build example, first", 3.0),
            ("build 30 photos, again", "build example, again", 1.2),
            ("build 30 photos, no cache", "build example, first", 4.0),
        ),
    )
    # The best the first build's wall time could be on this machine: its CPU time spread
    # over every core with nothing idle and no other work on them, against the example's
    # wall time in the same round (the example uses one core).
    cores = os.cpu_count() or 1
    first, base = cpu["build 30 photos, first"], wall["build example, first"]
    floor = statistics.median(c / cores / w for c, w in zip(first, base, strict=True))
    print(
        f"\nthe first build's floor (its CPU time / {cores} cores / the example's wall): "
        f"{floor:.2f}×"
    )
    same = {(OUT / "photos.docx").read_bytes()}
    for env in (warm, {"BULLETIN_NO_CACHE": "1"}):
        run_measured(build(photos), env)
        same.add((OUT / "photos.docx").read_bytes())
    print(
        f"\nthe photo month's documents, cache filled and --no-cache: byte-identical: {len(same) == 1}"
    )


def paired_rounds(
    cases: dict[str, tuple[list[str], dict[str, str]]],
    runs: int,
    cold: Path,
    heading: str,
    goals: tuple[tuple[str, str, float], ...],
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Run every case once a round (emptying the `cold` cache before each), print each
    case's median wall and CPU time, then each goal (case, base, at most) as the median of
    the case's ratios to its base within a round. Returns every run's wall and CPU time."""
    wall: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (argv, env) in cases.items():
            shutil.rmtree(cold, ignore_errors=True)
            seconds, _, used = run_measured(argv, env)
            wall[name].append(seconds)
            cpu[name].append(used)
    print("| command | wall median | CPU median |\n| --- | --- | --- |")
    for name in cases:
        print(
            f"| {name} | {statistics.median(wall[name]):.3f} s "
            f"| {statistics.median(cpu[name]):.3f} s |"
        )

    def ratio(times: dict[str, list[float]], a: str, base: str) -> float:
        pairs = zip(times[a], times[base], strict=True)
        return statistics.median(x / y for x, y in pairs)

    print(f"\n| {heading} | wall | CPU | goal |\n| --- | --- | --- | --- |")
    for name, base, goal in goals:
        print(
            f"| {name} / {base} | {ratio(wall, name, base):.2f}× | {ratio(cpu, name, base):.2f}× "
            f"| ≤ {goal:.2f}× |"
        )
    return wall, cpu


def example_build() -> tuple[Path, str, Path, list[str]]:
    """A fresh copy of the example under benchmarks/out: its folder, the `bulletin` program,
    the folder for the caches, and the command that builds its month."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    example = OUT / "example"
    shutil.copytree(ROOT / "data", example)
    exe = shutil.which("bulletin") or "bulletin"
    build = [exe, "build", "2020-02", "--data", str(example), "-o", str(OUT / "example.docx")]
    return example, exe, OUT / "caches", build


def startup_cases(runs: int) -> None:
    """The start-up goals alone: check, build (with an empty and with a filled cache) and
    --help of the example month against the loaded floor, in wall and CPU time (user +
    system of the child, which the other work of a shared machine disturbs far less)."""
    example, exe, caches, build = example_build()
    cases = {
        "loaded floor": ([sys.executable, "-c", LOADED_FLOOR], {}),
        "check example": ([exe, "check", "2020-02", "--data", str(example)], {}),
        "build example": (build, {"BULLETIN_CACHE_DIR": str(caches / "cold")}),
        "build example, cache filled": (build, {"BULLETIN_CACHE_DIR": str(caches / "warm")}),
        "--help": ([exe, "--help"], {}),
    }
    run_measured(build, {"BULLETIN_CACHE_DIR": str(caches / "warm")})  # fill the warm cache
    floor = "loaded floor"
    paired_rounds(
        cases,
        runs,
        caches / "cold",
        "against the loaded floor",
        (
            ("check example", floor, 0.8),
            ("build example", floor, 1.2),
            ("build example, cache filled", floor, 1.2),
            ("--help", floor, 0.35),
        ),
    )


def layout_cases(runs: int) -> None:
    """The example's build with the LibreOffice layout that writes the contents' page numbers
    into the .docx against the same build without it (--no-layout), with an empty cache and
    with the cache filled (where the layout is kept under the document's content, so an
    unchanged rebuild runs no LibreOffice)."""
    _example, _exe, caches, build = example_build()
    laid = {"BULLETIN_NO_LAYOUT": "0"}
    cold, warm = (
        {"BULLETIN_CACHE_DIR": str(caches / "cold")},
        {"BULLETIN_CACHE_DIR": str(caches / "warm")},
    )
    cases = {
        "build example, no layout": (build, cold),
        "build example, layout": (build, {**cold, **laid}),
        "build example, no layout, cache filled": (build, warm),
        "build example, layout, cache filled": (build, {**warm, **laid}),
    }
    run_measured(build, {**warm, **laid})  # fill the warm cache, its layout included
    paired_rounds(
        cases,
        runs,
        caches / "cold",
        "against the build without the layout",
        (
            ("build example, layout", "build example, no layout", 10.0),
            ("build example, layout, cache filled", "build example, no layout, cache filled", 1.2),
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15, help="rounds of the short commands")
    parser.add_argument("--months", type=int, default=120, help="months of the large project")
    parser.add_argument("--long-runs", type=int, default=3, help="runs over the large project")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--quick", action="store_true", help="24 months and 5 rounds")
    parser.add_argument(
        "--photos",
        action="store_true",
        help="only the month with 30 photos (first build, again, with no cache) against the "
        "month without photos, in wall and CPU time",
    )
    parser.add_argument(
        "--layout",
        action="store_true",
        help="only the example's build with and without the layout of the contents' page numbers",
    )
    parser.add_argument(
        "--startup",
        action="store_true",
        help="only check, build and --help of the example month against the loaded floor, "
        "in wall and CPU time",
    )
    parser.add_argument(
        "--preview",
        action="store_true",
        help="only the preview's time from a save to the updated page (photo month, 1,400 visits)",
    )
    parser.add_argument(
        "--pool",
        action="store_true",
        help="only the 30 photos prepared on threads against processes",
    )
    args = parser.parse_args()
    compile_package()
    if args.startup:
        startup_cases(args.runs)
        return
    if args.layout:
        layout_cases(args.runs)
        return
    if args.photos:
        photo_cases(args.runs, args.seed)
        return
    if args.preview or args.pool:
        shutil.rmtree(OUT, ignore_errors=True)
        OUT.mkdir(parents=True)
        rng = random.Random(args.seed)
        photos = photo_month(OUT / "photos", rng)
        if args.pool:
            pool_cases(args.runs, photos)
        if args.preview:
            visits = visits_month(OUT / "visits", rng)
            print_preview(preview_cases(args.runs, photos, visits, OUT / "caches"))
        return
    if args.quick:
        args.months, args.runs, args.long_runs = 24, 5, 1
    projects = make_projects(args.months, args.seed)
    exe = shutil.which("bulletin") or "bulletin"
    py = sys.executable
    big = args.months
    yaml_floor = (
        "import sys, pathlib, yaml\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
        "    yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
    )
    loaded_floor = LOADED_FLOOR
    typer_app = OUT / "noop_app.py"
    typer_app.write_text(
        "import typer\napp = typer.Typer()\n\n@app.command()\n"
        "def build(month: str, data: str = ''):\n    pass\n\n@app.command()\n"
        "def check(month: str = ''):\n    pass\n\napp()\n",
        encoding="utf-8",
    )
    caches = OUT / "caches"
    warm_cache = str(caches / "warm")
    cold = iter(range(10**6))

    def cold_cache() -> dict[str, str]:
        return {"BULLETIN_CACHE_DIR": str(caches / f"cold{next(cold)}")}

    def build(project: str, month: str = "2020-02") -> list[str]:
        out = str(OUT / f"{project}.docx")
        return [exe, "build", month, "--data", str(projects[project]), "-o", out]

    # Short commands run in rounds, each round one run of each, so that a busy moment of the
    # machine touches every command alike; ratios are medians of the ratios within a round.
    short: dict[str, tuple[list[str], object]] = {
        "python startup": ([py, "-c", "pass"], None),
        "loaded floor": ([py, "-c", loaded_floor], None),
        "typer no-op command": ([py, str(typer_app), "build", "2020-02"], None),
        "--help": ([exe, "--help"], None),
        "check example": ([exe, "check", "2020-02", "--data", str(projects["example"])], None),
        "build example": (build("example"), cold_cache),
        "build 30 photos, first": (build("photos"), cold_cache),
        "build example, again": (build("example"), {"BULLETIN_CACHE_DIR": warm_cache}),
        "build 30 photos, again": (build("photos"), {"BULLETIN_CACHE_DIR": warm_cache}),
        "build heavy month": (build("heavy", "2010-01"), cold_cache),
        "stats 12 months": (
            [exe, "stats", "--data", str(projects["stats12"]), "--format", "json"],
            None,
        ),
    }
    fill(build("photos"), {"BULLETIN_CACHE_DIR": warm_cache})  # fill the warm cache
    fill(build("example"), {"BULLETIN_CACHE_DIR": warm_cache})
    times: dict[str, list[float]] = {name: [] for name in short}
    peaks: dict[str, list[int]] = {name: [] for name in short}
    for _ in range(args.runs):
        for name, (argv, env) in short.items():
            seconds, rss = run_once(argv, env() if callable(env) else env)
            times[name].append(seconds)
            peaks[name].append(rss)
        shutil.rmtree(caches / "cold", ignore_errors=True)
        for old in caches.glob("cold*"):
            shutil.rmtree(old, ignore_errors=True)
    # Long commands: the 120-month project, paired with its YAML floor.
    long = {
        f"YAML floor ({big} months)": [py, "-c", yaml_floor, str(projects[f"stats{big}"])],
        f"check {big} months": [exe, "check", "--data", str(projects[f"stats{big}"])],
        f"stats {big} months": [
            exe,
            "stats",
            "--data",
            str(projects[f"stats{big}"]),
            "--format",
            "json",
        ],
    }
    for name in long:
        times[name], peaks[name] = [], []
    for _ in range(args.long_runs):
        for name, argv in long.items():
            seconds, rss = run_once(argv)
            times[name].append(seconds)
            peaks[name].append(rss)

    print("| command | median | min | max | peak memory |\n| --- | --- | --- | --- | --- |")
    for name in times:
        ts = times[name]
        print(
            f"| {name} | {statistics.median(ts):.3f} s | {min(ts):.3f} | {max(ts):.3f} "
            f"| {max(peaks[name]) / 1024:.1f} MiB |"
        )

    def ratio(a: str, b: str) -> float:
        return statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))

    rows = [
        ("`bulletin check 2020-02` / loaded floor", ratio("check example", "loaded floor"), 0.80),
        ("`bulletin build 2020-02` / loaded floor", ratio("build example", "loaded floor"), 1.20),
        (
            "the same, cache filled / loaded floor",
            ratio("build example, again", "loaded floor"),
            1.20,
        ),
        ("`bulletin --help` / loaded floor", ratio("--help", "loaded floor"), 0.35),
        (
            "30 phone photos / the same month without photos, first build (both caches empty)",
            ratio("build 30 photos, first", "build example"),
            3.0,
        ),
        (
            "the same, built again unchanged (both caches filled)",
            ratio("build 30 photos, again", "build example, again"),
            1.2,
        ),
        (
            f"`check` over {big} busy months / YAML parse floor",
            ratio(f"check {big} months", f"YAML floor ({big} months)"),
            1.3,
        ),
        (
            f"`stats` over {big} busy months / YAML parse floor",
            ratio(f"stats {big} months", f"YAML floor ({big} months)"),
            1.3,
        ),
        (
            f"stats peak memory, {big} / 12 months",
            max(peaks[f"stats {big} months"]) / max(peaks["stats 12 months"]),
            1.1,
        ),
    ]
    print("\n| case | measured | goal |\n| --- | --- | --- |")
    for name, value, goal in rows:
        mark = "ok" if value <= goal else "missed"
        print(f"| {name} | {value:.2f}× | ≤ {goal:.2f}× ({mark}) |")
    explain = [
        ("check / typer no-op command", ratio("check example", "typer no-op command")),
        ("heavy month / example month", ratio("build heavy month", "build example")),
        (
            "30 photos, first build: ms a photo beyond the month without photos",
            1000
            * (
                statistics.median(times["build 30 photos, first"])
                - statistics.median(times["build example"])
            )
            / 30,
        ),
    ]
    print("\n| explaining | measured |\n| --- | --- |")
    for name, value in explain:
        print(f"| {name} | {value:.2f} |")
    print_preview(preview_cases(args.runs, projects["photos"], projects["visits"], caches))
    pool_cases(min(args.runs, 5), projects["photos"])
    same = set()
    for env in ({"BULLETIN_CACHE_DIR": warm_cache}, {"BULLETIN_NO_CACHE": "1"}):
        run_once(build("photos"), env)
        same.add((OUT / "photos.docx").read_bytes())
    print(
        f"\nthe photo month's documents, cache filled and --no-cache: byte-identical: {len(same) == 1}"
    )


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
