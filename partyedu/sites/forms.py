from __future__ import annotations

from django import forms

from partyedu.orgs.models import Organization

from .models import WEEKDAY_NAMES, EducationSite

WEEKDAY_CHOICES = [(str(i + 1), f"周{n}") for i, n in enumerate(WEEKDAY_NAMES)]


class SiteForm(forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label="开放日", choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = EducationSite
        fields = [
            "name",
            "address",
            "host",
            "capacity",
            "opens_at",
            "closes_at",
            "history_events",
            "heroes",
            "spirit",
            "artefacts",
        ]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}),
            "closes_at": forms.TimeInput(attrs={"type": "time"}),
            **{
                f: forms.Textarea(attrs={"rows": 3})
                for f in ["history_events", "heroes", "spirit", "artefacts"]
            },
        }

    def __init__(self, *args, hosts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts if hosts is not None else Organization.objects.none()
        self.fields["weekdays"].initial = list(self.instance.open_weekdays if self.instance.pk else "234567")


class BookingForm(forms.Form):
    organization = forms.ModelChoiceField(label="预约党组织", queryset=Organization.objects.none())
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    people = forms.IntegerField(label="预计人数", min_value=1, max_value=10000)
    contact_name = forms.CharField(label="联系人", max_length=40)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    purpose = forms.CharField(label="活动内容", max_length=200, required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations


class DeclineForm(forms.Form):
    reason = forms.CharField(label="谢绝原因", max_length=200)


class ClosureForm(forms.Form):
    on = forms.DateField(label="闭馆日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="原因", max_length=120, required=False)


class PhotoForm(forms.Form):
    photo = forms.FileField(label="照片（JPG/PNG）")
    caption = forms.CharField(label="说明", max_length=120, required=False)
