"""Moving in an old platform's documents: a list exported the way CMS list pages export it
(variant headers, dates in every format, issuers by short name), bodies and attachments
beside it, and what needs a person reported by row and column."""

from __future__ import annotations

import datetime
import struct
import subprocess
import sys
import zlib

import pytest
from docx import Document as Docx
from openpyxl import Workbook

from conftest import findings, text_pdf
from gongkai.project import copy_platform

HEADERS = ["序号", "信息名称", "发布机构", "发文字号", "生成日期", "发布日期", "索引号", "有效性", "废止日期", "信息类别", "附件", "链接"]


def png() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def old_platform(site) -> None:
    """The export, its bodies and its attachments, as a unit brings them."""
    wb = Workbook()
    ws = wb.active
    ws.append(["测试区人民政府办公室信息公开目录导出"])
    ws.append(HEADERS)
    ws.append([1, "关于做好2023年防汛工作的通知", "区政府办", "测政办〔2023〕5号", "2023年4月6日", "2023-04-10 16:40",
               "QZ001-0100-2023-00005", "有效", None, "其他主动公开信息", "防汛责任人名单.pdf", "http://old.example.gov.cn/a/5.html"])
    ws.append([2, "关于印发测试区节水行动方案的通知", "测试区人民政府办公室", "测政办〔2023〕6号", datetime.datetime(2023, 5, 8),
               "2023/5/12", None, "已废止", "2023年12月1日", "其他主动公开信息", None, None])
    ws.append([3, "关于开展消防安全检查的通知", "区政府办", "测政办〔2023〕7号", 45090, "2023.06.20", None, "失效", None,
               "其他主动公开信息", None, None])
    ws.append([4, "关于旧机构的通知", "测试区某某局", "测某〔2023〕1号", "2023-07-01", "2023-07-03", None, "有效", None,
               "其他主动公开信息", None, None])
    ws.append([5, "关于做好2023年防汛工作的通知（重复）", "区政府办", "测政办[2023]5号", "2023-04-06", "2023-04-11", None, "有效", None,
               "其他主动公开信息", None, None])
    ws.append([6, "关于日期写错的通知", "区政府办", None, "2023年13月1日", "2023-08-01", None, "有效", None, "其他主动公开信息", None, None])
    wb.save(site.root / "list.xlsx")
    (site.root / "bodies").mkdir()
    body = Docx()
    body.add_heading("一、总体要求", level=2)
    body.add_paragraph("各单位要落实防汛责任。")
    table = body.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "单位", "责任人"
    table.cell(1, 0).text, table.cell(1, 1).text = "区政府办", "值班室"
    (site.root / "pic.png").write_bytes(png())
    body.add_picture(str(site.root / "pic.png"))
    body.save(site.root / "bodies" / "测政办〔2023〕5号.docx")
    (site.root / "bodies" / "关于印发测试区节水行动方案的通知.html").write_text(
        "<h2>节水行动</h2><ol><li>农业节水</li><li>工业节水</li></ol><script>alert(1)</script>", encoding="utf-8")
    (site.root / "files").mkdir()
    (site.root / "files" / "防汛责任人名单.pdf").write_bytes(text_pdf("Flood duty list"))


def gongkai(site, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], cwd=site.root, capture_output=True, text=True, timeout=300)


def test_a_dry_run_reports_everything_and_writes_nothing(doc_site):
    old_platform(doc_site)
    before = sorted(p for p in (doc_site.root / "data").rglob("*"))
    result = gongkai(doc_site, "import", "documents", "list.xlsx", "--bodies", "bodies", "--attachments", "files", "--dry-run")
    assert sorted(p for p in (doc_site.root / "data").rglob("*")) == before
    assert "测试区人民政府办公室 2023 年：3 件" in result.stdout
    assert "不导入的列：序号、链接" in result.stdout
    errors = result.stderr
    assert "第 6 行“发布机构”列：找不到发布机构“测试区某某局”" in errors
    assert "第 7 行“文号”列：文号“测政办〔2023〕5号”与第 3 行重复" in errors
    assert "第 8 行“成文日期”列：无法识别的日期“2023年13月1日”" in errors
    assert "第 5 行" in errors and "原平台标注为“失效”，没有失效日期" in errors
    assert "试运行：将导入 3 件，3 行需要处理后才能导入" in result.stdout


