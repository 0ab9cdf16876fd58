"""The names users read come in the reader's language, French marked where not translated."""

from django.urls import reverse

from pilotage.core.models import Organisation


def test_an_arabic_reader_sees_the_arabic_name(cast, client_for):
    Organisation.objects.filter(pk=cast.cti_a.pk).update(name_ar="المركز التقني للبلاستيك")
    cast.officer.preferred_language = "ar"
    cast.officer.save(update_fields=["preferred_language"])
    page = client_for(cast.officer).get(reverse("core:organisation_detail", args=[cast.cti_a.pk]))
    html = page.content.decode()
    assert "<bdi>المركز التقني للبلاستيك</bdi>" in html
    assert "fallback-mark" not in html.split("<h1", 1)[1].split("</h1>", 1)[0]


def test_a_missing_translation_shows_the_french_name_marked(cast, client_for):
    cast.officer.preferred_language = "en"
    cast.officer.save(update_fields=["preferred_language"])
    page = client_for(cast.officer).get(reverse("core:organisation_detail", args=[cast.cti_a.pk]))
    heading = page.content.decode().split("<h1", 1)[1].split("</h1>", 1)[0]
    assert f'<bdi lang="fr" dir="ltr">Organisation {cast.cti_a.acronym}</bdi>' in heading
    assert ">FR</abbr>" in heading
