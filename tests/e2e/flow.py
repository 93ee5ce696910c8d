"""The steps of a cycle as the country team takes them, in any of the app's languages.

The words the people read and click come from the app's own translation catalogue and
framework content (`words("fr")`), so the same steps run the whole flow in French.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import override
from django_countries.fields import Country
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.models import Answer
from iamm.models import PracticeArea, PracticeHeading

from .browser import Visitor
from .demoland import TITLE_2024, TITLE_2026

INTERIOR = "Ministry of the Interior"  # agency names are data, never translated
EVIDENCE = "Anti-Trafficking in Persons Act 2016"
PLANNED = "Train border guards"
SHELTERS = "Shelters are run by the regions"
WHY_NOT = "Victim protection is a regional competence in Demoland."


@dataclass(frozen=True)
class Words:
    language: str
    country: str
    dashboard: str
    start_new: str
    cycle_year: str
    title: str
    previous: str
    copy_answers: str
    create: str
    created: str
    assign: str
    save_assignments: str
    assigned_message: str
    assigned_to: str
    irregular: str  # heading 6, as the task list names it
    asylum: str  # heading 8
    level_3: str
    level_4: str
    not_applicable: str
    evidence: str
    priority: str
    high: str
    planned_action: str
    justification: str
    save_later: str
    saved: str
    save_continue: str
    problem: str
    explain_victims: str
    check_section: str
    yes_completed: str
    continue_: str
    marked_completed: str
    completed: str
    check_and_submit: str
    check_everything: str
    submit: str
    submitted: str
    validate: str
    confirm_validate: str
    validated: str
    report: str
    download_pdf: str
    back: str
    draft: str


def words(language: str) -> Words:
    """What the pages say in `language` (the framework must be loaded)."""
    heading = {h.number: h for h in PracticeHeading.objects.filter(version__code="iamm-2005")}
    victims = PracticeArea.objects.get(heading__version__code="iamm-2005", code="6.2")
    with override(language):
        return Words(
            language=language,
            country=str(Country("QZ").name),
            dashboard=_("Your country's assessments"),
            start_new=_("Start a new assessment"),
            cycle_year=_("Cycle year"),
            title=_("Title (optional)"),
            previous=_("Previous cycle (optional)"),
            copy_answers=_("Start with a copy of the previous cycle's answers"),
            create=_("Create the assessment"),
            created=_("The assessment has been created."),
            assign=_("Assign sections to agencies"),
            save_assignments=_("Save the assignments"),
            assigned_message=_("The sections have been assigned."),
            assigned_to=_("Assigned to"),
            irregular=str(heading[6]),
            asylum=str(heading[8]),
            level_3=_("3 – Partially implemented"),
            level_4=_("4 – Fully implemented and periodically reviewed"),
            not_applicable=_("Not applicable"),
            evidence=_("Evidence (optional)"),
            priority=_("Priority (optional)"),
            high=str(Answer.Priority.HIGH.label),
            planned_action=_("Planned action (optional)"),
            justification=_("If not applicable, explain why"),
            save_later=_("Save and come back later"),
            saved=_("Your answers have been saved."),
            save_continue=_("Save and continue"),
            problem=_("There is a problem"),
            explain_victims=_("Explain why %s does not apply") % victims.name,
            check_section=_("Check your answers"),
            yes_completed=_("Yes, I've completed this section"),
            continue_=_("Continue"),
            marked_completed=_("The section is marked as completed."),
            completed=_("Completed"),
            check_and_submit=_("Check your answers and submit"),
            check_everything=_("Check your answers before submitting the assessment"),
            submit=_("Submit the assessment for review"),
            submitted=_("The assessment has been submitted for review."),
            validate=_("Validate the assessment"),
            confirm_validate=_("Yes, validate the assessment"),
            validated=_("The assessment has been validated."),
            report=_("Gap-analysis report"),
            download_pdf=_("Download the report (PDF)"),
            back=_("Back to the assessment"),
            draft=_("DRAFT"),
        )


def item(code: str) -> re.Pattern:
    """A questionnaire item's region, named by its heading: "6.1 Trafficking in Persons…"."""
    return re.compile(rf"^{re.escape(code)} ")


def h1(visitor: Visitor):
    return visitor.page.get_by_role("heading", level=1)


def message(visitor: Visitor):
    return visitor.page.get_by_role("status")


# The coordinator -------------------------------------------------------------------------------


