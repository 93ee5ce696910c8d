"""Django's JSON fixture format, written so that it reads back exactly (used by `backup`).

Django's own JSON encoder cuts timestamps to milliseconds, and the history's times must come
back to the microsecond. Every character outside ASCII is written as a `\\uXXXX` escape, so
any text the database holds (line ends, U+FFFF, control characters, emoji) survives, which
XML 1.0 cannot promise: it cannot hold most control characters at all, and its parsers turn
`\\r\\n` into `\\n`. The files are ordinary JSON fixtures: `loaddata` reads them as such.
"""

from __future__ import annotations

import datetime

from django.core.serializers import json
from django.core.serializers.json import Deserializer, DjangoJSONEncoder

__all__ = ["Deserializer", "Serializer"]


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()  # every microsecond, unlike DjangoJSONEncoder
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        self.options.update(cls=ExactEncoder, ensure_ascii=True)
        super()._init_options()
