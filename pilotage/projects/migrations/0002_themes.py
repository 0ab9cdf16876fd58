"""The themes of the 16 October 2025 convention-cadre with the CID (innovation, digital
transformation, decarbonisation, circular economy): reference data every installation needs."""

from django.db import migrations

THEMES = [
    ("innovation", "Innovation", "الابتكار"),
    ("digital", "Transformation digitale", "التحول الرقمي"),
    ("decarbonisation", "Décarbonation", "إزالة الكربون"),
    ("circular-economy", "Économie circulaire", "الاقتصاد الدائري"),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("projects", "Theme")
    for code, name, name_ar in THEMES:
        Theme.objects.get_or_create(code=code, defaults={"name": name, "name_ar": name_ar})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
