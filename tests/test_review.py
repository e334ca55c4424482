"""`gongkai diff` on a small git repository: what a reviewer is told about a change."""

from __future__ import annotations

import subprocess

import pytest

from conftest import replace_in, where


def git(site, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=编辑", "-c", "user.email=editor@example.gov.cn", *args],
                   cwd=site.root, check=True, capture_output=True)


@pytest.fixture
def repo(catalog_site):
    git(catalog_site, "init", "-q", "-b", "main")
    git(catalog_site, "add", "-A")
    git(catalog_site, "commit", "-q", "-m", "初始数据")
    return catalog_site


def change_everything(site) -> None:
    replace_in(site, "data/units/office.yml", "head: 乙演示", "head: 辛演示")  # a field changed
    replace_in(site, "data/documents/2021/b-2021-1.yml", "expires: 2026-05-31", "expires: 2099-12-31")  # extended: its status changes
    site.remove("data/documents/2021/c-2021-2.yml")  # a published document deleted
    site.write("data/disclosure/gov.yml", (site.root / "data/disclosure/gov.yml").read_text(encoding="utf-8")
               .replace("  其他主动公开信息: 本单位无此类信息（测试）\n", "").replace("not_applicable:\n", "not_applicable:\n  应急预案: 本单位暂无应急预案\n"))
    site.write("data/documents/2023/gov-2023-1.yml", """\
        title: 测试区政务公开工作要点
        issuer: gov
        written: 2023-03-01
        published: 2023-03-02
        category: 其他主动公开信息
        body: 本年度政务公开工作要点。
        """)
    replace_in(site, "data/catalogs/units/office/hjgl.yml", "  - action: 删除\n    row: \"02\"\n    reason: 死亡注销由派出所办理\n", "")
    replace_in(site, "data/catalogs/units/office/hjgl.yml", "changes:\n", "changes:\n  - action: 删除\n    row: \"03\"\n    reason: 身份证由派出所受理\n")


def test_added_changed_and_removed_records_with_their_pages(repo):
    change_everything(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "修改")
    result = repo.run("gongkai.cli", "diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("数据变更：HEAD~1 → HEAD\n新增 1 条，修改 4 条，删除 1 条\n")
    assert "修改 机构 office　测试区人民政府办公室（data/units/office.yml）\n    head（负责人姓名）：乙演示 → 辛演示\n    影响页面：/units/office/" in out
    assert "新增 文件 gov-2023-1　测试区政务公开工作要点（data/documents/2023/gov-2023-1.yml）\n    影响页面：/documents/gov-2023-1/" in out
    assert "删除 文件 c-2021-2　测试区突发事件总体应急预案（data/documents/2021/c-2021-2.yml）" in out
    assert "expires（有效期至）：2026-05-31 → 2099-12-31" in out
    assert "已发布的文件“测试区突发事件总体应急预案”（c-2021-2）被删除：它的网址将失效" in out
    assert "\n有效性变化\n  测试区政府信息公开规定（b-2021-1）：已失效 → 现行有效\n" in out
    assert "office/hjgl：删除事项 03 居民身份证·首次申领" in out and "office/hjgl：新增事项 02 户口登记·死亡注销登记" in out


def test_every_kind_of_record_is_compared(repo):
    # the kinds come from one registry: a holiday file once went unreported (“0 条”)
    repo.write("data/holidays/2099.yml", "holidays:\n  - name: 元旦\n    start: 2099-01-01\nworkdays: []\n")
    repo.write("data/search.yml", "synonyms:\n  - [低保, 最低生活保障]\n")
    result = repo.run("gongkai.cli", "diff", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "新增 2 条" in result.stdout
    assert "新增 节假日安排 2099" in result.stdout and "新增 检索设置 search" in result.stdout


def test_markdown_for_a_merge_request_comment(repo):
    replace_in(repo, "data/units/office.yml", "head: 乙演示", "head: 辛|演示")
    result = repo.run("gongkai.cli", "diff", "main", "--format", "markdown")  # against the working tree
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("### 数据变更：`main` → `工作区`\n\n新增 **0** 条，修改 **1** 条，删除 **0** 条\n")
    assert "| 字段 | 原值 | 新值 |\n|---|---|---|\n| head（负责人姓名） | 乙演示 | 辛\\|演示 |" in result.stdout


def test_a_changed_index_number_and_broken_data_are_flagged(repo):
    replace_in(repo, "data/documents/2020/a-2020-1.yml", "issuer: office\n", "issuer: office\nindex_number: QZ99999-2006-2020-00009\n")
    replace_in(repo, "data/units/gov.yml", "updated: 2020-08-20", "updated: 2020-8-20")
    out = repo.run("gongkai.cli", "diff", "HEAD").stdout
    assert "文件“测试区政府信息公开办法”（a-2020-1）的索引号由 3505020000-" in out and "已公开的索引号不应改变" in out
    assert f"校验错误（工作区，构建会失败）\n  {where(repo, 'data/units/gov.yml', 'updated: 2020-8-20')}: 错误：updated（更新日期）" in out


def test_an_unknown_revision_is_a_plain_error(repo):
    result = repo.run("gongkai.cli", "diff", "no-such-branch")
    assert result.returncode == 1 and "找不到版本“no-such-branch”" in result.stderr


def test_the_pages_a_change_touches_are_the_pages_the_build_would_render_again(repo):
    # A title shows on the document's page, in the lists, on its 解读 (looked up by the template, known
    # from the last build's record of each page's reads) and in the register: a reviewer sees them all.
    import datetime

    from gongkai.review import review

    repo.build()
    replace_in(repo, "data/documents/2020/a-2020-1.yml", "title: 测试区政府信息公开办法", "title: 测试区政府信息公开实施办法")
    result = review(repo.root, "data", "HEAD", None, datetime.date(2024, 1, 1))
    [change] = [c for c in result.records if c.id == "a-2020-1"]
    assert change.pages[0] == "/documents/a-2020-1/"  # its own page first
    assert {"/documents/a-2020-1-jd/", "/documents/year/2020/", "/documents/issuer/office/"} <= set(change.pages)
    # without a build's record of the reads, the 解读 (which only looks the document up) is not known
    import shutil
    shutil.rmtree(repo.root / ".cache")
    [change] = [c for c in review(repo.root, "data", "HEAD", None, datetime.date(2024, 1, 1)).records if c.id == "a-2020-1"]
    assert "/documents/a-2020-1-jd/" not in change.pages and "/documents/year/2020/" in change.pages
