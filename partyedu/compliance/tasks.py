"""Background work of the compliance app: run by the task worker, inline under the test backend."""

import datetime

from django_tasks import task

from partyedu.orgs.models import Organization

from . import services


@task()
def send_compliance_alerts(root_id: int, on_date: str) -> dict:
    """The daily check for one subtree (arguments are JSON: an id and an ISO date). Safe to run twice."""
    root = Organization.objects.filter(pk=root_id).first()
    if root is None:
        return {}
    summary = services.send_alerts(root, datetime.date.fromisoformat(on_date))
    return {
        "missed": summary.missed,
        "absences": summary.absences,
        "inactive": summary.inactive,
        "created": summary.created,
    }
