"""Benchmark the commands that look across months against the floor of parsing their files once.

    python benchmarks/periods.py               # 36 busy months, 5 rounds
    python benchmarks/periods.py --months 12 --runs 3

A project of N busy months (1,400 visits, 120 counselling lines, 20 activities, 30 wishes of
which some are fulfilled months later, a plan) with two contract periods of indicators is
generated under benchmarks/out/periods (ignored by git). Each command runs in a fresh process,
as a user runs it, in interleaved rounds with the floor: a fresh process that parses every
YAML file of the project once with PyYAML's C loader and nothing else. The table gives the
median time of each and its ratio to the floor's median measured in the same rounds.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "periods"
TOWNS = ["民众镇", "东凤镇", "黄圃镇", "神湾镇", "东升镇", "三乡镇"]
SURNAMES = "梁黄肖邱郭伍欧周郑谢张李王陈"
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""


def month_files(ym: str, nxt: str, rng: random.Random, visits: int) -> dict[str, str]:
    """One busy month in the real data format."""
    out = {"visits.yaml": ["visits:"]}
    for _ in range(visits):
        out["visits.yaml"].append(
            f"  - {{date: {ym}-{rng.randint(1, 28):02d}, name: {rng.choice(SURNAMES)}女士, "
            f"town: {rng.choice(TOWNS)}, mode: {rng.choice(['电访', '走访'])}}}"
        )
    out["consultations.yaml"] = ["consultations:"]
    for _ in range(120):
        out["consultations.yaml"].append(
            f"  - {{counsellor: 廖诗敏, channel: 线上, people: {rng.randint(1, 4)}, "
            f"hours: {rng.choice([1, 1.5, 2])}, sessions: 1, topics: [婚恋问题]}}"
        )
    out["events.yaml"] = ["activities:"]
    for i in range(20):
        out["events.yaml"].append(
            f"  - name: 职工活动{i}\n    kind: 职工活动\n    participants: {rng.randint(10, 90)}\n"
            "    sessions:"
        )
        for k in range(rng.randint(1, 3)):
            out["events.yaml"].append(f"      - {{date: {ym}-{k + 1:02d}, venue: 企业{i}}}")
    out["events.yaml"].append("services:\n  - {name: 心理咨询, place: 心灵港湾}")
    out["wishes.yaml"] = ["wishes:"]
    for i in range(30):
        done = f", fulfilled: {ym}-{rng.randint(1, 28):02d}, donor: 爱心企业" if i % 3 == 0 else ""
        out["wishes.yaml"].append(
            f"  - {{name: {rng.choice(SURNAMES)}女士, town: {rng.choice(TOWNS)}, "
            f"situation: 在档困难职工，需要学习用品。, wish: 书包一个{done}}}"
        )
    out["plans.yaml"] = ["plans:"]
    for i in range(20):
        out["plans.yaml"].append(
            f"  - name: 职工活动{i if i % 4 else i + 100}\n    content: 为职工提供服务。\n"
            f"    rows:\n      - {{target: 企业{i}, due: {nxt}, staff: 李绮文}}"
        )
    return {name: "\n".join(lines) + "\n" for name, lines in out.items()}


def make_project(months: int, visits: int, seed: int) -> Path:
    rng = random.Random(seed)
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    project = (ROOT / "data" / "project.yaml").read_text(encoding="utf-8")
    project = project.replace("first_issue: 2020-02", "first_issue: 2021-01")
    project = project[: project.index("\ncontract:")]
    indicators = """    indicators:
      - {name: 探访, figure: visits, target: 40000}
      - {name: 走访北滘, figure: home_visits, target: 3000, towns: [民众镇]}
      - {name: 活动, figure: activity_sessions, target: 400, kind: 职工活动}
      - {name: 服务人次, figure: 服务人次, target: 60000}
      - {name: 心愿, figure: wishes_fulfilled, target: 100}
"""
    contract = "contract:\n"
    for year in range(2021, 2021 + (months + 11) // 12):
        contract += f"  - name: {year}年度\n    start: {year}-01\n    end: {year}-12\n" + indicators
    (OUT / "project.yaml").write_text(project.rstrip() + "\n" + contract, encoding="utf-8")
    for i in range(months):
        year, month = 2021 + i // 12, i % 12 + 1
        ym = f"{year:04d}-{month:02d}"
        nxt = f"{year + month // 12:04d}-{month % 12 + 1:02d}"
        folder = OUT / ym
        folder.mkdir()
        for name, text in month_files(ym, nxt, rng, visits).items():
            (folder / name).write_text(text, encoding="utf-8")
    return OUT


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--visits", type=int, default=1400)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    data = make_project(args.months, args.visits, args.seed)
    last = 2021 + (args.months - 1) // 12
    bulletin = [sys.executable, "-m", "bulletin", "--lang", "en"]
    work = OUT.parent / "periods-out"
    work.mkdir(exist_ok=True)
    cases = {
        "floor: parse every file once (C loader)": [sys.executable, "-c", FLOOR, str(data)],
        "stats": [*bulletin, "stats", "--data", str(data)],
        "stats --format json": [*bulletin, "stats", "--data", str(data), "--format", "json"],
        "progress": [*bulletin, "progress", "--data", str(data), "--format", "json"],
        "stats --explain people_served": [
            *bulletin,
            "stats",
            "--data",
            str(data),
            "--explain",
            "people_served",
        ],  # fmt: skip
        "ledger": [*bulletin, "ledger", "--data", str(data), "-o", str(work / "l.xlsx")],
        f"report {last}年度": [
            *bulletin,
            "report",
            f"{last}年度",
            "--data",
            str(data),
            "-o",
            str(work / "r.docx"),
        ],  # fmt: skip
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    load = [_load()]
    for _ in range(args.runs):
        for name, argv in cases.items():
            times[name].append(timed(argv, work))
    floors = times[next(iter(cases))]
    floor = statistics.median(floors)
    files = sum(1 for _ in data.rglob("*.yaml"))
    print(f"{args.months} months of {args.visits} visits, {files} files; {args.runs} rounds")
    print(f"load average at the start {load[0]:.1f}, at the end {_load():.1f}")
    print(
        "| command | median s | min s | × floor | × floor in each round: median (min–max) |\n"
        "|---|---:|---:|---:|---:|"
    )
    for name, values in times.items():
        median = statistics.median(values)
        # The ratio within each round: a busy moment of a shared machine touches both sides.
        ratios = [v / f for v, f in zip(values, floors, strict=True)]
        print(
            f"| {name} | {median:.2f} | {min(values):.2f} | {median / floor:.2f}× "
            f"| {statistics.median(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f}) |"
        )


def _load() -> float:
    """The one-minute load average (0 where the system does not tell it)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


if __name__ == "__main__":
    main()
