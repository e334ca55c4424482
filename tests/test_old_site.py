"""The last build's output is moved aside, its files deleted in the background and the folders this build
writes into put back (`old_site.py`): nothing of it is published, and nothing outside it is touched."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from gongkai import old_site


def leftovers(site) -> list[str]:
    return [p.name for p in site.out.parent.iterdir() if p.name.startswith(old_site.PREFIX)]


def no_leftovers(site) -> bool:
    for _ in range(100):  # removed by a process of its own
        if not leftovers(site):
            return True
        time.sleep(0.1)
    return False


def empty_folders(site_dir: Path) -> list[str]:
    return [p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*")
            if p.is_dir() and not p.name.startswith(".") and not any(p.iterdir())]


@pytest.mark.parametrize("moved, kept", [(True, True), (True, False), (False, True)],
                         ids=["moved aside", "moved aside, no kept pages", "cannot be moved"])
def test_nothing_of_the_last_build_survives_the_next(site, monkeypatch, moved, kept):
    # (with no kept pages to link, the folders go back when the pages are about to be written)
    site.build()
    if not kept:
        shutil.rmtree(site.root / ".cache")
    (site.out / "gone" / "page").mkdir(parents=True)  # a page deleted since
    (site.out / "gone" / "page" / "index.html").write_text("<p>一个已删除的页面</p>", encoding="utf-8")
    (site.out / "units" / "gone").mkdir()  # …in a folder still written into
    (site.out / "units" / "gone" / "index.html").write_text("<p>已撤销的机构</p>", encoding="utf-8")
    (site.out / "assets" / "stale.css").write_text("p{}", encoding="utf-8")
    (site.out / "stale.xml").write_text("<x/>", encoding="utf-8")
    (site.out / ".well-known").mkdir()  # hidden: MkDocs keeps it, and so do we
    folder = (site.out / "units" / "office").stat().st_ino
    if not moved:
        monkeypatch.setattr(old_site.tempfile, "mkdtemp", lambda **_: (_ for _ in ()).throw(PermissionError()))
    site.build()
    for stale in ("gone", "units/gone", "assets/stale.css", "stale.xml"):
        assert not (site.out / stale).exists(), stale
    assert (site.out / ".well-known").is_dir() and (site.out / "index.html").is_file()
    assert (site.out / "units" / "office" / "index.html").is_file()
    if moved:  # put back, not made again
        assert (site.out / "units" / "office").stat().st_ino == folder
    assert empty_folders(site.out) == []
    assert no_leftovers(site)


def test_a_folder_of_the_last_build_where_this_one_writes_a_file(site):
    site.build()
    (site.out / "notes" / "plan" / "2020").mkdir(parents=True)
    (site.out / "notes" / "plan" / "index.html").write_text("<p>旧的页面</p>", encoding="utf-8")
    (site.root / "content" / "notes").mkdir()
    (site.root / "content" / "notes" / "plan").write_bytes("计划全文".encode())  # published as it is
    site.build()
    assert (site.out / "notes" / "plan").read_bytes() == "计划全文".encode()
    assert empty_folders(site.out) == []
    assert no_leftovers(site)


def test_links_in_the_last_build_are_removed_not_followed(site, tmp_path):
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "folder" / "keep.txt").write_text("别人的文件", encoding="utf-8")
    site.build()
    (site.out / "linked").symlink_to(outside, target_is_directory=True)
    (site.out / "units" / "linked").symlink_to(outside / "folder", target_is_directory=True)
    (site.out / "units" / "file").symlink_to(outside / "folder" / "keep.txt")
    site.build()
    assert (outside / "folder" / "keep.txt").read_text(encoding="utf-8") == "别人的文件"
    for link in ("linked", "units/linked", "units/file"):
        assert not (site.out / link).is_symlink() and not (site.out / link).exists(), link
    assert no_leftovers(site)
    assert (outside / "folder" / "keep.txt").is_file()


def test_the_folders_a_build_writes_into():
    assert old_site.needed_folders(["index.html", "a/b/c/index.html", "a/x.css", "d/e.js", "a/b/f.txt"]) == {"a", "a/b", "a/b/c", "d"}
    assert old_site.needed_folders([]) == set()
