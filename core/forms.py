from django.forms.renderers import TemplatesSetting


class DesignsystemetFormRenderer(TemplatesSetting):
    """Forms render with Designsystemet's field markup: label, help text, message."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
