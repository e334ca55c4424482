"""Benchmark: a platform built in shards, one shard after another on this machine, as the pipeline's
matrix jobs would build them side by side on their runners; then the merge job.

    .venv/bin/python benchmarks/shards.py --documents 100000 --units 3000 --shards 10

Prints, per shard: wall time, peak memory of the whole build (process tree) and of Pagefind alone,
the size of what it wrote; the same for the merge; loading and validating all of the data alone
(every shard does it); what the merged site's first search downloads; and the critical path the
matrix would have with N runners (the shards dealt to the runners longest first, then the merge).
The load average is printed before each run: the machine is shared.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import REPO, first_query, load, run, run_watching, size_mb

sys.path.insert(0, str(REPO / "plugins"))

from gongkai.synth import synthesize  # noqa: E402

QUERY = "社会救助 管理办法"


def gongkai(*args: str) -> list[str]:
    return [sys.executable, "-m", "gongkai.cli", *args]


def critical_path(seconds: list[float], runners: int, plan: float, merge: float) -> float:
    """The pipeline's wall time with `runners` runners: the plan job (it checks all the data), the shards, each to the
    runner free first, longest first, then the merge job."""
    free = [0.0] * min(runners, len(seconds))
    for duration in sorted(seconds, reverse=True):
        heapq.heappush(free, heapq.heappop(free) + duration)
    return plan + max(free) + merge


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100000)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--shards", type=int, default=10)
    parser.add_argument("--platform", type=Path, help="a platform `gongkai synth --shards` made already (else made here)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gongkai-shards-"))
    root = options.platform or work / "platform"
    if not options.platform:
        synthesize(REPO, root, options.documents, options.units, shards=options.shards)
    planned = subprocess.run(gongkai("shards", "plan", "--format", "json"), cwd=root, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO / "plugins")})
    names = json.loads(planned.stdout)
    figures: dict = {"documents": options.documents, "units": options.units, "shards": {}}
    print(f"{options.documents:,} documents, {options.units:,} units, shards: {', '.join(names)}")

    print(f"[load {load()}] loading and validating all of data/ (gongkai check)")
    seconds, peak = run(gongkai("check"), root)
    figures["load"] = {"seconds": round(seconds, 1), "peak_mb": round(peak)}
    print(f"  {seconds:.1f} s, {peak:.0f} MB")

    print(f"{'shard':<10}{'wall s':>9}{'peak MB':>10}{'Pagefind MB':>13}{'output MB':>11}   load before")
    for name in names:
        before = load()
        seconds, peak, pagefind = run_watching(gongkai("shards", "build", name, "-d", f"shards/{name}"), root, "pagefind")
        output = size_mb(root / "shards" / name)
        figures["shards"][name] = {"seconds": round(seconds, 1), "peak_mb": round(peak), "pagefind_mb": round(pagefind),
                                   "output_mb": round(output)}
        print(f"{name:<10}{seconds:>9.1f}{peak:>10.0f}{pagefind:>13.0f}{output:>11.0f}   {before}")

    before = load()
    seconds, peak = run(gongkai("shards", "merge", *(f"shards/{name}" for name in names), "-d", "site"), root)
    figures["merge"] = {"seconds": round(seconds, 1), "peak_mb": round(peak), "output_mb": round(size_mb(root / "site"))}
    print(f"{'merge':<10}{seconds:>9.1f}{peak:>10.0f}{'':>13}{figures['merge']['output_mb']:>11}   {before}")

    query = first_query(root / "site", QUERY)
    figures["first_query"] = query
    print(f"first query “{QUERY}” on the merged site: {query['bytes'] / 1024:.0f} KB in {query['requests']} requests, "
          f"{query['results']} results, {query['ms']:.0f} ms")

    walls = [shard["seconds"] for shard in figures["shards"].values()]
    total = sum(walls)
    figures["total_seconds"] = round(total + figures["merge"]["seconds"], 1)
    figures["critical_path"] = {}
    print(f"all shards one after another + merge: {figures['total_seconds']:.0f} s")
    for runners in sorted({1, 2, 5, len(names)}):
        path = critical_path(walls, runners, figures["load"]["seconds"], figures["merge"]["seconds"])
        figures["critical_path"][runners] = round(path, 1)
        print(f"critical path with {runners} runner(s): {path:.0f} s")
    if options.json:
        print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
