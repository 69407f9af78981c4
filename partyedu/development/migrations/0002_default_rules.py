"""The default interval rules of 《中国共产党发展党员工作细则》 (2014).

Written out here rather than imported, so that this migration means the same thing forever; the same list is in
development/services.py (DEFAULT_RULES) for databases emptied after migrating (tests, demos)."""

import datetime

from django.db import migrations

VALID_FROM = datetime.date(2014, 6, 10)
DEFAULTS = [
    ("收到入党申请书后一个月内派人谈话", "application", "talk", None, 1, "《细则》第七条"),
    (
        "递交入党申请书满六个月后方可确定为入党积极分子",
        "application",
        "activist",
        6,
        None,
        "本县规定（可调整）",
    ),
    ("确定为入党积极分子满一年后方可确定为发展对象", "activist", "candidate", 12, None, "《细则》第十四条"),
    ("支部党员大会讨论通过后三个月内上级党委审批", "branch_vote", "approval", None, 3, "《细则》第二十八条"),
    ("预备期满一年后方可讨论转正", "approval", "full_vote", 12, None, "《细则》第三十二条"),
    (
        "支部党员大会讨论转正后三个月内上级党委审批",
        "full_vote",
        "full_approval",
        None,
        3,
        "《细则》第三十五条",
    ),
]


def create_defaults(apps, schema_editor):
    Rule = apps.get_model("development", "IntervalRule")
    if Rule.objects.exists():
        return
    for label, a, b, lo, hi, basis in DEFAULTS:
        Rule.objects.create(
            label=label,
            from_kind=a,
            to_kind=b,
            min_months=lo,
            max_months=hi,
            basis=basis,
            valid_from=VALID_FROM,
        )


class Migration(migrations.Migration):
    dependencies = [("development", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
