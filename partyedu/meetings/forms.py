import datetime
import html
import re

from django import forms
from django.urls import reverse
from django.utils import timezone

from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind

from .models import MeetingKind, MeetingStatus
from .services import KINDS_FOR_ORG

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# A 党委's subtree holds a few hundred people; past this a drop-down stops being usable.
MEMBER_CHOICES_LIMIT = 500


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * obj.depth + obj.name


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.organization.name}）"


def members_for(org: Organization | None):
    if org is None:
        return Member.objects.none()
    # a 党小组 holds no members itself: they are enrolled in the branch and placed in the group
    members = Member.objects.current()
    members = members.filter(group=org) if org.kind == OrganizationKind.GROUP else members.in_subtree(org)
    return members.select_related("organization").order_by("sort_key", "pk")


def kind_choices_for(org: Organization | None) -> list[tuple[str, str]]:
    allowed = KINDS_FOR_ORG.get(org.kind, set()) if org else set(MeetingKind)
    return [(k.value, k.label) for k in MeetingKind if k in allowed]


# --- minutes: plain text or simple HTML ----------------------------------------------------------------------
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_SIMPLE_HTML = re.compile(r"^(?:<p>.*?</p>)+$", re.S)
_BLOCK_END = re.compile(
    r"</(?:p|li|ol|ul|h3|h4|blockquote|tr|thead|tbody|table)>|<(?:ol|ul|table|thead|tbody)>(?!\n)"
)


