"""Receivers of the signals of the apps below (connected in apps.py)."""

from __future__ import annotations

from .plans import plan_create, plan_refresh
from .reactions import reaction_reverse_on_appeal


def on_grant_accepted(sender, *, actor, application, case, decision, **kwargs) -> None:
    """In grant_accept's transaction, after reporting has made the grant's obligations:
    the payment plan, the year's grant committed, the advance due."""
    plan_create(case=case, decision=decision, application=application, actor=actor)


def on_report_accepted(sender, *, obligation, record, actor, **kwargs) -> None:
    """In report_accept's transaction: a settlement or a period's payment can be computed."""
    plan_refresh(case=obligation.case, actor=actor)


def on_appeal_reversed(sender, *, actor, appeal, letter, **kwargs) -> None:
    """In appeal_decide's transaction: the ministry reversed a hold-back or claw-back."""
    reaction_reverse_on_appeal(actor=actor, letter=letter)
