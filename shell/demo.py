"""A believable demo: municipalities with users in each role and the directorate's staff.

Demo mode only (TILSKUDD_DEMO_MODE): the passwords and the authenticator key below are
public, so ``build_demo`` refuses to run anywhere else.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RoleAssignment, User
from accounts.roles import TWO_FACTOR_ROLES, Role
from applications.demo import build_applications_demo
from organizations.loader import load_organizations
from organizations.models import Organization, OrganizationKind
from register.demo import build_register_demo
from schemes.demo import build_schemes_demo

DEMO_PASSWORD = "Demo-passord-2026"
# One authenticator key for every demo user, so one entry in the app covers them all.
DEMO_TOTP_KEY_HEX = binascii.hexlify(b"tilskudd-demo-totp!!").decode()
DEMO_TOTP_SECRET_B32 = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()

R = Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    roles: tuple[tuple[str, str, str], ...]  # (organisation kind, code, role)


DIR, MUN, DIS, CTY = (OrganizationKind.DIRECTORATE, OrganizationKind.MUNICIPALITY,
                      OrganizationKind.CITY_DISTRICT, OrganizationKind.COUNTY)
REG = OrganizationKind.REGIONAL_OFFICE

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("ingrid.admin", "Ingrid", "Haugland", ((DIR, "IMDI", R.SYSTEM_ADMIN),)),
    DemoUser("ola.saksbehandler", "Ola", "Bakken", ((REG, "IMDI-SOR", R.CASE_OFFICER),)),
    DemoUser("kari.saksbehandler", "Kari", "Lunde", ((REG, "IMDI-OST", R.CASE_OFFICER),)),
    DemoUser("per.okonomi", "Per", "Strand", ((DIR, "IMDI", R.FINANCE_OFFICER),)),
    DemoUser("nina.okonomi", "Nina", "Solberg", ((DIR, "IMDI", R.FINANCE_OFFICER),)),
    DemoUser("aisha.analytiker", "Aisha", "Rahimi", ((DIR, "IMDI", R.ANALYST),)),
    DemoUser("lars.revisor", "Lars", "Moen", ((DIR, "IMDI", R.AUDITOR),)),
    DemoUser("mona.kommuneadmin", "Mona", "Eriksen", ((MUN, "3301", R.MUNICIPALITY_ADMIN),)),
    DemoUser("jonas.registrering", "Jonas", "Dahl", (
        (MUN, "3301", R.REGISTER_USER), (MUN, "4202", R.REGISTER_USER))),
    DemoUser("eva.soknad", "Eva", "Nilsen", ((MUN, "3301", R.APPLICATION_EDITOR),)),
    DemoUser("tor.kommunedirektor", "Tor", "Hansen", ((MUN, "3301", R.CHIEF_EXECUTIVE),)),
    DemoUser("hilde.fullmakt", "Hilde", "Berg", ((MUN, "3301", R.DELEGATED_SIGNER),)),
    DemoUser("siri.namsos", "Siri", "Aune", (
        (MUN, "5007", R.MUNICIPALITY_ADMIN), (MUN, "5007", R.APPLICATION_EDITOR))),
    DemoUser("anders.namsos", "Anders", "Krogstad", ((MUN, "5007", R.CHIEF_EXECUTIVE),)),
    DemoUser("maria.grimstad", "Maria", "Tveit", (
        (MUN, "4202", R.MUNICIPALITY_ADMIN), (MUN, "4202", R.APPLICATION_EDITOR))),
    DemoUser("bjorn.grimstad", "Bjørn", "Olsen", ((MUN, "4202", R.CHIEF_EXECUTIVE),)),
    DemoUser("fatima.gamleoslo", "Fatima", "Ali", (
        (DIS, "030101", R.APPLICATION_EDITOR), (DIS, "030101", R.CHIEF_EXECUTIVE))),
    DemoUser("knut.vestland", "Knut", "Vik", ((CTY, "46", R.APPLICATION_EDITOR),)),
)

# Made-up organisation details (valid check digits, not the real organisations' numbers).
DEMO_PROFILES = {
    (MUN, "3301"): ("Postboks 7500", "3008", "Drammen", "32 04 00 00",
                    "postmottak@drammen.example"),
    (MUN, "5007"): ("Postboks 333", "7801", "Namsos", "74 21 70 00", "postmottak@namsos.example"),
    (MUN, "4202"): ("Postboks 123", "4891", "Grimstad", "37 25 03 00", "post@grimstad.example"),
    (DIS, "030101"): ("Postboks 9000", "0133", "Oslo", "21 80 21 80",
                      "postmottak@gamleoslo.example"),
    (CTY, "46"): ("Postboks 7900", "5020", "Bergen", "55 63 90 00", "post@vestland.example"),
}


def _with_check_digit(base: str, weights: list[int]) -> str | None:
    remainder = sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else base + str(check)


def demo_org_number(seed: int) -> str:
    for n in range(seed, seed + 20):
        number = _with_check_digit(f"9{n:07d}"[:8], [3, 2, 7, 6, 5, 4, 3, 2])
        if number:
            return number
    raise ValueError("no organisation number found")


def demo_account_number(seed: int) -> str:
    for n in range(seed, seed + 20):
        number = _with_check_digit(f"1506{n:06d}"[:10], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
        if number:
            return number
    raise ValueError("no account number found")


def demo_totp_code() -> str:
    return f"{TOTP(bytes.fromhex(DEMO_TOTP_KEY_HEX)).token():06d}"


def build_demo() -> list[DemoUser]:
    if not settings.TILSKUDD_DEMO_MODE:
        raise ImproperlyConfigured("Demo data is only built in demo mode (never in production).")
    load_organizations()
    with transaction.atomic():
        for index, ((kind, code), (address, postcode, place, phone, email)) in enumerate(
            DEMO_PROFILES.items()
        ):
            org = Organization.objects.get(kind=kind, code=code)
            if not org.org_number:
                org.org_number = demo_org_number(4400000 + index * 1000)
                org.account_number = demo_account_number(100000 + index * 1000)
                org.postal_address, org.postal_code, org.postal_place = address, postcode, place
                org.phone, org.email = phone, email
                org.save()
        for demo in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=demo.username,
                defaults={"first_name": demo.first_name, "last_name": demo.last_name,
                          "email": f"{demo.username}@demo.tilskudd.example"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            for kind, code, role in demo.roles:
                org = Organization.objects.get(kind=kind, code=code)
                RoleAssignment.objects.get_or_create(
                    user=user, organization=org, role=role, revoked_at=None
                )
            if any(role in TWO_FACTOR_ROLES for _k, _c, role in demo.roles):
                TOTPDevice.objects.get_or_create(
                    user=user, name="Demo-app",
                    defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
                )
    build_register_demo()
    build_schemes_demo()
    build_applications_demo()
    return list(DEMO_USERS)


def demo_login_table() -> str:
    rows = []
    for demo in DEMO_USERS:
        roles = ", ".join(
            f"{Role(role).label} ({code})" for _kind, code, role in demo.roles
        )
        two_factor = "2FA" if any(r in TWO_FACTOR_ROLES for _k, _c, r in demo.roles) else "   "
        rows.append(f"  {demo.username:<22} {two_factor}  {roles}")
    return "\n".join(rows)
