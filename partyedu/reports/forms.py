from django import forms
from django.utils import timezone

from partyedu.accounts.access import Access, Capability

from . import registry

YEARS_OFFERED = 10


class OrganizationChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, base_depth: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_depth = base_depth

    def label_from_instance(self, obj):
        # Full-width spaces show the tree in a plain <select>.
        prefix = "　" * max(0, obj.depth - self.base_depth)
        return f"{prefix}{obj.name}{'（已撤销）' if obj.dissolved_on else ''}"


def year_choices() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(y, f"{y}年") for y in range(this_year, this_year - YEARS_OFFERED, -1)]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="文件类型", widget=forms.RadioSelect)
    organization = OrganizationChoiceField(label="党组织", queryset=None, empty_label=None)
    year = forms.TypedChoiceField(label="年度", coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        kinds = registry.form_kinds()
        self.fields["kind"].choices = [(k.code, k.label) for k in kinds]
        self.fields["kind"].initial = kinds[0].code if kinds else None
        self.kind_descriptions = {k.code: k.description for k in kinds}
        orgs = Access.of(user).orgs(Capability.VIEW_MEMBERS).order_by("path")
        field = self.fields["organization"]
        field.queryset = orgs
        field.base_depth = min((o.depth for o in orgs), default=0)
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = timezone.localdate().year
