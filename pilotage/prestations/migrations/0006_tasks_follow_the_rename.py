"""The app's package became `pilotage.prestations` (its label stays `services`): tasks queued
before the rename name their function by the old path; point them at the new one."""

from django.db import migrations

OLD, NEW = "pilotage.services.", "pilotage.prestations."


def follow(apps, schema_editor):
    from django.db.models import Value
    from django.db.models.functions import Replace

    results = apps.get_model("django_tasks_database", "DBTaskResult")
    results.objects.filter(task_path__startswith=OLD).update(
        task_path=Replace("task_path", Value(OLD), Value(NEW))
    )


def back(apps, schema_editor):
    from django.db.models import Value
    from django.db.models.functions import Replace

    results = apps.get_model("django_tasks_database", "DBTaskResult")
    results.objects.filter(task_path__startswith=NEW).update(
        task_path=Replace("task_path", Value(NEW), Value(OLD))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0005_offering_what_companies_ask"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(follow, back, elidable=True)]
