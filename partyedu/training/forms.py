from __future__ import annotations

from django import forms

from partyedu.orgs.models import Organization

from .models import TrainingClass


class ClassForm(forms.ModelForm):
    class Meta:
        model = TrainingClass
        fields = [
            "title",
            "organiser",
            "starts_on",
            "ends_on",
            "place",
            "target_kind",
            "target_org",
            "is_rotation",
            "session_hours",
            "capacity",
            "final_test_mode",
            "final_quiz",
            "completion_fraction",
            "description",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"completion_fraction": "如 0.80：出勤达到课次的 80% 且考试合格方可结业"}

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = orgs if orgs is not None else Organization.objects.none()
        self.fields["organiser"].queryset = qs
        self.fields["target_org"].queryset = qs
        from partyedu.quizzes.models import Quiz, QuizKind

        self.fields["final_quiz"].queryset = Quiz.objects.filter(kind=QuizKind.EXAM, owner__in=qs).order_by(
            "-pk"
        )

    def clean(self):
        data = super().clean()
        if data.get("final_test_mode") == "quiz" and not data.get("final_quiz"):
            self.add_error("final_quiz", "选择“在线结业考试”时请指定试卷")
        return data


class SessionForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    topic = forms.CharField(label="专题", max_length=150)
    teacher_name = forms.CharField(label="授课人", max_length=60, required=False)
    hours = forms.DecimalField(label="学时", max_digits=4, decimal_places=1, min_value=0, required=False)


class AddMemberForm(forms.Form):
    who = forms.CharField(label="姓名或身份证号", max_length=50)


class VerifyForm(forms.Form):
    code = forms.CharField(label="证书编号", max_length=32)
