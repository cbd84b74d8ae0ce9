"""Log-in: users, passwords, two-factor, throttling, sessions, OpenID Connect."""

from .env import env, env_int

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "shell:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: an idle timeout (sliding) and an absolute limit, both in seconds.
SESSION_COOKIE_AGE = env_int("TILSKUDD_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
TILSKUDD_SESSION_ABSOLUTE_SECONDS = env_int("TILSKUDD_SESSION_ABSOLUTE_SECONDS", 10 * 3600)

# Re-authentication before sensitive actions (signing, decisions, role changes).
TILSKUDD_REAUTH_MAX_AGE_SECONDS = env_int("TILSKUDD_REAUTH_MAX_AGE_SECONDS", 5 * 60)

# Throttling of log-in attempts (see accounts/throttle.py and decision 0009): failures in
# a sliding window per account (the user the name or e-mail address resolves to) and per
# client; beyond the free failures, a delay that doubles with each failure, capped.
TILSKUDD_LOGIN_MAX_FAILURES = env_int("TILSKUDD_LOGIN_MAX_FAILURES", 5)
TILSKUDD_LOGIN_WINDOW_SECONDS = env_int("TILSKUDD_LOGIN_WINDOW_SECONDS", 15 * 60)
TILSKUDD_LOGIN_MAX_FAILURES_PER_CLIENT = env_int("TILSKUDD_LOGIN_MAX_FAILURES_PER_CLIENT", 50)
TILSKUDD_LOGIN_BACKOFF_BASE_SECONDS = env_int("TILSKUDD_LOGIN_BACKOFF_BASE_SECONDS", 30)
TILSKUDD_LOGIN_BACKOFF_MAX_SECONDS = env_int("TILSKUDD_LOGIN_BACKOFF_MAX_SECONDS", 15 * 60)

# Password reset: a link is valid for one hour, and requests are limited per e-mail
# address and per client in a sliding window (decision 0009).
PASSWORD_RESET_TIMEOUT = 60 * 60
TILSKUDD_RESET_WINDOW_SECONDS = 60 * 60
TILSKUDD_RESET_MAX_PER_ADDRESS = env_int("TILSKUDD_RESET_MAX_PER_ADDRESS", 3)
TILSKUDD_RESET_MAX_PER_CLIENT = env_int("TILSKUDD_RESET_MAX_PER_CLIENT", 20)
# How long a password-verified log-in may wait for its second factor.
TILSKUDD_PENDING_LOGIN_SECONDS = 5 * 60

OTP_TOTP_ISSUER = "Tilskudd (IMDi)"
OTP_TOTP_THROTTLE_FACTOR = 1

# Invitations sent by administrators are valid this long.
TILSKUDD_INVITATION_DAYS = 7

# OpenID Connect (ID-porten or the municipality's own identity provider). Off unless the
# client id is configured; see docs/oidc.md for what production needs.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid profile")
OIDC_REQUIRED_ACR_VALUES = env(
    "OIDC_REQUIRED_ACR_VALUES", "idporten-loa-substantial,idporten-loa-high"
)
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
TILSKUDD_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if TILSKUDD_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "accounts.oidc.IdPortenBackend"]
