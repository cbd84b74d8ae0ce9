from django.forms.renderers import TemplatesSetting


class DesignsystemetFormRenderer(TemplatesSetting):
    """Forms render with Designsystemet's field markup: label, help text, message."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


# Bounds shared by the forms: free text is bounded (and Django's CharField refuses the null
# character); amounts have the digits of their columns.
NOTE_LENGTH = 4000
LONG_TEXT_LENGTH = 8000
MAX_PK = 2**31 - 1


def posted(request, form_class, *, draft_key: str | None = None, **kwargs):
    """Bind ``form_class`` to the POST. Valid: the form. Invalid: None, each error shown as a
    message naming its field (in the reader's language), and — with ``draft_key`` — what
    was typed kept in the session, so the page that shows the form again fills it in
    (nothing typed is lost on a refusal)."""
    from django.contrib import messages

    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        if draft_key:
            request.session.pop(_draft_session_key(draft_key), None)
        return form
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    if draft_key:
        keep_draft(request, draft_key, request.POST)
    return None


def _draft_session_key(key: str) -> str:
    return f"tilskudd_draft:{key}"


def keep_draft(request, key: str, data) -> None:
    """Keep what was typed (bounded: at most 40 fields of 10 000 characters)."""
    values = {}
    for name in list(data)[:40]:
        if name == "csrfmiddlewaretoken":
            continue
        values[name[:100]] = str(data.get(name, ""))[:10_000]
    request.session[_draft_session_key(key)] = values


def take_draft(request, key: str) -> dict:
    """What was typed in a refused form, once (empty when there is none)."""
    return request.session.pop(_draft_session_key(key), None) or {}


def take_drafts(request, prefix: str) -> dict:
    """Every kept draft under ``prefix``, by the rest of its key ("note", "appeal:5"), once."""
    start = _draft_session_key(prefix)
    found = {key[len(start):]: request.session.pop(key)
             for key in [k for k in request.session.keys()  # noqa: SIM118 (a session)
                         if k.startswith(start)]}
    return found
