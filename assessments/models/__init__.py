"""The app's models, split by subject and re-exported here, so that
`from assessments.models import Answer` works wherever a model lives."""

from .accounts import Agency, User
from .answers import Answer, AnswerChange, Comment
from .assessment import Assessment, AssessmentQuerySet, Section
from .regional import RegionalExercise, RegionalShare, SecretariatAppointment
from .renders import STALE_AFTER, PdfRender
from .sdg import SdgAnswer
from .security import SecurityEvent
from .training import Facilitator, Participant, PracticeAnswer, Workshop, WorkshopSection

__all__ = [
    "Agency",
    "Answer",
    "AnswerChange",
    "Assessment",
    "AssessmentQuerySet",
    "Comment",
    "Facilitator",
    "Participant",
    "PdfRender",
    "PracticeAnswer",
    "RegionalExercise",
    "RegionalShare",
    "SdgAnswer",
    "SecretariatAppointment",
    "Section",
    "SecurityEvent",
    "STALE_AFTER",
    "User",
    "Workshop",
    "WorkshopSection",
]
