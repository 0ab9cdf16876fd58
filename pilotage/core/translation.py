"""The names users read, stored in French, Arabic and English (django-modeltranslation).

`name` reads the active language's column and falls back to French; `name_fr`, `name_ar` and
`name_en` are the stored columns. The history model is registered too: simple-history copies
every column of the instance, so its table needs the same ones.
"""

from django.db.models.signals import pre_save
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from modeltranslation.translator import TranslationOptions, translator

from pilotage.core.models import Organisation


class TranslatedNames(TranslationOptions):
    """French is required where the original field is; the other languages are optional."""

    required_languages = ("fr",)


def _french_filled(fields: tuple[str, ...]):
    """Rows created with `name=` through get_or_create/update_or_create leave `name_fr` empty
    (modeltranslation sets the base column only): the stored name is the French one."""

    def fill(sender, instance, **kwargs) -> None:
        for field in fields:
            if not getattr(instance, f"{field}_fr", None) and instance.__dict__.get(field):
                setattr(instance, f"{field}_fr", instance.__dict__[field])

    return fill


def register_translated(model, fields: tuple[str, ...]) -> None:
    """Register a model and its history model with the same translated fields. A translation
    left empty is stored as NULL, not "": the name is unique, and two organisations without an
    Arabic name must not collide on an empty one."""
    attrs = {"fields": fields, "empty_values": dict.fromkeys(fields, None)}
    options = type(f"{model.__name__}Translation", (TranslatedNames,), attrs)
    translator.register(model, options)
    pre_save.connect(_french_filled(fields), sender=model, weak=False)
    history = getattr(model, "history", None)
    if history is not None:
        translator.register(history.model, options)


register_translated(Organisation, ("name",))


def french_value(obj, field: str) -> str:
    """The French text of a field: `<field>_fr` (modeltranslation), else the field itself."""
    # The raw base column last: rows written without the French column still show a name.
    return getattr(obj, f"{field}_fr", None) or obj.__dict__.get(field) or ""


def translated_html(obj, field: str) -> str:
    """The active language's text of `obj.<field>`, isolated (<bdi>) so that mixed Arabic and
    Latin text does not jumble; the French text with a visible mark where it is missing."""
    if obj is None:
        return ""
    language = (get_language() or "fr")[:2]
    own = french_value(obj, field) if language == "fr" else getattr(obj, f"{field}_{language}", "")
    if own or language == "fr":
        return format_html("<bdi>{}</bdi>", own or "")
    french = french_value(obj, field)
    if not french:
        return ""
    return format_html(
        '<bdi lang="fr" dir="ltr">{}</bdi> <abbr class="badge text-bg-light border fallback-mark"'
        ' lang="{}" title="{}">FR</abbr>',
        french,
        language,
        gettext("Not translated yet: shown in French"),
    )


class TranslatedText(str):
    """Plain text where text is wanted (exports, sorting), the marked HTML in a page."""

    def __new__(cls, text: str, html: str):
        instance = super().__new__(cls, text)
        instance.html = html
        return instance

    def __html__(self) -> str:
        return self.html


def translated_accessor(field: str, via: str = ""):
    """A table column's accessor showing `<via>.<field>` as `translated_html` does."""

    def accessor(obj):
        for part in filter(None, via.split(".")):
            obj = getattr(obj, part, None)
        return TranslatedText(getattr(obj, field, "") or "", translated_html(obj, field))

    return accessor
