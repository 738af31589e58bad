from django.db import migrations

NEW_INDEXES = ["files_searchentry_newest", "files_searchentry_filed", "files_searchentry_reference"]


def install_search(apps, schema_editor):
    # Creates what files/search/schema.py lists and is missing: on PostgreSQL the "newest first", "as filed"
    # and reference number indexes (nothing new on SQLite). Idempotent statements.
    from amtsflow.files.search import schema

    schema.install(schema_editor.connection)


def drop_new_indexes(apps, schema_editor):
    from amtsflow.files.search import schema

    for name in NEW_INDEXES:
        schema.drop_index(schema_editor.connection, name)


class Migration(migrations.Migration):
    dependencies = [
        ("files", "0003_search_index"),
    ]

    operations = [
        migrations.RunPython(install_search, drop_new_indexes),
    ]
