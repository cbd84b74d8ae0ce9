"""Receivers of the signals of the apps below (connected in apps.py)."""

from __future__ import annotations

from .services import obligations_create, register_obligations_submit


def on_grant_accepted(sender, *, actor, application, case, decision, **kwargs) -> None:
    """In grant_accept's transaction: the grant's report obligations are made with it."""
    obligations_create(case=case, decision=decision, application=application, actor=actor)


def on_year_submitted(sender, *, submission, actor, **kwargs) -> None:
    """In year_submit's transaction: the year's register obligations are submitted."""
    register_obligations_submit(submission=submission, actor=actor)
