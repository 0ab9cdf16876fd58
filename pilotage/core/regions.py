"""Morocco's twelve regions (décret 2-15-40); codes are ISO 3166-2 MA-01..MA-12."""

from django.db import models


class Region(models.TextChoices):
    TANGER_TETOUAN_AL_HOCEIMA = "01", "Tanger-Tétouan-Al Hoceïma"
    ORIENTAL = "02", "L'Oriental"
    FES_MEKNES = "03", "Fès-Meknès"
    RABAT_SALE_KENITRA = "04", "Rabat-Salé-Kénitra"
    BENI_MELLAL_KHENIFRA = "05", "Béni Mellal-Khénifra"
    CASABLANCA_SETTAT = "06", "Casablanca-Settat"
    MARRAKECH_SAFI = "07", "Marrakech-Safi"
    DRAA_TAFILALET = "08", "Drâa-Tafilalet"
    SOUSS_MASSA = "09", "Souss-Massa"
    GUELMIM_OUED_NOUN = "10", "Guelmim-Oued Noun"
    LAAYOUNE_SAKIA_EL_HAMRA = "11", "Laâyoune-Sakia El Hamra"
    DAKHLA_OUED_ED_DAHAB = "12", "Dakhla-Oued Ed-Dahab"


def iso_code(region: str) -> str:
    return f"MA-{region}"
