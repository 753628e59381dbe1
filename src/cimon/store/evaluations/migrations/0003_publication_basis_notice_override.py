"""The frozen comparison of a published version, the exception to the notice rules, and
objections that name their county by registry code.

* ``Publication.basis``: the versions of earlier years a version is compared with
  (:mod:`cimon.store.evaluations.basis`). Existing versions get the versions that were current
  when they were published — what their downloads, made right after publication, were made
  from — so their pages, API and downloads agree from now on.
* ``Evaluation.notice_override``: why a notice period breaks the rules (empty for old rows).
* ``Objection.region_code`` held free text ("西吉县" or "640422" as typed): a text the region
  registry recognises becomes its code; anything else is kept as typed.
"""

from django.db import migrations, models
from django.db.models import Q


def fill_basis(apps, schema_editor):
    # the database being migrated (a restore migrates a copy under another alias)
    pubs = apps.get_model("evaluations", "Publication").objects.using(
        schema_editor.connection.alias
    )
    for pub in pubs.filter(basis__isnull=True).order_by("pk"):
        earlier = (
            pubs.filter(evaluation_year__lt=pub.evaluation_year, published_at__lte=pub.published_at)
            .filter(Q(superseded_at__isnull=True) | Q(superseded_at__gt=pub.published_at))
            .order_by("evaluation_year")
        )
        basis = {str(p.evaluation_year): p.pk for p in earlier}
        pubs.filter(pk=pub.pk).update(basis=basis)


def county_codes(apps, schema_editor):
    from cimon.model.regions import default_registry

    objections = apps.get_model("evaluations", "Objection").objects.using(
        schema_editor.connection.alias
    )
    registry = default_registry()
    for obj in objections.exclude(region_code=""):
        found = registry.find(obj.region_code)
        if found is not None and found.code != obj.region_code:
            objections.filter(pk=obj.pk).update(region_code=found.code)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0002_task_and_snapshot"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="notice_override",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="publication",
            name="basis",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.RunPython(fill_basis, migrations.RunPython.noop),
        migrations.RunPython(county_codes, migrations.RunPython.noop),
    ]
