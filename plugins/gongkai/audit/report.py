"""The audit report: a JSON file for tools and a page for the site's maintainers.

Both list the other sites the platform links to, by host, so that each can be checked
for an AAAA record (the IPv6 measurement follows links two and three levels deep), the
findings, and the Content-Security-Policy the site needs.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..findings import Findings, Position, error, warning
from .run import Result

TEMPLATES = Path(__file__).parent / "templates"
REPORT_FILE = "report.json"


def as_json(result: Result, policy: str, built: datetime.date, editor_policy: str | None = None) -> dict:
    data = {
        "built": built.isoformat(),
        "pages": result.pages,
        "files": result.files,
        "errors": len(result.report.errors),
        "warnings": len(result.report.warnings),
        "findings": [
            {"severity": f.severity.name.lower(), "file": f.position.file, "line": f.position.line, "message": f.message}
            for f in result.report.sorted()
        ],
        "hosts": result.hosts,
        "content_security_policy": policy,
    }
    if editor_policy:  # the web editor under /admin/ (gongkai-cms) has its own
        data["editor_content_security_policy"] = editor_policy
    return data


def write_report(result: Result, folder: Path, policy: str, built: datetime.date, site_name: str,
                 editor_policy: str | None = None) -> None:
    write_report_data(as_json(result, policy, built, editor_policy), folder, site_name)


def write_report_data(data: dict, folder: Path, site_name: str) -> None:
    """Write a report (`as_json`'s form) as JSON and as the maintainers' page."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / REPORT_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    page = env.get_template("audit.html").render(report=data, site_name=site_name)
    (folder / "index.html").write_text(page, encoding="utf-8")


def load_report(file: Path) -> dict:
    """A report written by `write_report`; ValueError (in Chinese) for anything else."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        data = None
    finding = {"severity": str, "file": str, "line": int, "message": str}
    valid = (
        isinstance(data, dict)
        and all(isinstance(data.get(k), int) for k in ("pages", "files"))
        and isinstance(data.get("content_security_policy"), str)
        and isinstance(data.get("editor_content_security_policy", ""), str)
        and isinstance(data.get("hosts"), dict)
        and all(isinstance(uses, dict) and all(isinstance(u, list) for u in uses.values()) for uses in data["hosts"].values())
        and isinstance(data.get("findings"), list)
        and all(isinstance(f, dict) and all(isinstance(f.get(k), t) for k, t in finding.items()) for f in data["findings"])
    )
    if not valid:
        raise ValueError(f"{file} 不是构建检查报告（文件损坏或格式不对）：请重新构建网站（./dev build）")
    return data


def summary(report: dict, markdown: bool = False) -> str:
    """The report as a reader of a CI log or job summary wants it: findings, then other sites."""
    findings = Findings([(error if f["severity"] == "error" else warning)(Position(f["file"], f["line"]), f["message"])
                       for f in report["findings"]])
    failed = bool(findings.errors)
    checked = f"共检查 {report['pages']} 个页面、{report['files']} 个文件。"
    hosts = [(host, "、".join(uses)) for host, uses in report["hosts"].items()]
    if not markdown:
        lines = [f"构建检查：{'未通过' if failed else '通过'}（{findings.summary()}）{checked}", *(f"  {line}" for line in findings.lines()),
                 "链接到的其他网站（请核实是否支持 IPv6）：", *(f"  {host}（{how}）" for host, how in hosts)]
        return "\n".join(lines) + "\n"
    lines = [findings.markdown("构建检查", failed), checked, "", "链接到的其他网站（请核实是否有 AAAA 记录）：", "",
             "| 域名 | 方式 |", "|---|---|", *(f"| `{host}` | {how} |" for host, how in hosts)]
    return "\n".join(lines) + "\n"
