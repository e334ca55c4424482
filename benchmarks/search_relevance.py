"""How well the demo's search puts the right page first, as a citizen meets it.

Builds the demo platform (or takes a built site with --site), serves it, and types each query of
benchmarks/search_queries.yml into the search page in headless Chromium (Debian's, as the tests
use), reading the result links in the order shown. Prints hit@1, hit@3, the mean reciprocal rank
and every query that misses. With --documents N it also builds a synthetic platform of N documents
and prints what a reader's browser downloads for a first search there.

    .venv/bin/python benchmarks/search_relevance.py [--site DIR] [--documents 10000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import yaml

REPO = Path(__file__).resolve().parent.parent
QUERIES = Path(__file__).with_name("search_queries.yml")
sys.path.insert(0, str(REPO / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from gongkai.project import copy_platform  # noqa: E402


@dataclass
class Outcome:
    query: str
    first: list[str]
    """The page that must come first; where a query is truly ambiguous, any one of these."""
    also: list[str]
    ranked: list[str]
    """The results the search page shows first (ten)."""
    found: set[str]
    """Every result of the query."""

    @property
    def rank(self) -> int | None:
        ranks = [self.ranked.index(page) + 1 for page in self.first if page in self.ranked]
        return min(ranks) if ranks else None

    @property
    def hit1(self) -> bool:
        return self.rank == 1

    @property
    def hit3(self) -> bool:
        return self.rank is not None and self.rank <= 3 and all(page in self.ranked[:3] for page in self.also)


def build_demo(into: Path) -> Path:
    copy_platform(REPO, into)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=into, check=True)
    return into / "site"


EVERY_RESULT = """async (query) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const { find, OPTIONS } = await import('/assets/gongkai-find.js');
  await pagefind.options(OPTIONS);
  const found = await find(pagefind, query);
  return Promise.all(found.results.map(async (result) => (await result.data()).url));
}"""


def ranked_results(page, url: str, query: str) -> list[str]:
    """The result links of the search page for `query`, in the order shown (the first ten)."""
    page.goto(f"{url}search/?q={quote(query)}")
    page.wait_for_function("""() => {
        const s = document.querySelector('.gk-search__status');
        return s && /^(共找到|没有找到)/.test(s.textContent);
    }""", polling=50)
    links = page.eval_on_selector_all(".gk-search__results h2 a", "links => links.map(a => a.getAttribute('href'))")
    return [link.split("#")[0].lstrip("/") for link in links]


def run_queries(site: Path, cases: list[dict]) -> list[Outcome]:
    from playwright.sync_api import sync_playwright

    outcomes = []
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for case in cases:
            ranked = ranked_results(page, url, case["query"])
            found = {link.split("#")[0].lstrip("/") for link in page.evaluate(EVERY_RESULT, case["query"])}
            first = case["first"] if isinstance(case["first"], list) else [case["first"]]
            outcomes.append(Outcome(case["query"], first, case.get("also", []), ranked, found))
        browser.close()
    return outcomes


def report(outcomes: list[Outcome]) -> None:
    n = len(outcomes)
    hit1 = sum(o.hit1 for o in outcomes) / n
    hit3 = sum(o.hit3 for o in outcomes) / n
    mrr = sum(1 / o.rank for o in outcomes if o.rank) / n
    missing = [o for o in outcomes if not set(o.first) & o.found]
    print(f"查询 {n} 条：hit@1 {hit1:.3f}（目标 ≥ 0.90）  hit@3 {hit3:.3f}（目标 ≥ 0.98）  MRR {mrr:.3f}（前十条之外记 0）  "
          f"结果中根本没有应得页面的查询 {len(missing)} 条（目标 0）")
    for o in outcomes:
        if not o.hit1 or not o.hit3:
            where = f"第 {o.rank} 位" if o.rank else "不在前十条" if set(o.first) & o.found else "不在结果中"
            print(f"  ✗ {o.query}：应为 {' 或 '.join(o.first)}，{where}；前三条 {o.ranked[:3]}")


def first_query_bytes(documents: int) -> None:
    from bench import TYPICAL_QUERIES, first_query  # type: ignore[import-not-found]

    from gongkai.synth import synthesize

    with tempfile.TemporaryDirectory(prefix="gongkai-search-") as work:
        platform = Path(work) / "platform"
        synthesize(REPO, platform, documents, max(20, documents // 33))
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=platform, check=True)
        index_kb = sum(f.stat().st_size for f in (platform / "site" / "pagefind").rglob("*") if f.is_file()) / 1024
        for query in TYPICAL_QUERIES:
            figures = first_query(platform / "site", query)
            counted = first_query(platform / "site", query, filters=True)
            print(f"{documents} 件文件：首次检索“{query}”下载 {figures['bytes'] / 1024:.0f} KB，{figures['requests']} 个请求，"
                  f"{figures['results']} 条结果，{figures['ms']:.0f} 毫秒（目标 < 300 KB）；"
                  f"连同筛选项计数所需的筛选索引 {counted['bytes'] / 1024:.0f} KB")
        print(f"{documents} 件文件：检索索引共 {index_kb / 1024:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built demo site (default: build the demo now)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--documents", type=int, help="also measure the first search on a synthetic platform this large")
    args = parser.parse_args()
    cases = yaml.safe_load(args.queries.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="gongkai-demo-") as work:
        site = args.site or build_demo(Path(work))
        report(run_queries(site, cases))
    if args.documents:
        first_query_bytes(args.documents)


if __name__ == "__main__":
    main()
