"""What the demo says: Demoland's agencies, people and fictional references."""

from __future__ import annotations

from ..models import User

COUNTRY = "QZ"  # user-assigned ISO code; settings.COUNTRIES_OVERRIDE names it Demoland
FRAMEWORK = "iamm-2005"

INTERIOR = "Ministry of the Interior"
LABOUR = "Ministry of Labour"
FOREIGN = "Ministry of Foreign Affairs"
STATISTICS = "National Statistics Office"
AGENCIES = {INTERIOR: "MoI", LABOUR: "MoL", FOREIGN: "MFA", STATISTICS: "NSO"}

# username, first name, last name, role, agency
PEOPLE = [
    ("coordinator", "Amina", "Demir", User.Role.COORDINATOR, INTERIOR),
    ("contributor", "Tomás", "Okafor", User.Role.CONTRIBUTOR, LABOUR),
    ("viewer", "Lea", "Haddad", User.Role.VIEWER, STATISTICS),
]
ADMIN = "admin"

# Which agency answers for each heading (0 is Part A), and which headings are assigned.
RESPONSIBLE = {
    1: FOREIGN, 2: INTERIOR, 3: INTERIOR, 4: INTERIOR, 5: LABOUR, 6: INTERIOR, 7: FOREIGN,
    8: INTERIOR, 9: LABOUR, 10: INTERIOR, 11: INTERIOR, 12: INTERIOR, 13: FOREIGN, 14: LABOUR,
    15: LABOUR, 16: FOREIGN, 17: INTERIOR, 18: FOREIGN, 19: STATISTICS, 20: INTERIOR,
}  # fmt: skip
ASSIGNED = {1: FOREIGN, 5: LABOUR, 19: STATISTICS}

# Fictional references, by heading (0: Part A).
EVIDENCE = {
    0: [
        "National Migration Policy 2021–2030, chapter 2 (principles)",
        "Constitution of Demoland, art. 19 (equality before the law)",
        "Cabinet Decision No. 14/2021 adopting the National Migration Policy",
        "Annual report of the Inter-ministerial Migration Committee 2023",
    ],
    1: [
        "Memorandum of understanding on migration dialogue with Northland (2018)",
        "Demoland–Westland readmission and cooperation agreement 2020",
    ],
    2: [
        "National Migration Policy 2021–2030",
        "Decree No. 7/2019 establishing the Inter-ministerial Migration Committee",
    ],
    3: [
        "Demoland Immigration Act 2019, s. 12 (visas)",
        "Border Management Strategy 2020–2025",
        "Regulation No. 45/2018 on residence permits",
    ],
    4: [
        "Demoland Immigration Act 2019, ss. 20–31 (temporary stay)",
        "Family Reunification Regulation 2017",
        "Student Visa Guidelines 2022",
    ],
    5: [
        "Employment of Foreign Workers Act 2015",
        "Labour Migration Policy 2022",
        "Bilateral labour agreement with Westland (2019)",
    ],
    6: [
        "Anti-Trafficking in Persons Act 2016",
        "National Action Plan against Trafficking and Smuggling 2022–2025",
    ],
    7: [
        "Constitution of Demoland, art. 19",
        "Statelessness Determination Procedure Regulation 2021",
    ],
    8: ["Refugee Act 2015, ss. 3–9 (non-refoulement)", "Asylum Procedures Regulation 2020"],
    9: ["National Integration Programme 2020–2024", "Language Courses for Newcomers Scheme 2022"],
    10: ["Demoland Citizenship Act 2008, s. 6 (naturalization)"],
    11: [
        "Return Procedures Regulation 2019",
        "Assisted Voluntary Return and Reintegration Programme 2021",
    ],
    12: ["Training curriculum for border and consular officials 2023"],
    13: ["Diaspora Engagement Strategy 2022", "Central Bank circular on remittance costs 2023"],
    14: ["Regional trade agreement, chapter 9 (movement of natural persons)"],
    15: ["Ministry of Health guidelines on migrant health 2021"],
    16: ["National Climate Adaptation Plan 2022, section 5 (displacement)"],
    17: ["National Security Strategy 2020, chapter 4", "Biometric Passport Regulation 2018"],
    18: ["'Safe Migration' public information campaign 2023"],
    19: ["National Statistics Office migration survey 2023", "Data Protection Act 2018, s. 8"],
    20: ["Terms of reference of the working group on migration and policy coherence (2022)"],
}
ACTIONS = [
    "Draft an implementing regulation on {item}",
    "Train front-line staff on {item}",
    "Set up an inter-agency working group on {item}",
    "Review {item} procedures with partner agencies",
    "Collect and publish data on {item}",
]
NOT_APPLICABLE = {
    "resettlement": "Demoland has no resettlement quota: people in need of protection are "
    "admitted through the asylum procedure (heading 8).",
    "trade": "Demoland has made no commitments on the movement of natural persons under its "
    "trade agreements.",
}
NOT_APPLICABLE_OTHER = "Does not arise in Demoland: no such movements were recorded in 2020–2023."
DONT_KNOW_EVIDENCE = "Information held by another agency; to be confirmed."

# The 2026 draft: what has been done so far (section orders; 0 is Part A).
COMPLETED_2026 = (0, 1, 2, 3, 5)
WORKED_ON_2026 = (4, 6, 7, 8, 9, 11, 13, 19)
NOT_STARTED_2026 = (12, 14, 16, 18, 20)

QUARTER_ENDS = [(3, 31), (6, 30), (9, 30), (12, 31)]
