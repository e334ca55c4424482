"""The editor's guide, followed to the letter in a clone: its commands run as written, its
example error is the one the editor sees, and the pipeline publishes the result."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from conftest import REPO, sh

GUIDE = REPO / "content/help/editing.md"
NOT_HERE = ("git clone", "cd xxgk", "./dev serve")  # done already by the fixture; a server never ends


def guide_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
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
    workflow = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    for step in workflow["jobs"]["publish"]["steps"]:
        if "run" in step:
            summary = tmp_path / "summary.md"
            done = sh(step["run"], clone, {**env, "GITHUB_STEP_SUMMARY": str(summary)})
            assert done.returncode == 0, done.stderr[-3000:]
    page = clone / "site/documents" / created.rsplit("/", 1)[1].removesuffix(".yml") / "index.html"
    assert "鲤城区行政执法公示实施办法" in page.read_text(encoding="utf-8")
