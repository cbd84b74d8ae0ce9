from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = _("Participant register")

    def ready(self) -> None:
        # Models, forms and views load once the apps are ready (Django's rule for ready()).
        from audit.display import choices, describe, model_fields

        from . import forms
        from .codes import FollowUpPoint, Measure
        from .models import FollowUp, Participant, ParticipantMeasure
        from .views import FilterForm

        def form_fields() -> dict:
            labels: dict[str, str] = {}
            for form in (forms.PersonForm, forms.BackgroundForm, forms.EndForm,
                         forms.MeasureForm, forms.FollowUpForm):
                for name, field in form.base_fields.items():
                    labels.setdefault(name, str(field.label))
            return labels

        describe("register.", fields=form_fields)
        describe("register.", fields=model_fields(Participant, ParticipantMeasure, FollowUp),
                 values={"measure": choices(Measure), "point": choices(FollowUpPoint)},
                 filters=lambda: FilterForm.base_fields)
