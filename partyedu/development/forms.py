from __future__ import annotations

from django import forms
from django.utils import timezone

from partyedu.members.models import Member, MemberStatus

from .models import PEOPLE_STEPS, VOTE_STEPS, Outcome, StepKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
K = StepKind


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name}（{obj.organization.name}）"


class StepForm(forms.Form):
    """One step of one kind: the fields it needs and nothing else."""

    kind = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=DATE)
    first_person = PersonChoice(label="第一人", queryset=Member.objects.none(), required=False)
    second_person = PersonChoice(label="第二人", queryset=Member.objects.none(), required=False)
    voters_expected = forms.IntegerField(label="应到会有表决权的正式党员（人）", min_value=0, required=False)
    voters_present = forms.IntegerField(label="实到（人）", min_value=0, required=False)
    votes_for = forms.IntegerField(label="赞成（人）", min_value=0, required=False)
    training_enrolment = forms.ChoiceField(label="已结业的培训班", required=False)
    training_days = forms.IntegerField(label="培训天数", min_value=0, required=False)
    training_hours = forms.DecimalField(
        label="培训学时", min_value=0, max_digits=5, decimal_places=1, required=False
    )
    outcome = forms.ChoiceField(label="审批结果", choices=[("", "请选择")] + Outcome.choices, required=False)
    extension_months = forms.IntegerField(label="延长预备期（月）", min_value=6, max_value=12, required=False)
    note = forms.CharField(label="情况记录", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    late_reason = forms.CharField(
        label="逾期说明",
        max_length=300,
        required=False,
        help_text="超过规定期限的环节须说明原因，否则不能记录",
    )

    def __init__(self, *args, kind: str, member: Member, trainings=(), **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("kind", kind)
        kwargs["initial"].setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.kind_label = StepKind(kind).label
        keep = {"kind", "on", "note", "late_reason"}
        if kind in PEOPLE_STEPS:
            keep |= {"first_person", "second_person"}
            what = PEOPLE_STEPS[kind]
            people = (
                Member.objects.current()
                .filter(organization=member.organization, status=MemberStatus.FULL)
                .exclude(pk=member.pk)
                .select_related("organization")
            )
            for name, label in (("first_person", f"第一{what}"), ("second_person", f"第二{what}")):
                self.fields[name].queryset = people
                self.fields[name].label = label
        if kind in VOTE_STEPS:
            keep |= {"voters_expected", "voters_present", "votes_for"}
        if kind == K.TRAINING:
            keep |= {"training_enrolment", "training_days", "training_hours"}
            self.trainings = {str(e.pk): e for e in trainings}
            self.fields["training_enrolment"].choices = [("", "（手工填写天数或学时）")] + [
                (
                    str(e.pk),
                    f"{e.training_class.title}（{e.completed_on or e.training_class.ends_on:%Y-%m-%d}结业）",
                )
                for e in trainings
            ]
        if kind == K.FULL_APPROVAL:
            keep |= {"outcome", "extension_months"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def step_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"kind", "on"}}
        if "training_enrolment" in data:
            data["training_enrolment"] = self.trainings.get(data["training_enrolment"] or "")
        for key in ("outcome", "note", "late_reason"):
            if key in data and data[key] is None:
                data[key] = ""
        return data


class OpenPathForm(forms.Form):
    applied_on = forms.DateField(label="递交入党申请书日期", widget=DATE, required=False)


class RuleForm(forms.Form):
    label = forms.CharField(label="规则名称", max_length=120)
    min_months = forms.IntegerField(label="至少间隔（月）", min_value=0, max_value=120, required=False)
    max_months = forms.IntegerField(label="至多间隔（月）", min_value=0, max_value=120, required=False)
    valid_from = forms.DateField(
        label="生效日期", widget=DATE, help_text="此日期及以后的环节按新规定审核，此前的环节仍按原规定"
    )
    basis = forms.CharField(label="依据", max_length=200, required=False)
