"""Library search on Chinese text: the index the platform keeps, mixed-width input, ranking and visibility."""

import pytest

from partyedu.learning import materials_services as services
from partyedu.learning.materials_selectors import LibraryFilter, library
from partyedu.learning.models import MaterialVisibility, SearchToken
from partyedu.learning.search import query_tokens


def publish(org, title, body="", **extra):
    extra.setdefault("category", "party_history")
    extra.setdefault("visibility", MaterialVisibility.COUNTY)
    return services.create_material(publisher=org, title=title, body=body, **extra)


def titles(user, q, **filters):
    return [str(h.material.title) for h in library(user, LibraryFilter(q=q, **filters)).hits]


@pytest.fixture
def admin(county):
    return county.committee_admin


def test_full_width_and_half_width_input_find_the_same_materials(county, admin):
    publish(county.committee, "人工智能时代的机关党建", "<p>AI与党建工作深度融合，探索智慧党建新路径。</p>")
    publish(
        county.committee, "中国共产党的创建", "<p>1921年7月，中国共产党第一次全国代表大会在上海召开。</p>"
    )

    assert titles(admin, "ＡＩ 与党建") == ["人工智能时代的机关党建"]
    assert titles(admin, "ai与党建") == ["人工智能时代的机关党建"]
    assert titles(admin, "１９２１年") == ["中国共产党的创建"]
    assert titles(admin, "1921年") == ["中国共产党的创建"]
    assert query_tokens("ＡＩ　与党建") == ["ai", "与党", "党建"]


def test_title_matches_come_before_body_matches(county, admin):
    publish(county.committee, "学习笔记", "<p>深入学习红船精神，弘扬伟大建党精神。</p>")
    publish(county.committee, "红船精神的时代价值", "<p>一篇关于初心使命的文章。</p>")
    publish(county.committee, "又一篇学习笔记", "<p>红船精神是中国革命精神之源。</p>")

    found = titles(admin, "红船精神")
    assert found[0] == "红船精神的时代价值"
    assert set(found[1:]) == {"学习笔记", "又一篇学习笔记"}


def test_a_one_character_query_finds_that_character(county, admin):
    publish(county.committee, "廉洁自律准则", "<p>廉</p>")
    publish(county.committee, "理想信念", "<p>坚定理想信念</p>")
    assert titles(admin, "廉") == ["廉洁自律准则"]


def test_bigrams_that_are_not_adjacent_are_no_match(county, admin):
    # "党建" and "建设" are both in the text, but "党建设" is not.
    publish(county.committee, "基层党建观察", "<p>加强党建，推进建设。</p>")
    publish(county.committee, "党建设计", "<p>党建设计方案</p>")
    assert titles(admin, "党建设") == ["党建设计"]


def test_the_snippet_marks_the_match_and_escapes_the_rest(county, admin):
    publish(
        county.committee, "一篇文章", "<p>前言&lt;script&gt;。" + "铺垫" * 40 + "全面从严治党永远在路上。</p>"
    )
    hit = library(admin, LibraryFilter(q="从严治党")).hits[0]
    assert "<mark>从严治党</mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert hit.snippet.startswith("…")


def test_search_combines_with_category_and_topic(county, admin):
    topic = services.topic_named("党的二十大精神")
    publish(county.committee, "学习二十大报告", "<p>二十大</p>", category="theory", topics=[topic])
    publish(county.committee, "二十大与党史", "<p>二十大</p>", category="party_history")

    assert titles(admin, "二十大", category="theory") == ["学习二十大报告"]
    assert titles(admin, "二十大", topic=topic.pk) == ["学习二十大报告"]
    assert len(titles(admin, "二十大")) == 2


def test_a_branch_member_cannot_find_what_another_unit_published_for_its_own_subtree(county):
    publish(county.education, "教育局内部学习材料", "<p>师德师风</p>", visibility=MaterialVisibility.SUBTREE)
    publish(county.finance, "财政局内部学习材料", "<p>师德师风</p>", visibility=MaterialVisibility.SUBTREE)
    publish(county.committee, "工委全县学习材料", "<p>师德师风</p>", visibility=MaterialVisibility.SUBTREE)

    assert sorted(titles(county.finance_member_user, "师德师风")) == [
        "工委全县学习材料",
        "财政局内部学习材料",
    ]
    assert sorted(titles(county.finance_secretary, "学习材料")) == ["工委全县学习材料", "财政局内部学习材料"]
    assert len(titles(county.committee_admin, "师德师风")) == 3
    assert "教育局内部学习材料" in titles(county.education_admin, "师德师风")