def test_the_import_writes_records_bodies_and_attachments_the_build_accepts(doc_site):
    old_platform(doc_site)
    result = gongkai(doc_site, "import", "documents", "list.xlsx", "--bodies", "bodies", "--attachments", "files")
    assert result.returncode == 1  # three rows were not imported
    assert "新建 3 件" in result.stdout
    written = sorted((doc_site.root / "data/documents/2023").glob("office-2023-*.yml"))
    assert len(written) == 3
    texts = {p.name: p.read_text(encoding="utf-8") for p in written}
    flood = next(t for t in texts.values() if "防汛" in t)
    assert "published: 2023-04-10 16:40" in flood and "written: '2023-04-06'" in flood
    assert "index_number: QZ001-0100-2023-00005" in flood and "title: 防汛责任人名单" in flood
    saving = next(t for t in texts.values() if "节水" in t)
    assert "type: 废止" in saving and "2023-12-01" in saving
    body = next(p for p in written if "防汛" in texts[p.name]).with_suffix(".md").read_text(encoding="utf-8")
    assert "## 一、总体要求" in body and "| 单位 | 责任人 |" in body and "![](office-2023-" in body
    html_body = next(p for p in written if "节水" in texts[p.name]).with_suffix(".md").read_text(encoding="utf-8")
    assert "1. 农业节水" in html_body and "alert" not in html_body
    # the 失效 without a date is written, for a person to complete: the build names it; the body's image
    # has no text to search for personal information, so a person checks it too
    lines = [line for line in findings(doc_site) if "office-2023-" in line]
    assert len(lines) == 2 and "“失效”事件需要填写 date" in lines[0] and "-图1.png" in lines[1]
    image = lines[1].split("file: ")[1].split("、")[0]
    doc_site.write("data/privacy.yml", f"reviewed:\n  - file: {image}\n    checked_by: 区政府办 测试\n    date: 2024-01-01\n")
    fire = next(p for p in written if "消防" in texts[p.name])
    fire.write_text(fire.read_text(encoding="utf-8").replace("reason: 原平台标注为“失效”", "reason: 原平台标注为“失效”\n    date: 2023-09-01"),
                    encoding="utf-8")
    assert [line for line in findings(doc_site) if "office-2023-" in line] == []
    doc_site.build()
    page = doc_site.html(f"documents/{written[0].stem}/index.html")
    assert page.find("dl", class_="gk-meta")


