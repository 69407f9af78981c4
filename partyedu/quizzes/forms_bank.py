from __future__ import annotations

from django import forms

from partyedu.learning.models import Topic

from . import bank_services, import_services
from .models import Difficulty, QuestionStatus, QuestionType

LETTERS = "ABCDEFGH"
ANSWER_HELP = (
    "单选题填一个字母，如 B；多选题填多个字母，如 AC；判断题填 对 或 错；"
    "填空题每个空一行（或用“；”分隔），同一空的几种答案用“/”或“|”分隔"
)


class QuestionForm(forms.Form):
    """One form for every question type: options A–H (choice types only) and the answer as people write it."""

    owner = forms.ModelChoiceField(label="所属题库", queryset=None, empty_label=None)
    qtype = forms.ChoiceField(label="题型", choices=QuestionType.choices)
    stem = forms.CharField(label="题干", widget=forms.Textarea(attrs={"rows": 3}))
    answer_text = forms.CharField(
        label="答案", help_text=ANSWER_HELP, widget=forms.Textarea(attrs={"rows": 2})
    )
    explanation = forms.CharField(label="解析", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    difficulty = forms.TypedChoiceField(
        label="难度", choices=Difficulty.choices, coerce=int, initial=Difficulty.MEDIUM
    )
    topics = forms.ModelMultipleChoiceField(
        label="专题",
        queryset=Topic.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.CharField(label="来源", required=False, max_length=200)
    publish = forms.BooleanField(label="保存后立即发布", required=False)

    def __init__(self, *args, owners=None, question=None, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        for letter in LETTERS:
            self.fields[f"option_{letter}"] = forms.CharField(
                label=f"选项{letter}", required=False, max_length=500
            )
        # keep the options right after the stem
        order = ["owner", "qtype", "stem", *[f"option_{x}" for x in LETTERS], "answer_text"]
        self.order_fields(order)
        self.question = question
        if question is not None:
            del self.fields["owner"]
            del self.fields["publish"]
            v = question.current
            self.initial.update(
                qtype=v.qtype,
                stem=v.stem,
                answer_text=v.answer_text().replace("；", "\n") if v.qtype == "blank" else v.answer_text(),
                explanation=v.explanation,
                difficulty=v.difficulty,
                source=v.source,
                topics=list(question.topics.all()),
                **{f"option_{LETTERS[i]}": o for i, o in enumerate(v.options[:8])},
            )
        else:
            self.fields["owner"].queryset = owners

    def option_fields(self):
        return [self[f"option_{x}"] for x in LETTERS]

    def other_fields(self):
        return [f for f in self if not f.name.startswith("option_")]

    def clean(self):
        data = super().clean()
        qtype, text = data.get("qtype"), data.get("answer_text") or ""
        if not qtype:
            return data
        options = [(data.get(f"option_{x}") or "").strip() for x in LETTERS]
        while options and not options[-1]:
            options.pop()
        answer = None
        if qtype in {"single", "multiple"}:
            letters = import_services.parse_letters(text)
            if letters is None:
                self.add_error("answer_text", "选择题的答案应为选项字母，如 A 或 AC")
            elif any(x not in LETTERS[: len(options)] for x in letters):
                self.add_error("answer_text", "答案不在选项中")
            elif qtype == "single" and len(letters) != 1:
                self.add_error("answer_text", "单选题只能有一个答案")
            else:
                indexes = [LETTERS.index(x) for x in letters]
                answer = {"choice": indexes[0]} if qtype == "single" else {"choices": indexes}
        elif qtype == "judge":
            value = import_services.parse_judge(text)
            if value is None:
                self.add_error("answer_text", "判断题的答案只能是“对”或“错”")
            else:
                answer = {"value": value}
            options = []
        else:
            blanks = import_services.parse_blanks(text)
            if not blanks:
                self.add_error("answer_text", "缺少答案")
            else:
                answer = {"blanks": blanks}
            options = []
        if answer is not None:
            try:
                stem, options = bank_services.clean_question(qtype, data.get("stem") or "", options, answer)
            except forms.ValidationError as exc:
                for message in exc.messages:
                    self.add_error(
                        "stem" if "题干" in message else "answer_text" if "答案" in message else None, message
                    )
            else:
                data["stem"], data["options"], data["answer"] = stem, options, answer
        return data

    def question_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "qtype": d["qtype"],
            "stem": d["stem"],
            "options": d["options"],
            "answer": d["answer"],
            "explanation": d.get("explanation", ""),
            "difficulty": d["difficulty"],
            "source": d.get("source", ""),
        }


class BankFilterForm(forms.Form):
    owner = forms.ModelChoiceField(label="题库", queryset=None, required=False, empty_label="全部题库")
    qtype = forms.ChoiceField(label="题型", choices=[("", "全部题型"), *QuestionType.choices], required=False)
    topic = forms.ModelChoiceField(
        label="专题", queryset=Topic.objects.order_by("name"), required=False, empty_label="全部专题"
    )
    difficulty = forms.TypedChoiceField(
        label="难度",
        choices=[("", "全部难度"), *Difficulty.choices],
        required=False,
        coerce=int,
        empty_value=None,
    )
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *QuestionStatus.choices], required=False
    )
    q = forms.CharField(label="题干", required=False, max_length=100)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["owner"].queryset = owners


class ImportUploadForm(forms.Form):
    owner = forms.ModelChoiceField(label="导入到题库", queryset=None, empty_label=None)
    file = forms.FileField(
        label="试题文件（.xlsx、.csv 或 .json）",
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv,.json"}),
    )

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["owner"].queryset = owners

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            import_services.file_format(upload.name)
        except import_services.ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        if upload.size > import_services.MAX_BYTES:
            raise forms.ValidationError("文件不能超过 20 MB，请拆分后分批导入。")
        return upload


class ImportCommitForm(forms.Form):
    skip_duplicates = forms.BooleanField(label="跳过疑似重复的题目", required=False, initial=True)
    publish = forms.BooleanField(label="导入后直接发布（否则为草稿）", required=False)
