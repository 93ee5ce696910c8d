"""Admin for the framework content and the reference data, one module per subject."""

from . import content, lenses, regional, versions  # noqa: F401  (each registers its model admins)
