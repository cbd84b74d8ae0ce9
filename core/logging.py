"""JSON log lines. Messages and extras are ours; we log ids, never personal data.

Two things from outside could still carry personal data, so they are cut here:
exception messages (a database error's DETAIL repeats the row's values, an id number
among them) are replaced by the exception's type, and Django's request logger loses the
path and the request object (query strings).
"""

import json
import logging
import traceback
from datetime import UTC, datetime

from .request_context import current_request_id

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name.startswith("django.request"):
            # "Internal Server Error", never the path. Django 5 logs "%s: %s" with the
            # reason phrase and the path as arguments; older versions put the phrase in.
            if str(record.msg).startswith("%s") and record.args:
                message = str(record.args[0])
            else:
                message = str(record.msg).split(":")[0]
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key != "request":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = format_exception_without_messages(record.exc_info[1])
        return json.dumps(entry, default=str, ensure_ascii=False)


def format_exception_without_messages(error: BaseException | None) -> str:
    """The traceback with each exception's type but not its message."""
    parts = []
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        kind = type(error)
        frames = "".join(traceback.format_tb(error.__traceback__))
        parts.append(f"{frames}{kind.__module__}.{kind.__qualname__}")
        error = error.__cause__ or error.__context__
    return "\n-- caused by / during --\n".join(reversed(parts))
