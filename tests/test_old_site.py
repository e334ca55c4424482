"""The last build's output is moved aside and deleted in the background (`old_site.py`): nothing of it is published."""

from __future__ import annotations

import time

import pytest

from gongkai import old_site


def leftovers(site) -> list[str]:
    return [p.name for p in site.out.parent.iterdir() if p.name.startswith(old_site.PREFIX)]


@pytest.mark.parametrize("moved", [True, False], ids=["moved aside", "cannot be moved"])
def test_nothing_of_the_last_build_survives_the_next(site, monkeypatch, moved):
    site.build()
    (site.out / "gone" / "page").mkdir(parents=True)
    (site.out / "gone" / "page" / "index.html").write_text("<p>一个已删除的页面</p>", encoding="utf-8")
    (site.out / "stale.xml").write_text("<x/>", encoding="utf-8")
    (site.out / ".well-known").mkdir()  # hidden: MkDocs keeps it, and so do we
    if not moved:
        monkeypatch.setattr(old_site.tempfile, "mkdtemp", lambda **_: (_ for _ in ()).throw(PermissionError()))
    aside: list[set[str]] = []
    removal = old_site.Removal
    monkeypatch.setattr(old_site, "Removal", lambda folder: (aside.append({p.name for p in folder.iterdir()}), removal(folder))[1])
    site.build()
    if moved:
        assert len(aside) == 1 and {"gone", "stale.xml", "index.html"} <= aside[0] and ".well-known" not in aside[0]
    else:
        assert aside == []
    assert not (site.out / "gone").exists() and not (site.out / "stale.xml").exists()
    assert (site.out / ".well-known").is_dir() and (site.out / "index.html").is_file()
    for _ in range(100):  # removed by a process of its own
        if not leftovers(site):
            break
        time.sleep(0.1)
    assert leftovers(site) == []
