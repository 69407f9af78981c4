"""On his phone, a finance bureau member sees what to learn on his home page, each with its reason; he opens the top
one (a 预算 lecture he half read yesterday), the study clock runs, stops while he is in another tab, runs again
until the lecture is complete; back home, the lecture has left his recommendations and the list has moved up."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partyedu.learning.materials_services import create_material
from partyedu.learning.models import Material, StudyCredit, StudyRecord
from partyedu.learning.study_services import record_heartbeat

from ..conftest import PASSWORD
from .conftest import log_in, shot
from .test_study_clock import SET_VISIBILITY, beats_at_least

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BODY = "".join(
    f"<p>第{n}部分：预算绩效管理是优化财政资源配置、提升公共服务质量的关键举措，要做到花钱必问效、无效必问责。</p>"
    for n in range(1, 20)
)


def publish(county, title, category, days_ago, **extra):
    m = create_material(
        publisher=county.committee,
        title=title,
        category=category,
        body=extra.pop("body", f"<p>{title}。学习内容。</p>"),
        reading_minutes=1,
        visibility="county",
        **extra,
    )
    Material.objects.filter(pk=m.pk).update(published_at=timezone.now() - datetime.timedelta(days=days_ago))
    return m


def home_titles(page) -> list[str]:
    return page.locator("#home-recommendations .recommend-title").all_inner_texts()


def test_a_member_follows_a_recommendation_and_the_list_changes(county, phone, settings):
    settings.STUDY_HEARTBEAT_SECONDS = 1
    page = phone
    member = county.finance_members[0]
    lecture = publish(county, "预算绩效管理业务讲座", "business", 40, tags="预算 财政", body=BODY)
    for title, category, days in [
        ("学习贯彻党的二十届四中全会精神", "theory", 3),
        ("《中国共产党简史》第三章 掀起土地革命的风暴", "party_history", 90),
        ("先进典型焦裕禄同志事迹", "exemplars", 120),
        ("《中国共产党纪律处分条例》解读", "policy", 200),
        ("改革开放简史：农村改革率先突破", "reform_history", 300),
        ("新中国史：“两弹一星”", "prc_history", 300),
    ]:
        publish(county, title, category, days)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    for i in range(44):  # 44 s of the 48 s it needs, read yesterday
        record_heartbeat(member, lecture, token="yesterday", now=yesterday + datetime.timedelta(seconds=i))

    log_in(page, "zhangsan", PASSWORD)
    box = page.locator("#home-recommendations")
    expect(box.locator("li[data-material]")).to_have_count(5)
    before = home_titles(page)
    assert before[0] == lecture.title
    first = box.locator("li[data-material]").first
    expect(first).to_contain_text("干什么学什么：与你的财政工作相关")
    expect(first).to_contain_text("你已学了一部分，接着学完")
    expect(box).to_contain_text("你本年度还没有完成")
    expect(box).to_contain_text("新上架")
    shot(page, "recommend-01-member-home-phone")

    # he opens the lecture: the clock runs
    first.locator(".recommend-title").click()
    expect(page.locator("h1")).to_contain_text("预算绩效管理业务讲座")
    clock = page.locator("[data-study-tracker]")
    expect(clock.locator("[data-study-state]")).to_have_text("计时中")
    page.mouse.move(100, 300)
    page.wait_for_function(beats_at_least(1))
    shot(page, "recommend-02-reading-clock-running")

    # another tab: hidden, the clock stops
    page.evaluate(SET_VISIBILITY, "hidden")
    expect(clock.locator("[data-study-state]")).to_have_text("已暂停：页面不在前台")
    page.wait_for_timeout(300)
    credits = StudyCredit.objects.filter(member=member).count()
    page.wait_for_timeout(2500)
    assert StudyCredit.objects.filter(member=member).count() == credits
    assert StudyRecord.objects.get(member=member, material=lecture).completed_at is None
    shot(page, "recommend-03-reading-clock-paused")

    # back, reading on until complete
    page.evaluate(SET_VISIBILITY, "visible")
    page.mouse.move(120, 320)
    expect(clock.locator("[data-study-done]")).to_be_visible(timeout=15_000)
    assert StudyRecord.objects.get(member=member, material=lecture).completed_at is not None
    shot(page, "recommend-04-reading-completed")

    # home again: the lecture is gone, the next ones moved up
    page.goto(page.base + "/")
    expect(box.locator("li[data-material]")).to_have_count(5)
    after = home_titles(page)
    assert lecture.title not in after
    assert after != before and after[:4] == [t for t in before if t != lecture.title][:4]
    shot(page, "recommend-05-member-home-changed")

    page.click("#home-recommendations >> text=更多推荐")
    expect(page.locator("h1")).to_have_text("为你推荐")
    expect(page.locator("#recommendations li[data-material]")).to_have_count(6)
    expect(page.locator("#recommendations")).not_to_contain_text(lecture.title)
    shot(page, "recommend-06-more-recommendations")
