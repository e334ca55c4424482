"""Benchmark: a platform built in shards, one shard after another on this machine, as the pipeline's
matrix jobs would build them side by side on their runners; then the merge job.

    .venv/bin/python benchmarks/shards.py --documents 100000 --units 3000 --shards 10

Two rounds, as the main branch's pipeline runs them: every shard from an empty cache, then every
shard again after one document's title changed, each shard with the cache its last build left
(each runner keeps its own shard's `.cache/gongkai`; here they are set aside by name between builds).
Prints, per shard: wall time, peak memory of the whole build (process tree) and of Pagefind alone,
the size of what it wrote; the same for the merge; what the merged site's first search downloads;
and the critical path the matrix would have with N runners (the shard jobs dealt to the runners
longest first, then the merge). The first search is measured for `--queries` searches: the typical ones of
bench.py, then what citizens type (search_queries.yml). On main there is no check job: each shard's build writes the report.
`--shards 10` is 10 shards in all: the shared pages and 9 groups of units, one runner each with 10.
The load average is printed before each run: the machine is shared.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import mean, median

import yaml
from bench import REPO, TYPICAL_QUERIES, first_query, load, require_browser, run, run_watching, size_mb

ENV = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}

sys.path.insert(0, str(REPO / "plugins"))

from gongkai.synth import synthesize  # noqa: E402

SEARCH_QUERIES = REPO / "benchmarks" / "search_queries.yml"
FIRST_SEARCH_MOST_KB = 500  # what a first search may download at 10 shards


def gongkai(*args: str) -> list[str]:
    return [sys.executable, "-m", "gongkai.cli", *args]


def critical_path(jobs: list[float], runners: int, plan: float, merge: float) -> float:
    """The pipeline's wall time with `runners` runners: the shard jobs once the plan job (it only lists them) is
    done, each to the runner free first, longest first; then the merge job, once every shard is done."""
    free = [0.0] * runners
    for duration in sorted(jobs, reverse=True):
        heapq.heappush(free, max(heapq.heappop(free), plan) + duration)
    return max(free) + merge


class Caches:
    """Each job's `.cache/gongkai` kept under its name between its builds, as each runner's cache is."""

    def __init__(self, root: Path):
        self.live, self.kept = root / ".cache" / "gongkai", root / ".cache-jobs"

    def run(self, name: str, command: list[str], root: Path, program: str = "") -> tuple[float, float, float]:
        stored = self.kept / name
        if stored.exists():
            stored.rename(self.live)
        try:
            return run_watching(command, root, program)
        finally:
            if self.live.exists():
                self.kept.mkdir(exist_ok=True)
                self.live.rename(stored)


def build_round(root: Path, names: list[str], caches: Caches, figures: dict) -> None:
    """Every shard and the merge, as the main branch's pipeline runs them (each shard's build writes the data check's
    report: there is no check job); figures into `figures`."""
    started = time.perf_counter()
    subprocess.run(gongkai("shards", "plan", "--format", "names"), cwd=root, check=True, capture_output=True, env=ENV)
    figures["plan_seconds"] = round(time.perf_counter() - started, 1)
    print(f"listing the shards (the plan job): {figures['plan_seconds']:.1f} s")
    print(f"{'shard':<10}{'wall s':>9}{'peak MB':>10}{'Pagefind MB':>13}{'output MB':>11}   load before")
    figures["shards"] = {}
    for name in names:
        shutil.rmtree(root / "shards" / name, ignore_errors=True)  # a runner starts from a checkout and its cache alone
        before = load()
        command = gongkai("shards", "build", name, "-d", f"shards/{name}", "--check-report", f"check-{name}.md")  # where the pipeline writes it
        seconds, peak, pagefind = caches.run(name, command, root, "pagefind")
        output = size_mb(root / "shards" / name)
        figures["shards"][name] = {"seconds": round(seconds, 1), "peak_mb": round(peak), "pagefind_mb": round(pagefind),
                                   "output_mb": round(output)}
        print(f"{name:<10}{seconds:>9.1f}{peak:>10.0f}{pagefind:>13.0f}{output:>11.0f}   {before}")
    shutil.rmtree(root / "site", ignore_errors=True)
    before = load()
    seconds, peak = run(gongkai("shards", "merge", *(f"shards/{name}" for name in names), "-d", "site"), root)
    figures["merge"] = {"seconds": round(seconds, 1), "peak_mb": round(peak), "output_mb": round(size_mb(root / "site"))}
    print(f"{'merge':<10}{seconds:>9.1f}{peak:>10.0f}{'':>13}{figures['merge']['output_mb']:>11}   {before}")
    jobs = [shard["seconds"] for shard in figures["shards"].values()]
    figures["total_seconds"] = round(sum(jobs) + figures["merge"]["seconds"], 1)
    print(f"all shards one after another + merge: {figures['total_seconds']:.0f} s")
    figures["critical_path"] = {}
    for runners in sorted({1, 2, 5, len(names)}):
        path = critical_path(jobs, runners, figures["plan_seconds"], figures["merge"]["seconds"])
        figures["critical_path"][runners] = round(path, 1)
        print(f"critical path with {runners} runner(s): {path:.0f} s")


def queries(count: int) -> list[str]:
    """The typical searches, then what citizens type, `count` in all."""
    asked = [case["query"] for case in yaml.safe_load(SEARCH_QUERIES.read_text(encoding="utf-8"))]
    return list(dict.fromkeys([*TYPICAL_QUERIES, *asked]))[:count]


def first_searches(site: Path, count: int) -> dict:
    """Each query's first search on the merged site's search page, one after another, and their bytes summed up."""
    measured = {}
    for query in queries(count):
        figures = measured[query] = first_query(site, query)
        print(f"  “{query}”: {figures['bytes'] / 1024:.0f} KB in {figures['requests']} requests, "
              f"{figures['results']} results, shown after {figures['ms'] / 1000:.1f} s")
    sizes = [figures["bytes"] / 1024 for figures in measured.values()]
    summary = {"mean_kb": round(mean(sizes)), "median_kb": round(median(sizes)), "most_kb": round(max(sizes)),
               "under": sum(size < FIRST_SEARCH_MOST_KB for size in sizes)}
    print(f"first searches: mean {summary['mean_kb']} KB, median {summary['median_kb']} KB, largest {summary['most_kb']} KB; "
          f"{summary['under']} of {len(sizes)} under {FIRST_SEARCH_MOST_KB} KB")
    return {"queries": measured, **summary}


def edit_a_title(root: Path) -> Path:
    """Append to one document's title, as an editor's merge would; the file edited."""
    source = min((root / "data" / "documents").rglob("*.yml"))
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("title:"))
    title = yaml.safe_load(lines[at])["title"]
    lines[at] = f"title: {json.dumps(title + '（修订稿）', ensure_ascii=False)}\n"  # a JSON string is a YAML string
    source.write_text("".join(lines), encoding="utf-8")
    return source


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # each figure as it comes: the whole takes an hour
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100000)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--shards", type=int, default=10)
    parser.add_argument("--queries", type=int, default=15, help="searches whose first download is measured")
    parser.add_argument("--platform", type=Path, help="a platform `gongkai synth --shards` made already (else made here)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    options = parser.parse_args()
    require_browser()
    work = Path(tempfile.mkdtemp(prefix="gongkai-shards-"))
    root = options.platform or work / "platform"
    if not options.platform:
        synthesize(REPO, root, options.documents, options.units, shards=options.shards)
    planned = subprocess.run(gongkai("shards", "plan", "--format", "json"), cwd=root, capture_output=True, text=True, env=ENV)
    names = json.loads(planned.stdout)
    caches = Caches(root)
    figures: dict = {"documents": options.documents, "units": options.units}
    print(f"{options.documents:,} documents, {options.units:,} units, shards: {', '.join(names)}")

    print("\n== every shard from an empty cache ==")
    build_round(root, names, caches, figures.setdefault("cold", {}))
    print("\nfirst searches on the merged site's search page, nothing cached, served as the sample nginx configuration serves it:")
    figures["first_searches"] = first_searches(root / "site", options.queries)

    edited = edit_a_title(root)
    print(f"\n== one title changed ({edited.relative_to(root)}): every shard again, each with its last cache ==")
    build_round(root, names, caches, figures.setdefault("one_title_changed", {}))
    if options.json:
        print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
