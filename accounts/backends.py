from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the log-in name or the e-mail address (both case-insensitive)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user_model = get_user_model()
        value = username.strip()
        user = user_model.objects.filter(Q(username__iexact=value) | Q(email__iexact=value)).first()
        if user is None:
            # Run the hasher anyway so the time taken does not tell whether the user exists.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
