"""The incentive rules of a published version, frozen with it (#13).

``Publication.rules`` stores the full rule set a version was published under
(:mod:`cimon.store.evaluations.rules`). Versions published before it existed were shown, on their
pages, in the API and in their downloads made at publication, with the rule set configured then
(``CIMON_INCENTIVE_RULES``, default ``nx-2021``) read the only way that existed: places gained
within the class as the literal difference of positions. They get exactly that — the configured
rule set with ``rank.places: literal`` — so upgrading never changes the money they show.
"""

from django.db import migrations, models


def fill_rules(apps, schema_editor):
    from cimon.analysis.rules import with_places
    from cimon.store.evaluations.rules import configured, freeze

    # the database being migrated (a restore migrates a copy under another alias)
    pubs = apps.get_model("evaluations", "Publication").objects.using(
        schema_editor.connection.alias
    )
    old = pubs.filter(rules__isnull=True)
    if not old.exists():
        return
    frozen = freeze(with_places(configured(), "literal"))
    for pk in old.order_by("pk").values_list("pk", flat=True):
        pubs.filter(pk=pk).update(rules=frozen)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0004_publication_issue_date_document_number"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="rules",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.RunPython(fill_rules, migrations.RunPython.noop),
    ]
