from django import forms
from django.utils import timezone

from .models import Community, Theme

DT = {"type": "datetime-local"}


class ActivityForm(forms.Form):
    title = forms.CharField(label="活动名称", max_length=120)
    theme = forms.ChoiceField(label="服务主题", choices=Theme.choices)
    organizer = forms.ModelChoiceField(label="组织单位", queryset=None)
    open_to = forms.ModelChoiceField(label="面向范围（该组织及其下级的党员可报名）", queryset=None)
    place = forms.CharField(label="活动地点", max_length=120)
    community = forms.ModelChoiceField(
        label="服务社区", queryset=Community.objects.filter(active=True), required=False
    )
    starts_at = forms.DateTimeField(
        label="开始时间", widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label="结束时间", widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M")
    )
    capacity = forms.IntegerField(label="招募人数（不填不限）", required=False, min_value=1, max_value=10000)
    description = forms.CharField(label="活动内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = orgs
        self.fields["open_to"].queryset = orgs


class ReportForm(forms.Form):
    title = forms.CharField(label="服务内容", max_length=120)
    theme = forms.ChoiceField(label="服务主题", choices=Theme.choices, initial=Theme.OTHER)
    served_on = forms.DateField(label="服务日期", widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label="服务时长（小时）", min_value=0.5, max_value=24, decimal_places=1)
    description = forms.CharField(label="服务情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.FileField(
        label="照片（可选）", required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )

    def clean_served_on(self):
        day = self.cleaned_data["served_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("服务日期不能晚于今天")
        return day


class CommunityForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["name", "street", "contact_name", "contact_phone"]


class CheckInForm(forms.Form):
    community = forms.ModelChoiceField(label="社区", queryset=Community.objects.filter(active=True))
    registered_on = forms.DateField(label="报到日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="备注", max_length=200, required=False)
