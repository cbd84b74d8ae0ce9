"""The amount applied for, stored when an application is signed; filled here for the
applications signed before the column existed, with the computation the inbox used until
now (applications.selectors.computed_amount_applied: computed from the places for Jobbsjansen
2026, else the amount the applicant gave)."""

from django.db import migrations, models
from django.db.models import Q


def fill_amount_applied(apps, schema_editor):
    from applications.selectors import computed_amount_applied

    Application = apps.get_model("applications", "Application")
    signed = (Application.objects.filter(Q(signature__isnull=False) | Q(status="submitted"),
                                         amount_applied__isnull=True)
              .select_related("round__scheme").order_by("pk"))
    batch = []
    for application in signed.iterator(chunk_size=500):
        application.amount_applied = computed_amount_applied(application)
        if application.amount_applied is not None:
            batch.append(application)
        if len(batch) >= 500:
            Application.objects.bulk_update(batch, ["amount_applied"])
            batch = []
    if batch:
        Application.objects.bulk_update(batch, ["amount_applied"])


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0002_initial"),
        ("schemes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="amount_applied",
            field=models.DecimalField(blank=True, decimal_places=0, max_digits=14, null=True,
                                      verbose_name="amount applied for"),
        ),
        migrations.RunPython(fill_amount_applied, migrations.RunPython.noop, elidable=True),
    ]
