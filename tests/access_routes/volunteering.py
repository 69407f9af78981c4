"""志愿服务 and 双报到 routes: an activity organised by and open to the education branch, its records, its
members' registrations are out of reach of the finance branch's secretary and member. The community list is
county-wide: anyone reads it, only org admins change it."""

from __future__ import annotations

import datetime

from tests.access_rules import Foreign, Own


def _activity(c):
    from django.utils import timezone

    from partyedu.volunteering import services
    from partyedu.volunteering.models import VolunteerActivity

    activity = VolunteerActivity.objects.filter(organizer=c.education_branch).first()
    if activity is None:
        starts = timezone.now() - datetime.timedelta(hours=3)
        activity = services.create_activity(
            title="教育局敬老院志愿服务",
            theme="elderly",
            organizer=c.education_branch,
            open_to=c.education_branch,
            place="县社会福利中心",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            capacity=None,
            description="",
            community=None,
        )
    return activity


def other_activity(c):
    return {"pk": _activity(c).pk}


def other_record(c):
    from partyedu.volunteering.models import VolunteerRecord

    activity = _activity(c)
    member = c.education_members[0]
    record = VolunteerRecord.objects.filter(activity=activity, member=member).first()
    if record is None:
        record = VolunteerRecord.objects.create(
            member=member,
            organization=c.education_branch,
            activity=activity,
            title=activity.title,
            served_on=datetime.date.today(),
            hours=2,
        )
    return {"pk": record.pk}


def a_community(c):
    from partyedu.volunteering.models import Community

    community, _ = Community.objects.get_or_create(name="城关街道幸福社区", defaults={"street": "城关街道"})
    return {"pk": community.pk}


def other_org(c):
    return {"pk": c.education_branch.pk}


OTHER = ("王五", "赵六", "教育局敬老院志愿服务")

ROUTES = {
    "volunteering:activities": Own(must_not_show=OTHER),
    "volunteering:activity_create": Own(),
    "volunteering:activity": Foreign(other_activity),
    "volunteering:activity_edit": Foreign(
        other_activity, methods=("get", "post"), payload={"title": "被改名"}
    ),
    "volunteering:signup": Foreign(other_activity, methods=("post",)),
    "volunteering:withdraw": Foreign(other_activity, methods=("post",)),
    "volunteering:confirm_sheet": Foreign(other_activity, methods=("post",)),
    "volunteering:confirm_all": Foreign(other_activity, methods=("post",)),
    "volunteering:record_review": Foreign(other_record, methods=("post",), payload={"decision": "confirm"}),
    "volunteering:record_photo": Foreign(other_record),
    "volunteering:reports": Own(must_not_show=OTHER),
    "volunteering:mine": Own(),
    "volunteering:report": Own(),
    "volunteering:stats": Own(must_not_show=("县教育局",)),
    "volunteering:stats_export": Own(methods=("post",)),
    "volunteering:communities": Own(),
    "volunteering:community_edit": Foreign(a_community, methods=("get", "post"), payload={"name": "被改名"}),
    "volunteering:checkins": Own(must_not_show=OTHER + ("县教育局",)),
    "volunteering:checkins_export": Own(methods=("post",)),
    "volunteering:my_checkin": Own(),
    "volunteering:checkin_org": Foreign(other_org),
    "volunteering:checkin_register": Foreign(
        other_org,
        methods=("post",),
        payload=lambda c: {"community": a_community(c)["pk"], "registered_on": "2026-01-05"},
    ),
}
