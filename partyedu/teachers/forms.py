from __future__ import annotations

from django import forms

from partyedu.accounts.models import User
from partyedu.meetings.selectors import find_member_by_id_or_mobile
from partyedu.orgs.models import Organization

from .models import Course, PreferredPeriod, Teacher, TeacherKind, TeacherStatus, TeachingArea


class TeacherForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=40)
    kind = forms.ChoiceField(label="类别", choices=TeacherKind.choices, initial=TeacherKind.EXTERNAL)
    member_lookup = forms.CharField(
        label="关联党员（身份证号或手机号）",
        required=False,
        help_text="县直机关内部教师可关联本人党员档案；已开通账号的将自动关联登录账号",
    )
    username = forms.CharField(
        label="登录账号（用户名）", required=False, help_text="教师用该账号登录后可自行答复授课申请"
    )
    unit = forms.CharField(label="工作单位", max_length=100, required=False)
    title = forms.CharField(label="职务/职称", max_length=100, required=False)
    areas = forms.MultipleChoiceField(
        label="授课方向", choices=TeachingArea.choices, widget=forms.CheckboxSelectMultiple
    )
    bio = forms.CharField(label="个人简介", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    contact = forms.CharField(label="联系方式（仅党务工作者可见）", max_length=100, required=False)
    status = forms.ChoiceField(label="状态", choices=TeacherStatus.choices, initial=TeacherStatus.ACTIVE)

    def __init__(self, *args, teacher: Teacher | None = None, **kwargs):
        if teacher is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": teacher.name,
                "kind": teacher.kind,
                "member_lookup": teacher.member.mobile if teacher.member_id else "",
                "username": teacher.user.username if teacher.user_id else "",
                "unit": teacher.unit,
                "title": teacher.title,
                "areas": teacher.area_codes,
                "bio": teacher.bio,
                "contact": teacher.contact,
                "status": teacher.status,
            }
        super().__init__(*args, **kwargs)

    def clean_member_lookup(self):
        text = (self.cleaned_data.get("member_lookup") or "").strip()
        if not text:
            return None
        found = find_member_by_id_or_mobile(text)
        if len(found) != 1:
            raise forms.ValidationError("没有找到该党员，请输入完整的身份证号或手机号")
        return found[0]

    def clean_username(self):
        name = (self.cleaned_data.get("username") or "").strip()
        if not name:
            return None
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError("没有找到该账号")
        return user

    def service_fields(self) -> dict:
        d = dict(self.cleaned_data)
        d["member"] = d.pop("member_lookup")
        d["user"] = d.pop("username")
        return d


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "area", "format", "minutes", "summary", "status"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class RequestForm(forms.Form):
    organization = forms.ModelChoiceField(label="申请党组织", queryset=Organization.objects.none())
    preferred_from = forms.DateField(
        label="期望日期（起）", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    preferred_to = forms.DateField(
        label="期望日期（止）", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    preferred_period = forms.ChoiceField(label="期望时段", choices=PreferredPeriod.choices)
    audience = forms.IntegerField(label="预计听课人数", min_value=1, max_value=5000)
    note = forms.CharField(
        label="备注", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )


class AcceptForm(forms.Form):
    date = forms.DateField(
        label="授课日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    starts_at = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label="授课地点", max_length=200)


class DeclineForm(forms.Form):
    reason = forms.CharField(label="谢绝原因", max_length=200)


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label="评分",
        coerce=int,
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="评价（选填）", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
