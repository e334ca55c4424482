"""The editor's guide, followed to the letter in a clone: its commands run as written, its
example error is the one the editor sees, and the pipeline publishes the result."""

from __future__ import annotations

import os
import re
from pathlib import Path

from conftest import REPO, run_workflow, sh

GUIDE = REPO / "content/help/editing.md"
NOT_HERE = ("git clone", "cd xxgk", "./dev serve", "./dev edit")  # done already by the fixture; a server never ends


MOVING_IN = "## 六、把旧平台的内容迁移过来"


def guide_commands(moving_in: bool = False) -> list[str]:
    """The commands of the guide in order: publishing a document, or (`moving_in`) its last section."""
    before, _, after = GUIDE.read_text(encoding="utf-8").partition(MOVING_IN)
    blocks = re.findall(r"```bash\n(.*?)```", after if moving_in else before, re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines() if line.strip()]
    return [line for line in lines if not line.startswith(NOT_HERE)]


def guide_example_error() -> str:
    block = re.search(r"```text\n\s*(.*?)\n\s*```", GUIDE.read_text(encoding="utf-8"), re.S)[1]
    return block.split(": ", 1)[1]  # what follows file:line:column


def test_a_new_editor_following_the_guide_gets_a_document_published(clone, tmp_path):
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    created = None
    for command in guide_commands():
        if created:  # the guide's example id stands for the one the editor was given
            command = command.replace("sfj-2026-9", Path(created).stem)
        if command == "./dev check":
            assert created is not None
            path = clone / created
            text = path.read_text(encoding="utf-8").replace("summary:", "summary: 规定行政执法信息的公示范围和时限。")
            path.write_text(text.replace("# effective: ", "effective: 2026-11-31  # ", 1), encoding="utf-8")  # a slip
            failed = sh(command, clone, env)
            assert failed.returncode != 0
            assert f"{created}:13:12: {guide_example_error()}" in failed.stdout  # exactly what the guide shows
            path.write_text(path.read_text(encoding="utf-8").replace("2026-11-31", "2027-01-01"), encoding="utf-8")
        done = sh(command, clone, env)
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        if command.startswith("./dev new document"):
            new = re.search(r"已新建 (\S+)", done.stdout)[1].split(f"{clone}/")[-1]
            created = created or new
            (clone / new).with_suffix(".md").write_text("## 正文\n\n本办法规定行政执法信息的公示范围和时限。\n", encoding="utf-8")
    assert created and (clone / ".git/hooks/pre-commit").is_file()  # ./dev hooks ran, and the commit passed them
    pushed = sh("git -C ../origin branch --list sfj-xingzheng-zhifa", clone)
    assert "sfj-xingzheng-zhifa" in pushed.stdout
    run_workflow(clone, "push", {**env, "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")})  # the pipeline after the merge
    page = clone / "site/documents" / created.rsplit("/", 1)[1].removesuffix(".yml") / "index.html"
    assert "鲤城区行政执法公示实施办法" in page.read_text(encoding="utf-8")


def old_platform_export(clone: Path) -> None:
    """What the guide tells a unit to gather: the old platform's list, bodies and attachments."""
    from openpyxl import Workbook

    from conftest import text_pdf

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "信息名称", "发布机构", "发文字号", "生成日期", "发布时间", "有效性", "附件", "链接"])
    sheet.append([1, "关于做好2025年政务公开重点工作的通知", "区政府办", "泉鲤政办〔2025〕21号", "2025年3月3日", "2025-03-05 10:00",
                  "有效", "任务分工表.pdf", "http://old.example.gov.cn/1.html"])
    sheet.append([2, "关于公布区级政务服务事项清单的通知", "泉州市鲤城区人民政府办公室", "泉鲤政办〔2025〕22号", "2025/3/10", "2025/3/12",
                  "有效", None, None])
    book.save(clone / "旧平台文件列表.xlsx")
    (clone / "正文").mkdir()
    (clone / "正文" / "泉鲤政办〔2025〕21号.html").write_text("<h2>一、工作目标</h2><p>全面推进政务公开。</p>", encoding="utf-8")
    (clone / "正文" / "关于公布区级政务服务事项清单的通知.txt").write_text("各街道、各部门：\n现将清单予以公布。\n", encoding="utf-8")
    (clone / "附件").mkdir()
    (clone / "附件" / "任务分工表.pdf").write_bytes(text_pdf("Task list"))


def test_moving_in_as_the_guide_says(clone, tmp_path):
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    old_platform_export(clone)
    forms = sh("./dev export unit hbjd -o 表格 && mv 表格/hbjd-附件1.xlsx 附件1.xlsx && mv 表格/hbjd-附件2.xlsx 附件2.xlsx", clone, env)
    assert forms.returncode == 0, forms.stderr  # the forms the 街道 sent back: its own, filled in
    commands = guide_commands(moving_in=True)
    assert any(c.endswith("--dry-run") for c in commands) and any("import unit" in c for c in commands)
    for command in commands:
        done = sh(command, clone, env)
        if "import unit" in command and "--force" not in command:
            assert done.returncode == 1 and "将更新的栏目" in done.stdout  # an existing unit: shown, not changed
            continue
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        if command.endswith("--dry-run"):
            assert "将导入 2 件" in done.stdout and "不导入的列：序号、链接" in done.stdout
    imported = [p for p in (clone / "data/documents/2025").glob("qzfb-2025-*.yml") if "旧平台文件列表.xlsx" in p.read_text(encoding="utf-8")]
    assert len(imported) == 2
    assert any("## 一、工作目标" in p.with_suffix(".md").read_text(encoding="utf-8") for p in imported)

