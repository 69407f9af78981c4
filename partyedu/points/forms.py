from decimal import Decimal

from django import forms

from .models import EventKind, PointsMode, PointsRule, RankingVisibility


class RuleForm(forms.ModelForm):
    class Meta:
        model = PointsRule
        fields = ["event_kind", "name", "mode", "points", "daily_cap", "yearly_cap", "valid_from", "basis"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"})}


class ReviseForm(forms.Form):
    name = forms.CharField(label="规则名称", max_length=100)
    mode = forms.ChoiceField(label="计分方式", choices=PointsMode.choices)
    points = forms.DecimalField(label="分值", max_digits=6, decimal_places=2)
    daily_cap = forms.DecimalField(label="每日上限", max_digits=7, decimal_places=2, required=False)
    yearly_cap = forms.DecimalField(label="年度上限", max_digits=8, decimal_places=2, required=False)
    valid_from = forms.DateField(label="新版本生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    basis = forms.CharField(label="依据/说明", max_length=200, required=False)


class ManualForm(forms.Form):
    member_id = forms.IntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(
        label="类型", choices=[(EventKind.MANUAL_AWARD, "加分"), (EventKind.MANUAL_DEDUCTION, "扣分")]
    )
    points = forms.DecimalField(label="分值", min_value=Decimal("0.5"), max_digits=6, decimal_places=2)
    occurred_on = forms.DateField(label="发生日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label="事由",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "如：参加县委组织的抗洪抢险志愿服务"}),
    )


class CorrectionForm(forms.Form):
    new_points = forms.DecimalField(label="更正后分值", max_digits=7, decimal_places=2)
    reason = forms.CharField(label="更正原因", max_length=200)


class VisibilityForm(forms.ModelForm):
    class Meta:
        model = RankingVisibility
        fields = ["member_sees_branch", "member_sees_unit", "member_sees_county", "member_sees_org_ranking"]
