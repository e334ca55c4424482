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

from .run import Result

TEMPLATES = Path(__file__).parent / "templates"


def as_json(result: Result, policy: str, built: datetime.date) -> dict:
    return {
        "built": built.isoformat(),
        "pages": result.pages,
        "files": result.files,
        "errors": len(result.report.errors),
        "warnings": len(result.report.warnings),
        "findings": [
            {"severity": "error" if f.is_error else "warning", "file": f.position.file, "line": f.position.line, "message": f.message}
            for f in result.report.sorted()
        ],
        "hosts": result.hosts,
        "content_security_policy": policy,
    }


def write_report(result: Result, folder: Path, policy: str, built: datetime.date, site_name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = as_json(result, policy, built)
    (folder / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    page = env.get_template("audit.html").render(report=data, site_name=site_name)
    (folder / "index.html").write_text(page, encoding="utf-8")
