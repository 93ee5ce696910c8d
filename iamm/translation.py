"""Which content fields are stored per language (django-modeltranslation adds _en/_fr/_es)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    CommonUnderstanding,
    CrosswalkLink,
    FrameworkVersion,
    Membership,
    Practice,
    PracticeArea,
    PracticeHeading,
    RegionalProcess,
)


@register(FrameworkVersion)
class FrameworkVersionTranslation(TranslationOptions):
    fields = ("title",)


@register(CommonUnderstanding)
class CommonUnderstandingTranslation(TranslationOptions):
    fields = ("text", "source_note")


@register(PracticeHeading)
class PracticeHeadingTranslation(TranslationOptions):
    fields = ("title",)


@register(CrosswalkLink)
class CrosswalkLinkTranslation(TranslationOptions):
    fields = ("note",)


@register(PracticeArea)
class PracticeAreaTranslation(TranslationOptions):
    fields = ("name",)


@register(Practice)
class PracticeTranslation(TranslationOptions):
    fields = ("text", "source_note")


@register(RegionalProcess)
class RegionalProcessTranslation(TranslationOptions):
    fields = ("name", "region", "main_areas", "description")


@register(Membership)
class MembershipTranslation(TranslationOptions):
    fields = ("note",)


from . import lens_translation  # noqa: E402, F401  (the GCM and SDG 10.7.2 lenses)
