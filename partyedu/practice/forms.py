from __future__ import annotations

import re

from django import forms

from partyedu.members.models import Member
from partyedu.orgs.models import subtree_q

from .models import Category, ListKind, Satisfaction, WishCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NAME_SPLIT = re.compile(r"[，,、；;\s]+")
NAME_WITH_ORG = re.compile(r"^(?P<name>[^（(]+)[（(](?P<org>[^）)]+)[）)]$")


def resolve_names(text: str, organization) -> list[Member]:
    """Responsible members typed as names (张三、李四), looked up in the organisation's subtree. A name two
    members share is written with part of the branch's name: 张三（机关第一）."""
    found: list[Member] = []
    errors: list[str] = []
    # split on separators but keep "张三（机关 第一党支部）" whole
    tokens = [
        t
        for t in NAME_SPLIT.split(
            re.sub(r"[（(][^）)]*[）)]", lambda m: m.group(0).replace(" ", ""), text or "")
        )
        if t
    ]
    for token in tokens:
        match = NAME_WITH_ORG.match(token)
        name, org_hint = (match["name"], match["org"]) if match else (token, "")
        qs = Member.objects.filter(
            subtree_q(organization.path, "organization__path"), name=name.strip(), left_on__isnull=True
        ).select_related("organization")
        if org_hint:
            qs = qs.filter(organization__name__contains=org_hint.strip())
        people = list(qs[:5])
        if not people:
            errors.append(f"在{organization.name}及其下级组织中没有找到“{token}”")
        elif len(people) > 1:
            where = "、".join(f"{m.name}（{m.organization.name}）" for m in people)
            errors.append(
                f"“{token}”有同名党员：{where}，请在姓名后用括号注明支部，如“{name}（{people[0].organization.name}）”"
            )
        elif people[0] not in found:
            found.append(people[0])
    if errors:
        raise forms.ValidationError(errors)
    return found


class ItemForm(forms.Form):
    organization = forms.ModelChoiceField(label="责任党组织", queryset=None, empty_label=None)
    list_kind = forms.ChoiceField(label="清单类别", choices=ListKind.choices)
    title = forms.CharField(label="事项名称", max_length=120)
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    responsible_names = forms.CharField(
        label="责任人",
        max_length=500,
        required=False,
        help_text="填写姓名，多人用顿号分隔；同名时在姓名后用括号注明支部",
    )
    beneficiaries = forms.CharField(label="受益群众", max_length=200, required=False)
    beneficiary_count = forms.IntegerField(
        label="受益人数", min_value=0, max_value=10_000_000, required=False
    )
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    deadline = forms.DateField(label="完成时限", widget=DATE)
    description = forms.CharField(label="事项内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    plan = forms.CharField(label="计划措施", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def clean(self):
        data = super().clean()
        org = data.get("organization")
        if data.get("starts_on") and data.get("deadline") and data["deadline"] < data["starts_on"]:
            self.add_error("deadline", "完成时限不能早于开始日期")
        if org is not None:
            try:
                data["responsible"] = resolve_names(data.get("responsible_names", ""), org)
            except forms.ValidationError as exc:
                self.add_error("responsible_names", exc)
        return data

    def item_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "list_kind": d["list_kind"],
            "title": d["title"].strip(),
            "category": d["category"],
            "beneficiaries": d["beneficiaries"].strip(),
            "beneficiary_count": d["beneficiary_count"],
            "starts_on": d["starts_on"],
            "deadline": d["deadline"],
            "description": d["description"].strip(),
            "plan": d["plan"].strip(),
        }


class ProgressForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE)
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="照片或文档（JPG/PNG/PDF/docx）")
    caption = forms.CharField(label="说明", max_length=120, required=False)


class CompleteForm(forms.Form):
    done_on = forms.DateField(label="办结日期", widget=DATE)
    result_summary = forms.CharField(
        label="办结成效", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class TokensForm(forms.Form):
    count = forms.IntegerField(label="份数", min_value=1, max_value=100, initial=10)


class FeedbackForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label="您对这件实事满意吗？", choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="意见建议（选填）", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WishForm(forms.Form):
    organization = forms.ModelChoiceField(label="发布党组织（面向其党员）", queryset=None, empty_label=None)
    title = forms.CharField(label="心愿", max_length=80)
    category = forms.ChoiceField(label="类别", choices=WishCategory.choices)
    budget = forms.DecimalField(
        label="预计金额（元）", min_value=0, max_digits=8, decimal_places=2, required=False
    )
    text = forms.CharField(label="心愿内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    resident_name = forms.CharField(label="群众姓名", max_length=40)
    community = forms.CharField(label="所在社区（村）", max_length=80)
    resident_phone = forms.CharField(label="联系电话（仅党务工作者可见）", max_length=20, required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def clean_resident_phone(self):
        phone = self.cleaned_data["resident_phone"].strip()
        if phone and not re.fullmatch(r"[0-9\-+ ]{5,20}", phone):
            raise forms.ValidationError("请填写正确的电话号码")
        return phone


class FulfilForm(forms.Form):
    note = forms.CharField(label="完成情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    photo = forms.FileField(label="照片或凭证（JPG/PNG/PDF）", required=False)
