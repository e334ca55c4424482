"""Bad data stops the build before anything is written, with every problem listed, and no traceback."""

from __future__ import annotations

import pytest

from conftest import replace_in, where


def break_two_things(site):
    replace_in(site, "data/units/office.yml", "phone: 0595-29990010", "phone: 0595 2999")
    replace_in(site, "data/units/gov.yml", "updated: 2020-08-20", "updated: 2020-8-20")


def test_errors_stop_the_build_and_keep_the_previous_site(site):
    site.build()
    before = (site.out / "units/office/index.html").read_bytes()
    break_two_things(site)
    message = site.build_error()
    assert message.startswith("数据校验未通过（2 个错误，0 个警告），本次没有生成网站，原有的 site/ 保持不变：")
    assert f"{where(site, 'data/units/gov.yml', 'updated: 2020-8-20')}: 错误：updated（更新日期）：日期“2020-8-20”格式不正确" in message
    assert f"{where(site, 'data/units/office.yml', 'phone: 0595 2999')}: 错误：phone（联系电话）：电话号码“0595 2999”格式不正确" in message
    assert (site.out / "units/office/index.html").read_bytes() == before


def test_the_rules_findings_are_reported_when_the_pages_they_reject_cannot_be_planned(site, monkeypatch):
    """The cross-record rules run beside the planning of the pages (in another process when it can fork): a page
    that data they reject breaks is not the message, their findings are; with nothing found, the failure is."""
    from gongkai import pages, parallel

    monkeypatch.setattr(parallel, "safe_to_fork", lambda: True)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    monkeypatch.setattr(pages, "generate", lambda *args: {}["a unit's parent"])
    replace_in(site, "data/units/office.yml", "parent: gov", "parent: office")
    message = site.build_error()
    assert message.startswith("数据校验未通过（1 个错误，0 个警告）")
    assert "office" in message and "KeyError" not in message
    replace_in(site, "data/units/office.yml", "parent: office", "parent: gov")
    with pytest.raises(KeyError, match="a unit's parent"):
        site.build()


def test_warnings_fail_a_strict_build_before_it_cleans(site):
    site.build()
    site.write("data/units/readme.txt", "备注\n")
    message = site.build_error(strict=True)
    assert "data/units/readme.txt: 警告：未识别的数据文件" in message
    assert "严格模式（--strict）下，警告同样会中止构建。" in message
    assert (site.out / "units/office/index.html").exists()


def test_warnings_let_a_normal_build_finish(site, caplog):
    site.write("data/units/readme.txt", "备注\n")
    site.build(strict=False)
    assert (site.out / "units/office/index.html").exists()
    assert any("data/units/readme.txt: 警告" in r.getMessage() for r in caplog.records)


def test_command_line_build_shows_chinese_messages_without_traceback(site):
    break_two_things(site)
    result = site.run("mkdocs", "build", "--strict")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{where(site, 'data/units/office.yml', 'phone: 0595 2999')}: 错误" in result.stderr
    assert not (site.out / "index.html").exists()


def test_gongkai_check_passes_on_good_data(site):
    result = site.run("gongkai.cli", "check")
    assert (result.returncode, result.stdout.strip()) == (0, "校验通过：0 个错误，0 个警告")


def test_gongkai_check_lists_every_problem_and_fails(site):
    break_two_things(site)
    result = site.run("gongkai.cli", "check")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(f"{where(site, 'data/units/gov.yml', 'updated: 2020-8-20')}: 错误：updated（更新日期）")
    assert result.stdout.splitlines()[1].startswith(f"{where(site, 'data/units/office.yml', 'phone: 0595 2999')}: 错误：phone（联系电话）")
    assert "校验未通过：2 个错误，0 个警告" in result.stderr
    assert "Traceback" not in result.stderr


def test_gongkai_check_strict_fails_on_warnings(site):
    site.write("data/units/readme.txt", "备注\n")
    assert site.run("gongkai.cli", "check").returncode == 0
    assert site.run("gongkai.cli", "check", "--strict").returncode == 1


@pytest.mark.parametrize("data_dir", ["..", "/etc", "data/../..", "outside-link"])
def test_a_data_dir_outside_the_repository_is_refused_before_anything_is_read(site, tmp_path_factory, data_dir):
    """`data_dir` in mkdocs.yml may climb out (`../`, an absolute path, a link): the build and `gongkai check`
    say so at once, instead of walking the folder (for `/`, into /proc, with a traceback)."""
    (site.root / "outside-link").symlink_to(tmp_path_factory.mktemp("elsewhere"))
    replace_in(site, "mkdocs.yml", '      as_of: "2024-01-01"', f'      as_of: "2024-01-01"\n      data_dir: {data_dir}')
    message = site.build_error()
    assert "Plugin 'gongkai' option 'data_dir': 应为仓库" in message and "之内的目录" in message, message
    checked = site.run("gongkai.cli", "check")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert f"应为仓库（{site.root}）之内的目录，而不是 '{data_dir}'" in checked.stderr, checked.stderr


@pytest.mark.parametrize("event", ["on_files", "on_env"])
def test_an_attachment_deleted_while_the_site_is_built_is_a_message(doc_site, event):
    """Checked, then gone before its size is shown (`on_files`) or before it is copied (`on_env`): an editor
    moving files while `mkdocs serve` rebuilds. Said, not a traceback."""
    attachment = doc_site.root / "data/documents/2020/a-2020-1-附件.pdf"
    hook = "files" if event == "on_files" else "env"
    doc_site.write("vanish.py", f"""\
        import os
        def {event}({hook}, **kwargs):
            if os.path.exists({str(attachment)!r}):
                os.remove({str(attachment)!r})
            return {hook}
        """)
    replace_in(doc_site, "mkdocs.yml", "markdown_extensions:", f"hooks:\n  - {doc_site.root / 'vanish.py'}\nmarkdown_extensions:")
    message = doc_site.build_error()
    assert f"{attachment} 在构建过程中被删除或移动了；请重新构建" in message, message