def minutes_to_html(text: str) -> str:
    """Text typed (or pasted) as paragraphs becomes <p>s; anything with tags is taken as HTML. Either way the
    result goes through services.sanitize_minutes before it is stored."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text or _TAG.search(text):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def minutes_for_editing(stored: str) -> str:
    """Minutes that are only paragraphs and line breaks are edited as the plain text they came from."""
    stored = (stored or "").strip()
    if not _SIMPLE_HTML.match(stored) or set(re.findall(r"</?\s*([a-zA-Z0-9]+)", stored)) - {"p", "br"}:
        # one block per line, so that the recorder can find his way in the HTML he edits
        return _BLOCK_END.sub(lambda m: m.group(0) + "\n", stored).strip()
    paragraphs = re.findall(r"<p>(.*?)</p>", stored, re.S)
    return "\n\n".join(html.unescape(re.sub(r"<br\s*/?>", "\n", p)) for p in paragraphs)


# --- agenda rows: agenda-<n>-title / -first / -speaker, any number of rows ----------------------------------
AGENDA_MIN_ROWS = 3
AGENDA_MAX_ROWS = 50
_AGENDA_KEY = re.compile(r"^agenda-(\d{1,3})-title$")


def agenda_from_post(data) -> list[dict]:
    rows = sorted(int(m.group(1)) for key in data if (m := _AGENDA_KEY.match(key)))
    items = []
    for n in rows[:AGENDA_MAX_ROWS]:
        items.append(
            {
                "n": n,
                "title": (data.get(f"agenda-{n}-title") or "").strip()[:300],
                "is_first_agenda": bool(data.get(f"agenda-{n}-first")),
                "speaker": (data.get(f"agenda-{n}-speaker") or "").strip()[:100],
            }
        )
    return items


def agenda_rows(items: list[dict]) -> list[dict]:
    """Rows to show: the items, numbered, padded with empty rows to at least AGENDA_MIN_ROWS plus one spare."""
    rows = [{**item, "n": n} for n, item in enumerate(items)]
    while len(rows) < max(AGENDA_MIN_ROWS, len(items) + 1):
        rows.append({"n": len(rows), "title": "", "is_first_agenda": False, "speaker": ""})
    return rows


class ChineseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MeetingForm(ChineseForm):
    organization = OrgChoiceField(
        label="党组织",
        queryset=Organization.objects.none(),
        empty_label="请选择党组织",
        error_messages={"required": "请选择党组织", "invalid_choice": "请选择您负责的党组织"},
    )
    kind = forms.ChoiceField(
        label="会议类型",
        choices=MeetingKind.choices,
        error_messages={"required": "请选择会议类型", "invalid_choice": "请选择会议类型"},
    )
    theme = forms.CharField(
        label="会议主题",
        max_length=200,
        error_messages={
            "required": "请填写会议主题",
            "max_length": "会议主题不超过 %(limit_value)d 字（现有 %(show_value)d 字）",
        },
    )
    start_date = forms.DateField(
        label="日期", widget=DATE, error_messages={"required": "请填写日期", "invalid": "日期格式不正确"}
    )
    start_time = forms.TimeField(
        label="开始时间",
        widget=TIME,
        error_messages={"required": "请填写开始时间", "invalid": "时间格式不正确"},
    )
    end_date = forms.DateField(
        label="结束日期",
        widget=DATE,
        required=False,
        help_text="跨天的活动才需填写",
        error_messages={"invalid": "日期格式不正确"},
    )
    end_time = forms.TimeField(
        label="结束时间",
        widget=TIME,
        error_messages={"required": "请填写结束时间", "invalid": "时间格式不正确"},
    )
    place = forms.CharField(
        label="地点",
        max_length=200,
        required=False,
        error_messages={"max_length": "地点不超过 %(limit_value)d 字（现有 %(show_value)d 字）"},
    )
    host = MemberChoiceField(
        label="主持人",
        queryset=Member.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": "主持人须为本组织的在册党员"},
    )
    recorder = MemberChoiceField(
        label="记录人",
        queryset=Member.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": "记录人须为本组织的在册党员"},
    )
    notice = forms.CharField(
        label="会议通知",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "会议时间、地点、议程和参会要求"}),
    )
    minutes = forms.CharField(
        label="会议记录",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 10, "placeholder": "可直接输入文字（空一行分段），也可粘贴 Word 中的内容"}
        ),
    )
    decisions = forms.CharField(label="决议事项", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    # Fields the service reports under its own names.
    SERVICE_FIELDS = {"starts_at": "start_date", "ends_at": "end_time"}

    def __init__(self, *args, orgs=None, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if meeting is not None:
            # update_meeting does not move a meeting to another organisation
            del self.fields["organization"]
            org = meeting.organization
        else:
            self.fields["organization"].queryset = orgs
            # Choosing the organisation reloads the kinds it holds and its members (views.org_fields).
            self.fields["organization"].widget.attrs.update(
                {
                    "hx-get": reverse("meetings:org_fields"),
                    "hx-target": "#org-fields",
                    "hx-swap": "outerHTML",
                    "hx-include": "[name=kind],[name=host],[name=recorder]",
                }
            )
            org = self._chosen_org(orgs)
        self.org = org
        members = members_for(org)
        shown = list(members[:MEMBER_CHOICES_LIMIT]) if org else []
        for name in ("host", "recorder"):
            field = self.fields[name]
            # Validation looks the choice up in the whole subtree; only the drop-down is cut short.
            field.queryset = members
            field.choices = [("", field.empty_label)] + [(m.pk, field.label_from_instance(m)) for m in shown]
            if org is None:
                field.widget.attrs["disabled"] = True
        # Only the kinds this organisation holds are offered; a forged kind is refused by the service with its
        # Chinese reason, so the field itself accepts every kind.
        self.fields["kind"].widget.choices = [("", "请选择会议类型"), *kind_choices_for(org)]

    def _chosen_org(self, orgs):
        value = self.data.get("organization") if self.is_bound else self.initial.get("organization")
        if isinstance(value, Organization):
            return value
        if value and str(value).isdigit():
            return orgs.filter(pk=value).first()
        return None

    def clean(self):
        data = super().clean()
        day, start, end = data.get("start_date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            tz = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start), tz)
            data["ends_at"] = timezone.make_aware(
                datetime.datetime.combine(data.get("end_date") or day, end), tz
            )
            # the service says the same; saying it here too shows it beside the other mistakes of the form
            if data["ends_at"] < data["starts_at"]:
                self.add_error("end_time", "结束时间不能早于开始时间")
        return data

    def service_fields(self) -> dict:
        d = self.cleaned_data
        fields = {
            name: d[name] for name in ("kind", "theme", "starts_at", "ends_at", "place", "host", "recorder")
        }
        # a plan has no minutes yet and a record no notice: those fields are left off the form
        for name in ("notice", "decisions"):
            if name in self.fields:
                fields[name] = d[name]
        if "minutes" in self.fields:
            fields["minutes"] = minutes_to_html(d["minutes"])
        return fields

    def add_service_errors(self, exc) -> list[str]:
        """Put a service's ValidationError on the fields it names; return what belongs to no field (agenda)."""
        leftover = []
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for key, messages in errors.items():
            field = self.SERVICE_FIELDS.get(key, key)
            if field == "agenda":
                leftover.extend(messages)
            elif field in self.fields:
                self.add_error(field, messages)
            else:
                self.add_error(None, messages)
        return leftover

    @classmethod
    def initial_from(cls, meeting) -> dict:
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {
            "kind": meeting.kind,
            "theme": meeting.theme,
            "start_date": starts.date(),
            "start_time": starts.time().replace(second=0, microsecond=0),
            "end_date": ends.date() if ends.date() != starts.date() else None,
            "end_time": ends.time().replace(second=0, microsecond=0),
            "place": meeting.place,
            "host": meeting.host_id,
            "recorder": meeting.recorder_id,
            "notice": meeting.notice,
            "minutes": minutes_for_editing(meeting.minutes),
            "decisions": meeting.decisions,
        }


