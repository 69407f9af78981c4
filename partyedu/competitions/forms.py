from __future__ import annotations

from django import forms

from .models import BoardVisibility, CompetitionMode, TeamMode


class CompetitionForm(forms.Form):
    title = forms.CharField(label="竞赛名称", max_length=200)
    owner = forms.ModelChoiceField(label="主办单位", queryset=None, empty_label=None)
    mode = forms.ChoiceField(label="赛制", choices=CompetitionMode.choices)
    question_count = forms.IntegerField(label="题目数量", min_value=1, max_value=100, initial=10)
    team_mode = forms.ChoiceField(label="团体排名", choices=TeamMode.choices)
    board_visibility = forms.ChoiceField(
        label="排名公布", choices=BoardVisibility.choices, initial=BoardVisibility.TOP
    )
    top_n = forms.IntegerField(label="公布前几名", min_value=1, max_value=100, initial=10)
    seconds_per_question = forms.IntegerField(
        label="现场赛每题限时（秒）", min_value=5, max_value=300, initial=20
    )
    time_limit_minutes = forms.IntegerField(
        label="线上赛答题限时（分钟）", min_value=1, max_value=240, required=False
    )
    opens_at = forms.DateTimeField(
        label="开始时间", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label="结束时间", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class JoinForm(forms.Form):
    code = forms.CharField(label="加入码", max_length=6, min_length=6)
