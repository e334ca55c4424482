"""The `gongkai` command: work on a platform's data without building the site."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .check import check_data

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner is noise for editors


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """gongkai：政务公开平台数据工具。"""


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
@click.option("--data", "data_dir", default=None, help="数据目录（默认取 mkdocs.yml 中 gongkai 插件的 data_dir）")
@click.option("--strict", is_flag=True, help="有警告时也返回失败（与 mkdocs build --strict 一致）")
def check(config_file: str, data_dir: str | None, strict: bool) -> None:
    """校验 data/ 中的全部数据，不生成网站。"""
    root = Path(config_file).resolve().parent
    data = Path(data_dir) if data_dir else _configured_data_dir(Path(config_file))
    if not data.is_dir():
        raise click.ClickException(f"找不到数据目录 {data}")
    _, report = check_data(data, root)
    for line in report.lines():
        click.echo(line)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    click.echo(("校验未通过：" if failed else "校验通过：") + report.summary(), err=failed)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--documents", default=10000, show_default=True, help="文件数")
@click.option("--units", default=300, show_default=True, help="机构数")
@click.option("--seed", default=1, show_default=True, help="随机数种子（相同种子生成相同数据）")
@click.option("--project", default=".", type=click.Path(file_okay=False, path_type=Path), help="提供主题和手写页面的项目目录")
def synth(out: Path, documents: int, units: int, seed: int, project: Path) -> None:
    """生成任意规模的合成平台（用于性能测试）。"""
    from .synth import synthesize

    synthesize(project.resolve(), out, documents, units, seed)
    click.echo(f"已在 {out} 生成 {units} 个机构、{documents} 件文件的合成平台")


def _configured_data_dir(config_file: Path) -> Path:
    """The data_dir of the gongkai plugin in mkdocs.yml, or `data` beside it."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not config_file.is_file():
        return config_file.resolve().parent / "data"
    try:
        config = load_config(str(config_file))
    except ConfigurationError as exc:
        raise click.ClickException(f"{config_file} 有误：{exc}") from None
    plugin = config.plugins.get("gongkai")
    if plugin is None:
        return config_file.resolve().parent / "data"
    return Path(plugin.config.data_dir)


if __name__ == "__main__":  # python -m gongkai.cli
    main()
