"""Validate a platform's data (and hand-written pages) without building it: load, then run the rules."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from . import memory, rules
from .findings import Findings
from .load import load_site
from .load.content import check_content, check_theme
from .model import Settings, Site

CHINA = datetime.timezone(datetime.timedelta(hours=8))
REPORT_ENV = "GONGKAI_CHECK_REPORT"
"""A file a build writes the report of its data check into, as `gongkai check --format markdown` prints it
(`gongkai shards build --check-report`): a pipeline's summary, with no job of its own for the check."""
REPORT_TITLE = "数据校验"


def check_data(
    data_dir: str | os.PathLike,
    root: str | os.PathLike | None = None,
    today: datetime.date | None = None,
    settings: Settings | None = None,
    content_dir: str | os.PathLike | None = None,
) -> tuple[Site, Findings]:
    """Load and check `data_dir`, and the hand-written pages in `content_dir` if given."""
    with memory.collection_paused():  # tens of thousands of records, none in a cycle
        site, report = load_data(data_dir, root, today, settings, content_dir)
        report.extend(rules.check(site))
    return site, report


def load_data(
    data_dir: str | os.PathLike,
    root: str | os.PathLike | None = None,
    today: datetime.date | None = None,
    settings: Settings | None = None,
    content_dir: str | os.PathLike | None = None,
    theme_dir: str | os.PathLike | None = None,
) -> tuple[Site, Findings]:
    """`check_data` but the cross-record rules (`rules.check`), which the caller runs; the theme's own folder
    (`theme_dir`, overrides/) is checked for links out of the repository."""
    site, report = load_site(data_dir, root, today or build_date())
    if settings is not None:
        site.settings = settings
    repository = Path(root or Path(data_dir).parent).resolve()
    if content_dir is not None:
        findings, found = check_content(Path(content_dir), repository)
        report.extend(findings)
        site.personal += found
    if theme_dir is not None:
        report.extend(check_theme(Path(theme_dir), repository))
    return site, report


def check_platform(options, data_dir: Path, root: Path, content_dir: Path | None = None,
                   theme_dir: Path | None = None) -> tuple[Site, Findings]:
    """What a build validates, with the `gongkai` plugin's options from mkdocs.yml (`as_of`,
    `interpretation_days`, `timely_from`…): the build and `gongkai check` both call this, so
    that they agree. ValueError (in Chinese) for an option that is not a date."""
    with memory.collection_paused():
        site, report = load_platform(options, data_dir, root, content_dir, theme_dir)
        report.extend(rules.check(site))
    return site, report


def load_platform(options, data_dir: Path, root: Path, content_dir: Path | None = None,
                  theme_dir: Path | None = None) -> tuple[Site, Findings]:
    """`check_platform` but the cross-record rules, which the caller runs (a build, beside planning its pages)."""
    try:
        today = build_date(options.as_of)
    except ValueError:
        raise ValueError(f"gongkai 插件的 as_of 应写作 YYYY-MM-DD，而不是“{options.as_of}”") from None
    try:
        timely_from = datetime.date.fromisoformat(options.timely_from)
    except ValueError:
        raise ValueError(f"gongkai 插件的 timely_from 应写作 YYYY-MM-DD，而不是“{options.timely_from}”") from None
    settings = Settings(interpretation_days=options.interpretation_days, feedback_days=options.feedback_days,
                        timely_from=timely_from, compilation_most=options.compilation_most)
    return load_data(data_dir, root, today, settings, content_dir, theme_dir)


def theme_dir(config) -> Path | None:
    """The theme's own folder of a loaded mkdocs.yml (`custom_dir`, overrides/), if it has one."""
    return Path(config.theme.custom_dir) if config.theme.custom_dir else None


def build_date(as_of: str | None = None) -> datetime.date:
    """The day a build shows statuses for: `as_of`, else SOURCE_DATE_EPOCH, else today in China."""
    if as_of:
        return datetime.date.fromisoformat(as_of)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), CHINA).date()
    return datetime.datetime.now(CHINA).date()
