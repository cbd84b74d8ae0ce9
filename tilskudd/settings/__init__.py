"""Settings, split by concern.

Each concern lives in its own module (``database``, ``security``, ``auth`` …) and the
three environment modules (``dev``, ``test``, ``prod``) compose them. Select one with
``DJANGO_SETTINGS_MODULE``; ``manage.py`` defaults to ``tilskudd.settings.dev``.
"""
