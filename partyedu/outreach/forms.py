from __future__ import annotations

from django import forms
from django.utils import timezone

from partyedu.learning.materials_selectors import visible_q
from partyedu.learning.models import Material

MATERIAL_CHOICES = 60


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(
        label="送学日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    minutes = forms.IntegerField(label="学习时长（分钟）", min_value=1, max_value=480, initial=90)
    materials = forms.ModelMultipleChoiceField(
        label="从资料库带去的资料",
        queryset=Material.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    items = forms.CharField(
        label="其他学习资料", max_length=300, required=False, help_text="如：党员教育读本、学习光盘、文件汇编"
    )
    summary = forms.CharField(label="学习内容", widget=forms.Textarea(attrs={"rows": 4}))
    companions = forms.CharField(label="同去人员", max_length=200, required=False, help_text="多人用顿号分隔")
    feedback = forms.CharField(label="党员反馈", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    override_reason = forms.CharField(label="特殊情况说明", max_length=200, required=False)

    def __init__(self, *args, access=None, member=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("delivered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        field = self.fields["materials"]
        field.queryset = Material.objects.filter(visible_q(access))
        # the form offers the latest materials; validation accepts any the worker may see
        field.widget.choices = list(
            field.queryset.order_by("-published_at", "-pk").values_list("pk", "title")[:MATERIAL_CHOICES]
        )
        if not field.widget.choices:
            del self.fields["materials"]  # nothing in the library yet: free text only
        if member is not None and member.needs_home_delivery:
            del self.fields["override_reason"]
        else:
            self.fields["override_reason"].required = True
            self.fields[
                "override_reason"
            ].help_text = "该党员在花名册中未标记“行动不便需送学上门”，请说明原因"


class VoidForm(forms.Form):
    reason = forms.CharField(label="作废原因", max_length=200)
