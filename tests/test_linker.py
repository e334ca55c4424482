"""Linking the pages taken from the cache into the site in another process (plugins/gongkai/linker.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gongkai.linker import Linking, link_all, remove_site


def kept_pages(tmp_path, count: int = 50):
    cache, site = tmp_path / "cache", tmp_path / "site"
    cache.mkdir()
    site.mkdir()
    pairs = []
    for n in range(count):
        source = cache / f"{n:04x}.html"
        source.write_text(f"page {n}", encoding="utf-8")
        pairs.append((source, site / "documents" / f"d{n}" / "index.html"))
    return site, pairs


@pytest.mark.parametrize("as_text", [False, True])  # (the merge of shards names them as text: fewer objects)
def test_every_page_is_linked_into_folders_made_for_it(tmp_path, as_text):
    site, pairs = kept_pages(tmp_path, 10_000)  # more than are written to the other process at once
    (site / "documents" / "d3").mkdir(parents=True)  # made by the build meanwhile
    pairs[4][1].parent.mkdir(parents=True)
    pairs[4][1].write_text("stale", encoding="utf-8")  # left in the folder (`--dirty`)
    linking = Linking(site, [(str(source), str(target)) for source, target in pairs] if as_text else pairs)
    assert linking.finished()  # by the other process
    for source, target in pairs:
        assert os.path.samefile(source, target)  # the same file, not a copy


def test_a_linker_whose_site_was_removed_does_not_make_it_again(tmp_path):
    # The build stopped (Ctrl+C in the preview) and removed its folder while the linker still ran
    site, pairs = kept_pages(tmp_path)
    pairs.insert(0, (pairs[0][0], site / "index.html"))  # a page at the top of the site first
    site.rmdir()
    names = b"".join(bytes(path) + b"\0" for pair in pairs for path in pair)
    done = subprocess.run([sys.executable, "-m", "gongkai.linker", str(site)], input=names, capture_output=True)
    assert done.returncode != 0 and not site.exists()


def test_what_the_other_process_failed_to_link_fails_the_build_not_the_site(tmp_path):
    site, pairs = kept_pages(tmp_path)
    pairs[7][0].unlink()  # a kept page gone under the build
    linking = Linking(site, pairs)
    with pytest.raises(FileNotFoundError):
        linking.wait()  # linked again here, where the error is the build's
    assert os.path.samefile(pairs[0][0], pairs[0][1])


@pytest.mark.parametrize("step", ["mkdir", "unlink"])  # after the page's folder is made; after a stale page is removed
def test_a_site_removed_between_two_steps_of_one_link_is_not_made_again(tmp_path, monkeypatch, step):
    site, pairs = kept_pages(tmp_path, 2)
    pairs[1][1].parent.mkdir(parents=True)
    pairs[1][1].write_text("stale", encoding="utf-8")  # left in the folder (`--dirty`)
    done, removed = getattr(os, step), []

    def then_remove_the_site(path, *args, **kwargs):
        done(path, *args, **kwargs)
        if not removed and str(path).startswith(str(site)):
            removed.append(path)
            remove_site(site)

    monkeypatch.setattr(os, step, then_remove_the_site)
    with pytest.raises(FileNotFoundError):
        link_all(site, pairs[1:] if step == "unlink" else pairs)
    monkeypatch.undo()
    assert removed and not site.exists() and os.listdir(tmp_path) == ["cache"]


def test_a_site_removed_while_pages_are_still_linked_into_it_is_gone_when_the_linker_ends(tmp_path):
    # A preview stopped half way through a rebuild removes the rebuild's folder while the linker still runs
    for attempt in range(3):
        (tmp_path / str(attempt)).mkdir()
        site, pairs = kept_pages(tmp_path / str(attempt), 20_000)
        pairs.insert(0, (pairs[0][0], site / "index.html"))
        linking = Linking(site, pairs)
        remove_site(site)
        linking.finished()
        assert not site.exists() and os.listdir(site.parent) == ["cache"]
