from django import forms

from partyedu.orgs.models import MEMBER_HOLDING_KINDS, Organization, OrganizationKind

from .models import Education, Gender, MemberStatus
from .selectors import AGE_BANDS, FLAGS, SORTS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * obj.depth + obj.name


class RosterFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": "姓名、拼音或首字母、身份证号、手机号", "type": "search"}
        ),
    )
    org = OrgChoiceField(
        label="党组织", queryset=Organization.objects.none(), required=False, empty_label="全部"
    )
    status = forms.ChoiceField(
        label="人员类别", required=False, choices=[("", "全部"), *MemberStatus.choices]
    )
    age = forms.ChoiceField(
        label="年龄段", required=False, choices=[("", "全部"), *((k, v[0]) for k, v in AGE_BANDS.items())]
    )
    flag = forms.MultipleChoiceField(
        label="标记", required=False, choices=list(FLAGS.items()), widget=forms.CheckboxSelectMultiple
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[
            ("name", "姓名（拼音）"),
            ("-name", "姓名（倒序）"),
            ("birth", "年龄从大到小"),
            ("-birth", "年龄从小到大"),
            ("joined", "入党时间早→晚"),
            ("-joined", "入党时间晚→早"),
            ("org", "按组织"),
        ],
    )
    left = forms.BooleanField(label="含已离开人员", required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        assert set(dict(self.fields["sort"].choices)) <= set(SORTS)


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    citizen_id = forms.CharField(label="身份证号", max_length=18)
    gender = forms.ChoiceField(label="性别", choices=[("", "按身份证号"), *Gender.choices], required=False)
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    birth_date = forms.DateField(label="出生日期", widget=DATE, required=False, help_text="留空则按身份证号")
    education = forms.ChoiceField(label="学历", choices=[("", "—"), *Education.choices], required=False)
    mobile = forms.CharField(label="手机号", max_length=20, required=False)
    unit_name = forms.CharField(label="工作单位", max_length=120, required=False)
    post = forms.CharField(label="职务/岗位", max_length=80, required=False)
    organization = OrgChoiceField(label="所在党组织", queryset=Organization.objects.none())
    group = OrgChoiceField(label="党小组", queryset=Organization.objects.none(), required=False)
    status = forms.ChoiceField(label="人员类别", choices=MemberStatus.choices, initial=MemberStatus.FULL)
    applied_on = forms.DateField(label="申请入党日期", widget=DATE, required=False)
    activist_on = forms.DateField(label="确定积极分子日期", widget=DATE, required=False)
    candidate_on = forms.DateField(label="确定发展对象日期", widget=DATE, required=False)
    probationary_on = forms.DateField(label="接收预备党员日期", widget=DATE, required=False)
    full_on = forms.DateField(label="转正日期", widget=DATE, required=False)
    joined_on = forms.DateField(label="入党日期", widget=DATE, required=False)
    is_leader = forms.BooleanField(label="领导干部", required=False)
    is_retired = forms.BooleanField(label="离退休", required=False)
    is_mobile = forms.BooleanField(label="流动党员", required=False)
    needs_home_delivery = forms.BooleanField(label="行动不便需送学上门", required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs.filter(
            kind__in=MEMBER_HOLDING_KINDS, dissolved_on__isnull=True
        ).order_by("path")
        self.fields["group"].queryset = orgs.filter(
            kind=OrganizationKind.GROUP, dissolved_on__isnull=True
        ).order_by("path")


class TransferForm(forms.Form):
    organization = OrgChoiceField(label="转入党组织", queryset=Organization.objects.none())
    on = forms.DateField(label="转接日期", widget=DATE)
    reason = forms.CharField(label="原因", max_length=100, initial="组织关系转接")

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs.filter(
            kind__in=MEMBER_HOLDING_KINDS, dissolved_on__isnull=True
        ).order_by("path")
