"""意见征集 and the 决策事项目录: the derived state, the 30-day rule, feedback, links and pages."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import findings, replace_in, where
from gongkai.model.consultation import Consultation, Feedback

PATH = "data/consultations/rules.yml"
CONSULTATION = """\
    title: 关于《测试区政府信息公开规定（征求意见稿）》公开征求意见的公告
    unit: office
    decision_item: d-2023-1
    start: 2023-09-01
    end: 2023-09-30
    explanation: 起草说明。
    body: |
      第一条 为了规范政府信息公开工作，制定本规定。
    channels:
      email: office@example.gov.cn
      phone: 0595-29990010
    feedback:
      published: 2023-10-20
      received: 10
      adopted: 4
      partly: 2
      rejected: 4
      reasons:
        - opinion: 延长答复期限
          reason: 《条例》规定了答复期限
    decision: b-2021-1
    """
ITEM = """\
    year: 2023
    title: 制定《测试区政府信息公开规定》
    unit: gov
    lead: office
    planned: 2023-12-31
    hearing: true
    decision: b-2021-1
    """


@pytest.fixture
def consult_site(doc_site):
    doc_site.write(PATH, CONSULTATION)
    doc_site.write("data/decisions/d-2023-1.yml", ITEM)
    return doc_site


def test_valid_consultation_has_no_findings(consult_site):
    assert findings(consult_site) == []


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def consultation(start: datetime.date, end: datetime.date, feedback: datetime.date | None = None) -> Consultation:
    given_feedback = Feedback(published=feedback, received=0, adopted=0, rejected=0) if feedback else None
    return Consultation.model_construct(start=start, end=end, feedback=given_feedback)


def test_the_state_changes_on_each_date_and_not_before():
    c = consultation(day("2024-03-01"), day("2024-03-30"), day("2024-04-10"))
    states = {d: c.state(day(d)) for d in ("2024-02-29", "2024-03-01", "2024-03-30", "2024-03-31", "2024-04-09", "2024-04-10")}
    assert states == {"2024-02-29": "未开始", "2024-03-01": "征集中", "2024-03-30": "征集中", "2024-03-31": "已结束",
                      "2024-04-09": "已结束", "2024-04-10": "已反馈"}
    assert [c.days_left(day(d)) for d in ("2024-02-29", "2024-03-01", "2024-03-30", "2024-03-31")] == [30, 30, 1, 0]


@given(st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 1, 1)), st.integers(0, 90), st.integers(0, 60),
       st.dates(datetime.date(2019, 1, 1), datetime.date(2031, 1, 1)), st.booleans())
def test_the_state_follows_from_the_dates(start, length, wait, today, answered):
    end = start + datetime.timedelta(days=length)
    c = consultation(start, end, end + datetime.timedelta(days=wait) if answered else None)
    state = c.state(today)
    if answered and today >= c.feedback.published:
        assert state == "已反馈"
    elif today < start:
        assert state == "未开始" and c.days_left(today) == c.days
    elif today <= end:
        assert state == "征集中" and 1 <= c.days_left(today) == (end - today).days + 1 <= c.days
    else:
        assert state == "已结束" and c.days_left(today) == 0


def test_a_period_shorter_than_30_days_needs_its_reason(consult_site):
    replace_in(consult_site, PATH, "end: 2023-09-30", "end: 2023-09-29")  # 29 days
    [line] = findings(consult_site)
    assert line.startswith(f"{where(consult_site, PATH, 'end: 2023-09-29')}: 错误：end（截止日期）：征求意见期限只有 29 日")
    replace_in(consult_site, PATH, "end: 2023-09-29", "end: 2023-09-29\nshort_reason: 情况紧急")
    assert findings(consult_site) == []


def test_feedback_that_is_late_is_reported_after_the_configured_days(consult_site):
    replace_in(consult_site, PATH, "end: 2023-09-30", "end: 2023-11-30")  # as_of is 2024-01-01: 32 days ago
    text = (consult_site.root / PATH).read_text(encoding="utf-8")
    consult_site.write(PATH, text[:text.index("feedback:")])  # no feedback (and no decision yet)
    lines = findings(consult_site)
    assert any("测试区人民政府办公室的意见征集“关于《测试区政府信息公开规定（征求意见稿）》公开征求意见的公告”已于 2023-11-30 截止 32 天，"
               "还没有公布采纳情况反馈" in line and "警告" in line for line in lines)
    assert findings(consult_site, datetime.date(2023, 12, 30)) == []  # 30 days: not yet
    failed = consult_site.run("gongkai.cli", "check", "--strict")
    assert failed.returncode == 1
    replace_in(consult_site, "mkdocs.yml", 'as_of: "2024-01-01"', 'as_of: "2024-01-01"\n      feedback_days: 60')
    assert consult_site.run("gongkai.cli", "check", "--strict").returncode == 0


def test_feedback_is_checked(consult_site):
    replace_in(consult_site, PATH, "published: 2023-10-20", "published: 2023-09-20")
    replace_in(consult_site, PATH, "received: 10", "received: 9")
    replace_in(consult_site, PATH, "  reasons:\n    - opinion: 延长答复期限\n      reason: 《条例》规定了答复期限\n", "")
    lines = "\n".join(findings(consult_site))
    assert f"{where(consult_site, PATH, 'published: 2023-09-20')}: 错误：feedback.published（反馈日期）：反馈日期早于截止日期" in lines
    assert f"{where(consult_site, PATH, 'received: 9')}: 错误：feedback.received（收到意见数）：采纳、部分采纳、未采纳共 10 条，多于收到的 9 条" in lines
    assert "警告：feedback.reasons（未采纳的主要意见及理由）：有未采纳的意见" in lines


def test_references_and_channels(consult_site):
    replace_in(consult_site, PATH, "decision: b-2021-1", "decision: b-2021-9")
    replace_in(consult_site, PATH, "decision_item: d-2023-1", "decision_item: d-2023-2")
    replace_in(consult_site, "data/decisions/d-2023-1.yml", "lead: office", "lead: ofice")
    lines = findings(consult_site)
    assert f"{where(consult_site, PATH, 'decision: b-2021-9')}: 错误：decision（决策文件）：文件“b-2021-9”不存在；是否想写“b-2021-1”？" in lines
    assert any(line.startswith(where(consult_site, PATH, "decision_item: d-2023-2")) and "决策事项“d-2023-2”不存在" in line for line in lines)
    assert any("承办单位“ofice”不存在；是否想写“office”？" in line for line in lines)
    replace_in(consult_site, PATH, "  email: office@example.gov.cn\n  phone: 0595-29990010\n", "  email:\n")
    assert any("至少写明一种提出意见的方式" in line for line in findings(consult_site))


def test_pages_link_both_ways_and_list_open_ones_first(consult_site):
    consult_site.write("data/consultations/open.yml", """\
        title: 关于测试区停车收费标准（草案）公开征求意见的公告
        unit: office
        start: 2023-12-15
        end: 2024-01-13
        channels:
          address: 测试区某路 1 号
        """)
    consult_site.build()
    listing = consult_site.html("consultations/index.html")
    rows = [row.get_text(" ", strip=True) for row in listing.select("article tbody tr")]
    assert "征集中（还剩 13 天）" in rows[0] and "已反馈（收到 10 条，采纳 6 条）" in rows[1]
    page = consult_site.html("consultations/rules/index.html")
    assert page.find("a", href="../../documents/b-2021-1/") is not None  # to the decision document
    mail = page.find("a", href=lambda h: h and h.startswith("mailto:"))
    assert mail["href"].startswith("mailto:office@example.gov.cn?subject=%E6%84%8F%E8%A7%81")
    assert "征求意见稿" in page.article.get_text() and "第一条 为了规范政府信息公开工作" in page.article.get_text()
    back = consult_site.html("documents/b-2021-1/index.html").find(lambda tag: tag.name == "p" and "公开征求了意见" in tag.get_text())
    assert back is not None and back.find("a")["href"] == "../../consultations/rules/"
    directory = consult_site.html("decisions/index.html")
    row = directory.find("tr", id="d-2023-1")
    assert "已决策" in row.get_text() and row.find("a", href="../consultations/rules/") is not None
    filters = {s["data-pagefind-filter"]: s.get_text() for s in page.select("[data-pagefind-filter]")}
    assert filters["类型"] == "意见征集" and filters["征集状态"] == "已反馈" and filters["年份"] == "2023"


def test_gongkai_new_consultation_and_decision_item(consult_site):
    for noun, id in (("consultation", "c-new"), ("decision-item", "d-new")):
        made = consult_site.run("gongkai.cli", "new", noun, id)
        assert made.returncode == 0, made.stderr
    folder = {"c-new": "consultations", "d-new": "decisions"}
    for id, name in folder.items():
        assert (consult_site.root / f"data/{name}/{id}.yml").is_file()
    lines = "\n".join(findings(consult_site))
    assert "data/consultations/c-new.yml" in lines and "data/decisions/d-new.yml" in lines  # check asks for what is missing


def test_new_consultations_have_an_atom_feed(consult_site):
    import xml.etree.ElementTree as ET

    consult_site.build()
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(consult_site.out / "consultations/feed.xml").getroot()
    [entry] = feed.findall(f"{atom}entry")
    assert entry.find(f"{atom}title").text.startswith("关于《测试区政府信息公开规定")
    assert entry.find(f"{atom}link").get("href") == "https://test.example.gov.cn/consultations/rules/"
    assert entry.find(f"{atom}published").text == "2023-09-01T00:00:00+08:00"
    assert consult_site.html("consultations/index.html").find("a", string="Atom 订阅")["href"] == "feed.xml"


def test_the_annual_report_counts_the_years_consultations(report_site):
    report_site.write(PATH, CONSULTATION.replace("2023-09-01", "2021-03-01").replace("2023-09-30", "2021-03-31")
                      .replace("2023-10-20", "2021-04-20").replace("    decision_item: d-2023-1\n", ""))
    report_site.build()
    text = report_site.html("reports/office/2021/index.html").article.get_text(" ", strip=True)
    assert "本平台记录：2021 年公开征求意见 1 次" in text and "收到意见 10 条，采纳 4 条、部分采纳 2 条" in text
    assert "本平台记录" not in report_site.html("reports/office/2020/index.html").article.get_text()


@pytest.mark.parametrize("old, new, expected", [
    ("end: 2023-09-30", "end: 2023-08-30", "end（截止日期）：截止日期早于开始日期（2023-09-01）"),
    ("start: 2023-09-01", "start: 2023年9月1日", "start（开始日期）：日期“2023年9月1日”格式不正确"),
    ("  received: 10", "  received: 十条", "feedback.received（收到意见数）"),
    ("feedback:\n", "feedback: 已反馈\nfeedbacks:\n", "feedback（采纳情况反馈）"),
    ("year: 2023", "year: 23", "year（目录年度）"),
])
def test_an_editors_slips_are_named_by_file_line_and_field(consult_site, old, new, expected):
    path = "data/decisions/d-2023-1.yml" if old.startswith("year") else PATH
    replace_in(consult_site, path, old, new)
    lines = findings(consult_site)
    assert any(line.startswith(f"{path}:") and expected in line and "错误" in line for line in lines), lines
