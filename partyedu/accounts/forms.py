from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="用户名或手机号", max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    error_messages = {
        "invalid_login": "用户名/手机号或密码不正确，请重新输入。",
        "inactive": "该账号已停用，请联系党务工作者。",
    }


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=60, help_text="例如：对接本单位人事系统")


# A branch has tens of members and a unit a few hundred; past this the list stops being usable and the
# worker grants from the branch's own page instead.
MEMBER_CHOICES_LIMIT = 500


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.organization.name}）"


class GrantRoleForm(forms.Form):
    member = MemberChoiceField(
        label="党员",
        queryset=None,
        empty_label="请选择党员",
        error_messages={"required": "请选择党员", "invalid_choice": "请选择本组织的在册党员"},
    )
    role = forms.ChoiceField(
        label="角色",
        error_messages={"required": "请选择角色", "invalid_choice": "您不能在该组织授予这个角色"},
    )

    def __init__(self, *args, organization, roles, **kwargs):
        from partyedu.members.models import Member

        super().__init__(*args, **kwargs)
        members = Member.objects.current().in_subtree(organization).select_related("organization")
        # Validation looks the choice up in the whole subtree; only the drop-down is cut short.
        self.fields["member"].queryset = members.order_by("sort_key", "pk")
        shown = list(members.order_by("sort_key", "pk")[: MEMBER_CHOICES_LIMIT + 1])
        self.truncated = len(shown) > MEMBER_CHOICES_LIMIT
        field = self.fields["member"]
        field.choices = [("", field.empty_label)] + [
            (m.pk, field.label_from_instance(m)) for m in shown[:MEMBER_CHOICES_LIMIT]
        ]
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
