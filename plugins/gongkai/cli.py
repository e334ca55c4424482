"""The `gongkai` command: work on a platform's data without building the site."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import click

from .check import check_data
from .model.categories import CATEGORY_KEYS
from .model.document import DOCUMENT_KINDS
from .model.kinds import KINDS, Kind
from .model.unit import UNIT_TYPES

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner is noise for editors


class Problem(click.ClickException):
    """A message for the editor, in Chinese, and exit code 1."""

    def show(self, file=None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


def _check_id(value: str, what: str) -> str:
    from .model.fields import check_id

    try:
        return check_id(value, what)
    except ValueError as exc:
        raise Problem(str(exc)) from None


def _inside(root: Path, path: Path) -> Path:
    from .containment import OutsideRepository, confined

    try:
        return confined(root, path)
    except OutsideRepository as exc:
        raise Problem(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """gongkai：政务公开平台数据工具。"""


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
@click.option("--data", "data_dir", default=None, help="数据目录（默认取 mkdocs.yml 中 gongkai 插件的 data_dir）")
@click.option("--strict", is_flag=True, help="有警告时也返回失败（与 mkdocs build --strict 一致）")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown：用于 CI 的作业摘要")
def check(config_file: str, data_dir: str | None, strict: bool, fmt: str) -> None:
    """校验 data/ 中的全部数据和 content/ 中的手写页面，不生成网站。"""
    from .check import REPORT_TITLE, check_platform
    from .load import kept

    root = Path(config_file).resolve().parent
    options, content, theme = _plugin_options(Path(config_file))
    data = Path(data_dir) if data_dir else Path(options.data_dir)
    if not data.is_dir():
        raise Problem(f"找不到数据目录 {data}")
    try:
        _, report = check_platform(options, data, root, content if content and content.is_dir() else None, theme)
    except ValueError as exc:
        raise Problem(str(exc)) from None
    failed = report.failed(strict)
    if fmt == "markdown":
        click.echo(report.markdown(REPORT_TITLE, failed), nl=False)
    else:
        for line in report.lines():
            click.echo(line)
        click.echo(("校验未通过：" if failed else "校验通过：") + report.summary(), err=failed)
    kept.save_noted()  # the next check (or build) parses only the files changed since
    sys.exit(1 if failed else 0)


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
@click.option("-d", "--site-dir", default="site", show_default=True, type=click.Path(file_okay=False, path_type=Path), help="发布目录")
def build(config_file: str, site_dir: Path) -> None:
    """严格模式构建网站：先构建到临时目录，构建和构建检查都通过后才替换发布目录，失败时原有网站保持不变。"""
    from .publish import PublishFailed, build_and_swap

    try:
        build_and_swap(Path(config_file), site_dir)
    except PublishFailed as exc:
        raise Problem(str(exc)) from None
    click.echo(f"已发布到 {site_dir}/")


@main.command()
@click.argument("site_dir", default="site", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def audit(site_dir: Path, fmt: str) -> None:
    """显示上一次构建的构建检查报告（site/audit/report.json）：问题和链接到的其他网站。"""
    from .audit.report import summary

    click.echo(summary(_audit_report(site_dir), markdown=fmt == "markdown"), nl=False)


def _audit_report(site_dir: Path) -> dict:
    from .audit.report import REPORT_FILE, load_report

    report = site_dir / "audit" / REPORT_FILE
    if not report.is_file():
        raise Problem(f"找不到 {report}：请先构建网站（./dev build，mkdocs.yml 中需启用 gongkai-audit）")
    try:
        return load_report(report)
    except ValueError as exc:
        raise Problem(str(exc)) from None


@main.command()
@click.option("--root", default=".", type=click.Path(file_okay=False, path_type=Path), help="项目根目录")
def schemas(root: Path) -> None:
    """生成编辑器使用的 JSON Schema（schemas/）和 VS Code 的对应设置（.vscode/settings.json）。"""
    from .schemas import write_schemas

    for path in write_schemas(root):
        click.echo(f"已写入 {path.relative_to(root)}")


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
def cms(config_file: str) -> None:
    """生成网站编辑器（/admin/）的配置 admin/config.yml：表单来自数据模型，提交到 mkdocs.yml 中 gongkai-cms 设置的代码仓库。"""
    from .cms.editor import CONFIG_FILE
    from .cms.plugin import editor_yaml_for

    config = _load_config(Path(config_file))
    plugin = config.plugins.get("gongkai-cms")
    if plugin is None:
        raise Problem(f"{config_file} 中没有启用 gongkai-cms 插件")
    target = Path(config.config_file_path).parent / CONFIG_FILE
    target.parent.mkdir(exist_ok=True)
    target.write_text(editor_yaml_for(config, plugin.config), encoding="utf-8")
    click.echo(f"已写入 {CONFIG_FILE}")


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("serve_args", nargs=-1, type=click.UNPROCESSED)
def edit(serve_args: tuple[str, ...]) -> None:
    """在浏览器中编辑：启动网站编辑器的本地后端和预览（http://localhost:8000/admin/），保存的修改直接写入本目录的 data/。

    其余参数原样交给 mkdocs serve（例如 -a 127.0.0.1:8000）。
    """
    from .cms import local

    click.echo("网站编辑器：http://localhost:8000/admin/ （保存即写入 data/，用 git diff 查看）；预览：http://localhost:8000/ ；按 Ctrl+C 停止")
    try:
        sys.exit(local.run(Path.cwd(), list(serve_args)))
    except RuntimeError as exc:
        raise Problem(str(exc)) from None


@main.command()
@click.argument("site_dir", default="site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--editor", is_flag=True, help="网站编辑器（/admin/）的响应头（deploy/nginx/editor-headers.conf）")
def headers(site_dir: Path, editor: bool) -> None:
    """生成 nginx 安全响应头配置：内容安全策略取自上一次构建的构建检查报告。"""
    from .audit.csp import nginx_headers

    report = _audit_report(site_dir)
    if not editor:
        click.echo(nginx_headers(report["content_security_policy"]), nl=False)
    elif "editor_content_security_policy" in report:
        click.echo(nginx_headers(report["editor_content_security_policy"], framed=False), nl=False)
    else:
        raise Problem("这次构建没有网站编辑器（mkdocs.yml 中没有启用 gongkai-cms）")


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--documents", default=10000, show_default=True, help="文件数")
@click.option("--units", default=300, show_default=True, help="机构数")
@click.option("--seed", default=1, show_default=True, help="随机数种子（相同种子生成相同数据）")
@click.option("--project", default=".", type=click.Path(file_okay=False, path_type=Path), help="提供主题和手写页面的项目目录")
@click.option("--shards", default=0, show_default=True, help="分片数，含公共页面的分片 shared（0：不分片）")
def synth(out: Path, documents: int, units: int, seed: int, project: Path, shards: int) -> None:
    """生成任意规模的合成平台（用于性能测试）。"""
    from .synth import synthesize

    synthesize(project.resolve(), out, documents, units, seed, shards)
    click.echo(f"已在 {out} 生成 {units} 个机构、{documents} 件文件的合成平台")


@main.command()
@click.argument("before")
@click.argument("after", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown：用于合并请求的评论")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
def diff(before: str, after: str | None, fmt: str, config_file: str) -> None:
    """列出两个版本之间数据的变化：新增、修改（逐个字段）、删除的记录，影响的页面和有效性变化。

    BEFORE、AFTER 是 git 版本（如 origin/main、HEAD）；不写 AFTER 时与工作区比较。
    """
    from .check import build_date
    from .review import as_markdown, as_text, review

    root = Path(config_file).resolve().parent
    data = _configured_dirs(Path(config_file))[0].resolve()
    try:
        result = review(root, data.relative_to(root).as_posix(), before, after, build_date())
    except ValueError as exc:
        raise Problem(str(exc)) from None
    click.echo(as_markdown(result) if fmt == "markdown" else as_text(result), nl=False)


@main.group()
def new() -> None:
    """新建一条记录（文件、机构、年度报告、应急预案……），已知的栏目自动填好。"""


def _site_for_new(config_file: str):
    from .check import build_date

    root = Path(config_file).resolve().parent
    data = _configured_dirs(Path(config_file))[0]
    site, _ = check_data(data, root)
    return site, data, build_date()


def _created(paths) -> None:
    for path in paths:
        click.echo(f"已新建 {path}")
    click.echo("请填写其中空着的栏目，然后运行 ./dev check 校验。")


@new.command("document")
@click.option("--unit", required=True, help="发文机关编号，例如 sfj")
@click.option("--category", required=True, type=click.Choice(CATEGORY_KEYS), help="信息类别（决定索引号的类别代码）")
@click.option("--kind", default="其他文件", show_default=True, type=click.Choice(DOCUMENT_KINDS), help="文件类型")
@click.option("--title", default=None, help="标题")
@click.option("--interprets", default=None, help="新建政策解读：所解读的文件的编号")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
def new_document(unit: str, category: str, kind: str, title: str | None, interprets: str | None, config_file: str) -> None:
    """新建一份文件：今天的日期、下一个编号和索引号。"""
    from . import scaffold

    site, data, today = _site_for_new(config_file)
    try:
        _created([scaffold.new_document(site, data, unit, category, kind, title, today, interprets)])
    except ValueError as exc:
        raise Problem(str(exc)) from None


@new.command("unit")
@click.argument("id")
@click.option("--name", required=True, help="全称")
@click.option("--type", "type_", required=True, type=click.Choice(list(UNIT_TYPES)), help="机构类型")
@click.option("--parent", default=None, help="上级单位编号")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
def new_unit(id: str, name: str, type_: str, parent: str | None, config_file: str) -> None:
    """新建一个机构和它的政府信息公开栏目设置。"""
    from . import scaffold

    site, data, today = _site_for_new(config_file)
    try:
        _created(scaffold.new_unit(site, data, id, name, type_, parent, today))
    except ValueError as exc:
        raise Problem(str(exc)) from None


@new.command("report")
@click.option("--unit", required=True, help="机构编号")
@click.option("--year", required=True, type=int, help="报告年度")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
def new_report(unit: str, year: int, config_file: str) -> None:
    """新建一份年度报告：按年度选用格式，上年结转的申请数自动带入。"""
    from . import scaffold

    site, data, today = _site_for_new(config_file)
    try:
        _created([scaffold.new_report(site, data, unit, year, today)])
    except ValueError as exc:
        raise Problem(str(exc)) from None


def _new_record_command(kind: Kind) -> click.Command:
    """`gongkai new <noun> ID` for a kind that declares a starter (`Kind.noun`, `Kind.starter`)."""

    @click.argument("id")
    @click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
    def command(id: str, config_file: str) -> None:
        from . import scaffold

        site, data, today = _site_for_new(config_file)
        try:
            _created([scaffold.new_record(site, data, kind, id, today)])
        except ValueError as exc:
            raise Problem(str(exc)) from None

    command.__doc__ = f"新建一条{kind.name}（data/{kind.path}/ID.yml），今天的日期已填好。"
    return new.command(kind.noun)(command)


@main.group("export")
def export() -> None:
    """导出为电子表格：某一类记录、文件列表（export documents），或单位的附件1、附件2（export unit）。"""


def _export_records_command(kind: Kind) -> None:
    @click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="写入的文件（.xlsx 或 .csv）")
    @click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
    def command(output: Path, config_file: str) -> None:
        from .record_sheets import export_bytes, rows_of

        site, _, _ = _site_for_new(config_file)
        rows = rows_of(site, kind)
        target = _inside(Path(config_file).resolve().parent, output)
        target.write_bytes(export_bytes(rows, target.suffix.lower(), kind.name))
        click.echo(f"已写入 {target}（{len(rows) - 1} 条{kind.name}）")

    command.__doc__ = f"把{kind.name}导出为电子表格（每条一行），例如 gongkai export {kind.noun} -o {kind.name}.xlsx"
    export.command(kind.noun)(command)


@export.command("unit")
@click.argument("id")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True, help="写入的目录")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
def export_unit(id: str, output: Path, config_file: str) -> None:
    """把一个单位写成通知的附件1（工作人员情况表）和附件2（工作职能清单）。"""
    from .unit_forms import form1_xlsx, form2_xlsx

    site, _, _ = _site_for_new(config_file)
    if id not in site.units:
        raise Problem(f"没有编号为“{id}”的机构（data/units/ 中的文件名）")
    folder = _inside(Path(config_file).resolve().parent, output)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in ((f"{id}-附件1.xlsx", form1_xlsx(site.units[id])), (f"{id}-附件2.xlsx", form2_xlsx(site.units[id]))):
        (folder / name).write_bytes(content)
        click.echo(f"已写入 {folder / name}")


@export.command("documents")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="写入的文件（.xlsx 或 .csv）")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
def export_documents(output: Path, config_file: str) -> None:
    """把全部文件导出为文件列表（与 import documents 读取的格式相同，便于迁移到其他平台）。"""
    from .migrate import list_rows
    from .record_sheets import export_bytes

    site, _, _ = _site_for_new(config_file)
    rows = list_rows(site)
    target = _inside(Path(config_file).resolve().parent, output)
    target.write_bytes(export_bytes(rows, target.suffix.lower(), "文件列表"))
    click.echo(f"已写入 {target}（{len(rows) - 1} 件文件）")


@main.group("import")
def import_() -> None:
    """从电子表格导入记录：某一类记录（每行一条），或旧平台导出的文件列表（import documents）。"""


def _import_records_command(kind: Kind) -> None:
    @click.argument("spreadsheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--sheet", default=None, help="工作表名称（默认找第一个有表头的工作表）")
    @click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
    def command(spreadsheet: Path, sheet: str | None, config_file: str) -> None:
        from . import scaffold
        from .record_sheets import read_rows, records_from_rows, yaml_files
        from .sheets import SheetError

        site, data, _ = _site_for_new(config_file)
        try:
            rows, problems = read_rows(spreadsheet, kind, sheet)
        except SheetError as exc:
            raise Problem(f"{spreadsheet}：{exc}") from None
        records, more = records_from_rows(site, kind, rows)
        for problem in [*problems, *more]:
            click.echo(f"{spreadsheet}：{problem}", err=True)
        if problems or more:
            raise Problem(f"表格中有 {len(problems) + len(more)} 处问题，没有导入任何记录")
        try:
            _created(scaffold.write_all(data, yaml_files(kind, data, records, spreadsheet.name)))
        except ValueError as exc:
            raise Problem(str(exc)) from None

    command.__doc__ = f"从电子表格导入{kind.name}（每行一条），全部无误才写入，例如 gongkai import {kind.noun} {kind.name}.xlsx"
    import_.command(kind.noun)(command)


@import_.command("unit")
@click.argument("form2", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("form1", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@click.option("--id", "id_", required=True, help="机构编号（data/units/ 中的文件名）")
@click.option("--type", "type_", type=click.Choice(list(UNIT_TYPES)), default=None, help="机构类型（新机构必填）")
@click.option("--parent", default=None, help="上级单位编号")
@click.option("--force", is_flag=True, help="更新已有的机构（不加时只显示会改哪些栏目）")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
def import_unit(form2: Path, form1: Path | None, id_: str, type_: str | None, parent: str | None, force: bool, config_file: str) -> None:
    """把单位填好的附件2（工作职能清单）和附件1（工作人员情况表）导入为 data/units/<编号>.yml。"""
    from . import scaffold, yamlout
    from .sheets import SheetError
    from .unit_forms import changed_fields, read_form1, read_form2, unit_data

    site, data, today = _site_for_new(config_file)
    _check_id(id_, "机构编号")
    existing = site.units.get(id_)
    if existing is None and id_ in site.ids.get("units", set()):
        raise Problem(f"data/units/{id_}.yml 现有数据有错误，请先改正（./dev check）再导入")
    if existing is None and type_ is None:
        raise Problem("新机构请用 --type 写明机构类型")
    try:
        second = read_form2(form2)
        first = read_form1(form1) if form1 else None
    except SheetError as exc:
        raise Problem(str(exc)) from None
    problems = [*((form2, p) for p in second.problems), *((form1, p) for p in (first.problems if first else []))]
    for path, problem in problems:
        click.echo(f"{path}：{problem}", err=True)
    record = unit_data(existing, second.data, first.data if first else None, type_, parent, today.isoformat())
    target = data / "units" / f"{id_}.yml"
    text = yamlout.dump(record, f"由 {form2.name}{'、' + form1.name if form1 else ''} 导入")
    if existing is not None:
        before = existing.model_dump(mode="json", exclude_defaults=True)
        changed = changed_fields(before, record)
        click.echo(f"将更新的栏目：{'、'.join(changed) if changed else '无'}")
        if not force:
            raise Problem(f"{target} 已经存在，没有覆盖。确认上面的变化无误后，加 --force 再运行一次")
        target.write_text(text, encoding="utf-8")
        click.echo(f"已更新 {target}")
    else:
        column = data / "disclosure" / f"{id_}.yml"
        files = [(target, text)] + ([] if column.exists() else [(column, scaffold.COLUMN.format(name=record.get("name", id_)))])
        _created(scaffold.write_all(data, files))
    if problems:
        sys.exit(1)


@import_.command("documents")
@click.argument("spreadsheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--attachments", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, help="附件所在的目录")
@click.option("--bodies", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="正文所在的目录（.docx、.html、.txt、.md，按文号、索引号或标题对应）")
@click.option("--columns", "mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="映射文件：columns（表头: 字段）和 issuers（机构名称: 编号）")
@click.option("--category", default=None, help="表中没有信息类别时使用的类别")
@click.option("--sheet", default=None, help="工作表名称（默认找第一个有表头的工作表）")
@click.option("--dry-run", is_flag=True, help="只显示会写入什么和需要人工处理的行，不写任何文件")
@click.option("--force", is_flag=True, help="覆盖导入后被编辑修改过的文件")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
def import_documents(spreadsheet: Path, attachments: Path | None, bodies: Path | None, mapping: Path | None, category: str | None,
                     sheet: str | None, dry_run: bool, force: bool, config_file: str) -> None:
    """把旧平台导出的文件列表迁移到 data/documents/：每行一件，正文和附件一并导入。"""
    from . import migrate
    from .sheets import SheetError

    site, data, _ = _site_for_new(config_file)
    try:
        columns, issuers = migrate.load_mapping(mapping)
        rows, problems, ignored = migrate.read_list(spreadsheet, sheet, columns)
    except SheetError as exc:
        raise Problem(f"{spreadsheet}：{exc}") from None
    if problems:
        for problem in problems:
            click.echo(f"{spreadsheet}：{problem}", err=True)
        raise Problem("表头不能全部识别，没有导入任何文件")
    planned = migrate.plan(site, rows, issuers, category, bodies, attachments)
    if ignored:
        click.echo(f"不导入的列：{'、'.join(ignored)}（本平台使用自己的网址和编号）")
    for line in planned.counts(site):
        click.echo(f"  {line}")
    for problem in planned.problems:
        click.echo(f"{spreadsheet}：{problem}（未导入）", err=True)
    for doc in planned.documents:
        for note in doc.review:
            click.echo(f"{spreadsheet}：第 {doc.row} 行（{doc.id}）待核对：{note}", err=True)
    if dry_run:
        click.echo(f"试运行：将导入 {len(planned.documents)} 件，{len(planned.problems)} 行需要处理后才能导入；没有写入任何文件")
        return
    written = migrate.write(planned.documents, data, spreadsheet.name, force)
    for path in written.kept:
        click.echo(f"{path} 导入后已被修改，没有覆盖（确需覆盖请加 --force）", err=True)
    click.echo(f"新建 {len(written.created)} 件，更新 {len(written.updated)} 件，未变 {len(written.unchanged)} 件，"
               f"保留已修改的 {len(written.kept)} 件；{len(planned.problems)} 行未导入。请运行 ./dev check 校验")
    if planned.problems:
        sys.exit(1)


for _kind in KINDS:
    if _kind.noun:
        _new_record_command(_kind)
    if _kind.noun and _kind.columns:
        _import_records_command(_kind)
        _export_records_command(_kind)


@main.group()
def catalog() -> None:
    """标准目录与电子表格的互相转换。"""


@catalog.command("import")
@click.argument("spreadsheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--domain", required=True, help="领域编号，例如 hjgl（户籍管理）")
@click.option("--unit", default=None, help="机构编号：导入该单位采用的目录，生成相对标准目录的变动")
@click.option("--sheet", default=None, help="工作表名称（默认取第一个有表头的工作表）")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出的 YAML 文件（- 表示输出到屏幕）")
@click.option("--force", is_flag=True, help="覆盖已有的文件（不加时只显示会有哪些变化）")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
def catalog_import(spreadsheet: Path, domain: str, unit: str | None, sheet: str | None, output: Path | None, force: bool,
                   config_file: str) -> None:
    """把官方格式的标准目录电子表格（.xlsx 或 UTF-8、GBK 编码的 .csv）转换为 YAML。"""
    from . import yamlout
    from .model.catalog import changes_between, keep_reasons
    from .model.domains import BY_ID
    from .sheets import SheetError, import_sheet

    if domain not in BY_ID:
        raise Problem(f"未知的领域编号“{domain}”；可用的编号：" + "、".join(f"{d.id}（{d.name}）" for d in BY_ID.values()))
    if unit is not None:
        _check_id(unit, "机构编号")
    try:
        result = import_sheet(spreadsheet, sheet)
    except SheetError as exc:
        raise Problem(f"{spreadsheet}：{exc}") from None
    for problem in result.problems:
        click.echo(f"{spreadsheet}：{problem}", err=True)
    if result.problems:
        raise Problem(f"表格中有 {len(result.problems)} 处问题，没有生成 YAML")
    for warning in result.warnings:
        click.echo(f"{spreadsheet}：提示：{warning}", err=True)
    if confirmation := result.confirmation():
        click.echo(f"{spreadsheet}：{confirmation}", err=True)
    rows = [r.model_dump(mode="json", exclude_defaults=True) for r in result.rows]
    root = Path(config_file).resolve().parent
    data_dir = _configured_dirs(Path(config_file))[0]
    site, _ = check_data(data_dir, root)
    standard = site.standards.get(domain)
    if unit is None:
        target = output or data_dir / "catalogs" / "standard" / f"{domain}.yml"
        before = standard.rows if standard else None
        text = yamlout.dump(
            {"title": result.title or f"{BY_ID[domain].name}领域基层政务公开标准目录", "issuer": BY_ID[domain].issuer,
             "reference": standard.reference if standard and standard.reference else spreadsheet.name,
             "levels": result.levels, "rows": rows},
            f"由 {spreadsheet.name} 导入",
        )
    else:
        if unit not in site.units:
            raise Problem(f"没有编号为“{unit}”的机构（data/units/ 中的文件名）")
        if standard is None:
            raise Problem(f"还没有 {domain} 的标准目录（data/catalogs/standard/{domain}.yml），请先导入标准目录")
        previous = site.catalogs.get(f"{unit}/{domain}")
        changes = keep_reasons(changes_between(standard.rows, result.rows), previous)
        target = output or data_dir / "catalogs" / "units" / unit / f"{domain}.yml"
        adoption = site.adoptions.get(f"{unit}/{domain}")
        before = adoption.rows if adoption else None
        kept_note = {"note": previous.note} if previous and previous.note else {}
        text = yamlout.dump(
            {"compiled": datetime.date.today().isoformat(), **kept_note, "changes": changes},
            f"由 {spreadsheet.name} 导入：共 {len(changes)} 项变动。请在每项的 reason 中填写变动原因（编制说明需要逐项说明）",
        )
    if str(target) == "-":
        click.echo(text, nl=False)
        return
    target = _inside(root, target)
    if target.exists():
        text = _keep_header_comment(target, text)
        if not force:
            click.echo(_what_would_change(before, result.rows))
            raise Problem(f"{target} 已经存在，没有覆盖。确认上面的变化无误后，加 --force 再运行一次")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"已写入 {target}（{len(result.rows)} 个事项）")


def _what_would_change(before, after) -> str:
    from .model.catalog import changes_between

    if before is None:
        return "现有文件不能读取（数据有错误），导入后将整体替换。"
    changes = changes_between(before, after)
    if not changes:
        return "事项没有变化（只会更新导入说明和日期）。"
    lines = [f"覆盖后共 {len(changes)} 项变化："]
    for change in changes:
        code = change.get("row") or change.get("new", {}).get("code", "")
        what = "、".join(change["update"]) if change["action"] == "修改" else change.get("new", {}).get("subitem", "")
        lines.append(f"  {change['action']} {code} {what}".rstrip())
    return "\n".join(lines)


def _keep_header_comment(target: Path, text: str) -> str:
    """The comment lines an editor wrote at the top of the file replace the generated one."""
    existing = target.read_text(encoding="utf-8-sig", errors="replace").splitlines(keepends=True)
    end = next((i for i, line in enumerate(existing) if not line.startswith("#")), len(existing))
    header = "".join(existing[:end])
    return header + text.split("\n", 1)[1] if header and text.startswith("#") else text


@catalog.command("export")
@click.option("--domain", required=True, help="领域编号，例如 hjgl")
@click.option("--unit", default=None, help="机构编号：导出该单位采用的目录；不填则导出标准目录")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="输出文件（.xlsx 或 .csv）")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
def catalog_export(domain: str, unit: str | None, output: Path, config_file: str) -> None:
    """把标准目录或单位目录导出为官方格式的电子表格。"""
    from .model.domains import catalog_title

    if unit is not None:
        _check_id(unit, "机构编号")
    from .sheets import export_csv, export_xlsx

    site, report = check_data(_configured_dirs(Path(config_file))[0], Path(config_file).resolve().parent)
    if report.errors:
        for line in report.lines():
            click.echo(line, err=True)
        raise Problem("数据有错误，请先修正")
    standard = site.standards.get(domain)
    if standard is None:
        raise Problem(f"没有 {domain} 的标准目录")
    if unit is None:
        title, rows = standard.title, standard.rows
    else:
        adoption = site.adoptions.get(f"{unit}/{domain}")
        if adoption is None:
            raise Problem(f"{unit} 没有采用 {domain} 领域的标准目录")
        title = catalog_title(site.units[unit].name, domain)
        rows = adoption.rows
    output = _inside(Path(config_file).resolve().parent, output)
    if output.suffix.lower() == ".csv":
        output.write_text(export_csv(rows, standard.levels), encoding="utf-8")
    else:
        output.write_bytes(export_xlsx(title, rows, standard.levels))
    click.echo(f"已写入 {output}（{len(rows)} 个事项）")


def _load_config(config_file: Path):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        return load_config(str(config_file))
    except ConfigurationError as exc:
        raise Problem(f"{config_file} 有误：{exc}") from None


def _plugin_options(config_file: Path):
    """The gongkai plugin's options in mkdocs.yml (their defaults without it), the docs_dir and the theme's own folder."""
    from .check import theme_dir
    from .config import GongkaiConfig

    config = _load_config(config_file) if config_file.is_file() else None
    if config is not None and (plugin := config.plugins.get("gongkai")) is not None:
        return plugin.config, Path(config.docs_dir), theme_dir(config)
    options = GongkaiConfig()
    options.load_dict({"data_dir": str(config_file.resolve().parent / "data")})
    options.validate()
    return options, Path(config.docs_dir) if config else None, theme_dir(config) if config else None


def _configured_dirs(config_file: Path) -> tuple[Path, Path | None]:
    """The gongkai plugin's data_dir and the docs_dir in mkdocs.yml (defaults: data, no pages)."""
    options, docs_dir, _ = _plugin_options(config_file)
    return Path(options.data_dir), docs_dir



