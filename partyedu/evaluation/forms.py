from __future__ import annotations

from decimal import Decimal

from django import forms

from .models import DEFAULT_WEIGHTS, RATER_KINDS, WEIGHT_LABELS, Grade


class CampaignForm(forms.Form):
    root = forms.ModelChoiceField(label="评议范围", queryset=None, empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称", max_length=120)
    opens_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    excellent_quota = forms.DecimalField(
        label="优秀比例上限",
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        decimal_places=3,
        initial=Decimal("0.333"),
        help_text="占参加评定党员的比例，默认三分之一（0.333）",
    )

    def __init__(self, *args, roots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"].queryset = roots
        for key, label in WEIGHT_LABELS.items():
            self.fields[f"w_{key}"] = forms.IntegerField(
                label=f"{label}权重", min_value=0, max_value=100, initial=DEFAULT_WEIGHTS[key]
            )

    def weights(self) -> dict:
        return {key: self.cleaned_data[f"w_{key}"] for key in WEIGHT_LABELS}

    def clean(self):
        data = super().clean()
        if all(f"w_{k}" in data for k in WEIGHT_LABELS):
            total = sum(data[f"w_{k}"] for k in WEIGHT_LABELS)
            if total != 100:
                raise forms.ValidationError(f"各项权重之和应为100，现为{total}")
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "截止日期不能早于开始日期")
        return data

    def weight_fields(self):
        return [self[f"w_{k}"] for k in WEIGHT_LABELS]


class SelfForm(forms.Form):
    self_grade = forms.ChoiceField(label="自评等次", choices=[("", "请选择"), *Grade.choices])
    self_summary = forms.CharField(
        label="自评材料（不少于50字）",
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=50,
        error_messages={"min_length": "自评材料不少于50字"},
    )


class AssessForm(forms.Form):
    org_score = forms.IntegerField(label="组织评价（0-100）", min_value=0, max_value=100)
    org_comment = forms.CharField(label="评价意见", max_length=300, required=False)


class DecideForm(forms.Form):
    grade = forms.ChoiceField(label="评定等次", choices=Grade.choices)
    note = forms.CharField(label="评定说明（与建议等次不同时必填）", max_length=300, required=False)


class TokensForm(forms.Form):
    count = forms.IntegerField(label="份数", min_value=1, max_value=50, initial=10)
    rater_kind = forms.ChoiceField(label="评议人类别", choices=list(RATER_KINDS.items()))


class MassForm(forms.Form):
    grade = forms.ChoiceField(label="您的评价", choices=Grade.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="意见建议（选填）", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(forms.Form):
    score = forms.IntegerField(label="评分（0-100）", min_value=0, max_value=100)
    comment = forms.CharField(label="评议意见", max_length=300, required=False)
