"""Typed options of the `gongkai` plugin (the `plugins: - gongkai:` block of mkdocs.yml)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

from .containment import within


class PositiveInt(c.Type):
    def __init__(self, default: int):
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if isinstance(number, bool) or number < 1:
            raise c.ValidationError(f"应为正整数，而不是 {value!r}")
        return number


class InsideRepository(c.Dir):
    """A folder inside the folder of mkdocs.yml, links followed: a build reads nothing from elsewhere."""

    def run_validation(self, value: object) -> str:
        path = super().run_validation(value)
        if self.config_dir and not within(Path(path), Path(self.config_dir)):
            raise c.ValidationError(f"应为仓库（{self.config_dir}）之内的目录，而不是 {value!r}（{Path(path).resolve()}）")
        return path


class GongkaiConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing its configuration."""

    data_dir = InsideRepository(exists=False, default="data")
    """The editors' YAML, relative to mkdocs.yml."""

    as_of = c.Optional(c.Type(str))
    """The day statuses are shown for, as YYYY-MM-DD. Default: the build date in China
    (UTC+8), or the date of SOURCE_DATE_EPOCH when that is set (reproducible builds)."""

    per_page = PositiveInt(default=50)
    """Documents per page in the paginated lists."""

    interpretation_days = c.Type(int, default=3)
    """A 政策解读 published more working days than this after its document is reported."""

    feedback_days = c.Type(int, default=30)
    """An 意见征集 closed more days ago than this without its 采纳情况反馈 is reported."""

    timely_from = c.Type(str, default="2008-05-01")
    """Documents written before this day (YYYY-MM-DD) are 历史文件: published here long after
    they were made, they are not checked for lateness. Default: the day the 2008 条例 came
    into force; a platform may set the day it was launched."""

    compilation_most = PositiveInt(default=200)
    """The most full texts on one page of the 制度文件汇编: past it, the 汇编 is one part per
    发文机关 (each paginated past it too), under a page that lists them."""

    processes = c.Type(int, default=0)
    """Processes rendering the pages through the theme: 0, one per CPU core; 1, MkDocs' own
    loop alone (always so in `mkdocs serve`, which builds in a thread: see parallel.py)."""

    shards = c.Type(dict, default={})
    """The platform in shards (`shards.py`): shard name → the units it builds, by id or pattern
    (``["*jd", gxq]``); the first shard whose pattern matches a unit takes it. The platform's own
    pages, and units no shard names, are the shard ``shared``. `GONGKAI_SHARD=<name>` builds one."""