class MeetingFilterForm(ChineseForm):
    q = forms.CharField(
        label="主题",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "主题关键词"}),
    )
    org = OrgChoiceField(
        label="党组织", queryset=Organization.objects.none(), required=False, empty_label="全部"
    )
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部"), *MeetingKind.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *MeetingStatus.choices])
    month = forms.DateField(
        label="月份",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    date_from = forms.DateField(
        label="起始日期",
        required=False,
        widget=forms.DateInput({"type": "date", "aria-label": "起始日期"}, "%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label="截止日期",
        required=False,
        widget=forms.DateInput({"type": "date", "aria-label": "截止日期"}, "%Y-%m-%d"),
    )

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class CancelForm(ChineseForm):
    reason = forms.CharField(label="取消原因", max_length=200, required=False)


class ObserverForm(ChineseForm):
    who = forms.CharField(
        label="身份证号或手机号",
        max_length=30,
        error_messages={"required": "请输入列席人员的身份证号或手机号"},
        widget=forms.TextInput(attrs={"placeholder": "身份证号或手机号", "autocomplete": "off"}),
    )


class SeatForm(ChineseForm):
    member = MemberChoiceField(
        label="党员",
        queryset=Member.objects.none(),
        empty_label="请选择党员",
        error_messages={"required": "请选择党员", "invalid_choice": "请选择本组织的在册党员"},
    )
    position = forms.CharField(
        label="职务",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"list": "position-suggestions", "placeholder": "如：书记、组织委员"}),
    )
    started_on = forms.DateField(
        label="任职日期",
        widget=DATE,
        error_messages={"required": "请填写任职日期", "invalid": "日期格式不正确"},
    )

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = members_for(organization)
        field = self.fields["member"]
        field.queryset = members
        field.choices = [("", field.empty_label)] + [
            (m.pk, field.label_from_instance(m)) for m in members[:MEMBER_CHOICES_LIMIT]
        ]


class EndSeatForm(ChineseForm):
    ended_on = forms.DateField(
        label="卸任日期",
        widget=DATE,
        error_messages={"required": "请填写卸任日期", "invalid": "日期格式不正确"},
    )
