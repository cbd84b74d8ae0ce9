"""The register's code lists.

The seeds name what the register holds (seed 000 §Individrapportering) but give no code
lists, so these are ours: small, closed lists a municipality can answer from what it
knows, translatable, stored as codes (never free text) so that answers can be counted.
The industry of a job is SN2007 (Statistics Norway), loaded from the data file beside
this module. docs/register.md explains each list and why it looks as it does.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data"


class Financing(models.TextChoices):
    ALLOWANCE = "allowance", _("Jobbsjansen allowance (at least 1G)")
    TRANSITIONAL_BENEFIT = "transitional_benefit", _("Transitional benefit (overgangsstønad)")
    OTHER = "other", _("Other income (for example wages or social assistance)")


# Short labels for tables, where the full ones wrap over several lines.
FINANCING_SHORT = {
    Financing.ALLOWANCE: _("Allowance"),
    Financing.TRANSITIONAL_BENEFIT: _("Transitional benefit"),
    Financing.OTHER: _("Other income"),
}


class Status(models.TextChoices):
    ACTIVE = "active", _("In the programme")
    ENDED = "ended", _("Ended, in after-care")
    DISCHARGED = "discharged", _("Discharged")


class NameSource(models.TextChoices):
    POPULATION_REGISTER = "population_register", _("From the population register")
    UNKNOWN = "unknown", _("Not found in the population register")
    DELETED = "deleted", _("Deleted at discharge")


class FamilySituation(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married or cohabiting")
    SEPARATED = "separated", _("Separated, divorced or widowed")
    UNKNOWN = "unknown", _("Unknown")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary and lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    HIGHER_SHORT = "higher_short", _("Higher education, up to 4 years")
    HIGHER_LONG = "higher_long", _("Higher education, more than 4 years")
    UNKNOWN = "unknown", _("Unknown")


class NorwegianEducation(models.TextChoices):
    NONE = "none", _("None")
    ADULT_PRIMARY = "adult_primary", _("Primary school for adults")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school, started or completed")
    CERTIFICATE = "certificate", _("Trade or journeyman's certificate")
    HIGHER = "higher", _("Higher education")
    UNKNOWN = "unknown", _("Unknown")


class NorwegianLevel(models.TextChoices):
    NONE = "none", _("No Norwegian")
    A1 = "a1", _("A1")
    A2 = "a2", _("A2")
    B1 = "b1", _("B1")
    B2 = "b2", _("B2 or higher")
    UNKNOWN = "unknown", _("Not tested")


class WorkExperience(models.TextChoices):
    NONE = "none", _("None")
    HOME_COUNTRY = "home_country", _("In the home country only")
    NORWAY = "norway", _("In Norway only")
    BOTH = "both", _("In the home country and in Norway")
    UNKNOWN = "unknown", _("Unknown")


class Literacy(models.TextChoices):
    YES = "yes", _("Reads and writes the mother tongue")
    NO = "no", _("Lacks basic literacy in the mother tongue")
    UNKNOWN = "unknown", _("Unknown")


class Introduction(models.TextChoices):
    # Same values as rules.eligibility.IntroductionStatus.
    NEVER = "never", _("Never took part")
    ENDED = "ended", _("Completed, or the right was lost")
    ONGOING = "ongoing", _("Takes part now")
    UNKNOWN = "unknown", _("Unknown")


class SocialAssistance(models.TextChoices):
    # Same values as rules.eligibility.SocialAssistance.
    NONE = "none", _("No")
    VOLUNTARY = "voluntary", _("Yes, and takes part voluntarily")
    ACTIVITY_CONDITION = "activity_condition", _("Yes, Jobbsjansen is a condition for it")


class Measure(models.TextChoices):
    NORWEGIAN = "norwegian", _("Norwegian language training")
    BASIC_SKILLS = "basic_skills", _("Basic skills (reading, writing, numeracy, digital)")
    PRIMARY_SCHOOL = "primary_school", _("Primary school for adults")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary education")
    VOCATIONAL = "vocational", _("Vocational training or trade certificate")
    WORK_PRACTICE = "work_practice", _("Work practice in an ordinary workplace")
    WORK_TRIAL = "work_trial", _("Work trial with wage subsidy")
    JOB_SEARCH = "job_search", _("Job search training and CV")
    SOCIETY = "society", _("Social studies")
    HEALTH = "health", _("Health and everyday coping")
    PARENTING = "parenting", _("Parental guidance")
    MENTOR = "mentor", _("Mentor or job coach")
    OTHER = "other", _("Other measure")


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("Completed the programme")
    WORK = "work", _("Got work before the planned end")
    EDUCATION = "education", _("Started education before the planned end")
    # "moved_away" and "death" are the rules core's codes: goal achievement leaves them out
    # (rules/data/eligibility.toml, goal.excluded_end_reasons).
    MOVED = "moved_away", _("Moved from the municipality")
    ILLNESS = "illness", _("Illness")
    PARENTAL_LEAVE = "parental_leave", _("Parental leave")
    INTERRUPTED = "interrupted", _("Interrupted the programme")
    DEATH = "death", _("Died")
    OTHER = "other", _("Other reason")


class InterruptionReason(models.TextChoices):
    OWN_WISH = "own_wish", _("Her own wish")
    CARE = "care", _("Care for children or family")
    NO_SHOW = "no_show", _("Stopped attending")
    OTHER_BENEFIT = "other_benefit", _("Moved to another benefit or measure")
    OTHER = "other", _("Other reason")


class Transition(models.TextChoices):
    # Same values as rules.goals.Transition.
    WORK = "work", _("Work")
    EDUCATION = "education", _("Education")
    BOTH = "both", _("Work and education")
    NONE = "none", _("Neither work nor education")


class Employment(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    TEMPORARY = "temporary", _("Temporary")


class EducationLevel(models.TextChoices):
    PRIMARY = "primary", _("Primary school for adults")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational college (fagskole)")
    HIGHER = "higher", _("University or university college")
    OTHER = "other", _("Other education")


class FollowUpStatus(models.TextChoices):
    WORK = "work", _("In work")
    EDUCATION = "education", _("In education")
    BOTH = "both", _("In work and education")
    JOB_SEEKING = "job_seeking", _("Seeking work")
    MEASURE = "measure", _("In a measure from NAV or the municipality")
    OUTSIDE = "outside", _("Outside work and education")
    UNKNOWN = "unknown", _("Unknown, could not be reached")


class FollowUpPoint(models.IntegerChoices):
    MONTHS_3 = 3, _("3 months after the end")
    MONTHS_6 = 6, _("6 months after the end")
    MONTHS_12 = 12, _("12 months after the end")


@cache
def industries() -> tuple[tuple[str, str], ...]:
    """SN2007 divisions (two digits) as (code, "code name"), grouped under their sections."""
    with open(DATA / "sn2007-sections-divisions.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple((row["code"], f"{row['code']} {row['name']}") for row in rows
                 if row["level"] == "2")


def industry_name(code: str) -> str:
    return dict(industries()).get(code, code)
