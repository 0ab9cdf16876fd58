"""A commitment's project becomes a link to the project's record (issue 14). The free text the
ledger held is kept, in the live rows and in their history (renamed `project_text`), and each
distinct text of a CTI becomes a project of that CTI — proposed, dated from its first
commitment, its description saying where it came from — to which its commitments are linked.
Nothing is lost, and the migration reads only what it writes."""

import datetime

import django.db.models.deletion
from django.db import migrations, models


def link_projects(apps, schema_editor):
    Commitment = apps.get_model("fund", "Commitment")
    Project = apps.get_model("projects", "Project")
    made = {}
    rows = (
        Commitment.objects.exclude(project_text="")
        .select_related("allocation")
        .order_by("committed_on", "pk")
    )
    for commitment in rows:
        key = (commitment.allocation.cti_id, commitment.project_text.strip())
        if key not in made:
            start = commitment.committed_on
            made[key] = Project.objects.create(
                code=f"FACET-{len(made) + 1:04d}",
                title=key[1][:255],
                kind="general_interest",
                lead_id=key[0],
                starts_on=start,
                ends_on=start + datetime.timedelta(days=730),
                status="proposed",
                description=(
                    "Created from the FACET ledger's free-text project "
                    f"(first commitment {commitment.reference} of {start:%d/%m/%Y})."
                ),
            )
        commitment.project = made[key]
        commitment.save(update_fields=["project"])


class Migration(migrations.Migration):
    dependencies = [
        ("fund", "0003_history_indexes"),
        ("projects", "0002_themes"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="commitment", name="commitment_for_agreement_or_project"
        ),
        migrations.RenameField(model_name="commitment", old_name="project", new_name="project_text"),
        migrations.RenameField(
            model_name="historicalcommitment", old_name="project", new_name="project_text"
        ),
        migrations.AlterField(
            model_name="commitment",
            name="project_text",
            field=models.CharField(
                blank=True, max_length=255, verbose_name="project (as first written)"
            ),
        ),
        migrations.AlterField(
            model_name="historicalcommitment",
            name="project_text",
            field=models.CharField(
                blank=True, max_length=255, verbose_name="project (as first written)"
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="project",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="commitments", to="projects.project", verbose_name="project",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="project",
            field=models.ForeignKey(
                blank=True, db_constraint=False, db_index=False, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                to="projects.project", verbose_name="project",
            ),
        ),
        migrations.RunPython(link_projects, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="commitment",
            constraint=models.CheckConstraint(
                condition=models.Q(agreement__isnull=False) | models.Q(project__isnull=False),
                name="commitment_for_agreement_or_project",
            ),
        ),
    ]