@main.group()
def shards() -> None:
    """大平台分片构建：列出分片，构建一个分片，把各分片合并为一个网站（mkdocs.yml 中 gongkai 插件的 shards）。"""


@shards.command("plan")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "names"]), default="text", show_default=True,
              help="json：分片名的 JSON 列表（GitHub Actions 的矩阵）；names：每行一个分片名")
def shards_plan(config_file: str, fmt: str) -> None:
    """列出各分片：包含的机构、文件数、页面数，以及按基准测试估计的构建用时和内存。"""
    import json

    from .check import check_platform
    from .pages import generate
    from .shards import ShardRule, plan

    options, content, _ = _plugin_options(Path(config_file))
    try:
        rule = ShardRule.of(options.shards)
        if fmt != "text":  # the rule alone: the pipelines' matrix
            click.echo(json.dumps(rule.names) if fmt == "json" else "\n".join(rule.names))
            return
        site, _ = check_platform(options, Path(options.data_dir), Path(config_file).resolve().parent, None)
    except ValueError as exc:
        raise Problem(str(exc)) from None
    handwritten = sum(1 for p in content.rglob("*.md")) if content and content.is_dir() else 0
    records = sum(len(records) for records in site.records.values())
    plans = plan(rule, site.units, (d.issuer for d in site.documents.values()), (v.owner for v in generate(site, options.per_page)),
                 records, handwritten)
    click.echo(f"{'分片':<14}{'机构':>6}{'文件':>9}{'页面':>9}{'估计用时':>10}{'估计内存':>10}")
    for shard in plans:
        click.echo(f"{shard.name:<16}{len(shard.units):>6}{shard.documents:>10}{shard.pages:>10}"
                   f"{shard.seconds:>10.0f} 秒{shard.megabytes:>9.0f} MB")
    for pattern in rule.unmatched(site.units):
        click.echo(f"提示：分片规则中的“{pattern}”没有对应任何机构", err=True)
    click.echo("（每个分片都读取全部数据，只生成、检查和索引自己的页面；估计值来自 10 万件文件分 10 片在 2 核机器上的基准测试）")


