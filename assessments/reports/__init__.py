"""Gap-analysis reports: rows, data, chart, HTML, PDF rendering, storage, blank questionnaire."""
