"""Translated fields of the GCM and SDG 10.7.2 lens content (imported by translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    GcmObjective,
    HeadingDomainLink,
    HeadingObjectiveLink,
    SdgDomain,
    SdgSubcategory,
)


@register(GcmObjective)
class GcmObjectiveTranslation(TranslationOptions):
    fields = ("title", "short_label", "translation_note")


@register(HeadingObjectiveLink)
class HeadingObjectiveLinkTranslation(TranslationOptions):
    fields = ("reason",)


@register(SdgDomain)
class SdgDomainTranslation(TranslationOptions):
    fields = (
        "name",
        "proxy_measure",
        "question",
        "middle_option",
        "mapping_note",
        "translation_note",
    )


@register(SdgSubcategory)
class SdgSubcategoryTranslation(TranslationOptions):
    fields = ("text",)


@register(HeadingDomainLink)
class HeadingDomainLinkTranslation(TranslationOptions):
    fields = ("reason",)
