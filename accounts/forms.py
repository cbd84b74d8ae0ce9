from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .models import User, username_validator
from .permissions import can_grant_role
from .roles import Role, roles_for_organization_kind


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Log-in name or e-mail address"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    # Asked for together with the password only after many failed log-ins (see
    # accounts/throttle.py): the right pair is then let in at once.
    code = forms.CharField(
        label=_("Code from your authenticator app"), max_length=16, required=False,
        help_text=_("If you use an authenticator app: the six digits it shows now, or one of "
                    "your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    with_code = forms.CharField(required=False, widget=forms.HiddenInput, initial="1")

    def __init__(self, *args, with_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]
            del self.fields["with_code"]

    def clean_code(self):
        return self.cleaned_data.get("code", "").replace(" ", "").strip()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=16,
        help_text=_("The six digits from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "").strip()


class EnrollForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"), max_length=8,
        help_text=_("Six digits. The code changes every 30 seconds."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ReplaceTwoFactorForm(EnrollForm):
    """Replacing an authenticator app: the password and a code from the app one has now,
    then the code from the new app."""

    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    current_code = forms.CharField(
        label=_("Code from the app you have now"), max_length=8,
        help_text=_("The six digits your current authenticator app shows. Lost the phone? Ask "
                    "the directorate to reset your two-factor authentication."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    field_order = ["password", "current_code", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from the new app")


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"), max_length=16, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, needs_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_code:
            self.fields["code"].required = True
        else:
            del self.fields["code"]


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(
        label=_("Log-in name"), max_length=40, validators=[username_validator],
        help_text=_("For example kari.nordmann. Lowercase letters, digits, dots and hyphens; "
                    "never four digits in a row."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False,
        help_text=password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip().lower()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This log-in name is taken."))
        return username

    def __init__(self, *args, invitation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        data = super().clean()
        password = data.get("password1")
        if password and password != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        elif password:
            candidate = User(username=data.get("username", ""))
            if self.invitation is not None:
                candidate.email = self.invitation.email
                candidate.first_name = self.invitation.first_name
                candidate.last_name = self.invitation.last_name
            try:
                validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class OrganizationSearchInput(forms.TextInput):
    """A text field with the organisations as suggestions in a <datalist>: some 400
    organisations are too many for a dropdown. Type part of the number or the name and
    pick one; the browser's own list is keyboard accessible."""

    template_name = "accounts/users/_organization_input.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}-options"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["options"] = [label for key, label in self.choices if key != ""]
        return context


class OrganizationChoiceField(forms.ModelChoiceField):
    """An organisation typed as "3301 Drammen" (as listed) or by its number alone. A hidden
    field (a municipality administrator's own organisation) carries the id instead."""

    widget = OrganizationSearchInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _("Type part of the number or the name, then choose "
                                         "the organisation from the list."))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(self.widget, forms.HiddenInput):
            return super().prepare_value(value)
        if isinstance(value, Organization):
            return str(value)
        return value

    def to_python(self, value):
        if isinstance(self.widget, forms.HiddenInput):
            return super().to_python(value)
        text = " ".join(str(value or "").split())
        if not text:
            return None
        folded = text.casefold()
        organizations = list(self.queryset)
        found = [org for org in organizations if str(org).casefold() == folded] or \
            [org for org in organizations if org.code.casefold() == folded]
        if len(found) != 1:
            raise forms.ValidationError(
                _("Choose the organisation from the list: type part of its number or name."),
                code="invalid_choice")
        return found[0]


def _role_choices(kind: str | None):
    allowed = roles_for_organization_kind(kind) if kind else set(Role)
    return [(role.value, role.label) for role in Role if role in allowed]


class _OrganizationRoleForm(forms.Form):
    """A role in an organisation: fixed to the administrator's own organisation, or any
    organisation for the directorate's system administrators."""

    organization = OrganizationChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none()
    )
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, organizations, fixed_organization=None, actor=None, subject=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        # Who grants, and to whom (None for an invitation): for the separation of duties.
        self.actor, self.subject = actor, subject
        self.fields["organization"].queryset = organizations
        if fixed_organization is not None:
            self.fields["organization"].initial = fixed_organization.pk
            self.fields["organization"].widget = forms.HiddenInput()
            self.fields["role"].choices = _role_choices(fixed_organization.kind)
        else:
            self.fields["role"].choices = _role_choices(None)

    def clean(self):
        data = super().clean()
        org, role = data.get("organization"), data.get("role")
        if org and role and role not in roles_for_organization_kind(org.kind):
            self.add_error("role", _("This role cannot be held in %(org)s.") % {"org": org})
        elif org and role and self.actor is not None:
            decision = can_grant_role(self.actor, org, role, user=self.subject)
            if not decision:
                self.add_error("role", decision.reason)
        return data


class InviteForm(_OrganizationRoleForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The invitation is sent here. Use the person's work address."),
    )
    field_order = ["first_name", "last_name", "email", "organization", "role"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        own = getattr(getattr(self.actor, "user", None), "email", "")
        if own and email.casefold() == own.casefold():
            # A second identity of one's own would undo the separation of duties.
            raise forms.ValidationError(_("You cannot invite yourself. Ask another "
                                          "administrator if you need another role."))
        return email


class GrantRoleForm(_OrganizationRoleForm):
    pass
