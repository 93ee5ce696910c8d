"""Data leaving and entering the app as files: CSV, XLSX and JSON exports."""