@shards.command("affected")
@click.argument("before")
@click.argument("after", required=False)
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def shards_affected(before: str, after: str | None, config_file: str, fmt: str) -> None:
    """列出两个版本之间的变化要重新构建的分片（合并请求只构建这些分片）。不写 AFTER 时与工作区比较。"""
    import json

    from .check import build_date
    from .review import changed_paths, review
    from .shards import SHARED, ShardRule

    root = Path(config_file).resolve().parent
    options, _, _ = _plugin_options(Path(config_file))
    data = Path(options.data_dir).resolve().relative_to(root).as_posix()
    try:
        rule = ShardRule.of(options.shards)
        outside = [path for path in changed_paths(root, before, after, data) if not path.startswith(f"{data}/")]
        owners = set() if outside else {o for change in review(root, data, before, after, build_date()).records for o in change.owners}
    except ValueError as exc:
        raise Problem(str(exc)) from None
    names = rule.names if outside else sorted({SHARED, *(rule.shard_of(owner) for owner in owners)}, key=rule.names.index)
    click.echo(json.dumps(names) if fmt == "json" else "\n".join(names))


@shards.command("build")
@click.argument("name")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
@click.option("-d", "--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="输出目录（默认 shards/分片名）")
@click.option("--check-report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="把构建时数据校验的结果写入此文件（Markdown，与 gongkai check --format markdown 相同），供流水线的摘要使用")
def shards_build(name: str, config_file: str, out: Path | None, check_report: Path | None) -> None:
    """严格模式构建一个分片：读取全部数据，只生成、检查和索引本分片的页面，并写出分片清单。"""
    from .check import REPORT_ENV
    from .shards import ENV, ShardRule, chosen

    options, _, _ = _plugin_options(Path(config_file))
    try:
        chosen(ShardRule.of(options.shards), name)
    except ValueError as exc:
        raise Problem(str(exc)) from None
    out = out or Path("shards") / name
    sys.stdout.flush()
    sys.stderr.flush()
    # MkDocs in place of this process (its exit status is the job's): as a child, this one's 40 MB would add to the
    # shard's peak, which the runner must hold
    os.execve(sys.executable, [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config_file, "-d", str(out)],
              {**os.environ, ENV: name, **({REPORT_ENV: str(check_report.resolve())} if check_report else {})})


@shards.command("merge")
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="站点配置文件")
@click.option("-d", "--site-dir", default="site", show_default=True, type=click.Path(file_okay=False, path_type=Path), help="发布目录")
def shards_merge(folders: tuple[Path, ...], config_file: str, site_dir: Path) -> None:
    """把各分片的构建结果合并为一个网站：先核对分片清单（同一份数据、文件不重不漏），合并站内搜索索引和构建检查报告；
    核对不通过时原有的发布目录保持不变。"""
    import shutil
    import tempfile

    from .audit.plugin import AuditPlugin
    from .publish import swap
    from .shard_merge import ShardsDisagree, merge_shards

    config = _load_config(Path(config_file))
    audit = next((p for p in config.plugins.values() if isinstance(p, AuditPlugin) and p.config.enabled), None)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        merged = merge_shards(list(folders), staging, audit.config.report_dir if audit else None, config.site_name)
        swap(staging, site_dir)
    except ShardsDisagree as exc:
        raise Problem(str(exc)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    click.echo(f"已把 {len(merged)} 个分片（{'、'.join(s.name for s in merged)}）合并发布到 {site_dir}/")


if __name__ == "__main__":  # python -m gongkai.cli
    main()
