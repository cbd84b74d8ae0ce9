from django import forms
from django.utils.translation import gettext_lazy as _

from .events import EventType


class AuditSearchForm(forms.Form):
    event_type = forms.ChoiceField(
        label=_("Event"), required=False,
        choices=[("", _("All events")), *EventType.choices],
    )
    actor_id = forms.IntegerField(label=_("User id"), required=False, min_value=1)
    organization_id = forms.IntegerField(label=_("Organisation id"), required=False, min_value=1)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64,
                                  help_text=_("For example accounts.user"))
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From date"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To date"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The to date must be on or after the from date."))
        return data