def test_running_it_again_changes_nothing_and_keeps_an_editors_changes(doc_site):
    old_platform(doc_site)
    gongkai(doc_site, "import", "documents", "list.xlsx", "--bodies", "bodies", "--attachments", "files")
    written = sorted((doc_site.root / "data/documents/2023").glob("office-2023-*.yml"))
    snapshot = {p: p.read_bytes() for p in written}
    again = gongkai(doc_site, "import", "documents", "list.xlsx", "--bodies", "bodies", "--attachments", "files")
    assert "新建 0 件，更新 0 件，未变 3 件" in again.stdout
    assert {p: p.read_bytes() for p in written} == snapshot
    edited = written[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: ", "title: （编辑改过）", 1), encoding="utf-8")
    third = gongkai(doc_site, "import", "documents", "list.xlsx", "--bodies", "bodies", "--attachments", "files")
    assert "导入后已被修改，没有覆盖" in third.stderr and "（编辑改过）" in edited.read_text(encoding="utf-8")
    forced = gongkai(doc_site, "import", "documents", "list.xlsx", "--bodies", "bodies", "--attachments", "files", "--force")
    assert "更新 1 件" in forced.stdout and "（编辑改过）" not in edited.read_text(encoding="utf-8")


def test_a_mapping_file_settles_unknown_headers_and_old_names(doc_site):
    old_platform(doc_site)
    wb = Workbook()
    wb.active.append(["标题", "来源单位", "发布时间", "栏目"])
    wb.active.append(["关于老名称的通知", "测试区人民政府办公室（原区府办）", "2023-09-01", "其他主动公开信息"])
    wb.save(doc_site.root / "odd.xlsx")
    refused = gongkai(doc_site, "import", "documents", "odd.xlsx", "--dry-run")
    assert refused.returncode == 1 and "第 1 行“来源单位”列：无法识别的表头" in refused.stderr and "“栏目”列" in refused.stderr
    (doc_site.root / "map.yml").write_text("columns:\n  来源单位: issuer\n  栏目: category\nissuers:\n  测试区人民政府办公室（原区府办）: office\n",
                                           encoding="utf-8")
    mapped = gongkai(doc_site, "import", "documents", "odd.xlsx", "--columns", "map.yml")
    assert mapped.returncode == 0, mapped.stderr
    assert "新建 1 件" in mapped.stdout


def test_the_same_document_listed_twice_is_reported_not_written_twice(doc_site):
    wb = Workbook()
    wb.active.append(["标题", "发布机构", "发布日期", "信息类别"])
    for _ in range(2):
        wb.active.append(["关于无文号事项的通知", "区政府办", "2023-09-01", "其他主动公开信息"])
    wb.save(doc_site.root / "twice.xlsx")
    result = gongkai(doc_site, "import", "documents", "twice.xlsx")
    assert "第 3 行：与第 2 行是同一件文件" in result.stderr
    assert "新建 1 件" in result.stdout and result.returncode == 1


def test_the_demos_documents_leave_and_come_back_the_same(tmp_path):
    """export documents, then import documents into the platform without them: the same records."""
    import shutil

    from conftest import REPO, Sandbox
    from gongkai.check import check_data

    root = tmp_path / "demo"
    copy_platform(REPO, root)
    demo = Sandbox(root)
    before, _ = check_data(root / "data", root)
    exported = gongkai(demo, "export", "documents", "-o", "list.xlsx")
    assert exported.returncode == 0, exported.stderr
    (root / "bodies").mkdir()
    (root / "files").mkdir()
    for path in (root / "data" / "documents").rglob("*"):
        if path.suffix == ".md":
            shutil.copy(path, root / "bodies" / path.name)
        elif path.is_file() and path.suffix != ".yml":
            shutil.copy(path, root / "files" / path.name)
    shutil.rmtree(root / "data" / "documents")
    imported = gongkai(demo, "import", "documents", "list.xlsx", "--bodies", "bodies", "--attachments", "files")
    assert imported.returncode == 0, imported.stderr
    after, report = check_data(root / "data", root)
    assert set(after.documents) == set(before.documents)
    for id, old in before.documents.items():
        new = after.documents[id]
        assert new.model_dump(exclude={"index_number"}) == old.model_dump(exclude={"index_number"}), id
        assert after.register.index_numbers[id] == before.register.index_numbers[id]
        assert after.register.status[id] == before.register.status[id]
    assert report.errors == []


def test_a_newer_export_updates_changed_rows_and_adds_new_ones(doc_site):
    def export(rows):
        wb = Workbook()
        wb.active.append(["标题", "发布机构", "文号", "发布日期", "信息类别"])
        for row in rows:
            wb.active.append(row)
        wb.save(doc_site.root / "list.xlsx")

    export([["关于甲事项的通知", "区政府办", "测政办〔2023〕11号", "2023-09-01", "其他主动公开信息"]])
    assert "新建 1 件" in gongkai(doc_site, "import", "documents", "list.xlsx").stdout
    export([["关于甲事项的通知（更正）", "区政府办", "测政办〔2023〕11号", "2023-09-01", "其他主动公开信息"],
            ["关于乙事项的通知", "区政府办", "测政办〔2023〕12号", "2023-09-05", "其他主动公开信息"]])
    again = gongkai(doc_site, "import", "documents", "list.xlsx")
    assert "新建 1 件，更新 1 件，未变 0 件" in again.stdout, again.stdout + again.stderr
    titles = sorted(p.read_text(encoding="utf-8").split("title: ")[1].split("\n")[0] for p in (doc_site.root / "data/documents/2023").glob("office-2023-*.yml"))
    assert titles == ["关于乙事项的通知", "关于甲事项的通知（更正）"]


def test_the_metadata_of_a_catalog_standard_are_read_too(doc_site):
    """The fields 政府信息公开目录编制规范 prescribe, as some platforms export them."""
    wb = Workbook()
    wb.active.append(["信息名称", "文件编号", "产生日期", "发布机构", "公开属性", "目录分类", "涉密状态", "发布日期"])
    wb.active.append(["关于丙事项的通知", "测政办〔2023〕13号", "2023-09-01", "测试区人民政府办公室", "主动公开", "其他主动公开信息", "非涉密", "2023-09-04"])
    wb.save(doc_site.root / "spec.xlsx")
    result = gongkai(doc_site, "import", "documents", "spec.xlsx")
    assert result.returncode == 0, result.stderr
    assert "不导入的列：涉密状态" in result.stdout and "新建 1 件" in result.stdout
    [written] = (doc_site.root / "data/documents/2023").glob("office-2023-*.yml")
    text = written.read_text(encoding="utf-8")
    assert "number: 测政办〔2023〕13号" in text and "written: '2023-09-01'" in text and "disclosure: 主动公开" in text


def test_a_category_is_matched_only_when_one_fits(doc_site):
    wb = Workbook()
    wb.active.append(["标题", "发布机构", "发布日期", "信息类别"])
    wb.active.append(["关于丁事项的通知", "区政府办", "2023-09-01", "规范性文件"])
    wb.active.append(["关于戊事项的通知", "区政府办", "2023-09-02", "信息"])
    wb.save(doc_site.root / "categories.xlsx")
    result = gongkai(doc_site, "import", "documents", "categories.xlsx", "--dry-run")
    assert "将导入 1 件" in result.stdout
    assert "第 3 行“信息类别”列：无法对应到《条例》规定的信息类别：“信息”" in result.stderr


@pytest.mark.parametrize("machine, said", [
    ("5", "“机读数据”列：不是有效的数据"),
    ("null", "“机读数据”列：不是有效的数据"),
    ('{"events": 5}', "events（生命周期事件）：应为列表"),
    ('{"events": [5]}', "events.第1项（生命周期事件）：应为一组“字段: 值”"),
    ('{"attachments": [5]}', "attachments.第1项（附件）：应为一组“字段: 值”"),
])
def test_a_machine_column_edited_by_hand_is_reported_by_row(doc_site, machine, said):
    """The 机读数据 column gongkai's export writes, overwritten in a spreadsheet program with anything."""
    wb = Workbook()
    wb.active.append(["标题", "发布机构", "文号", "发布日期", "信息类别", "机读数据"])
    wb.active.append(["关于丁事项的通知", "区政府办", "测政办〔2023〕21号", "2023-09-01", "其他主动公开信息", machine])
    wb.save(doc_site.root / "list.xlsx")
    result = gongkai(doc_site, "import", "documents", "list.xlsx")
    assert "Traceback" not in result.stderr and "1 行未导入" in result.stdout, result.stdout + result.stderr
    assert "list.xlsx：第 2 行" in result.stderr and said in result.stderr and "（未导入）" in result.stderr, result.stderr
    assert not list((doc_site.root / "data/documents").rglob("office-2023-*.yml"))


def test_a_machine_column_does_not_overrule_the_columns_beside_it(doc_site):
    wb = Workbook()
    wb.active.append(["标题", "发布机构", "文号", "发布日期", "信息类别", "机读数据"])
    wb.active.append(["关于戊事项的通知", "区政府办", "测政办〔2023〕22号", "2023-09-01", "其他主动公开信息",
                      '{"title": 5, "issuer": [1], "summary": "机读数据中的摘要"}'])
    wb.save(doc_site.root / "list.xlsx")
    result = gongkai(doc_site, "import", "documents", "list.xlsx")
    assert result.returncode == 0 and "新建 1 件" in result.stdout, result.stdout + result.stderr
    [written] = (doc_site.root / "data/documents/2023").glob("office-2023-*.yml")
    text = written.read_text(encoding="utf-8")
    assert "title: 关于戊事项的通知" in text and "summary: 机读数据中的摘要" in text


def test_a_document_list_longer_than_any_catalog_is_read_whole(tmp_path):
    """A district's documents since 2008 are tens of thousands of rows: past the 20,000 a catalog sheet may have."""
    from gongkai.migrate import read_list

    lines = ["标题,发布机构,文号,发布日期,信息类别"] + [f"关于第{i}号事项的通知,区政府办,测政办〔2023〕{i}号,2023-09-01,其他主动公开信息"
                                                 for i in range(25_000)]
    (tmp_path / "list.csv").write_text("\n".join(lines), encoding="utf-8")
    rows, problems, _ = read_list(tmp_path / "list.csv", None, {})
    assert problems == [] and len(rows) == 25_000 and rows[-1][1]["title"] == "关于第24999号事项的通知"
