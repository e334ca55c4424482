"""A synthetic platform of any size, for benchmarks and load tests.

It copies the current project's theme and hand-written pages and writes `data/` with
`units` units and `documents` documents that use every feature the real data uses:
normative documents with 解读, amendments, repeals, expiries and clean-up campaigns.
The output is deterministic for a given seed.
"""

from __future__ import annotations

import datetime
import json
import random
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from .model.categories import CATEGORIES
from .model.plan import PLAN_CATEGORIES, PLAN_LEVELS
from .project import PARTS, copy_platform

YEARS = range(2016, 2026)
_TOPICS = ["社会救助", "养老服务", "就业创业", "义务教育", "医疗卫生", "城市管理", "安全生产", "市场监管", "财政资金", "政务公开"]
_PARAGRAPH = (
    "为进一步规范{topic}工作，提高行政效能，根据有关法律法规和上级文件精神，结合本区实际，制定本文件。"
    "各单位要高度重视，明确责任分工，加强统筹协调，确保各项措施落到实处。"
    "对工作中遇到的新情况、新问题，要及时研究解决，重大事项及时报告。"
)


def _dump(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def _day(rng: random.Random, year: int) -> datetime.date:
    return datetime.date(year, rng.randint(1, 11), rng.randint(1, 28))


def _weekday_after(day: datetime.date, days: int) -> datetime.date:
    """`days` calendar days later, moved off a weekend (keeps publication well within 20 working days)."""
    later = day + datetime.timedelta(days=days)
    while later.weekday() >= 5:
        later += datetime.timedelta(days=1)
    return later


def _body(rng: random.Random, topic: str) -> str:
    parts = []
    for n, heading in enumerate(["总则", "工作措施", "保障措施", "附则"], start=1):
        paragraphs = "\n\n".join(_PARAGRAPH.format(topic=topic) for _ in range(rng.randint(1, 2)))
        parts.append(f"## 第{'一二三四'[n - 1]}章　{heading}\n\n{paragraphs}")
    return "\n\n".join(parts)


def write_units(data: Path, count: int) -> list[str]:
    ids = []
    for i in range(count):
        uid = f"u{i:04d}"
        ids.append(uid)
        kind = "区政府" if i == 0 else "街道办事处" if i % 5 == 4 else "区政府工作部门"
        _dump(data / "units" / f"{uid}.yml", {
            "name": "合成区人民政府" if i == 0 else f"合成第{i + 1}号{'街道办事处' if kind == '街道办事处' else '局'}",
            "type": kind,
            "address": f"合成路 {i + 1} 号",
            "office_hours": "工作日 8:00—17:30",
            "phone": f"0595-2{i:07d}"[:13],
            "head": f"合成{i}",
            "functions": [f"负责{_TOPICS[i % len(_TOPICS)]}工作。", "承办上级交办的其他事项。"],
            "offices": [{"name": "办公室", "functions": ["负责机关日常运转。"]}],
            "powers": [{"name": f"{_TOPICS[i % len(_TOPICS)]}监督检查", "type": "行政检查", "basis": "有关法律法规",
                        "subject": "本单位", "duties": "检查、处理", "accountability": "不依法履职的"}],
            "updated": "2025-12-01",
        })
    return ids


def write_documents(data: Path, count: int, units: list[str], rng: random.Random) -> tuple[dict[str, set[str]], Counter[str]]:
    """Write the documents; return the categories each unit has published in, and how many documents each issued."""
    used: dict[str, set[str]] = {u: set() for u in units}
    issued: Counter[str] = Counter()
    written_ids: list[tuple[str, str, datetime.date]] = []  # normative (id, issuer, effective)
    n = 0
    while n < count:
        position = n % len(units)
        issuer = units[position]
        year = YEARS[(n // len(units)) % len(YEARS)]
        topic = _TOPICS[n % len(_TOPICS)]
        written = _day(rng, year)
        published = _weekday_after(written, rng.randint(1, 10))
        normative = n % 3 == 0 and n + 1 < count
        did = f"d{n:06d}"
        doc: dict[str, Any] = {
            "title": f"关于{topic}的{'管理办法' if normative else '通知'}（第{n + 1}号）",
            "kind": "规范性文件" if normative else "其他文件",
            "number": f"合成{_letters(position)}〔{year}〕{n + 1}号",
            "issuer": issuer,
            "written": written.isoformat(),
            "published": published.isoformat(),
            "category": CATEGORIES[n % len(CATEGORIES)].key if not normative else "规章和规范性文件",
            "keywords": [topic],
            "summary": f"规范{topic}工作。",
            "body": _body(rng, topic),
        }
        if n == 0:
            doc["disclosure_rule"] = True  # the platform's 政府信息公开制度
        used[issuer].add(doc["category"])
        if normative:
            doc["expires"] = datetime.date(published.year + 15, 12, 31).isoformat()
            if year <= 2020 and rng.random() < 0.3:
                doc["events"] = [{"type": "清理", "campaign": "cleanup-2020", "outcome": "继续有效", "date": "2020-11-30"}]
            earlier = [w for w in written_ids if w[1] == issuer and w[2] < published]
            if earlier and rng.random() < 0.2:  # repeal or amend an older one of the same unit
                target = earlier[-1][0]
                _add_event(data, target, {"type": rng.choice(["修改", "废止"]), "by": did})
            written_ids.append((did, issuer, published))
        _dump(data / "documents" / str(year) / f"{did}.yml", doc)
        issued[issuer] += 1
        n += 1
        if normative:  # its 解读, published the same day
            _dump(data / "documents" / str(year) / f"{did}-jd.yml", {
                "title": f"《{doc['title']}》政策解读", "kind": "政策解读", "issuer": issuer, "interprets": did,
                "written": published.isoformat(), "published": published.isoformat(),
                "category": "规章和规范性文件", "body": _PARAGRAPH.format(topic=topic),
            })
            issued[issuer] += 1
            n += 1
    return used, issued


def write_columns(data: Path, units: list[str], used: dict[str, set[str]]) -> None:
    """Each unit's 政府信息公开 column: the categories it has nothing in are declared not applicable."""
    for i, uid in enumerate(units):  # the first is the district government: article 21 binds it too
        missing = {c.key: "本单位无此类信息（合成数据）" for c in CATEGORIES
                   if (c.article == 20 or i == 0) and c.key not in used[uid] and c.key != "机构职能"}
        _dump(data / "disclosure" / f"{uid}.yml", {
            "review_body": "合成区人民政府", "court": "合成区人民法院",
            "reports_note": "年度报告在原网站发布（合成数据）", "not_applicable": missing,
        })


def write_plans(project_data: Path, data: Path, units: list[str], used: dict[str, set[str]]) -> None:
    """An 应急预案 for every tenth unit, in every 类别 and 层级, revised once, with the demo's
    text and handbook as attachments."""
    text, handbook = project_data / "plans" / "zongti-2025.docx", project_data / "plans" / "zongti-2025-操作手册.docx"
    (data / "plans").mkdir(parents=True, exist_ok=True)
    for i, uid in enumerate(units[::10]):
        level = PLAN_LEVELS[i % len(PLAN_LEVELS)]
        plan_id = f"plan-{i + 1}"
        shutil.copy(text, data / "plans" / f"{plan_id}.docx")
        shutil.copy(handbook, data / "plans" / f"{plan_id}-手册.docx")
        _dump(data / "plans" / f"{plan_id}.yml", {
            "title": f"合成区第{i + 1}号应急预案", "level": level, "unit": uid,
            **({} if level == "总体" else {"category": PLAN_CATEGORIES[i % len(PLAN_CATEGORIES)]}),
            "versions": [
                {"published": "2019-06-01", "attachments": [{"file": f"{plan_id}.docx"}]},
                {"published": "2024-06-01", "note": "修订（合成数据）", "attachments": [{"file": f"{plan_id}.docx"}],
                 "handbook": [{"file": f"{plan_id}-手册.docx"}]},
            ],
            "drills": [{"date": "2025-05-12", "title": "综合演练（合成数据）", "type": "综合演练"}],
        })
        used[uid].add("应急预案")


def write_consultations(data: Path, units: list[str]) -> None:
    """For every tenth unit a 重大行政决策事项 of the government's 2025 目录 and its closed
    意见征集 with its feedback (the navigation has both pages)."""
    for i, uid in enumerate(units[::10]):
        item = f"d-2025-{i + 1}"
        _dump(data / "decisions" / "2025" / f"{item}.yml", {
            "year": 2025, "title": f"合成区第{i + 1}号重大行政决策事项", "unit": units[0], "lead": uid, "planned": "2025-12-31"})
        _dump(data / "consultations" / f"c-2025-{i + 1}.yml", {
            "title": f"关于第{i + 1}号决策事项草案公开征求意见的公告", "unit": uid, "decision_item": item,
            "start": "2025-03-03", "end": "2025-04-02", "channels": {"email": "zhengji@example.gov.cn"},
            "feedback": {"published": "2025-04-20", "received": 12, "adopted": 3, "partly": 2, "rejected": 7,
                         "reasons": [{"opinion": "延长实施期限（合成数据）", "reason": "与上位规定不符（合成数据）"}]}})


def write_catalogs(project_data: Path, data: Path, units: list[str]) -> None:
    """The project's standard catalogs, adopted unchanged by every tenth unit."""
    shutil.copytree(project_data / "catalogs" / "standard", data / "catalogs" / "standard")
    domains = sorted(p.stem for p in (data / "catalogs" / "standard").glob("*.yml"))
    for i, uid in enumerate(units[::10]):
        _dump(data / "catalogs" / "units" / uid / f"{domains[i % len(domains)]}.yml", {"compiled": "2021-06-30"})


def _letters(i: int) -> str:
    """0 → A, 25 → Z, 26 → BA: a 机关代字 without digits."""
    out = ""
    while True:
        i, r = divmod(i, 26)
        out = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[r] + out
        if i == 0:
            return out


def _add_event(data: Path, target: str, event: dict) -> None:
    path = next((data / "documents").glob(f"*/{target}.yml"))
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if any(e["type"] == "废止" for e in doc.get("events", [])):
        return
    doc.setdefault("events", []).append(event)
    _dump(path, doc)


def synthesize(project: Path, out: Path, documents: int, units: int, seed: int = 1, shards: int = 0) -> None:
    """Write a platform with the project's theme and pages and synthetic data into `out`; with
    `shards`, its mkdocs.yml builds it in that many shards (`write_shard_rule`)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    copy_platform(project, out, tuple(part for part in PARTS if part != "data"))
    data = out / "data"
    (data).mkdir()
    shutil.copy(project / "data" / "site.yml", data / "site.yml")
    ids = write_units(data, units)
    site = yaml.safe_load((data / "site.yml").read_text(encoding="utf-8"))
    site["host_unit"] = ids[0]  # issues the platform's 政府信息公开制度 (document 0)
    _dump(data / "site.yml", site)
    _dump(data / "campaigns" / "cleanup-2020.yml", {"title": "2020年规范性文件集中清理", "organizer": ids[0], "date": "2020-11-30"})
    used, issued = write_documents(data, documents, ids, rng)
    write_plans(project / "data", data, ids, used)
    write_consultations(data, ids)
    write_columns(data, ids, used)
    write_catalogs(project / "data", data, ids)
    write_shard_rule(out / "mkdocs.yml", ids, shards, issued)


def write_shard_rule(config: Path, units: list[str], shards: int, issued: Counter[str]) -> None:
    """Replace the project's shard rule (it names the demo's units) by one of `shards` shards in all: `shared`
    (the platform's own pages) and `shards - 1` groups of units by id, in runs of a hundred (u0000–u0099 are
    ``u00*``), or of ten when the hundreds do not deal out evenly. The runs are dealt out to the groups by the
    documents their units issued, most first, there and back (1, 2, 3, 3, 2, 1, …): groups of a size."""
    kept: list[str] = []
    in_rule = False
    for line in config.read_text(encoding="utf-8").splitlines(keepends=True):
        in_rule = line.startswith("      shards:") or (in_rule and line.startswith("        "))
        if not in_rule:
            kept.append(line)
    text = "".join(kept)
    groups = shards - 1
    if groups > 0:
        width = 3 if len({unit[:3] for unit in units}) % groups == 0 else 4
        documents: Counter[str] = Counter()
        for unit in units:
            documents[unit[:width]] += issued[unit]
        runs = sorted(documents, key=lambda run: (-documents[run], run))
        dealt: list[list[str]] = [[] for _ in range(groups)]
        for n, run in enumerate(runs):
            turn, k = divmod(n, groups)
            dealt[k if turn % 2 == 0 else groups - 1 - k].append(f"{run}*")
        lines = "".join(f"        part{k + 1:02d}: {json.dumps(sorted(patterns))}\n" for k, patterns in enumerate(dealt) if patterns)
        text = text.replace("  - gongkai:\n", f"  - gongkai:\n      shards:\n{lines}", 1)
    config.write_text(text, encoding="utf-8")
