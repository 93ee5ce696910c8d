"""The database cache's table (CACHE_URL=db, the default), created with the schema so that one
`migrate` sets a deploy up; nothing happens when the cache is elsewhere (Redis, memory)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0008_pdf_renders")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
