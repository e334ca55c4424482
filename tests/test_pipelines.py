"""The publishing pipelines and the checks before commit, run here with the commands they run.

A copy of the project becomes a git repository with a `main` branch and an editor's branch;
the GitHub Actions jobs' steps run in it one by one (all but the test step: that is this
suite), as they would on the runners: the data check, the plan, each shard of the matrix, and the publishing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import yaml

from conftest import GIT, REPO, run_workflow, sh, workflow_jobs


def commit(work: Path, message: str) -> None:
    subprocess.run([*GIT, "commit", "-q", "-am", message], cwd=work, check=True, capture_output=True)


def runner_env(work: Path, summary: Path) -> dict:
    return {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_BASE_REF": "main",
            "HOME": str(summary.parent)}  # `git config --global` writes here, not to this machine's home


def edit(work: Path, relative: str, old: str, new: str) -> None:
    path = work / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_merge_request_builds_the_shards_it_touches_as_on_the_runners(clone, tmp_path):
    edit(clone, "data/units/sfj.yml", "updated: ", "updated: 2026-11-20\n# 旧日期：")  # 区司法局: the departments shard
    commit(clone, "更新区司法局信息")
    summary = tmp_path / "summary.md"
    steps = run_workflow(clone, "pull_request", runner_env(clone, summary))
    assert [s.env.get("SHARD") for s in steps if s.job == "shard" and "shards build" in s.command] == ["shared", "departments"]
    tests = [s.command for s in steps if s.done is None]
    assert len(tests) == 1 and all((REPO / part).is_file() for part in tests[0].split()[2:])  # this suite runs those
    text = summary.read_text(encoding="utf-8")
    assert "### 数据校验：通过（0 个错误，0 个警告，1 条提示）" in text  # the note on the historical 2019 report
    assert "### 数据变更：`origin/main` → `HEAD`" in text and "| updated（更新日期） |" in text
    assert text.count("### 构建检查：通过") == 2 and "`beian.miit.gov.cn`" in text
    assert [s.job for s in steps if s.command.startswith("./dev check")] == ["check"]  # its own job: first to report
    assert (clone / "shards/departments/units/sfj/index.html").is_file() and not (clone / "shards/streets").exists()
    assert not (clone / "site").exists()  # a merge request publishes nothing


def test_the_main_pipeline_builds_every_shard_and_publishes_them_merged(clone, tmp_path):
    summary = tmp_path / "summary.md"
    steps = run_workflow(clone, "push", runner_env(clone, summary))
    built = [s.env["SHARD"] for s in steps if "shards build" in s.command]
    assert built == json.loads(sh("./dev shards plan --format json", clone).stdout) == ["shared", "streets", "departments"]
    assert any("shards merge" in s.command for s in steps if s.job == "publish")
    assert (clone / "site/units/sfj/index.html").is_file() and (clone / "site/disclosure/hbjd/index.html").is_file()
    text = summary.read_text(encoding="utf-8")
    assert text.count("### 构建检查：通过") == 4  # each shard, then the whole site
    # no check job: the shared shard's build wrote the data check's report (no runner of its own)
    assert not any(s.job == "check" for s in steps)
    assert [s.env["SHARD"] for s in steps if "check.md" in s.command and "shards build" not in s.command] == ["shared"]
    assert text.count("### 数据校验：通过") == 1


def test_a_mistake_fails_its_step_and_shows_in_the_summary(clone, tmp_path):
    edit(clone, "data/units/sfj.yml", "phone: ", "phone: 0595 2212 \n# 原号码：")
    commit(clone, "改错了电话")
    summary = tmp_path / "summary.md"
    check = next(step["run"] for step in workflow_jobs()["check"]["steps"] if step.get("run", "").startswith("./dev check"))
    done = sh(check, clone, runner_env(clone, summary))
    assert done.returncode != 0
    text = summary.read_text(encoding="utf-8")
    assert "### 数据校验：未通过（1 个错误" in text
    assert "| 错误 | `data/units/sfj.yml:" in text and "phone（联系电话）" in text
    # on main there is no check job: the shared shard's build fails on it and writes the same report for the summary
    build = next(step["run"] for step in workflow_jobs()["shard"]["steps"] if "shards build" in step.get("run", ""))
    built = sh(build, clone, {**runner_env(clone, tmp_path / "shard-summary.md"), "SHARD": "shared"})
    assert built.returncode != 0 and "数据校验未通过" in built.stderr
    assert (clone / "check.md").read_text(encoding="utf-8") == text
    assert not (clone / "shards/shared").exists()


def dev_commands(text: str) -> set[str]:
    """The ./dev commands a pipeline runs, by name and subcommand (`./dev shards build`)."""
    return {" ".join(found.split()[:3 if found.startswith("./dev shards") else 2]) for found in re.findall(r"\./dev [a-z]+(?: [a-z]+)?", text)}


def test_gitlab_runs_the_same_commands_on_the_same_shards():
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    github = "\n".join(step.get("run", "") for job in workflow_jobs().values() for step in job["steps"])
    scripts = "\n".join(line for job in gitlab.values() if isinstance(job, dict)
                        for key in ("script", "after_script") for line in job.get(key, []))
    assert dev_commands(scripts) == dev_commands(github) >= {"./dev shards build", "./dev shards merge", "./dev shards affected"}
    [matrix] = gitlab["shard"]["parallel"]["matrix"]
    plan = subprocess.run([str(REPO / ".venv/bin/gongkai"), "shards", "plan", "--format", "json"], cwd=REPO, capture_output=True, text=True)
    assert matrix["SHARD"] == json.loads(plan.stdout)  # GitLab's matrix is fixed: it must name the shards of mkdocs.yml


def test_the_data_check_runs_beside_the_shards_and_takes_no_runner_of_its_own_on_main_in_both_pipelines():
    """Every shard's strict build validates all the data again, so no shard waits for the check, and the site is
    published only when every shard passed. A merge request's check is a job of its own (its report comes first);
    on main each shard's build writes the check's report as it validates (`--check-report`), and the shared shard's
    is the summary's: with as many runners as shards, the pipeline takes its slowest shard and the merge."""
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    github = workflow_jobs()
    for jobs, publish in ((github, "publish"), (gitlab, "pages")):
        assert jobs["shard"]["needs"] in ("plan", ["plan"]) and "check" not in json.dumps(jobs["plan"].get("needs", []))
        assert jobs[publish]["needs"] == ["shard"]
        assert "./dev check" not in json.dumps(jobs["plan"]) + json.dumps(jobs["shard"])
        assert "--check-report" in json.dumps(jobs["shard"])
    assert github["check"]["if"] == "github.event_name == 'pull_request'"
    [step] = [step for step in github["shard"]["steps"] if "check.md" in step.get("run", "") and "shards build" not in step["run"]]
    assert step["if"] == "always() && matrix.shard == 'shared' && github.event_name != 'pull_request'"
    assert gitlab["check"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert "check-$SHARD.md" in gitlab["shard"]["artifacts"]["paths"]
    [cache] = [step["with"] for step in github["check"]["steps"] if step.get("uses", "").startswith("actions/cache@")]
    assert cache["path"] == ".cache/gongkai/records" and gitlab["check"]["cache"]["paths"] == [".cache/gongkai/records/"]


def test_each_shard_keeps_its_cache_between_runs_in_both_pipelines():
    """A shard's runner starts from its last build's `.cache/gongkai` (pages, search parts, records): then only what
    a change touches is made again. Keyed by shard: each shard's build keeps only what it used."""
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))["shard"]["cache"]
    assert gitlab["paths"] == [".cache/gongkai/"] and "$SHARD" in gitlab["key"]
    [github] = [step["with"] for step in workflow_jobs()["shard"]["steps"] if step.get("uses", "").startswith("actions/cache@")]
    assert github["path"] == ".cache/gongkai" and "matrix.shard" in github["key"] and "matrix.shard" in github["restore-keys"]


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
