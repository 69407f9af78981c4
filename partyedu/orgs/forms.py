from django import forms

from .models import Organization, OrganizationKind


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "unit_name", "code", "order", "established_on"]
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, parent: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kind"]
        elif parent is not None:
            from .models import ALLOWED_CHILDREN

            allowed = ALLOWED_CHILDREN[OrganizationKind(parent.kind)]
            self.fields["kind"].choices = [(k.value, k.label) for k in OrganizationKind if k in allowed]
        self.fields["order"].required = False


class MoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(queryset=Organization.objects.none(), label="移至上级组织")
    reason = forms.CharField(label="原因", max_length=200, required=False)

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


class DissolveForm(forms.Form):
    on = forms.DateField(label="撤销日期", widget=forms.DateInput(attrs={"type": "date"}))
