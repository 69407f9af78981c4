from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import SectionKind
from .services import MONTHS, cohost_candidates


def default_plan_year() -> int:
    """Plans are made at year end for the next year."""
    today = timezone.localdate()
    return today.year + 1 if today.month >= 10 else today.year


class PlanForm(forms.Form):
    """The year's plan: a title and twelve rows of theme and co-host."""

    title = forms.CharField(label="计划名称", max_length=200, required=False)
    year = forms.TypedChoiceField(label="年度", coerce=int)

    def __init__(self, *args, organization, with_year: bool = True, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.organization = organization
        this_year = timezone.localdate().year
        if with_year:
            self.fields["year"].choices = [(y, f"{y}年") for y in range(this_year + 1, this_year - 3, -1)]
            self.fields["year"].initial = default_plan_year()
        else:
            del self.fields["year"]
        # One read of the candidates for all twelve selects (a ModelChoiceField would query per field).
        self.candidates = {str(o.pk): o for o in cohost_candidates(organization)}
        choices = [("", "（待定）")] + [(pk, o.name) for pk, o in self.candidates.items()]
        for n in MONTHS:
            self.fields[f"theme_{n}"] = forms.CharField(
                label=f"{n}月主题",
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": "本期主题", "class": "theme-input"}),
            )
            self.fields[f"cohost_{n}"] = forms.ChoiceField(
                label=f"{n}月协办单位", choices=choices, required=False
            )

    def rows(self):
        return [(n, self[f"theme_{n}"], self[f"cohost_{n}"]) for n in MONTHS]

    def months(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"theme": d.get(f"theme_{n}", ""), "cohost": self.candidates.get(d.get(f"cohost_{n}") or "")}
            for n in MONTHS
        ]


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ActivityPlanForm(_Form):
    activity_plan = forms.CharField(
        label="活动方案",
        widget=forms.Textarea(
            attrs={"rows": 10, "placeholder": "活动时间、地点、形式，四个板块的具体安排，参加人员等"}
        ),
    )


class ReviewForm(_Form):
    decision = forms.ChoiceField(choices=[("approve", "审定通过"), ("return", "退回修改")])
    comment = forms.CharField(
        label="修改意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "退回时请写明修改意见"}),
    )


class MeetingCreateForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="开始时间",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label="结束时间",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label="地点", max_length=200, required=False)
    held = forms.BooleanField(label="已召开（补录）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


class MeetingLinkForm(forms.Form):
    meeting = forms.ModelChoiceField(label="已有的读书会活动", queryset=None, empty_label="请选择")

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["meeting"].queryset = queryset
        self.fields["meeting"].label_from_instance = lambda m: f"{m.held_on:%Y-%m-%d} {m.theme}"


class SectionForm(forms.Form):
    kind = forms.ChoiceField(label="板块", choices=SectionKind.choices)
    title = forms.CharField(label="题目", max_length=200)
    speaker_name = forms.CharField(label="主讲/发言人", max_length=100, required=False)
    summary = forms.CharField(label="内容摘要", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


class SharedTextForm(forms.Form):
    title = forms.CharField(label="题目", max_length=200)
    author_name = forms.CharField(
        label="作者",
        max_length=100,
        required=False,
        help_text="为他人录入时填写作者姓名（本系统党员会自动关联；特邀嘉宾可写“姓名 + 职务”）",
    )
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, for_others: bool, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        if not for_others:
            del self.fields["author_name"]
