"""Demo participants: Drammen and Grimstad have signed agreements and a register each with
participants in every state; Namsos has not signed (so its page shows why it cannot
register). Synthetic persons only (register/data/synthetic-persons.csv)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from organizations.models import Organization

from . import codes
from .checks import participant_checks
from .models import DataProcessingAgreement, FollowUp, Participant, ParticipantMeasure
from .population import LocalPopulationRegister

# Tests register new participants with persons from this index on, so they never collide
# with the demo's.
DEMO_PERSONS = 120
AGREEMENTS = {"3301": (datetime.date(2024, 1, 15), "24/00123-4"),
              "4202": (datetime.date(2024, 3, 1), "24/00456-2")}


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def build_register_demo() -> None:
    today = timezone.localdate()
    people = LocalPopulationRegister()
    # Mostly the target group's ages (with a margin), and one in each municipality outside
    # it, so the checks have something to show.
    mid = datetime.date(2025, 6, 1)
    fits = [n for n in people.numbers()[:DEMO_PERSONS]
            if 20 <= _age(people.lookup(n).birth_date, mid) <= 53]
    others = [n for n in people.numbers()[:DEMO_PERSONS] if n not in set(fits)]
    numbers = fits[:68] + others[:1] + fits[68:98] + others[1:2]
    rng = random.Random(41)  # noqa: S311 (made-up demo data, reproducible)
    with transaction.atomic():
        for code, (signed_on, reference) in AGREEMENTS.items():
            org = Organization.objects.get(kind="municipality", code=code)
            DataProcessingAgreement.objects.get_or_create(
                organization=org, defaults={"signed_on": signed_on, "reference": reference})
        plan = [("3301", numbers[:69]), ("4202", numbers[69:])]
        for code, batch in plan:
            org = Organization.objects.get(kind="municipality", code=code)
            if org.participants.exists():
                continue
            for index, number in enumerate(batch):
                _participant(org, number, people.lookup(number), index, rng, today)


def _participant(org, number, person, index, rng, today) -> None:
    ends = index % 3 == 0
    # Those still in the programme started within the last two years (the duration rule);
    # those who ended may have started earlier.
    earliest = max(datetime.date(2024, 1, 8),
                   today - datetime.timedelta(days=1000 if ends else 660))
    start = earliest + datetime.timedelta(days=rng.randint(0, (today - earliest).days - 30))
    p = Participant(organization=org, national_id=number, start_date=start,
                    financing=rng.choice([codes.Financing.ALLOWANCE] * 4
                                         + [codes.Financing.TRANSITIONAL_BENEFIT,
                                            codes.Financing.OTHER]),
                    name=person.name, birth_date=person.birth_date,
                    name_source=codes.NameSource.POPULATION_REGISTER)
    if index % 23 == 5:  # a number the population register did not know
        p.name, p.birth_date, p.name_source = "", None, codes.NameSource.UNKNOWN
    if index % 9 != 4:  # most have their background filled in
        p.family_situation = rng.choice(codes.FamilySituation.values[:3])
        p.children = rng.choice([0, 1, 2, 3, 4])
        p.youngest_child_age = rng.randint(1, 14) if p.children else None
        p.education_home_country = rng.choice(codes.Education.values[:5])
        p.education_norway = rng.choice(codes.NorwegianEducation.values[:3])
        p.norwegian_level = rng.choice(codes.NorwegianLevel.values[:5])
        p.work_experience = rng.choice(codes.WorkExperience.values[:4])
        p.literacy = rng.choice(["yes"] * 5 + ["no"])
        p.introduction = rng.choice(["never", "never", "ended"])
        if p.introduction == "ended":
            p.introduction_ended_on = start - datetime.timedelta(days=rng.randint(800, 2000))
        p.qualification_programme = False
        p.social_assistance = rng.choice(["none", "none", "voluntary"])
        p.transitional_benefit = p.financing == codes.Financing.TRANSITIONAL_BENEFIT
    ended = ends and start < today - datetime.timedelta(days=200)
    if ended:
        p.end_date = min(start + datetime.timedelta(days=rng.randint(180, 700)),
                         today - datetime.timedelta(days=5))
        p.end_reason = rng.choice(["completed", "completed", "work", "education", "moved_away",
                                   "interrupted"])
        if p.end_reason == "interrupted":
            p.interruption_reason = rng.choice(codes.InterruptionReason.values)
        p.transition = rng.choice(["work", "work", "education", "both", "none"])
        p.absence_percent = rng.randint(0, 25)
        if p.transition in ("work", "both"):
            p.position_percent = rng.choice([40, 50, 60, 80, 100])
            p.industry = rng.choice(["47", "56", "86", "87", "88", "81", "85"])
            p.employment = rng.choice(codes.Employment.values)
        if p.transition in ("education", "both"):
            p.education_level = rng.choice(codes.EducationLevel.values[:3])
        p.status = codes.Status.ENDED
    p.save()
    for number, measure in enumerate(rng.sample(codes.Measure.values[:12],
                                                k=rng.randint(1, 3))):
        # Measures end with the programme; one participant in each municipality has a
        # measure left open after the end, so the check has something to show.
        left_open = ended and index == 3 and number == 0
        ParticipantMeasure.objects.create(
            participant=p, measure=measure, start_date=start + datetime.timedelta(days=14),
            end_date=p.end_date if ended and not left_open else None)
    if ended and p.end_date < today - datetime.timedelta(days=100):
        FollowUp.objects.create(participant=p, point=3, recorded_on=p.end_date +
                                datetime.timedelta(days=95),
                                status=rng.choice(codes.FollowUpStatus.values))
        if index % 2 == 0:  # some already discharged: the name is gone
            p.name, p.name_source = "", codes.NameSource.DELETED
            p.status, p.discharged_at = codes.Status.DISCHARGED, timezone.now()
    p.check_state = participant_checks(p).state
    p.save()
