from __future__ import annotations

from django import forms
from django.utils import timezone

from partyedu.orgs.models import Organization

from .models import AudienceKind, ReadingPlan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.ModelForm):
    """An assigned plan. The organisation is chosen once, at creation."""

    class Meta:
        model = ReadingPlan
        fields = ["organization", "title", "year", "deadline", "audience", "description"]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"organization": "下达组织"}

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organization"]
        else:
            self.fields["organization"].required = True
            self.fields["organization"].queryset = (
                organizations if organizations is not None else Organization.objects.none()
            )
            self.fields["year"].initial = timezone.localdate().year
        self.fields["deadline"].required = True
        self.fields["audience"].required = True
        self.fields["audience"].choices = AudienceKind.choices
        self.fields["audience"].help_text = "“指定人员”在保存后到“学习对象”页面选择"


class PersonalPlanForm(forms.ModelForm):
    class Meta:
        model = ReadingPlan
        fields = ["title", "year", "deadline", "description"]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 2})}
        labels = {"deadline": "目标完成日期", "description": "学习目标"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year


class ItemOptionsForm(forms.Form):
    required = forms.TypedChoiceField(
        label="要求", choices=[("1", "必读"), ("0", "选读")], coerce=lambda v: v == "1", initial="1"
    )
    deadline = forms.DateField(label="本项期限（可不填）", required=False, widget=DATE)
    note = forms.CharField(label="学习要求（可不填）", required=False, max_length=200)


class BookItemForm(ItemOptionsForm):
    book_title = forms.CharField(label="书名", max_length=120)
    book_author = forms.CharField(label="作者", max_length=80, required=False)

    field_order = ["book_title", "book_author", "required", "deadline", "note"]


class BookReadForm(forms.Form):
    note = forms.CharField(
        label="读书心得",
        max_length=300,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "用一两句话写下收获"}),
    )
    read_on = forms.DateField(label="读完日期", required=False, widget=DATE)
