"""The background tasks moved from ``cimon.web.evaluations.tasks`` to
``cimon.store.evaluations.tasks`` (issue #15): tasks queued, running or finished before the
upgrade name the old module; they are renamed so that a worker of this release runs (or shows)
them. Reversible: the reverse renames them back."""

from typing import Any

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace

OLD = "cimon.web.evaluations.tasks."
NEW = "cimon.store.evaluations.tasks."


def _rename(old: str, new: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        task = apps.get_model("django_tasks_database", "DBTaskResult")
        # the database being migrated (a restore migrates a copy under another alias)
        db = schema_editor.connection.alias
        task.objects.using(db).filter(task_path__startswith=old).update(
            task_path=Replace("task_path", Value(old), Value(new))
        )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0005_publication_rules"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [migrations.RunPython(_rename(OLD, NEW), _rename(NEW, OLD))]
