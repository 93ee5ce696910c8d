# Reports and pages write dates in full, as ministries and the UN do: "1 December 2026", not
# Django's "Dec. 1, 2026". French ("1 décembre 2026") and Spanish ("1 de diciembre de 2026")
# already read that way in Django's own formats.
DATE_FORMAT = "j F Y"