def start_next_cycle(amina: Visitor, w: Words) -> None:
    """From the dashboard: the 2026 cycle as a copy of 2024, headings 6 and 8 to the Interior."""
    expect(h1(amina)).to_have_text(w.dashboard)
    amina.link(w.start_new)
    form = amina.page.locator("main form")
    form.get_by_label(w.cycle_year).fill("2026")
    form.get_by_label(w.title).fill(TITLE_2026)
    form.get_by_label(w.previous).select_option(label=TITLE_2024)
    form.get_by_label(w.copy_answers).check()
    form.get_by_label(INTERIOR).check()
    amina.button(w.create)
    expect(h1(amina)).to_have_text(TITLE_2026)
    expect(message(amina)).to_have_text(w.created)

    amina.link(w.assign)
    amina.page.get_by_label(w.irregular, exact=True).select_option(label=INTERIOR)
    amina.page.get_by_label(w.asylum, exact=True).select_option(label=INTERIOR)
    amina.button(w.save_assignments)
    expect(message(amina)).to_have_text(w.assigned_message)
    expect(amina.page.get_by_text(f"{w.assigned_to} {INTERIOR}")).to_have_count(2)


def submit_validate_and_download(amina: Visitor, w: Words) -> str:
    """From the task list: check, submit, validate (and confirm); the text of the report's PDF."""
    amina.link(w.check_and_submit)
    expect(h1(amina)).to_have_text(w.check_everything)
    amina.button(w.submit)
    expect(message(amina)).to_have_text(w.submitted)
    amina.link(w.validate)  # validation cannot be undone: a confirmation page first
    amina.button(w.confirm_validate)
    expect(message(amina)).to_have_text(w.validated)
    amina.link(w.report)
    return report_text(amina, w)


def report_text(visitor: Visitor, w: Words) -> str:
    pdf = visitor.pdf(visitor.page.get_by_role("link", name=w.download_pdf))
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# The contributor -------------------------------------------------------------------------------


def fill_in_the_agencys_headings(
    bruno: Visitor, w: Words, *, username: str = "bruno", two_visits: bool = True
) -> None:
    """Signed in, from the dashboard: headings 6 and 8 answered and marked completed, on the
    way a missing justification that is put right without retyping anything."""
    bruno.link(TITLE_2026)
    bruno.link(w.irregular)
    trafficking = bruno.region(item("6.1"))
    trafficking.get_by_label(w.level_3).check()
    trafficking.get_by_label(w.evidence).fill(EVIDENCE)
    if two_visits:
        bruno.button(w.save_later)
        expect(message(bruno)).to_have_text(w.saved)
        bruno.sign_out()
        bruno.sign_in(username)
        bruno.link(TITLE_2026)
        bruno.link(w.irregular)
        trafficking = bruno.region(item("6.1"))
        expect(trafficking.get_by_label(w.level_3)).to_be_checked()
        expect(trafficking.get_by_label(w.evidence)).to_have_value(EVIDENCE)

    trafficking.get_by_label(w.priority).select_option(label=w.high)
    trafficking.get_by_label(w.planned_action).fill(PLANNED)
    victims = bruno.region(item("6.2"))
    victims.get_by_label(w.not_applicable, exact=True).check()
    victims.get_by_label(w.evidence).fill(SHELTERS)
    bruno.button(w.save_continue, status=400)

    summary = bruno.page.locator("[data-error-summary]")
    if bruno.javascript:
        expect(summary).to_be_focused()
    else:  # app.js did not run: the page works without it
        expect(summary).not_to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(w.problem)
    expect(summary.get_by_role("link")).to_have_text([w.explain_victims])
    # Nothing typed is lost.
    trafficking, victims = bruno.region(item("6.1")), bruno.region(item("6.2"))
    expect(trafficking.get_by_label(w.level_3)).to_be_checked()
    expect(trafficking.get_by_label(w.planned_action)).to_have_value(PLANNED)
    expect(trafficking.get_by_label(w.priority)).to_have_value(Answer.Priority.HIGH)
    expect(victims.get_by_label(w.not_applicable, exact=True)).to_be_checked()
    expect(victims.get_by_label(w.evidence)).to_have_value(SHELTERS)

    summary.get_by_role("link", name=w.explain_victims).click()
    justification = victims.get_by_label(w.justification)
    expect(justification).to_be_focused()
    justification.fill(WHY_NOT)
    bruno.button(w.save_continue)
    expect(h1(bruno)).to_have_text(w.check_section)
    expect(bruno.page.locator("main")).to_contain_text(WHY_NOT)
    bruno.page.get_by_label(w.yes_completed).check()
    bruno.button(w.continue_)
    expect(message(bruno)).to_have_text(w.marked_completed)

    bruno.link(w.asylum)
    asylum = bruno.region(item("8.1"))
    asylum.get_by_label(w.level_4).check()
    asylum.get_by_label(w.evidence).fill("Refugee Act 2015")
    bruno.button(w.save_continue)
    bruno.page.get_by_label(w.yes_completed).check()
    bruno.button(w.continue_)

    rows = bruno.page.locator(".task-list__item")
    for heading in (w.irregular, w.asylum):
        expect(rows.filter(has_text=heading)).to_contain_text(w.completed)
