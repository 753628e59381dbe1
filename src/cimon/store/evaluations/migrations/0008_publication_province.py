"""Number published versions per province and year (#20): ``Publication.province``, "" on a
single-province instance (every existing row); on an instance hosting several provinces
(``CIMON_PROVINCES``) a version whose evaluation is tagged with a province gets its code."""

from django.db import migrations, models
from django.db.models import Q


def from_tags(apps, schema_editor):
    Publication = apps.get_model("evaluations", "Publication")
    ProvinceEvaluation = apps.get_model("national", "ProvinceEvaluation")
    db = schema_editor.connection.alias  # the database migrated (a restore migrates another)
    for evaluation_id, province in ProvinceEvaluation.objects.using(db).values_list(
        "evaluation_id", "province"
    ):
        Publication.objects.using(db).filter(evaluation_id=evaluation_id).update(province=province)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0007_publicationfile_layout"),
        ("national", "0002_province_hosting"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="publication", name="one_version_number"),
        migrations.RemoveConstraint(model_name="publication", name="one_current_publication"),
        migrations.AddField(
            model_name="publication",
            name="province",
            field=models.CharField(blank=True, default="", max_length=2),
        ),
        migrations.RunPython(from_tags, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.UniqueConstraint(
                fields=("province", "evaluation_year", "version"), name="one_version_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.UniqueConstraint(
                condition=Q(superseded_at__isnull=True),
                fields=("province", "evaluation_year"),
                name="one_current_publication",
            ),
        ),
    ]
