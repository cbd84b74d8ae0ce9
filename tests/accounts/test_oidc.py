"""The parts of the OpenID Connect log-in that are ours (no real provider is reachable)."""

import pytest
from django.core.exceptions import SuspiciousOperation

from accounts.oidc import check_claims, subject_hash


def test_substantial_and_high_are_accepted():
    for acr in ("idporten-loa-substantial", "idporten-loa-high"):
        assert check_claims({"acr": acr, "pid": "02013299997"}) == subject_hash("02013299997")


def test_a_low_assurance_level_is_refused():
    with pytest.raises(SuspiciousOperation):
        check_claims({"acr": "idporten-loa-low", "pid": "02013299997"})


def test_a_token_without_pid_is_refused():
    with pytest.raises(SuspiciousOperation):
        check_claims({"acr": "idporten-loa-high"})


def test_the_id_number_is_never_stored_in_clear():
    assert "02013299997" not in subject_hash("02013299997")
    assert len(subject_hash("02013299997")) == 64
