from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organization
from .validators import normalize_account_number, normalize_org_number


class OrganizationProfileForm(forms.ModelForm):
    """The details an organisation keeps itself; name and number come from the code lists."""

    class Meta:
        model = Organization
        fields = ["org_number", "account_number", "postal_address", "postal_code",
                  "postal_place", "phone", "email"]
        widgets = {
            "org_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "account_number": forms.TextInput(attrs={"inputmode": "numeric",
                                                     "autocomplete": "off"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric",
                                                  "autocomplete": "postal-code"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # People type numbers with spaces and dots ("974 760 673", "8601.11.17947"); accept
        # that much here and validate the digits after normalising.
        for name in ("org_number", "account_number"):
            self.fields[name].max_length = 20
            self.fields[name].widget.attrs["maxlength"] = 20
            self.fields[name].validators = [
                v for v in self.fields[name].validators
                if v.__class__.__name__ != "MaxLengthValidator"
            ]

    def clean_org_number(self):
        return normalize_org_number(self.cleaned_data["org_number"])

    def clean_account_number(self):
        return normalize_account_number(self.cleaned_data["account_number"])

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if value and (len(value) != 4 or not value.isdigit()):
            raise forms.ValidationError(_("A postal code has four digits."))
        return value
