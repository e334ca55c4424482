"""Validate a platform's data without building it: load every record, then run the rules."""

from __future__ import annotations

import os

from . import rules
from .findings import Report
from .load import load_site
from .model import Site


def check_data(data_dir: str | os.PathLike, root: str | os.PathLike | None = None) -> tuple[Site, Report]:
    site, report = load_site(data_dir, root)
    report.extend(rules.check(site))
    return site, report