def test_county_visibility_reaches_every_unit(county):
    publish(
        county.education_branch, "教育局支部的公开课", "<p>公开</p>", visibility=MaterialVisibility.COUNTY
    )
    assert titles(county.finance_member_user, "公开课") == ["教育局支部的公开课"]


def test_updating_a_material_rewrites_its_index(county, admin):
    material = publish(county.committee, "旧标题", "<p>焦裕禄精神</p>")
    services.update_material(material, title="新标题", body="<p>谷文昌精神</p>")

    assert titles(admin, "焦裕禄") == []
    assert titles(admin, "旧标题") == []
    assert titles(admin, "谷文昌") == ["新标题"]
    assert not SearchToken.objects.filter(material=material, token="焦裕").exists()


def test_the_search_page_costs_the_same_queries_for_3_or_30_results(county, admin, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin)
    for n in range(3):
        publish(county.committee, f"乡村振兴第{n}讲", "<p>乡村振兴战略</p>", tags="乡村 振兴")
    client.get("/learning/materials/?q=乡村振兴")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/learning/materials/?q=乡村振兴").status_code == 200
    for n in range(3, 30):
        publish(county.committee, f"乡村振兴第{n}讲", "<p>乡村振兴战略</p>", tags="乡村 振兴")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/learning/materials/?q=乡村振兴")
    assert len(many) <= len(few)
    assert "<mark>乡村振兴</mark>" in response.content.decode()
    with CaptureQueriesContext(connection) as listing:
        assert client.get("/learning/materials/").status_code == 200
    assert len(listing) <= len(many)


def test_odd_queries_are_no_error(county, admin, client):
    publish(county.committee, "一篇文章", "<p>正文</p>")
    client.force_login(admin)
    for q in ["", "   ", "%", "'; drop table", "！！！", "a" * 60, "<script>"]:
        assert client.get("/learning/materials/", {"q": q}).status_code == 200
    assert client.get("/learning/materials/", {"page": "x", "topic": "999"}).status_code == 200


def test_the_count_stops_at_the_cap_and_says_so(county, admin, client, monkeypatch):
    from partyedu.learning import materials_selectors

    monkeypatch.setattr(materials_selectors, "COUNT_CAP", 2)
    for n in range(3):
        publish(county.committee, f"党风廉政建设第{n}讲", "<p>党风廉政</p>")
    result = library(admin, LibraryFilter(q="党风廉政"))
    assert (result.total, result.capped, result.pages) == (2, True, 1)
    client.force_login(admin)
    assert '<b id="result-count">2+</b>' in client.get("/learning/materials/?q=党风廉政").content.decode()


def test_the_index_rows_carry_the_visibility_and_follow_its_changes(county):
    material = publish(county.education, "教育局的材料", "<p>师德</p>", visibility=MaterialVisibility.SUBTREE)
    assert set(SearchToken.objects.filter(material=material).values_list("visible_path", flat=True)) == {
        county.education.path
    }
    assert titles(county.finance_member_user, "师德") == []

    services.update_material(material, visibility=MaterialVisibility.COUNTY)
    assert set(SearchToken.objects.filter(material=material).values_list("visible_path", flat=True)) == {
        county.committee.path
    }
    assert titles(county.finance_member_user, "师德") == ["教育局的材料"]


def test_the_search_starts_from_the_rarest_token(county, admin):
    # "建设" is in every material, "廉洁" in one: the walk must still find exactly that one, title first
    for n in range(6):
        publish(county.committee, f"建设第{n}篇", "<p>加强建设</p>")
    publish(county.committee, "廉洁建设", "<p>廉洁建设</p>")
    publish(county.committee, "正文里有", "<p>廉洁建设在正文</p>")
    assert titles(admin, "廉洁建设") == ["廉洁建设", "正文里有"]
