"""`./dev edit`: the editor on the working tree — Decap's own local backend beside `mkdocs serve`.

`decap-server` (from the pinned npm package) writes what the editor saves straight into
`data/` of this checkout, listening on the loopback address only; `mkdocs serve` rebuilds on
the change, so the preview shows it; `git diff` shows what the editor wrote.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from .editor import LOCAL_PROXY_PORT

SERVER = Path("tools/cms/node_modules/decap-server/dist/index.js")


def run(root: Path, serve_args: list[str]) -> int:
    """Start the local backend, then `mkdocs serve` in the foreground; stop both together."""
    node = shutil.which("node")
    if node is None or not (root / SERVER).is_file():
        raise RuntimeError("找不到 Node.js 或网站编辑器的本地后端：请用 ./dev edit 启动（它会安装 tools/cms 中的 npm 软件包）")
    if _in_use(LOCAL_PROXY_PORT):
        raise RuntimeError(f"端口 {LOCAL_PROXY_PORT} 已被占用：网站编辑器的本地后端需要它（是否已经运行了 ./dev edit？）")
    env = {**os.environ, "GIT_REPO_DIRECTORY": str(root), "PORT": str(LOCAL_PROXY_PORT), "BIND_HOST": "127.0.0.1",
           "MODE": "fs", "LOG_LEVEL": "warn"}
    backend = subprocess.Popen([node, str(root / SERVER)], cwd=root, env=env)
    serve = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *(serve_args or ["--dev-addr", "[::]:8000"])], cwd=root)
    # `kill` or a closed terminal ends the preview as Ctrl+C does (it then removes its site folders), and the backend too
    signal.signal(signal.SIGTERM, lambda *_: serve.terminate())
    try:
        return serve.wait()
    except KeyboardInterrupt:  # Ctrl+C reaches the preview too: let it finish stopping
        try:
            serve.wait(timeout=30)
        except (KeyboardInterrupt, subprocess.TimeoutExpired):
            pass
        return 0
    finally:
        if serve.poll() is None:
            serve.kill()
        backend.terminate()
        backend.wait(timeout=10)


def _in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
