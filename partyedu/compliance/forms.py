import datetime

from django import forms
from django.utils import timezone

from partyedu.meetings.models import MeetingKind
from partyedu.orgs.models import Organization

from .models import RulePeriod, RuleTarget

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * obj.depth + obj.name


def first_of_next_month():
    today = timezone.localdate()
    return (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


class RuleForm(forms.Form):
    applies_to = forms.ChoiceField(label="适用组织", choices=RuleTarget.choices)
    meeting_kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    period = forms.ChoiceField(label="周期", choices=RulePeriod.choices)
    min_count = forms.IntegerField(label="每周期至少（次）", min_value=1, max_value=100, initial=1)
    requires_observer = forms.BooleanField(
        label="须有上级列席旁听", required=False, help_text="只计有列席旁听人员的会议（如中心组学习）"
    )
    scope = OrgChoiceField(
        label="适用范围", queryset=Organization.objects.none(), required=False, empty_label="全部组织"
    )
    valid_from = forms.DateField(label="生效日期", widget=DATE, initial=first_of_next_month)
    basis = forms.CharField(label="依据", max_length=200, required=False)

    def __init__(self, *args, scopes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = scopes if scopes is not None else Organization.objects.none()


class ReviseForm(forms.Form):
    period = forms.ChoiceField(label="周期", choices=RulePeriod.choices)
    min_count = forms.IntegerField(label="每周期至少（次）", min_value=1, max_value=100)
    requires_observer = forms.BooleanField(label="须有上级列席旁听", required=False)
    valid_from = forms.DateField(
        label="新版本生效日期",
        widget=DATE,
        help_text="此前开始的考核周期仍按原规则判断；新版本从生效后的第一个完整周期起适用",
    )
    basis = forms.CharField(label="依据", max_length=200, required=False)


class RetireForm(forms.Form):
    on = forms.DateField(label="停用日期", widget=DATE)
