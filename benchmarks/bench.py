"""Benchmark: build a synthetic platform and the same pages as plain MkDocs, print the figures.

    .venv/bin/python benchmarks/bench.py --documents 10000 --units 300

Both sites use the same theme, nav and Markdown extensions; the plain one has one
hand-written Markdown page for every page gongkai generates (same titles, metadata as
tables, same bodies and lists), not in the nav, like gongkai's. Each build runs in its
own process; peak memory is that process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))

from gongkai.check import check_data  # noqa: E402
from gongkai.pages import generate  # noqa: E402
from gongkai.synth import synthesize  # noqa: E402

# Peak memory is read from /proc/self/status (VmHWM) at the end of the run. ru_maxrss would be
# wrong here: Linux carries the parent's resident size across fork and exec, so a child of
# this (large) benchmark process never reports less than the benchmark itself.
PEAK = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

MEASURE = PEAK + """
import runpy, sys, time
start = time.perf_counter()
sys.argv = sys.argv[1:]
code = 0
try:
    runpy.run_module(sys.argv[0], run_name="__main__")
except SystemExit as exit:
    code = exit.code or 0
print(time.perf_counter() - start, peak_mb(), code, file=sys.stderr)
"""


def measure(module: str, args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of `python -m module args` run in `cwd`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run([sys.executable, "-c", MEASURE, module, *args], cwd=cwd, env=env, capture_output=True, text=True)
    *_, last = out.stderr.strip().splitlines() or [""]
    elapsed, peak, code = (last.split() + ["", "", "1"])[:3]
    if code != "0":
        raise SystemExit(f"{module} {' '.join(args)} failed in {cwd}:\n{out.stderr[-2000:]}")
    return float(elapsed), float(peak)


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


def _document_rows(documents, site) -> list[str]:
    lines = ["| 序号 | 标题 | 文号 | 发文机关 | 发布日期 | 有效性 |", "|---|---|---|---|---|---|"]
    for i, doc in enumerate(documents, 1):
        lines.append(f"| {i} | [{doc.title}](/documents/{doc.id}/) | {doc.number or ''} | {doc.issuer} | {doc.published} | "
                     f"{site.register.status[doc.id]} |")
    return lines


def markdown_of(view, site) -> str:
    """A hand-written Markdown page with the same content a generated view shows."""
    lines = [f"# {view.title}", "", view.description, ""]
    ctx, template = view.context, view.template
    if template == "document.html":
        doc = ctx["doc"]
        rows = [("索引号", site.register.index_numbers[doc.id]), ("信息类别", doc.category), ("发文机关", doc.issuer),
                ("文号", doc.number or ""), ("成文日期", doc.written), ("发布日期", doc.published),
                ("施行日期", doc.effective_date), ("有效期至", doc.expires or "未规定"),
                ("有效性", site.register.status[doc.id]), ("公开方式", doc.disclosure), ("关键词", "、".join(doc.keywords))]
        lines += ["| 项目 | 内容 |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows), "", doc.body or "", "", "## 文件历程", ""]
        lines += [f"1. {s.date} {s.kind}" for s in site.register.timelines[doc.id]]
    elif template in ("document_list.html", "compilation.html", "disclosure_rules.html"):
        lines += _document_rows(ctx.get("documents") or ctx.get("rules") or [], site)
    elif template == "register.html":
        for issuer, documents in ctx["groups"].items():
            lines += ["", f"## {issuer}", "", *_document_rows(documents, site)]
    elif template == "unit.html":
        unit = ctx["unit"]
        lines += ["| 项目 | 内容 |", "|---|---|", f"| 全称 | {unit.name} |", f"| 办公地址 | {unit.address} |",
                  f"| 联系电话 | {unit.phone} |", f"| 负责人姓名 | {unit.head} |", "", "## 工作职能", ""]
        lines += [f"1. {f}" for f in unit.functions]
    elif template == "disclosure_reply.html":
        lines += ctx["lines"]
    return "\n".join(str(line) for line in lines) + "\n"


def plain_equivalent(platform: Path, out: Path) -> int:
    """Write the plain-MkDocs twin of `platform` into `out`; return its page count."""
    site, report = check_data(platform / "data", platform)
    assert not report.errors, report.lines()[:5]
    shutil.copytree(platform / "content", out / "content")
    shutil.copytree(platform / "overrides", out / "overrides")
    config = yaml.safe_load((platform / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = []
    config.pop("watch", None)
    config["validation"] = {"nav": {"omitted_files": "ignore", "not_found": "warn"}, "links": {"not_found": "ignore"}}
    bulk = []
    for view in generate(site):
        path = out / "content" / view.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown_of(view, site), encoding="utf-8")
        if not view.in_nav:
            bulk.append("/" + view.src_uri)
    config["not_in_nav"] = "\n".join(bulk)
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(list((out / "content").rglob("*.md")))


# Pagefind runs from a small Python process here, so its ru_maxrss (see PEAK) is its own.
INDEX = """
import resource, sys, time
from pathlib import Path
from gongkai.search.plugin import build_index
start = time.perf_counter()
build_index(Path(sys.argv[1]))
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def index(site_dir: Path) -> tuple[float, float]:
    """Wall seconds and the Pagefind process's peak memory (MB) for indexing a built site again."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    out = subprocess.run([sys.executable, "-c", INDEX, str(site_dir)], capture_output=True, text=True, check=True, env=env)
    elapsed, peak = out.stdout.split()[-2:]
    return float(elapsed), float(peak)


# The audit again, alone: its share of the build, and its worker processes' peak memory.
AUDIT = """
import resource, sys, time
from pathlib import Path
from gongkai.audit.run import audit
start = time.perf_counter()
result = audit(Path(sys.argv[1]), "https://xxgk.example.gov.cn/", lambda hit: False)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, result.pages)
"""


def audit_again(site_dir: Path) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    out = subprocess.run([sys.executable, "-c", AUDIT, str(site_dir)], capture_output=True, text=True, check=True, env=env)
    elapsed, peak, _ = out.stdout.split()[-3:]
    return float(elapsed), float(peak)


# As the search page asks (gongkai-find.js), and as plain Pagefind for a build from before it existed;
# with `filters`, also the filter index, which the search page loads to count the results by filter.
FIRST_QUERY = """async ([query, filters]) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const site = await import('/assets/gongkai-find.js').catch(() => null);
  if (site) await pagefind.options(site.OPTIONS);
  await pagefind.init();
  if (filters) await pagefind.filters();
  const started = performance.now();
  const found = site ? await site.find(pagefind, query) : await pagefind.search(query);
  await Promise.all(found.results.slice(0, 10).map(r => r.data()));
  return [found.results.length, performance.now() - started];
}"""


def first_query(site_dir: Path, query: str, filters: bool = False) -> dict:
    """What a reader's browser downloads for one search, nothing cached: from the home page,
    load Pagefind, search, and load the first ten results (as the search page shows them);
    `ms` is the time from asking to having the ten results, index chunks and fragments loaded."""
    sys.path.insert(0, str(REPO / "tests"))
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS, serve

    with serve(site_dir) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        loaded: list[int] = []
        page.on("requestfinished", lambda r: loaded.append(r.sizes()["responseBodySize"]) if "/pagefind/" in r.url else None)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        results, ms = page.evaluate(FIRST_QUERY, [query, filters])
        page.wait_for_timeout(300)
        browser.close()
    return {"results": results, "requests": len(loaded), "bytes": sum(loaded), "ms": ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="keep the generated sites in this folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    gongkai_site, plain_site = work / "gongkai", work / "plain"
    for folder in (gongkai_site, plain_site):
        if folder.exists():
            shutil.rmtree(folder)
    print(f"合成平台：{args.units} 个机构，{args.documents} 件文件 → {work}", flush=True)
    synthesize(REPO, gongkai_site, args.documents, args.units)
    pages = plain_equivalent(gongkai_site, plain_site)

    build = ["build", "--strict", "--quiet"]
    check_time, check_rss = measure("gongkai.cli", ["check"], gongkai_site)
    g_time, g_rss = measure("mkdocs", build, gongkai_site)
    p_time, p_rss = measure("mkdocs", build, plain_site)
    g_pages = sum(1 for _ in (gongkai_site / "site").rglob("index.html"))
    index_time, index_rss = index(gongkai_site / "site")
    audit_time, audit_rss = audit_again(gongkai_site / "site")
    query = first_query(gongkai_site / "site", "社会救助 管理办法")
    figures = {
        "documents": args.documents, "units": args.units,
        "gongkai_check_s": round(check_time, 1), "gongkai_check_mb": round(check_rss),
        "gongkai_build_s": round(g_time, 1), "gongkai_peak_mb": round(g_rss), "gongkai_output_mb": round(size_mb(gongkai_site / "site")),
        "gongkai_pages": g_pages,
        "plain_build_s": round(p_time, 1), "plain_peak_mb": round(p_rss), "plain_output_mb": round(size_mb(plain_site / "site")),
        "plain_pages": pages,
        "time_ratio": round(g_time / p_time, 2), "memory_ratio": round(g_rss / p_rss, 2),
        "time_ratio_without_index": round((g_time - index_time) / p_time, 2),
        "audit_s": round(audit_time, 1), "audit_worker_peak_mb": round(audit_rss),
        "index_s": round(index_time, 1), "index_peak_mb": round(index_rss), "index_mb": round(size_mb(gongkai_site / "site" / "pagefind"), 1),
        "first_query_kb": round(query["bytes"] / 1024), "first_query_requests": query["requests"],
    }
    print(f"""
                        gongkai    plain MkDocs
  页面数                 {g_pages:>8}    {pages:>8}
  构建时间（秒）          {g_time:>8.1f}    {p_time:>8.1f}    比值 {g_time / p_time:.2f}（目标 ≤ 1.30）
  峰值内存（MB）          {g_rss:>8.0f}    {p_rss:>8.0f}    （目标 < 1024）
  输出大小（MB）          {size_mb(gongkai_site / 'site'):>8.0f}    {size_mb(plain_site / 'site'):>8.0f}
  gongkai check（秒）     {check_time:>8.1f}              峰值内存 {check_rss:.0f} MB

  其中 Pagefind 索引（秒）  {index_time:>8.1f}              不含索引的构建时间比值 {(g_time - index_time) / p_time:.2f}
  其中构建检查（秒）      {audit_time:>8.1f}              检查进程峰值内存 {audit_rss:.0f} MB
  不含索引和检查的构建时间比值 {(g_time - index_time - audit_time) / p_time:.2f}
  Pagefind 进程峰值内存（MB）{index_rss:>6.0f}              （独立的子进程，不计入上面的构建进程）
  索引大小（MB）          {figures['index_mb']:>8.1f}
  首次检索下载（KB）      {figures['first_query_kb']:>8}              {query['requests']} 个请求（目标 < 300 KB），{query['results']} 条结果
""")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
