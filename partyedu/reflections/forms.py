from __future__ import annotations

from django import forms

from .models import ReflectionKind, ReflectionSetting


class ReflectionForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ReflectionKind.choices)
    title = forms.CharField(label="标题", max_length=200)
    prompt = forms.ChoiceField(label="学习内容", required=False)
    body = forms.CharField(
        label="正文", widget=forms.Textarea(attrs={"rows": 18}), help_text="分段书写；字数不含标点和空格"
    )

    def __init__(self, *args, prompt_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prompt"].choices = [("", "（不关联）"), *prompt_choices]

    def prompt_parts(self) -> tuple[str, int | None]:
        kind, _, pk = (self.cleaned_data.get("prompt") or "").partition(":")
        return (kind, int(pk)) if pk.isdigit() else ("", None)


class ReturnForm(forms.Form):
    comment = forms.CharField(label="退回意见", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    comment = forms.CharField(label="审核意见", max_length=500, required=False)


class SettingForm(forms.ModelForm):
    class Meta:
        model = ReflectionSetting
        fields = ["min_reflection_chars", "min_note_chars", "block_percent"]


class ReferenceForm(forms.Form):
    file = forms.FileField(label="范文文件（txt / docx）")
