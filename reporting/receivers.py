"""Receivers of the signals of the apps below (connected in apps.py)."""

from __future__ import annotations

from .services import obligations_create


def on_grant_accepted(sender, *, actor, application, case, decision, **kwargs) -> None:
    """In grant_accept's transaction: the grant's report obligations are made with it."""
    obligations_create(case=case, decision=decision, application=application, actor=actor)
