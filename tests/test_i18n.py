"""English, French and Spanish throughout: the catalogues, the content, the pages and the PDF.

The page and PDF tests read the French and Spanish output and look for the catalogue's English
source strings in it: any of them found there is an interface string that was not translated
(or not marked for translation). What the officials typed (answers, comments, agency names,
titles) is theirs, in whatever language they wrote it, and is left out of the comparison.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from html.parser import HTMLParser
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext
from pypdf import PdfReader

from assessments.models import Agency, Answer, Assessment, Comment, User
from assessments.questionnaire import services
from iamm.management.commands.check_translations import catalogue_problems, content_problems
from iamm.models import CommonUnderstanding, PracticeArea
from tests.helpers import PASSWORD, load_framework

TARGETS = ("fr", "es")
LOCALE = Path(settings.BASE_DIR) / "locale"


def po_file(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


# The catalogue ---------------------------------------------------------------------------------


def _unquote(value: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), value)


@cache
def catalogue(lang: str) -> list[tuple[list[str], list[str]]]:
    """(English source strings, translations) of each entry: one each, or two for plurals."""
    return [(sources, translations) for _context, sources, translations in entries(lang)]


@cache
def entries(lang: str) -> list[tuple[str | None, list[str], list[str]]]:
    """(context, English source strings, translations) of each entry."""
    text = subprocess.run(
        ["msgattrib", "--no-wrap", "--no-obsolete", str(po_file(lang))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = []
    for block in text.split("\n\n"):
        context, sources, translations = None, [], []
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                kind, value = match.group(1), _unquote(match.group(2))
                if kind == "msgctxt":
                    context = value
                else:
                    (sources if kind.startswith("msgid") else translations).append(value)
        if sources and sources[0]:
            found.append((context, sources, translations))
    return found


def _fragments(source: str) -> list[str]:
    """The literal parts of a source string as a page shows them: without markup, split at
    placeholders, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", "", source)
    parts = re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", text)
    return [" ".join(part.split()) for part in parts if part.strip()]


@cache
def english_strings(lang: str) -> frozenset[str]:
    """The English interface strings (12 characters or more) that `lang` translates
    differently: none of them may show on a page in `lang`."""
    found = set()
    for sources, translations in catalogue(lang):
        if translations == sources or all(t == sources[0] for t in translations):
            continue  # a proper name, a code or a word the same in both languages, form by form
        for source in sources:
            found.update(f for f in _fragments(source) if len(f) >= 12)
    return frozenset(found)


def untranslated_in(text: str, lang: str) -> list[str]:
    text = " ".join(text.replace("\xa0", " ").split())
    return sorted(s for s in english_strings(lang) if s in text)


@pytest.mark.parametrize("lang", TARGETS)
def test_catalogue_is_complete_and_well_formed(lang):
    assert catalogue_problems(po_file(lang)) == []
    # Placeholders and plural forms agree with the English (msgfmt --check).
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_file(lang))], check=True)
    header = po_file(lang).read_text(encoding="utf-8")
    assert f'"Language: {lang}\\n"' in header
    plural = {"fr": "nplurals=2; plural=(n > 1);", "es": "nplurals=2; plural=(n != 1);"}[lang]
    assert plural in header
    assert len(catalogue(lang)) > 600


@pytest.mark.parametrize("lang", TARGETS)
def test_the_compiled_catalogue_is_the_current_one(lang):
    """The app reads the .mo that `make` compiles from the .po: stale or missing, this fails."""
    with translation.override(lang):
        stale = [
            sources[0]
            for context, sources, translations in entries(lang)
            if len(sources) == 1
            and (pgettext(context, sources[0]) if context else gettext(sources[0]))
            != translations[0]
        ]
    assert stale == [], "run `make` (or manage.py compilemessages)"


# The missing-translation check -----------------------------------------------------------------


def _broken_copy(tmp_path: Path, lang: str, change) -> Path:
    """A copy of the real catalogue of `lang` under tmp_path/locale, with one entry changed."""
    copy = tmp_path / "locale" / lang / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True, exist_ok=True)
    text = po_file(lang).read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    copy.write_text(changed, encoding="utf-8")
    return copy


def _blank(msgid: str):
    return lambda text: re.sub(
        rf'^(msgid "{re.escape(msgid)}"\n)msgstr ".+"$', r'\1msgstr ""', text, flags=re.M
    )


def _fuzzy(msgid: str):
    return lambda text: re.sub(
        rf'^(msgid "{re.escape(msgid)}"\n)', r"#, fuzzy\n\1", text, count=1, flags=re.M
    )


