from __future__ import annotations

from django import forms

from .models import Difficulty, QuestionType, Quiz, QuizKind, ReviewPolicy
from .quiz_services import ORGANISED_KINDS

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class QuizForm(forms.ModelForm):
    owner = forms.ModelChoiceField(queryset=None, label="组织单位", empty_label=None)
    scope = forms.ModelChoiceField(
        queryset=None, label="参加范围", required=False, empty_label="组织单位全体党员"
    )
    time_limit_minutes = forms.IntegerField(
        label="限时（分钟）", required=False, min_value=1, max_value=360, help_text="不填表示不限时"
    )

    class Meta:
        model = Quiz
        fields = [
            "title",
            "kind",
            "description",
            "opens_at",
            "closes_at",
            "max_attempts",
            "pass_percent",
            "grace_seconds",
            "review",
            "shuffle_questions",
            "shuffle_options",
            "questions_per_day",
        ]
        widgets = {
            "opens_at": DT,
            "closes_at": DT,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in QuizKind if k in ORGANISED_KINDS]
        self.fields["review"].choices = ReviewPolicy.choices
        self.fields["owner"].queryset = owners
        self.fields["scope"].queryset = owners
        self.fields["opens_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["closes_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            self.fields["owner"].disabled = True
            self.fields["owner"].initial = self.instance.owner_id
            self.fields["scope"].initial = self.instance.scope_id
            if self.instance.time_limit_seconds:
                self.fields["time_limit_minutes"].initial = self.instance.time_limit_seconds // 60

    def settings(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        minutes = data.pop("time_limit_minutes", None)
        data["time_limit_seconds"] = minutes * 60 if minutes else None
        return data


class RuleForm(forms.Form):
    topic = forms.ModelChoiceField(queryset=None, required=False, label="专题", empty_label="不限专题")
    difficulty = forms.TypedChoiceField(
        choices=[("", "不限难度"), *Difficulty.choices],
        required=False,
        label="难度",
        coerce=int,
        empty_value=None,
    )
    qtype = forms.ChoiceField(choices=[("", "不限题型"), *QuestionType.choices], required=False, label="题型")
    count = forms.IntegerField(min_value=0, max_value=200, required=False, label="题数")

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics


RuleFormSet = forms.formset_factory(RuleForm, extra=3, max_num=30)


class QuestionFilterForm(forms.Form):
    q = forms.CharField(required=False, label="题干关键词")
    topic = forms.ModelChoiceField(queryset=None, required=False, label="专题", empty_label="全部专题")
    difficulty = forms.TypedChoiceField(
        choices=[("", "全部难度"), *Difficulty.choices],
        required=False,
        label="难度",
        coerce=int,
        empty_value=None,
    )
    qtype = forms.ChoiceField(choices=[("", "全部题型"), *QuestionType.choices], required=False, label="题型")

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
