"""Benchmark: build a synthetic platform and the same pages as plain MkDocs, print the figures.

    .venv/bin/python benchmarks/bench.py --documents 10000 --units 300

Both sites use the same theme, nav and Markdown extensions; the plain one has one
hand-written Markdown page for every page gongkai generates (same titles, metadata as
tables, same bodies and lists), not in the nav, like gongkai's. The builds (cold: no
.cache/), the rebuilds after one document's title changed (with the cache the cold build
left) and `mkdocs serve` (start, and saving that edit) run in turn, gongkai then plain,
each `--runs` times, with the load average printed before each; peak memory is that of the whole process tree (Pagefind, the audit's and the
renderer's processes included), read from /proc as proportional set sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

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
    for partial in ("nav", "tabs"):  # plain MkDocs renders Material's own, on every page (ours need the plugin)
        (out / "overrides" / "partials" / f"{partial}.html").unlink(missing_ok=True)
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


# Pagefind runs from a small Python process here, so its ru_maxrss (see PEAK) is its own: the largest
# part's run. Nothing kept: every part is indexed. Plain MkDocs' pages are one part (as one Pagefind run).
INDEX = """
import resource, sys, tempfile, time
from pathlib import Path
from gongkai.search.parts import index_site
start = time.perf_counter()
with tempfile.TemporaryDirectory() as nothing_kept:
    index_site(Path(sys.argv[1]), Path(nothing_kept), int(sys.argv[2]))
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def index(site_dir: Path, part_pages: int = 1500) -> tuple[float, float]:
    """Wall seconds and the Pagefind process's peak memory (MB) for indexing a built site again."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    out = subprocess.run([sys.executable, "-c", INDEX, str(site_dir), str(part_pages)], capture_output=True, text=True, check=True, env=env)
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


def audit_again(site_dir: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    out = subprocess.run([sys.executable, "-c", AUDIT, str(site_dir)], capture_output=True, text=True, check=True, env=env)
    elapsed, _, _ = out.stdout.split()[-3:]
    return float(elapsed)


# The search page's status line once the results are shown; its first filter's options once they count this search.
TYPICAL_QUERIES = ("社会救助 管理办法", "低保", "营商环境", "2023 年度报告", "泉鲤政办〔2020〕38号")
"""Searches whose first download the benchmarks measure: two words each on thousands of pages, a colloquial word, a
word on many pages, a year with words on nearly every page, a 文号."""
SHOWN = "() => /^(共找到|没有找到)/.test(document.querySelector('.gk-search__status').textContent)"
COUNTED = """() => [...document.querySelector('.gk-search__filters select').options]
  .every(o => !o.value || o.textContent.includes('（'))"""


def require_browser() -> None:
    """Stop before the hour of building, not after it, when the first search cannot be measured."""
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"缺少 Chromium（{CHROMIUM}），首次检索的下载量要在浏览器中量：请用 ./dev bench 运行（会先安装它）")


def first_query(site_dir: Path, query: str, filters: bool = False) -> dict:
    """What a reader's browser downloads of the search index for one search, nothing cached, served as the sample
    nginx configuration serves it (text compressed, the search files' brotli copies sent: Chromium takes brotli
    also over plain HTTP from a loopback address): the search page opened with
    the query in its address, until its results are shown; with `filters`, also until the reader has turned to the
    filters and they count this search. `ms` is from opening the page to the results shown."""
    sys.path.insert(0, str(REPO / "tests"))
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS, serve

    with serve(site_dir, compressing=True) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        loaded: list[int] = []
        page.on("requestfinished", lambda r: loaded.append(r.sizes()["responseBodySize"]) if "/pagefind/" in r.url else None)
        started = time.monotonic()
        page.goto(url + "search/?q=" + quote(query))
        page.wait_for_function(SHOWN, timeout=600_000)
        ms = (time.monotonic() - started) * 1000
        status = page.inner_text(".gk-search__status")
        if filters:
            page.locator(".gk-search__filters select").first.focus()
            page.wait_for_function(COUNTED, timeout=600_000)
        page.wait_for_load_state("networkidle")
        browser.close()
    results = int(status.split("共找到 ")[1].split(" ")[0]) if status.startswith("共找到") else 0
    return {"results": results, "requests": len(loaded), "bytes": sum(loaded), "ms": ms}


SAMPLE = 0.5  # seconds between memory samples: reading a large process's page tables costs CPU the builds need


def tree_pss(pid: int) -> dict[str, float]:
    """The memory the process `pid` and all its descendants hold now (MB), by program name: the
    sum of their proportional set sizes, so pages a fork shares are counted once."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    held: dict[str, float] = {}
    todo = [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            name = Path(f"/proc/{current}/comm").read_text().strip()
        except OSError:
            continue
        pss = next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
        held[name] = held.get(name, 0) + pss / 1024
    return held


def tree_peak_mb(pid: int) -> float:
    return sum(tree_pss(pid).values())


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and the peak memory of the whole process tree (MB) of `command`."""
    elapsed, peak, _ = run_watching(command, cwd, "")
    return elapsed, peak


def run_watching(command: list[str], cwd: Path, program: str) -> tuple[float, float, float]:
    """`run`, and the peak memory of the processes in the tree whose name contains `program` (MB)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO / "plugins")}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = named = 0.0
    with ThreadPoolExecutor(1) as reader:
        errors = reader.submit(process.stderr.read)  # type: ignore[union-attr]
        while process.poll() is None:
            held = tree_pss(process.pid)
            peak = max(peak, sum(held.values()))
            named = max(named, sum(mb for name, mb in held.items() if program and program in name))
            time.sleep(SAMPLE)
    elapsed = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{errors.result()[-3000:]}")
    return elapsed, peak, named


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_times(root: Path, port: int, source: Path, old: str, new: str, page: str) -> tuple[float, float, float, float, float]:
    """`mkdocs serve` in `root` on `port`: seconds from start to the first page, from start to the first page
    this run built (later when it first serves an earlier site: the last run's or the last build's), from saving `source` (`old` replaced by
    `new`) to `page` served with `new` on it, from saving to the whole site rebuilt (later when the page is
    shown before the rebuild: `quick_preview.py`), and the tree's peak memory (MB).
    Each platform is served at the same address every time, as an editor's `./dev serve` is (the
    preview's pages carry its address, so its page cache and its kept site are the address's)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO / "plugins")}
    base = f"http://127.0.0.1:{port}/"
    said = tempfile.NamedTemporaryFile(prefix="gongkai-serve-", suffix=".log")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                               cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=said)
    peak = [0.0]

    def fetch(url: str, wanted: str = "") -> None:
        while True:
            peak[0] = max(peak[0], tree_peak_mb(process.pid))
            try:
                with urlopen(url, timeout=600) as response:
                    if wanted in response.read().decode("utf-8"):
                        return
            except (URLError, ConnectionError, TimeoutError):
                if process.poll() is not None:
                    raise SystemExit(f"mkdocs serve stopped in {root}") from None
            time.sleep(SAMPLE)

    def log() -> str:
        return Path(said.name).read_text(encoding="utf-8", errors="replace")

    try:
        fetch(base)
        first = time.perf_counter() - started
        if "先显示" in log():  # an earlier site (the last run's, or the last build's): wait for the one built now
            while "Reloading browsers" not in log():
                peak[0] = max(peak[0], tree_peak_mb(process.pid))
                time.sleep(SAMPLE)
        built = time.perf_counter() - started
        rebuilds = log().count("Reloading browsers")
        source.write_text(source.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        saved = time.perf_counter()
        fetch(base + page, new)
        edited = time.perf_counter() - saved
        while log().count("Reloading browsers") == rebuilds:
            peak[0] = max(peak[0], tree_peak_mb(process.pid))
            time.sleep(SAMPLE)
        rebuilt = time.perf_counter() - saved
    finally:
        process.terminate()
        process.wait()
        said.close()
        source.write_text(source.read_text(encoding="utf-8").replace(new, old, 1), encoding="utf-8")
    return first, built, edited, rebuilt, peak[0]


def load() -> str:
    return f"负载 {os.getloadavg()[0]:.2f}"


def an_edit(gongkai_site: Path, plain_site: Path) -> tuple[Path, Path, str, str, str]:
    """One document whose title an editor changes: its YAML, its plain twin, old and new title, page."""
    source = min((gongkai_site / "data" / "documents").rglob("*.yml"))
    old = yaml.safe_load(source.read_text(encoding="utf-8"))["title"]
    page = f"documents/{source.stem}/"
    return source, plain_site / "content" / "documents" / f"{source.stem}.md", old, old + "（修订稿）", page


COLD, PLAIN, PLAIN_INDEX = "gongkai 冷构建", "纯 MkDocs 构建", "纯 MkDocs 的 Pagefind"
WARM, PLAIN_WARM = "gongkai 改一个标题后构建", "纯 MkDocs 改一个标题后构建"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--runs", type=int, default=2, help="runs of each build, interleaved (gongkai, plain, gongkai, plain …)")
    parser.add_argument("--no-serve", action="store_true", help="leave out the `mkdocs serve` rows")
    parser.add_argument("--serve-only", action="store_true", help="only the `mkdocs serve` rows")
    parser.add_argument("--keep", type=Path, help="keep the generated sites in this folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    require_browser()

    work = args.keep or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    gongkai_site, plain_site = work / "gongkai", work / "plain"
    for folder in (gongkai_site, plain_site):
        if folder.exists():
            shutil.rmtree(folder)
    print(f"合成平台：{args.units} 个机构，{args.documents} 件文件 → {work}", flush=True)
    synthesize(REPO, gongkai_site, args.documents, args.units)
    pages = plain_equivalent(gongkai_site, plain_site)
    source, twin, old, new, page = an_edit(gongkai_site, plain_site)
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    rows: dict[str, list[tuple[float, float]]] = {}

    def measure_row(name: str, command: list[str], cwd: Path) -> None:
        print(f"  {load()}  {name} …", end="", flush=True)
        rows.setdefault(name, []).append(run(command, cwd))
        print(f" {rows[name][-1][0]:.1f} 秒，{rows[name][-1][1]:.0f} MB", flush=True)

    for _ in range(0 if args.serve_only else args.runs):
        shutil.rmtree(gongkai_site / ".cache", ignore_errors=True)  # cold: nothing kept from an earlier build
        measure_row(COLD, build, gongkai_site)
        measure_row(PLAIN, build, plain_site)
        measure_row(PLAIN_INDEX, [sys.executable, "-c", INDEX, str(plain_site / "site"), str(10**9)], REPO)
        for edited in (source, twin):
            edited.write_text(edited.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        measure_row(WARM, build, gongkai_site)
        measure_row(PLAIN_WARM, build, plain_site)
        for edited in (source, twin):
            edited.write_text(edited.read_text(encoding="utf-8").replace(new, old, 1), encoding="utf-8")
    serving: dict[str, list[tuple[float, float, float, float, float]]] = {}
    if not args.no_serve:
        ports = {site: free_port() for site in (gongkai_site, plain_site)}
        for _ in range(args.runs):
            for name, site, edited in (("gongkai", gongkai_site, source), ("纯 MkDocs", plain_site, twin)):
                print(f"  {load()}  {name} serve …", end="", flush=True)
                serving.setdefault(name, []).append(serve_times(site, ports[site], edited, old, new, page))
                print(" 启动 {:.1f} 秒（本次构建的页面 {:.1f} 秒），改后 {:.1f} 秒（整站重建 {:.1f} 秒），{:.0f} MB".format(*serving[name][-1]),
                      flush=True)
    if args.serve_only:
        return
    check_time, check_rss = measure("gongkai.cli", ["check"], gongkai_site)
    g_pages = sum(1 for _ in (gongkai_site / "site").rglob("index.html"))
    index_time, index_rss = index(gongkai_site / "site")
    audit_time = audit_again(gongkai_site / "site")
    query = first_query(gongkai_site / "site", "社会救助 管理办法")

    def span(values: list[float], digits: int = 1) -> str:
        return f"{min(values):.{digits}f}–{max(values):.{digits}f}" if len(values) > 1 else f"{values[0]:.{digits}f}"

    def ratios(a: str, b: str, plus: str | None = None) -> str:
        pairs = zip(rows[a], rows[b], rows[plus] if plus else [(0.0, 0.0)] * len(rows[b]))
        return span([x[0] / (y[0] + z[0]) for x, y, z in pairs], 2)

    def seconds(name: str) -> str:
        return span([t for t, _ in rows[name]])

    def megabytes(name: str) -> str:
        return span([m for _, m in rows[name]], 0)

    cold = ratios(COLD, PLAIN)
    cold_index = ratios(COLD, PLAIN, PLAIN_INDEX)
    print(f"""
{args.documents} 件文件、{args.units} 个机构：gongkai {g_pages} 个页面，纯 MkDocs {pages} 个页面；各 {args.runs} 次，交替进行
                                     gongkai          纯 MkDocs
  冷构建（秒，含索引和检查）           {seconds(COLD):>12}    {seconds(PLAIN):>12}    比值 {cold}（目标 ≤ 0.75）；对纯 MkDocs + Pagefind {cold_index}
  改一个文件标题后构建（秒）           {seconds(WARM):>12}    {seconds(PLAIN_WARM):>12}    （目标 ≤ 15 秒）
  构建的进程树峰值内存（MB）          {megabytes(COLD):>12}    {megabytes(PLAIN):>12}    （目标 ≤ 1200；纯 MkDocs 的 Pagefind {megabytes(PLAIN_INDEX)}）""")
    for name, label in (("gongkai", "gongkai"), ("纯 MkDocs", "纯 MkDocs")):
        if name in serving:
            runs = serving[name]
            print(f"  serve {label}：启动到第一个页面 {span([r[0] for r in runs])} 秒（目标 ≤ 10），"
                  f"到本次构建的页面 {span([r[1] for r in runs])} 秒，"
                  f"保存修改到新页面 {span([r[2] for r in runs])} 秒（目标 ≤ 3；整站重建完 {span([r[3] for r in runs])} 秒），"
                  f"进程树峰值 {span([r[4] for r in runs], 0)} MB")
    print(f"""
  gongkai check                    {check_time:.1f} 秒，峰值内存 {check_rss:.0f} MB
  其中 Pagefind 索引（单独再运行）    {index_time:.1f} 秒，Pagefind 进程峰值 {index_rss:.0f} MB，索引 {size_mb(gongkai_site / "site" / "pagefind"):.1f} MB
  其中构建检查（单独再运行）         {audit_time:.1f} 秒
  输出大小                         gongkai {size_mb(gongkai_site / "site"):.0f} MB，纯 MkDocs {size_mb(plain_site / "site"):.0f} MB
  首次检索下载                     {round(query["bytes"] / 1024)} KB，{query["requests"]} 个请求，{query["results"]} 条结果
""")
    if args.json:
        print(json.dumps({"rows": rows, "serve": serving, "check": [check_time, check_rss], "index": [index_time, index_rss],
                          "audit": audit_time, "first_query": query}, ensure_ascii=False))
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
