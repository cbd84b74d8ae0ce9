"""The payer in payment files: the directorate's account in the state's group account
scheme. Production sets all four from the environment (the working account DFØ and the
bank give the directorate); the defaults are a made-up demo account with a valid check
digit, never a real one."""

from .env import env

TILSKUDD_PAYER = {
    "name": env("TILSKUDD_PAYER_NAME", "Integrerings- og mangfoldsdirektoratet"),
    "org_number": env("TILSKUDD_PAYER_ORG_NUMBER", "987879696"),
    "account": env("TILSKUDD_PAYER_ACCOUNT", "76940512057"),
    "bic": env("TILSKUDD_PAYER_BIC", "DNBANOKK"),
}
