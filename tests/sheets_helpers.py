"""Spreadsheets made from a test platform's own data, as an editor would receive them."""

from __future__ import annotations

import datetime

from gongkai.check import check_data
from gongkai.sheets import export_xlsx


def standard_workbook(site, drop: str | None = None) -> bytes:
    """The platform's hjgl standard catalog as an official .xlsx, without row `drop`."""
    platform, _ = check_data(site.root / "data", site.root, datetime.date(2024, 1, 1))
    standard = platform.standards["hjgl"]
    rows = [row for row in standard.rows if row.code != drop]
    return export_xlsx(standard.title, rows, standard.levels)
