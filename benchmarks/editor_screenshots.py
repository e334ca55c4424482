"""Screenshots of the web editor for the editor's guide (“在浏览器中编辑”), taken the way an editor works.

Runs `gongkai edit` on a throw-away copy of the demo and drives Debian's Chromium through the
guide's steps (the same helpers as tests/test_cms.py); writes the pictures to content/help/images/.

    .venv/bin/python benchmarks/editor_screenshots.py [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))

from test_cms import added, choose, field, publish, signed_in  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from gongkai.project import copy_platform  # noqa: E402


def start_editor(root: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "edit", "-a", f"127.0.0.1:{port}"], cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "admin/", timeout=30)
            return process, url
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gongkai edit did not start")


def shoot(page, out: Path, name: str, at=None) -> None:
    if at is not None:
        at.scroll_into_view_if_needed()
        page.mouse.wheel(0, -120)
    page.wait_for_timeout(400)
    page.screenshot(path=str(out / f"editor-{name}.jpg"), type="jpeg", quality=70)
    print(out / f"editor-{name}.jpg")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "content" / "help" / "images")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="gongkai-editor-") as work:
        root = Path(work)
        copy_platform(REPO, root)
        process, url = start_editor(root)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = signed_in(browser, url, "units")
                page.get_by_text("泉州市鲤城区财政局").first.wait_for()
                shoot(page, args.out, "units")
                page.goto(url + "admin/#/collections/units/entries/czj")
                field(page, "phone").fill("0595-29992099")
                new = added(page, page.get_by_role("button", name="新增政务公开（政府信息公开）工作人员（通知附件1）"))
                choose(page, new["role"], "工作人员")
                page.locator(f"#{new['name']}").fill("林新增")
                page.locator(f"#{new['position']}").fill("办公室科员")
                shoot(page, args.out, "staff", page.locator(f"#{new['role']}"))
                publish(page)
                page.get_by_text("修改已保存").wait_for()
                page.wait_for_timeout(5000)  # the “saved” notice goes
                page.goto(url + "admin/#/collections/documents/new")
                field(page, "title").fill("关于做好冬季防火工作的通知")
                choose(page, "issuer", "区财政局")
                page.locator("[data-slate-editor]").first.click()
                page.keyboard.type("各街道、各部门：请做好冬季防火工作。")
                shoot(page, args.out, "document", field(page, "issuer"))
                page = signed_in(browser, url, "units/entries/czj")
                field(page, "phone").fill("0595-2999")
                publish(page)
                page.get_by_text("不满足模式").first.wait_for()
                shoot(page, args.out, "error", field(page, "phone"))
                browser.close()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
