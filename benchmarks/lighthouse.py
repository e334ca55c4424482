"""Lighthouse (mobile) on the demo platform served by the project's own nginx over HTTPS.

Builds the demo (or takes a built site with --site), serves it with deploy/nginx/ as the tests
do (a throw-away certificate; Chromium maps the platform's host name to loopback), and runs
Lighthouse from npm (pinned in benchmarks/lighthouse/, installed on first use) with Debian's
Chromium on each page type. Prints the four scores, the layout shift, and every best-practice
audit that fails. Figures, not a test: Lighthouse's throttled timings vary with the machine.

    .venv/bin/python benchmarks/lighthouse.py [--site DIR] [--pages documents/ units/sfj/ …]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOOL = HERE / "lighthouse"
sys.path.insert(0, str(HERE.parent / "tests"))

from search_relevance import build_demo  # noqa: E402
from test_deploy import HOST, nginx  # noqa: E402

from conftest import CHROMIUM  # noqa: E402

PAGES = ["", "search/?q=低保", "documents/", "documents/qzfb-2020-38/", "documents/year/2020/", "units/qzfb/",
         "catalogs/standard/hjgl/", "reports/lcq/2023/", "disclosure/guide/", "plans/zongti/", "consultations/canyu/"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def lighthouse() -> Path:
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--prefix", str(TOOL), "--no-audit", "--no-fund", "--ignore-scripts"], check=True)
    return binary


def audit(binary: Path, url: str, out: Path) -> dict:
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors",
             f'--host-resolver-rules="MAP {HOST} 127.0.0.1"']  # quoted: Lighthouse splits its Chrome flags at spaces
    run = subprocess.run([str(binary), url, "--quiet", "--output=json", f"--output-path={out}", f"--chrome-flags={' '.join(flags)}",
                          f"--only-categories={','.join(CATEGORIES)}"],
                         env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin", "HOME": str(out.parent)}, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"Lighthouse 运行失败（{url}）：{(run.stderr or run.stdout)[-1500:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def summary(report: dict) -> tuple[dict[str, int], float, list[str]]:
    scores = {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    shift = report["audits"]["cumulative-layout-shift"]["numericValue"]
    failing = [ref["id"] for ref in report["categories"]["best-practices"]["auditRefs"]
               if ref["weight"] and (report["audits"][ref["id"]]["score"] or 0) < 1]
    return scores, shift, failing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built demo site (default: build the demo now)")
    parser.add_argument("--pages", nargs="+", default=PAGES)
    args = parser.parse_args()
    binary = lighthouse()
    with tempfile.TemporaryDirectory(prefix="gongkai-lighthouse-") as work:
        site = args.site or build_demo(Path(work))
        (Path(work) / "nginx").mkdir()
        with nginx(site.resolve(), Path(work) / "nginx") as (_, https):
            print(f"{'页面':<28} 性能  无障碍  最佳做法  SEO  布局偏移  未通过的最佳做法审核")
            for path in args.pages:
                scores, shift, failing = summary(audit(binary, f"https://{HOST}:{https}/{path}", Path(work) / "report.json"))
                print(f"/{path:<27} {scores['performance']:>4} {scores['accessibility']:>6} {scores['best-practices']:>8} "
                      f"{scores['seo']:>4} {shift:>8.3f}  {'、'.join(failing) or '—'}", flush=True)


if __name__ == "__main__":
    main()
