"""Number the layout of each stored download (#15): files stored before are layout 1."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0006_task_paths_in_store")]

    operations = [
        migrations.AddField(
            model_name="publicationfile",
            name="layout",
            field=models.PositiveSmallIntegerField(default=1),
        ),
    ]
