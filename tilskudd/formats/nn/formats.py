# Nynorsk uses the same date and number formats as bokmål.
from tilskudd.formats.nb.formats import *  # noqa: F403
