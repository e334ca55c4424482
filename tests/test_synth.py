"""The synthetic platform the benchmark builds: it must build strictly, with every page the
navigation links to (a kind added to the demo's navigation must be synthesized too)."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from conftest import REPO, Sandbox
from gongkai.shards import SHARED, ShardRule
from gongkai.synth import synthesize, write_shard_rule


def test_a_small_synthetic_platform_builds_strictly(tmp_path):
    synthesize(REPO, tmp_path / "synth", documents=120, units=20)
    site = Sandbox(tmp_path / "synth")
    site.build(strict=True)  # the build audit fails on a navigation link to a page that is not there
    written = {p.stem for p in (site.root / "data" / "documents").rglob("*.yml")}
    assert len(written) == 120 and all((site.out / "documents" / id / "index.html").is_file() for id in written)
    assert (site.out / "consultations" / "index.html").is_file() and (site.out / "decisions" / "index.html").is_file()
    assert (site.out / "plans" / "index.html").is_file()


@pytest.mark.parametrize(("units", "shards"), [(3000, 10), (3000, 11), (600, 4), (60, 3)])
def test_a_platform_in_n_shards_is_the_shared_pages_and_n_minus_1_groups_of_a_size(tmp_path, units, shards):
    """`--shards 10` is 10 shards in all (10 runners): the shared pages and 9 groups, each with as many documents
    as the others, within what one run of units issues; every unit in one group."""
    ids = [f"u{n:04d}" for n in range(units)]
    issued = Counter({unit: (68 if n % 3 == 0 else 33) for n, unit in enumerate(ids) if n % 3 != 2})  # uneven, as synthesized
    config = tmp_path / "mkdocs.yml"
    config.write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    write_shard_rule(config, ids, shards, issued)
    plugin = next(p["gongkai"] for p in yaml.safe_load(config.read_text(encoding="utf-8"))["plugins"] if isinstance(p, dict) and "gongkai" in p)
    rule = ShardRule.of(plugin["shards"])
    assert len(rule.names) == shards and rule.unmatched(ids) == []
    groups = Counter(rule.shard_of_unit(unit) for unit in ids)
    assert SHARED not in groups and len(groups) == shards - 1
    documents = Counter()
    for unit in ids:
        documents[rule.shard_of_unit(unit)] += issued[unit]
    run = 100 if len({unit[:3] for unit in ids}) % (shards - 1) == 0 else 10
    assert max(documents.values()) - min(documents.values()) <= 68 * run  # one run's documents at most
    assert max(groups.values()) - min(groups.values()) <= run
