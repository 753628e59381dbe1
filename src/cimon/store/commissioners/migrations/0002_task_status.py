# Which of a dispatch's tasks are done, per year (#17): an empty append-only table.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commissioners", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="TaskStatus",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.IntegerField()),
                ("task_index", models.PositiveSmallIntegerField()),
                ("done", models.BooleanField()),
                ("note", models.TextField(blank=True, default="")),
                ("recorded_at", models.DateTimeField()),
                ("recorded_by", models.CharField(blank=True, default="", max_length=150)),
                ("superseded_at", models.DateTimeField(blank=True, null=True)),
                (
                    "dispatch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="task_rows",
                        to="commissioners.dispatch",
                    ),
                ),
            ],
            options={
                "ordering": ["dispatch", "year", "task_index", "recorded_at", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("superseded_at__isnull", True)),
                        fields=("dispatch", "year", "task_index"),
                        name="comm_task_current",
                    )
                ],
            },
        ),
    ]
