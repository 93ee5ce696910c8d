"""The app's models, split by subject and re-exported here, so that
`from assessments.models import Answer` works wherever a model lives."""

from .accounts import Agency, User
from .answers import Answer, AnswerChange, Comment
from .assessment import Assessment, AssessmentQuerySet, Section
from .regional import RegionalExercise, RegionalShare, SecretariatAppointment
from .security import SecurityEvent

__all__ = [
    "Agency",
    "Answer",
    "AnswerChange",
    "Assessment",
    "AssessmentQuerySet",
    "Comment",
    "RegionalExercise",
    "RegionalShare",
    "SecretariatAppointment",
    "Section",
    "SecurityEvent",
    "User",
]
