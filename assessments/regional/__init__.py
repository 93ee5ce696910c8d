"""Regional exercises: sharing, the secretariat's view, the regional report."""