def test_the_check_names_a_removed_translation(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    copy = _broken_copy(tmp_path, "fr", _blank("Save and continue"))
    assert catalogue_problems(copy) == [
        'locale/fr/LC_MESSAGES/django.po: untranslated "Save and continue"'
    ]


def test_the_check_names_a_fuzzy_entry(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    copy = _broken_copy(tmp_path, "es", _fuzzy("Executive summary"))
    assert catalogue_problems(copy) == [
        'locale/es/LC_MESSAGES/django.po: fuzzy "Executive summary"'
    ]


def test_the_command_fails_on_a_removed_translation(tmp_path, settings):
    call_command("check_translations", "--no-content")  # the real catalogues pass

    french = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    french.parent.mkdir(parents=True)
    shutil.copy(po_file("fr"), french)  # the French as it is, and one Spanish string removed
    _broken_copy(tmp_path, "es", _blank("Data gaps"))
    settings.BASE_DIR = tmp_path
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    with pytest.raises(CommandError, match="1 missing or fuzzy"):
        call_command("check_translations", "--no-content")


@pytest.mark.django_db
def test_every_content_field_has_french_and_spanish():
    load_framework()
    call_command("loaddata", "regional_processes", verbosity=0)
    assert content_problems() == []
    call_command("check_translations")


@pytest.mark.django_db
def test_the_check_names_a_content_field_without_french():
    load_framework()
    understanding = CommonUnderstanding.objects.get(version__code="iamm-2005", number=7)
    CommonUnderstanding.objects.filter(pk=understanding.pk).update(text_fr="")
    PracticeArea.objects.filter(pk=PracticeArea.objects.first().pk).update(name_es="  ")

    problems = content_problems()

    assert len(problems) == 2
    assert f"iamm.CommonUnderstanding {understanding.pk} " in problems[0]
    assert problems[0].endswith("no fr for text")
    assert problems[1].endswith("no es for name")
    with pytest.raises(CommandError, match="2 missing"):
        call_command("check_translations")


# The pages -------------------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes, plus labels carried by attributes."""

    ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.hidden += 1
        values = dict(attrs)
        for name, value in attrs:
            if not value:
                continue
            if name in self.ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in {"submit", "button"}
            ):
                self.parts.append(f"\n{value}\n")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "".join(parser.parts)


def user_texts() -> list[str]:
    """Everything the officials typed: left out of the comparison, longest first."""
    texts = set()
    for answer in Answer.objects.all():
        texts.update([answer.evidence, answer.na_justification, answer.planned_action])
    texts.update(Comment.objects.values_list("text", flat=True))
    for agency in Agency.objects.all():
        texts.update([agency.name, agency.short_name])
    texts.update(Assessment.objects.values_list("title", flat=True))
    for user in User.objects.all():
        texts.update([user.get_full_name(), user.username])
    return sorted((t for t in texts if t), key=len, reverse=True)


def without_user_texts(text: str) -> str:
    text = " ".join(text.replace("\xa0", " ").split())
    for typed in user_texts():
        text = text.replace(" ".join(typed.split()), " ")
    return text


@pytest.fixture
def demo(db, settings):
    """Demoland, as `make run` shows it: a validated 2024 cycle and a 2026 draft, partly done."""
    settings.DEMO_MODE = True
    load_framework()
    call_command("loaddata", "regional_processes", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    return Assessment.objects.get(country="QZ", cycle=2026)


def _pages(assessment: Assessment) -> list[str]:
    section = assessment.sections.filter(heading__number=5).get()
    answer = assessment.answers.filter(area__heading__number=5).order_by("area__order").first()
    pk = assessment.pk
    return [
        reverse("iamm:home"),
        reverse("iamm:current_understanding_list"),
        reverse("iamm:current_understanding", args=[3]),
        reverse("iamm:current_heading_list"),
        reverse("iamm:current_heading", args=[14]),
        reverse("iamm:regional_process_list"),
        reverse("iamm:regional_process_list") + "?country=FR",
        reverse("iamm:regional_process", args=["igc"]),
        reverse("assessments:dashboard"),
        reverse("assessments:create"),
        reverse("assessments:task_list", args=[pk]),
        reverse("assessments:section", args=[pk, 0]),
        reverse("assessments:section", args=[pk, section.order]),
        reverse("assessments:section_check", args=[pk, section.order]),
        reverse("assessments:check", args=[pk]),
        reverse("assessments:assign", args=[pk]),
        reverse("assessments:answer", args=[pk, answer.pk]),
        reverse("assessments:team"),
        reverse("assessments:agencies"),
        reverse("assessments:user_create"),
        reverse("assessments:report", args=[pk]),
        reverse("assessments:scoring"),
        reverse("password_change"),
        reverse("two_factor_setup"),
    ]


def _assert_translated(response, lang: str, status: int = 200) -> None:
    url = response.request["PATH_INFO"] + (
        "?" + response.request["QUERY_STRING"] if response.request.get("QUERY_STRING") else ""
    )
    assert response.status_code == status, url
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html, url
    found = untranslated_in(without_user_texts(visible_text(html)), lang)
    assert found == [], f"English on {url} ({lang}): {found}"


@pytest.mark.django_db
def test_the_comparison_finds_english_on_an_english_page(client):
    load_framework()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = without_user_texts(visible_text(client.get(reverse("iamm:home")).text))
    for lang in TARGETS:
        assert "Read the Common Understandings" in untranslated_in(text, lang)
        assert "Skip to main content" in untranslated_in(text, lang)


@pytest.mark.parametrize("lang", TARGETS)
def test_the_main_pages_show_no_english_interface_string(lang, demo, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    for url in [reverse("login"), reverse("password_reset")]:
        _assert_translated(client.get(url), lang)
    # A form with errors: the error summary and the messages are translated too.
    failed = client.post(reverse("login"), {"username": "coordinator", "password": "wrong"})
    _assert_translated(failed, lang)

    coordinator = User.objects.get(username="coordinator")
    client.force_login(coordinator)
    for url in _pages(demo):
        _assert_translated(client.get(url), lang)
    # A questionnaire page sent back with errors: the summary and the messages are translated.
    section = demo.sections.filter(heading__number=3).get()
    first, second, *_ = section.answers.order_by("area__order")
    data = {"continue": "1"}
    for answer in section.answers.all():
        data |= {f"a{answer.pk}-version": str(answer.version), f"a{answer.pk}-level": "2"}
    data |= {
        f"a{first.pk}-level": Answer.Level.NOT_APPLICABLE,
        f"a{first.pk}-na_justification": "",
        f"a{second.pk}-target_date": "2027-13-45",
    }
    url = reverse("assessments:section", args=[demo.pk, section.order])
    response = client.post(url, data)
    with translation.override(lang):
        assert gettext("There is a problem") in response.text
        assert gettext("Explain why %s does not apply") % first.area.name in response.text
    _assert_translated(response, lang, status=400)

    # The workflow's confirmation messages, shown on the next page.
    for section in demo.sections.all():
        services.section_mark(section=section, completed=True)
    for action, message in [
        ("submit", "The assessment has been submitted for review."),
        ("validate", "The assessment has been validated."),
    ]:
        response = client.post(reverse(f"assessments:{action}", args=[demo.pk]), follow=True)
        _assert_translated(response, lang)
        with translation.override(lang):
            assert gettext(message) in visible_text(response.text)


def test_the_language_follows_the_browser_until_the_switcher_is_used(db, client):
    load_framework()
    home = reverse("iamm:home")
    assert '<html lang="es">' in client.get(home, HTTP_ACCEPT_LANGUAGE="es").content.decode()

    response = client.post(reverse("set_language"), {"language": "fr", "next": home})

    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60  # remembered for a year
    page = client.get(home, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="fr">' in page
    assert "Principes communs" in page


def test_signing_in_keeps_the_chosen_language(db, client):
    load_framework()
    User.objects.create_user(username="amina", password=PASSWORD, country="QZ")
    client.post(reverse("set_language"), {"language": "es", "next": "/"})

    response = client.post(
        reverse("login"), {"username": "amina", "password": PASSWORD}, follow=True
    )

    assert '<html lang="es">' in response.content.decode()


# The PDF report --------------------------------------------------------------------------------

# The report's own headings, written out here rather than read from the catalogue.
HEADINGS = {
    "fr": ["Résumé analytique", "Écarts classés", "Plan d'action par organisme responsable",
           "Lacunes dans les données", "Annexe 1 : Mode de calcul des notes", "BROUILLON"],
    "es": ["Resumen ejecutivo", "Brechas clasificadas", "Plan de acción por organismo responsable",
           "Lagunas de datos", "Anexo 1: Cálculo de las puntuaciones", "BORRADOR"],
}  # fmt: skip
ENGLISH_HEADINGS = [
    "Executive summary",
    "Ranked gaps",
    "Action plan by responsible agency",
    "Data gaps",
    "Scores by heading",
    "Common Understandings alignment",
    "Change since the previous cycle",
    "How scores are calculated",
    "All answers",
]
DATES = {
    "fr": r"\b\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre) \d{4}\b",
    "es": r"\b\d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
    r"octubre|noviembre|diciembre) de \d{4}\b",
}


@pytest.mark.parametrize("lang", TARGETS)
def test_the_pdf_report_is_in_the_language_asked_for(lang, demo, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(User.objects.get(username="coordinator"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the interface stays in English

    response = client.get(reverse("assessments:report_pdf", args=[demo.pk]) + f"?lang={lang}")

    assert response.status_code == 200
    pdf = PdfReader(BytesIO(b"".join(response.streaming_content)))
    text = " ".join((page.extract_text() or "") for page in pdf.pages)
    text = " ".join(text.replace("\xa0", " ").split())
    for heading in HEADINGS[lang]:
        assert heading in text, heading
    for heading in ENGLISH_HEADINGS:
        assert heading not in text, heading
    assert re.search(DATES[lang], text), "no date written out in the report's language"
    assert re.search(r"\b\d{1,3},\d\b", text), "no score with a decimal comma"
    assert untranslated_in(without_user_texts(text), lang) == []
