"""The organisation tree as a party worker browses and maintains it."""

from django.urls import reverse
from django.utils import timezone

from partyedu.orgs.models import Organization


def test_the_tree_starts_at_the_users_scope_with_subtree_member_counts(county, client):
    client.force_login(county.committee_admin)
    response = client.get(reverse("orgs:tree"))
    nodes = response.context["nodes"]
    assert [n.name for n in nodes] == ["示范县直属机关工作委员会"]
    assert nodes[0].member_count == 5 and nodes[0].has_children


def test_expanding_a_node_loads_its_children_with_counts(county, client):
    client.force_login(county.committee_admin)
    response = client.get(reverse("orgs:children", args=[county.committee.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert html.index("县财政局党组") < html.index("县教育局党委")
    assert "3人" in html.split(">县财政局党组</a>")[1].split("</li>")[0]
    assert "2人" in html.split(">县教育局党委</a>")[1].split("</li>")[0]


def test_a_secretarys_tree_is_his_branch_only(county, client):
    client.force_login(county.finance_secretary)
    assert [n.name for n in client.get(reverse("orgs:tree")).context["nodes"]] == ["县财政局机关党支部"]
    assert client.get(reverse("orgs:children", args=[county.committee.pk])).status_code == 404
    assert client.get(reverse("orgs:detail", args=[county.education_branch.pk])).status_code == 404


def test_the_tree_costs_the_same_queries_however_many_children(county, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..factories import make_org

    client.force_login(county.committee_admin)
    url = reverse("orgs:children", args=[county.finance.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(20):
        make_org(f"县财政局第{i + 2}党支部", "branch", county.finance)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('class="node"') == 21
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_unit_worker_creates_a_branch_moves_it_and_dissolves_it(county, client):
    client.force_login(county.education_admin)
    response = client.post(
        reverse("orgs:create_child", args=[county.education.pk]),
        {
            "name": "县教育局机关第二党支部",
            "kind": "branch",
            "unit_name": "县教育局",
            "code": "",
            "established_on": "2026-01-05",
        },
    )
    branch = Organization.objects.get(name="县教育局机关第二党支部")
    assert response.status_code == 302 and branch.parent_id == county.education.pk
    # he may not move it out of his unit: the committee is not among the parents he can choose
    response = client.post(reverse("orgs:move", args=[branch.pk]), {"new_parent": county.finance.pk})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    response = client.post(
        reverse("orgs:dissolve", args=[branch.pk]), {"on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.is_dissolved


def test_a_secretary_cannot_manage_organisations(county, client):
    client.force_login(county.finance_secretary)
    assert client.get(reverse("orgs:create_child", args=[county.finance_branch.pk])).status_code == 403
    assert (
        client.post(reverse("orgs:edit", args=[county.finance_branch.pk]), {"name": "x"}).status_code == 403
    )


def test_dissolving_a_branch_with_members_is_refused_with_the_reason(county, client):
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("orgs:dissolve", args=[county.finance_branch.pk]), {"on": timezone.localdate().isoformat()}
    )
    assert "还有党员" in response.content.decode()
    county.finance_branch.refresh_from_db()
    assert county.finance_branch.dissolved_on is None
