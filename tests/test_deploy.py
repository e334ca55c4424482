"""The sample nginx configuration, run by a real nginx on loopback over IPv4 and IPv6.

The configuration files in deploy/nginx/ are used as they are; only what differs on a
test machine is replaced: ports, the certificate (self-signed here), the site's folder and
where the included files live.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REPO
from gongkai.audit.csp import policy, site_script_hashes

pytestmark = pytest.mark.nginx

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_STATIC = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")  # Debian's libnginx-mod-http-brotli-static
DEPLOY = REPO / "deploy" / "nginx"
HOST = "xxgk.example.gov.cn"
LOOPBACKS = ["127.0.0.1", "[::1]"]


def free_port() -> int:
    with socket.socket(socket.AF_INET6) as probe:  # free on both stacks: IPv6 socket, v6only off by default
        probe.bind(("::", 0))
        return probe.getsockname()[1]


@contextmanager
def nginx(site_dir: Path, work: Path):
    """Start nginx with deploy/nginx/xxgk.conf serving `site_dir`; yield (http port, https port)."""
    http, https = free_port(), free_port()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
                    "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")], check=True, capture_output=True)
    server = (DEPLOY / "xxgk.conf").read_text(encoding="utf-8")
    for old, new in [("listen 80;", f"listen {http};"), ("listen [::]:80;", f"listen [::]:{http};"),
                     ("listen 443 ", f"listen {https} "), ("listen [::]:443 ", f"listen [::]:{https} "),
                     ("/etc/ssl/xxgk/fullchain.pem", str(work / "cert.pem")), ("/etc/ssl/xxgk/privkey.pem", str(work / "key.pem")),
                     ("/srv/xxgk/site", str(site_dir)), ("/etc/nginx/gongkai/", f"{work}/gongkai/")]:
        assert old in server, old
        server = server.replace(old, new)
    (work / "gongkai").mkdir()
    for part in ("site.conf", "security-headers.conf", "editor-headers.conf"):  # installed where xxgk.conf includes them from
        text = (DEPLOY / part).read_text(encoding="utf-8").replace("/etc/nginx/gongkai/", f"{work}/gongkai/")
        (work / "gongkai" / part).write_text(text, encoding="utf-8")
    temp = "".join(f"{kind}_temp_path {work}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(
        f"{'user root;' if os.geteuid() == 0 else ''}\nload_module {BROTLI_STATIC};\npid {work}/nginx.pid;\nerror_log {work}/error.log;\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n{temp}{server}\n}}\n", encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-c", str(work / "nginx.conf"), "-p", str(work)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-c", str(work / "nginx.conf"), "-p", str(work), "-g", "daemon off;"])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield http, https
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def served(demo_site, tmp_path_factory):
    if not Path(NGINX).exists() or not BROTLI_STATIC.exists():
        pytest.fail("nginx or its brotli module is missing: run ./dev test, which installs Debian's nginx-light and "
                    "libnginx-mod-http-brotli-static")
    with nginx(demo_site.out, tmp_path_factory.mktemp("nginx")) as ports:
        yield ports


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE  # the test's self-signed certificate
OPENER = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=INSECURE))


def fetch(url: str, **headers: str):
    request = urllib.request.Request(url, headers={"Host": HOST, **headers})
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.parametrize("loopback", LOOPBACKS)
def test_plain_http_redirects_to_https_of_this_site_only(served, loopback):
    status, headers, _ = fetch(f"http://{loopback}:{served[0]}/units/")
    assert status == 301 and headers["Location"] == f"https://{HOST}/units/"
    status, headers, _ = fetch(f"http://{loopback}:{served[0]}/units/", Host="evil.example.com")  # a forged Host
    assert status == 301 and headers["Location"] == f"https://{HOST}/units/"
    assert headers["Server"] == "nginx"  # server_tokens off: no version


@pytest.mark.parametrize("loopback", LOOPBACKS)
@pytest.mark.parametrize("path", ["", "units/", "units/qzfb/", "documents/qzfb-2020-38/", "search/"])
def test_pages_of_every_level_are_served_with_the_security_headers(served, demo_site, loopback, path):
    status, headers, body = fetch(f"https://{loopback}:{served[1]}/{path}")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (demo_site.out / path / "index.html").read_bytes()
    assert headers["Content-Security-Policy"] == policy(site_script_hashes(demo_site.out)), (
        "deploy/nginx/security-headers.conf is out of date: regenerate it with `gongkai headers site/`")
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("loopback", LOOPBACKS)
def test_the_web_editor_is_served_with_its_own_policy(served, demo_site, loopback):
    report = json.loads((demo_site.out / "audit" / "report.json").read_text(encoding="utf-8"))
    base = f"https://{loopback}:{served[1]}/admin/"
    status, headers, body = fetch(base)
    assert status == 200 and body == (demo_site.out / "admin/index.html").read_bytes()
    assert headers["Content-Security-Policy"] == report["editor_content_security_policy"], (
        "deploy/nginx/editor-headers.conf is out of date: regenerate it with `gongkai headers --editor site/`")
    assert headers["X-Frame-Options"] == "DENY" and headers["Strict-Transport-Security"]
    status, headers, _ = fetch(base + "config.yml")
    assert status == 200 and headers["Content-Type"].startswith("text/yaml")
    status, headers, _ = fetch(base + "decap-cms.js")
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    assert headers["Content-Security-Policy"] == report["editor_content_security_policy"]
    # the site's own pages keep the strict policy
    _, headers, _ = fetch(f"https://{loopback}:{served[1]}/units/")
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]


@pytest.mark.parametrize("loopback", LOOPBACKS)
def test_search_files_are_served_as_pagefind_wrote_them(served, demo_site, loopback):
    base = f"https://{loopback}:{served[1]}/pagefind/"
    status, headers, _ = fetch(base + "pagefind.js")
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    assert headers["Content-Security-Policy"]  # the location repeats the headers (nginx does not inherit add_header)
    index = next((demo_site.out / "pagefind" / "index").iterdir())
    status, headers, body = fetch(base + f"index/{index.name}", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Type"] == "application/octet-stream"
    assert "Content-Encoding" not in headers and body == index.read_bytes()  # already compressed: not compressed twice
    wasm = next((demo_site.out / "pagefind").glob("wasm.*.pagefind"))
    status, headers, body = fetch(base + wasm.name, **{"Accept-Encoding": "gzip"})
    assert status == 200 and body == wasm.read_bytes()


@pytest.mark.parametrize("loopback", LOOPBACKS)
def test_a_browser_that_takes_brotli_gets_the_search_files_brotli_copies(served, demo_site, loopback):
    base, bundle = f"https://{loopback}:{served[1]}/pagefind/", demo_site.out / "pagefind"
    meta = next(bundle.glob("*.pf_meta"))
    for name in ("pagefind.js", meta.name):
        status, headers, body = fetch(base + name, **{"Accept-Encoding": "gzip, deflate, br"})
        assert status == 200 and headers["Content-Encoding"] == "br" and "Accept-Encoding" in headers["Vary"]
        assert body == (bundle / (name + ".br")).read_bytes()
        assert headers["Cache-Control"] == "no-cache" and headers["Content-Security-Policy"]
    status, headers, body = fetch(base + meta.name, **{"Accept-Encoding": "gzip"})  # the file as Pagefind wrote it
    assert status == 200 and "Content-Encoding" not in headers and body == meta.read_bytes()


@pytest.mark.parametrize("loopback", LOOPBACKS)
def test_text_is_compressed_and_missing_pages_get_the_chinese_404(served, demo_site, loopback):
    status, headers, body = fetch(f"https://{loopback}:{served[1]}/assets/gongkai.css", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (demo_site.out / "assets/gongkai.css").read_bytes()
    assert headers["Cache-Control"] == "public, max-age=3600" and headers["X-Content-Type-Options"] == "nosniff"  # no hash in its name
    hashed = next((demo_site.out / "assets/stylesheets").glob("main.*.min.css")).name
    status, headers, _ = fetch(f"https://{loopback}:{served[1]}/assets/stylesheets/{hashed}")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, headers, body = fetch(f"https://{loopback}:{served[1]}/no/such/page/")
    assert status == 404 and "页面不存在" in body.decode("utf-8")


@pytest.mark.browser
@pytest.mark.parametrize("loopback", LOOPBACKS)
def test_search_works_in_chromium_through_nginx_and_its_policy(served, browser, loopback):
    context = browser.new_context(ignore_https_errors=True)  # the test's self-signed certificate
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"https://{loopback}:{served[1]}/search/?q=政务公开")
    page.wait_for_selector(".gk-search__results li")
    assert page.locator(".gk-search__results li").count() > 3
    assert problems == []
    context.close()
