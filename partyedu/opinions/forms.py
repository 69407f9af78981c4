from django import forms
from django.utils import timezone

from .models import Channel
from .services import MAX_CONTENT


class OpinionForm(forms.Form):
    organization = forms.ModelChoiceField(label="收集单位", queryset=None)
    channel = forms.ChoiceField(label="收集渠道", choices=[c for c in Channel.choices if c[0] != Channel.QR])
    received_on = forms.DateField(label="收到日期", widget=forms.DateInput(attrs={"type": "date"}))
    content = forms.CharField(
        label="意见建议内容", max_length=MAX_CONTENT, widget=forms.Textarea(attrs={"rows": 5})
    )
    giver_name = forms.CharField(label="提出人（可不填）", max_length=50, required=False)
    giver_contact = forms.CharField(
        label="联系方式（可不填，仅本单位党务工作者可见）", max_length=60, required=False
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
        self.fields["received_on"].initial = timezone.localdate()


class AssignForm(forms.Form):
    assignee_org = forms.ModelChoiceField(label="承办组织", queryset=None)
    assignee_member = forms.ModelChoiceField(label="承办人（可不选）", queryset=None, required=False)
    due_on = forms.DateField(label="答复期限", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, orgs, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_org"].queryset = orgs
        self.fields["assignee_member"].queryset = members


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="答复内容", max_length=MAX_CONTENT, widget=forms.Textarea(attrs={"rows": 4})
    )


NUL = {"null_characters_not_allowed": "内容中含有无法识别的字符，请删除后重新提交"}


class PublicForm(forms.Form):
    content = forms.CharField(
        label="您的意见建议",
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "请写下您对我们工作的意见建议"}),
        error_messages={
            "required": "请填写意见建议内容",
            "max_length": f"意见建议内容不能超过{MAX_CONTENT}字",
            **NUL,
        },
    )
    giver_name = forms.CharField(
        label="您的称呼（可不填）",
        max_length=50,
        required=False,
        error_messages={"max_length": "称呼不能超过50字", **NUL},
    )
    giver_contact = forms.CharField(
        label="联系电话（可不填，仅用于回复您）",
        max_length=60,
        required=False,
        error_messages={"max_length": "联系方式不能超过60字", **NUL},
    )
    # A field no person sees: a filled-in value means a form-filling robot.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )
