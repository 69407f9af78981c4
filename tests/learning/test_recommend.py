"""缺什么补什么、干什么学什么: each member's recommendations come from his post (leader, youth, line of work), the
categories he studied least this year, what is new and what he left half done; each says why; what he completes
leaves the list."""

import datetime
import itertools

import pytest
from django.utils import timezone

from partyedu.learning import recommend
from partyedu.learning import recommend_selectors as selectors
from partyedu.learning.materials_services import create_material, topic_named
from partyedu.learning.models import Material, MaterialVisibility
from partyedu.learning.study_services import record_heartbeat


def publish(org, title, category, *, days_ago=100, **extra):
    extra.setdefault("visibility", MaterialVisibility.COUNTY)
    material = create_material(
        publisher=org, title=title, category=category, body=f"<p>{title}</p>", reading_minutes=1, **extra
    )
    Material.objects.filter(pk=material.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return material


_hours = itertools.count()


def complete(member, material, start=None):
    """Read it through: 48 s of a one-minute material, in 15 s beats."""
    # each reading an hour after the one before (one member's time is credited once, forwards only),
    # all of them in this year
    year_start = timezone.make_aware(datetime.datetime(timezone.localdate().year, 1, 1))
    base = max(year_start, timezone.now() - datetime.timedelta(days=3))
    start = start or base + datetime.timedelta(hours=next(_hours))
    for i in range(5):
        record_heartbeat(member, material, token="t", now=start + datetime.timedelta(seconds=15 * i))


def recommended(member, limit=50):
    return {r.material.title: r.reasons for r in selectors.recommendations_for(member, limit=limit)}


def titles(member, limit=5):
    return [r.material.title for r in selectors.recommendations_for(member, limit=limit)]


@pytest.fixture
def library(county):
    c = county.committee
    return {
        "theory": publish(c, "习近平新时代中国特色社会主义思想学习纲要", "theory"),
        "policy": publish(c, "中国共产党纪律处分条例解读", "policy"),
        "history": publish(c, "《中国共产党简史》第三章", "party_history"),
        "exemplar": publish(c, "先进典型焦裕禄同志事迹", "exemplars"),
        "budget": publish(c, "预算绩效管理业务讲座", "business", tags="预算 财政"),
        "school": publish(c, "新时代师德师风建设", "business", tags="教育"),
        "reform": publish(c, "改革开放四十年", "reform_history"),
    }


@pytest.fixture
def zhangsan(county):
    return county.finance_members[0]


def test_a_leader_is_recommended_theory_and_policy_first_as_required_reading(county, library, zhangsan):
    zhangsan.is_leader = True
    zhangsan.save(update_fields=["is_leader"])

    top = titles(zhangsan, limit=2)
    assert set(top) == {library["theory"].title, library["policy"].title}
    assert "领导干部必学" in recommended(zhangsan)[library["theory"].title]
    assert "领导干部必学" not in recommended(zhangsan)[library["history"].title]


def test_a_young_member_gets_party_history_and_exemplars(county, library, zhangsan):
    zhangsan.birth_date = timezone.localdate().replace(year=timezone.localdate().year - 28, month=1, day=1)
    zhangsan.save(update_fields=["birth_date"])

    reasons = recommended(zhangsan)
    assert "青年党员推荐" in reasons[library["history"].title]
    assert "青年党员推荐" in reasons[library["exemplar"].title]
    assert "青年党员推荐" not in reasons[library["theory"].title]
    older = county.finance_members[1]
    assert "青年党员推荐" not in recommended(older)[library["history"].title]


def test_business_material_of_his_own_line_of_work_comes_first(county, library, zhangsan):
    # the finance bureau's branch: 财政 work; the education bureau's branch: 教育
    reasons = recommended(zhangsan)
    assert titles(zhangsan, limit=1) == [library["budget"].title]
    assert "干什么学什么：与你的财政工作相关" in reasons[library["budget"].title]
    assert not any(r.startswith("干什么学什么") for r in reasons[library["school"].title])

    teacher = county.education_members[0]
    assert titles(teacher, limit=1) == [library["school"].title]
    # and a post naming the work wins over the organisation's name
    zhangsan.post = "会计"
    zhangsan.save(update_fields=["post"])
    assert "干什么学什么：与你的会计工作相关" in recommended(zhangsan)[library["budget"].title]


def test_the_categories_he_studied_least_this_year_are_named(county, library, zhangsan):
    for n in range(3):
        complete(zhangsan, publish(county.committee, f"党史专题第{n}讲", "party_history"))

    reasons = recommended(zhangsan)
    assert "你本年度理论类学习较少" in reasons[library["theory"].title]
    assert "你本年度改革开放史类学习较少" in reasons[library["reform"].title]
    assert not any("较少" in r for r in reasons[library["history"].title])


def test_study_of_last_year_does_not_count_for_this_years_balance(county, library, zhangsan):
    last_year = timezone.make_aware(datetime.datetime(timezone.localdate().year - 1, 6, 1, 9))
    complete(zhangsan, publish(county.committee, "去年学的理论", "theory"), start=last_year)

    assert "你本年度还没有完成理论类学习" in recommended(zhangsan)[library["theory"].title]


def test_new_and_half_done_materials_say_so(county, library, zhangsan):
    fresh = publish(county.committee, "学习贯彻党的二十届四中全会精神", "theory", days_ago=2)
    recent = publish(county.committee, "上月的学习材料", "theory", days_ago=30)
    record_heartbeat(zhangsan, library["reform"], token="t")

    reasons = recommended(zhangsan)
    assert "新上架" in reasons[fresh.title]
    assert "近期发布" in reasons[recent.title]
    assert "你已学了一部分，接着学完" in reasons[library["reform"].title]
    assert "新上架" not in reasons[library["theory"].title]


def test_weak_topics_from_quizzes_come_through_the_hook(county, library, zhangsan, monkeypatch):
    assert recommend.weak_topics(zhangsan) == {}  # no quiz module yet
    topic = topic_named("党的纪律建设")
    ruled = publish(county.committee, "纪律建设专题", "policy", topics=[topic])
    monkeypatch.setattr(recommend, "weak_topics", lambda member: {topic.pk: topic.name})

    assert titles(zhangsan, limit=1) == [ruled.title]
    assert "你在“党的纪律建设”专题的测验中较弱" in recommended(zhangsan)[ruled.title]


def test_a_completed_material_leaves_the_list_and_the_balance_moves(county, library, zhangsan):
    before = titles(zhangsan)
    first = Material.objects.get(title=before[0])
    complete(zhangsan, first)

    after = titles(zhangsan)
    assert first.title not in after
    assert after != before
    assert first.title not in recommended(zhangsan)
    # one category done: every other one is now "thin", his done one is not
    reasons = recommended(zhangsan)
    thin = f"你本年度{first.get_category_display()}类学习较少"
    assert all(thin not in r for r in reasons.values())


def test_materials_he_may_not_see_are_never_recommended(county, library, zhangsan):
    publish(county.education, "教育局内部学习材料", "business", visibility=MaterialVisibility.SUBTREE)
    assert "教育局内部学习材料" not in recommended(zhangsan)
    assert "教育局内部学习材料" in recommended(county.education_members[0])


def test_a_reason_is_always_given(county, zhangsan):
    publish(county.committee, "普通材料", "theory")
    complete(zhangsan, publish(county.committee, "理论一", "theory"))
    complete(zhangsan, publish(county.committee, "理论二", "theory"))
    for cat in ("party_history", "prc_history", "reform_history", "socialism_history", "policy", "exemplars"):
        complete(zhangsan, publish(county.committee, f"{cat}一", cat))
        complete(zhangsan, publish(county.committee, f"{cat}二", cat))
    complete(zhangsan, publish(county.committee, "业务一", "business"))
    complete(zhangsan, publish(county.committee, "业务二", "business"))
    assert recommended(zhangsan) == {"普通材料": ["本县党员都在学"]}


# --- pages ---------------------------------------------------------------------------------------------------------
def test_the_member_home_shows_five_with_reasons_in_a_fixed_number_of_queries(
    county, library, zhangsan, client, django_assert_max_num_queries
):
    client.force_login(county.finance_member_user)
    client.get("/")
    with django_assert_max_num_queries(20) as few:
        html = client.get("/").content.decode()
    assert html.count('data-material="') == 5
    assert "干什么学什么：与你的财政工作相关" in html
    assert "更多推荐" in html
    for n in range(20):
        publish(county.committee, f"更多的材料{n}", "theory", days_ago=n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")


def test_the_more_page_lists_everything_he_can_still_learn(county, library, zhangsan, client):
    complete(zhangsan, library["reform"])
    client.force_login(county.finance_member_user)
    html = client.get("/learning/recommended/").content.decode()
    assert html.count('data-material="') == len(library) - 1
    assert library["reform"].title not in html
    assert "为你推荐" in html


def test_a_worker_without_a_member_record_gets_a_polite_page(county, client):
    client.force_login(county.committee_admin)
    response = client.get("/learning/recommended/")
    assert response.status_code == 200
    assert "尚未关联党员档案" in response.content.decode()
