"""Gunicorn's configuration for Tilskudd (`make serve`, and production: docs/operations.md).

    gunicorn -c scripts/gunicorn.conf.py tilskudd.wsgi:application

HOST, PORT and WORKERS come from the environment. The processes keep nothing between
requests that another process would need (docs/operations.md, "Several processes"), so
any number of them, on any number of machines, can serve one PostgreSQL database.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WORKERS", "2"))
# PDFs and exports can take a while; a worker stuck longer than this is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# A restart of each worker now and then bounds slow leaks.
max_requests = 2000
max_requests_jitter = 200
# No control socket: several gunicorns on one machine would share its default path.
control_socket_disable = True
# The application logs every request itself as a JSON line without query strings
# (core.middleware); gunicorn's access log would repeat it with the full URL.
accesslog = None
# Gunicorn's own messages (worker started, worker timed out) as JSON lines, like ours.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json",
                    "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
# The proxy's address(es), whose X-Forwarded-* gunicorn may believe (Django reads only
# X-Forwarded-Proto, see SECURE_PROXY_SSL_HEADER in tilskudd/settings/prod.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The log-in throttle counts per REMOTE_ADDR and never reads X-Forwarded-For. Behind a
# proxy, REMOTE_ADDR is the proxy's address unless the proxy speaks the PROXY protocol
# (HAProxy `send-proxy`, nginx's stream module `proxy_protocol on`): PROXY_PROTOCOL=auto
# then makes gunicorn take the client's address from it, from PROXY_ALLOW_IPS only.
proxy_protocol = os.environ.get("PROXY_PROTOCOL", "off")
proxy_allow_ips = os.environ.get("PROXY_ALLOW_IPS", "127.0.0.1,::1")
