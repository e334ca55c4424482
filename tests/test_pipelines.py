"""The publishing pipelines and the checks before commit, run here with the commands they run.

A copy of the project becomes a git repository with a `main` branch and an editor's branch;
the GitHub Actions review job's steps run in it one by one (all but the test step: that is
this suite), as they would on the runner.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml

from conftest import GIT, REPO, sh


def commit(work: Path, message: str) -> None:
    subprocess.run([*GIT, "commit", "-q", "-am", message], cwd=work, check=True, capture_output=True)


def review_steps() -> list[str]:
    workflow = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    return [step["run"] for step in workflow["jobs"]["review"]["steps"] if "run" in step]


def runner_env(work: Path, summary: Path) -> dict:
    return {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_BASE_REF": "main", "GITHUB_WORKSPACE": str(work),
            "HOME": str(summary.parent)}  # `git config --global` writes here, not to this machine's home


def edit(work: Path, relative: str, old: str, new: str) -> None:
    path = work / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_review_job_runs_as_on_the_runner(clone, tmp_path):
    edit(clone, "data/units/sfj.yml", "updated: ", "updated: 2026-11-20\n# 旧日期：")
    commit(clone, "更新区司法局信息")
    summary = tmp_path / "summary.md"
    for command in review_steps():
        if command.startswith("./dev test"):
            assert all((REPO / part).is_file() for part in command.split()[2:])  # this suite runs those
            continue
        done = sh(command, clone, runner_env(clone, summary))
        assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    text = summary.read_text(encoding="utf-8")
    assert "### 数据校验：通过（0 个错误，0 个警告，1 条提示）" in text  # the note on the historical 2019 report
    assert "### 数据变更：`origin/main` → `HEAD`" in text and "| updated（更新日期） |" in text
    assert "### 构建检查：通过" in text and "`beian.miit.gov.cn`" in text
    assert (clone / "site/index.html").is_file()


def test_a_mistake_fails_its_step_and_shows_in_the_summary(clone, tmp_path):
    edit(clone, "data/units/sfj.yml", "phone: ", "phone: 0595 2212 \n# 原号码：")
    commit(clone, "改错了电话")
    summary = tmp_path / "summary.md"
    check = next(command for command in review_steps() if command.startswith("./dev check"))
    done = sh(check, clone, runner_env(clone, summary))
    assert done.returncode != 0
    text = summary.read_text(encoding="utf-8")
    assert "### 数据校验：未通过（1 个错误" in text
    assert "| 错误 | `data/units/sfj.yml:" in text and "phone（联系电话）" in text


def test_gitlab_runs_the_same_commands():
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))["review"]

    def dev_commands(commands):
        return sorted(c.split(" |")[0].replace("$CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "BASE").replace("$GITHUB_BASE_REF", "BASE")
                      for c in commands if c.startswith("./dev"))

    assert dev_commands(gitlab["script"] + gitlab["after_script"]) == dev_commands(review_steps())


def test_the_checks_before_commit(clone, tmp_path):
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    run = [str(REPO / ".venv/bin/pre-commit"), "run", "--all-files"]
    clean = subprocess.run(run, cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert clean.returncode == 0, clean.stdout
    edit(clone, "data/units/sfj.yml", "updated: ", "updated: 2026-13-01   \n# 旧日期：")
    subprocess.run([*GIT, "add", "-A"], cwd=clone, check=True)
    caught = subprocess.run(run, cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert caught.returncode != 0
    assert "data/units/sfj.yml:" in caught.stdout and "日期“2026-13-01”不存在" in caught.stdout  # gongkai check
    assert "trailing spaces" in caught.stdout  # yamllint
