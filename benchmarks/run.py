"""Benchmark bulletin as a user runs it, reporting ratios against floors measured in the same run.

    python benchmarks/run.py                # full run (a few minutes on 2 cores)
    python benchmarks/run.py --quick        # smaller stats projects, fewer runs

Projects are generated deterministically (a seed) in the real data format under
benchmarks/out/ (ignored by git). Each command runs in a fresh process; the table gives the
median of several runs with min and max, and peak memory (max RSS) of the command.
"""

from __future__ import annotations

import argparse
import random
import shutil
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
    "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


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
    """example (the shipped data), heavy (one busy month), stats12 and statsN."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    rng = random.Random(seed)
    example = OUT / "example"
    shutil.copytree(ROOT / "data", example)
    projects = {"example": example}
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
    return projects


def measure(argv: list[str], runs: int) -> tuple[float, float, float, int]:
    """Median, min and max seconds, and the largest peak RSS (KiB), over `runs` runs."""
    times, peaks = [], []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True, cwd=OUT
        )
        if result.returncode:
            raise SystemExit(f"{' '.join(argv)} failed:\n{result.stderr}")
        seconds, rss = result.stdout.split()
        times.append(float(seconds))
        peaks.append(int(rss))
    return statistics.median(times), min(times), max(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--months", type=int, default=120, help="months of the large stats project")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--quick", action="store_true", help="24 months and 3 runs")
    args = parser.parse_args()
    if args.quick:
        args.months, args.runs = 24, 3
    projects = make_projects(args.months, args.seed)
    exe = shutil.which("bulletin") or "bulletin"
    py = sys.executable
    big = f"stats{args.months}"
    yaml_floor = (
        "import sys, pathlib, yaml\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
        "    yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
    )
    import_floor = "import docxtpl, docx, jinja2, pydantic, yaml, typer"
    # Not targets, but what explains the figures: pydantic 2 imports lazily, so `import
    # pydantic` above does not load it; typer (0.2x) validates every option through pydantic
    # when a command runs. These floors load what the tool actually uses.
    loaded_floor = (
        "import docxtpl, docx, yaml, typer; from jinja2.sandbox import SandboxedEnvironment; "
        "from pydantic import BaseModel"
    )
    typer_app = OUT / "noop_app.py"
    typer_app.write_text(
        "import typer\napp = typer.Typer()\n\n@app.command()\n"
        "def build(month: str, data: str = ''):\n    pass\n\n@app.command()\n"
        "def check(month: str = ''):\n    pass\n\napp()\n",
        encoding="utf-8",
    )
    heavy_out = str(OUT / "heavy.docx")
    cases = {
        "python startup": [py, "-c", "pass"],
        "import floor": [py, "-c", import_floor],
        "loaded import floor": [py, "-c", loaded_floor],
        "typer no-op command": [py, str(typer_app), "build", "2020-02"],
        "build example": [
            exe,
            "build",
            "2020-02",
            "--data",
            str(projects["example"]),
            "-o",
            str(OUT / "ex.docx"),
        ],
        "--help": [exe, "--help"],
        "check example": [exe, "check", "2020-02", "--data", str(projects["example"])],
        "build heavy month": [
            exe,
            "build",
            "2010-01",
            "--data",
            str(projects["heavy"]),
            "-o",
            heavy_out,
        ],
        f"yaml floor ({args.months} months)": [py, "-c", yaml_floor, str(projects[big])],
        f"stats {args.months} months": [
            exe,
            "stats",
            "--data",
            str(projects[big]),
            "--format",
            "json",
        ],
        "stats 12 months": [exe, "stats", "--data", str(projects["stats12"]), "--format", "json"],
    }
    results = {}
    for name, argv in cases.items():
        runs = (
            1
            if ("floor (" in name or name.startswith(f"stats {args.months}")) and args.months > 24
            else args.runs
        )
        results[name] = measure(argv, runs)
        med, lo, hi, rss = results[name]
        print(
            f"{name:28s} median {med:7.3f}s  min {lo:7.3f}s  max {hi:7.3f}s  peak {rss / 1024:7.1f} MiB",
            flush=True,
        )
    t = {k: v[0] for k, v in results.items()}
    m = {k: v[3] for k, v in results.items()}
    ratios = [
        ("build / import floor", t["build example"] / t["import floor"], 1.3),
        ("--help / import floor", t["--help"] / t["import floor"], 0.6),
        ("check / import floor", t["check example"] / t["import floor"], 0.6),
        ("heavy month / example month", t["build heavy month"] / t["build example"], 3.0),
        (
            f"stats {args.months} / YAML parse floor",
            t[f"stats {args.months} months"] / t[f"yaml floor ({args.months} months)"],
            2.0,
        ),
        (
            f"stats memory {args.months} / 12 months",
            m[f"stats {args.months} months"] / m["stats 12 months"],
            1.3,
        ),
    ]
    print("\n| ratio | measured | target |\n| --- | --- | --- |")
    for name, value, target in ratios:
        mark = "ok" if value <= target else "over"
        print(f"| {name} | {value:.2f} | ≤ {target} ({mark}) |")
    explain = [
        ("check / typer no-op command", t["check example"] / t["typer no-op command"]),
        ("check − typer no-op command (s)", t["check example"] - t["typer no-op command"]),
        ("build / loaded import floor", t["build example"] / t["loaded import floor"]),
        ("import floor − python startup (s)", t["import floor"] - t["python startup"]),
    ]
    print("\n| explaining | measured |\n| --- | --- |")
    for name, value in explain:
        print(f"| {name} | {value:.2f} |")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
