"""The synthetic platform the benchmark builds: it must build strictly, with every page the
navigation links to (a kind added to the demo's navigation must be synthesized too)."""

from __future__ import annotations

from conftest import REPO, Sandbox
from gongkai.synth import synthesize


def test_a_small_synthetic_platform_builds_strictly(tmp_path):
    synthesize(REPO, tmp_path / "synth", documents=120, units=20)
    site = Sandbox(tmp_path / "synth")
    site.build(strict=True)  # the build audit fails on a navigation link to a page that is not there
    written = {p.stem for p in (site.root / "data" / "documents").rglob("*.yml")}
    assert len(written) == 120 and all((site.out / "documents" / id / "index.html").is_file() for id in written)
    assert (site.out / "consultations" / "index.html").is_file() and (site.out / "decisions" / "index.html").is_file()
    assert (site.out / "plans" / "index.html").is_file()
