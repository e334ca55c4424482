"""Benchmark: moving in a large old platform. Writes a document list of N rows the way old
platforms export it (dates in three formats, issuers by short name) into a copy of the demo,
then times `gongkai import documents` as a dry run, a real run and a second (idempotent) run.

    .venv/bin/python benchmarks/migrate.py --rows 10000
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from openpyxl import Workbook

from gongkai.project import copy_platform

REPO = Path(__file__).resolve().parent.parent
GONGKAI = Path(sys.executable).parent / "gongkai"


def write_list(root: Path, rows: int) -> None:
    units = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "data/units").glob("*.yml"))]
    names = [u["short_name"] for u in units if u.get("short_name")]
    rng = random.Random(1)
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "信息名称", "发布机构", "发文字号", "生成日期", "发布日期", "有效性", "信息类别"])
    for i in range(rows):
        day = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(1800))
        written = (f"{day.year}年{day.month}月{day.day}日", f"{day.year}/{day.month}/{day.day}", day.isoformat())[i % 3]
        sheet.append([i + 1, f"迁移测试文件第{i + 1}号", names[i % len(names)], f"鲤迁〔{day.year}〕{i + 1}号", written,
                      f"{day + datetime.timedelta(days=3)} 09:30", "有效", "其他主动公开信息"])
    book.save(root / "list.xlsx")


def timed(label: str, root: Path, *args: str) -> None:
    print(f"load average {os.getloadavg()[0]:.2f}")
    start = time.perf_counter()
    done = subprocess.run([str(GONGKAI), "import", "documents", "list.xlsx", *args], cwd=root, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    last = (done.stdout.strip().splitlines() or [""])[-1]
    print(f"{label}: {seconds:.1f} s — {last}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        copy_platform(REPO, root)
        write_list(root, options.rows)
        timed("dry run", root, "--dry-run")
        timed("import", root)
        timed("again (nothing to change)", root)


if __name__ == "__main__":
    main()
