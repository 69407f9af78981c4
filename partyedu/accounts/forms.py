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
