"""The IAMM framework content and reference data, split by subject and re-exported here so that
`from iamm.models import ...` and the app label `iamm` stay as they were."""

from __future__ import annotations

from .content import (
    CommonUnderstanding,
    CrosswalkLink,
    Practice,
    PracticeArea,
    PracticeHeading,
)
from .lenses import (
    GcmObjective,
    HeadingDomainLink,
    HeadingObjectiveLink,
    SdgDomain,
    SdgSubcategory,
)
from .regional import Membership, RegionalProcess
from .versions import (
    FrameworkVersion,
    FrozenVersionError,
    VersionedContent,
    first_difference,
)

__all__ = [
    "CommonUnderstanding",
    "CrosswalkLink",
    "FrameworkVersion",
    "FrozenVersionError",
    "GcmObjective",
    "HeadingDomainLink",
    "HeadingObjectiveLink",
    "Membership",
    "Practice",
    "PracticeArea",
    "PracticeHeading",
    "RegionalProcess",
    "SdgDomain",
    "SdgSubcategory",
    "VersionedContent",
    "first_difference",
]
