"""The history recorded words in the language of the person who saved ("Sans objet", "Élevée",
"reporté de v1"); it now records codes, and the words are chosen for each reader
(assessments.questionnaire.history). Earlier entries get their codes back here.

The words are looked up in the app's catalogues by their English text, copied here rather than
imported, so that this migration keeps working whatever the code becomes. Words the catalogues
do not give back (no compiled catalogue) stay as they were, and are shown as they are.
"""

from django.db import migrations
from django.utils.translation import gettext, override

CODES = {
    "level": {"Not applicable": "na", "Don't know": "dk"},
    "priority": {"High": "high", "Medium": "medium", "Low": "low"},
}
CARRIED_OVER = "carried over from %(code)s"
LANGUAGES = ("en", "fr", "es")


def _words_to_codes() -> dict[str, dict[str, str]]:
    """For each field, every language's word for each code."""
    codes = {}
    for field, words in CODES.items():
        codes[field] = {}
        for language in LANGUAGES:
            with override(language):
                codes[field].update({gettext(word): code for word, code in words.items()})
    return codes


def _carried_over_from(value: str) -> str | None:
    """The framework version's code in "carried over from v1", in any language."""
    for language in LANGUAGES:
        with override(language):
            prefix, _placeholder, suffix = gettext(CARRIED_OVER).partition("%(code)s")
        if value.startswith(prefix) and value.endswith(suffix):
            code = value[len(prefix) : len(value) - len(suffix)]
            if code:
                return code
    return None


def recorded_as_codes(changes: dict, codes: dict[str, dict[str, str]]) -> dict:
    """One history entry's changes with codes in place of words."""
    changes = {field: list(pair) for field, pair in changes.items()}
    for field, words in codes.items():
        if field in changes:
            changes[field] = [words.get(value, value) for value in changes[field]]
    move = changes.get("framework_version")
    if move:
        if move[0] and (code := _carried_over_from(move[0])) is not None:
            move[0] = code
        if "item_text" in changes:  # [old version, "revised"]
            changes["item_text"][1] = move[1]
    return changes


def forwards(apps, schema_editor):
    AnswerChange = apps.get_model("assessments", "AnswerChange")
    if not AnswerChange.objects.exists():
        return
    codes = _words_to_codes()
    batch = []
    for entry in AnswerChange.objects.only("pk", "changes").iterator(chunk_size=2000):
        updated = recorded_as_codes(entry.changes, codes)
        if updated != entry.changes:
            entry.changes = updated
            batch.append(entry)
        if len(batch) >= 2000:
            AnswerChange.objects.bulk_update(batch, ["changes"])
            batch = []
    AnswerChange.objects.bulk_update(batch, ["changes"])


class Migration(migrations.Migration):
    dependencies = [("assessments", "0011_workshop_days_within_2000_2100")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
