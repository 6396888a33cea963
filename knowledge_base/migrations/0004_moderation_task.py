"""The moderation task of experiences becomes a ModerationTask (a comment is required to
request changes). The existing « Validation par un modérateur ou une modératrice » task is
converted in place: same task row and id (its workflow, task states and history stay), its
groups copied, its content type switched; Wagtail's GroupApprovalTask row is removed."""

import django.db.models.deletion
from django.db import migrations, models

TASK_NAME = "Validation par un modérateur ou une modératrice"


def to_moderation_task(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ModerationTask = apps.get_model("knowledge_base", "ModerationTask")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="knowledge_base", model="moderationtask"
    )
    for old in GroupApprovalTask.objects.filter(name=TASK_NAME):
        group_ids = list(old.groups.values_list("pk", flat=True))
        task_id = old.task_ptr_id
        old.groups.clear()
        # Only the child row of Wagtail's model goes; the Task row (and what points to it) stays.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {GroupApprovalTask._meta.db_table} WHERE task_ptr_id = %s",
                [task_id],
            )
            cursor.execute(
                "UPDATE wagtailcore_task SET content_type_id = %s WHERE id = %s",
                [content_type.pk, task_id],
            )
            cursor.execute(
                f"INSERT INTO {ModerationTask._meta.db_table} (task_ptr_id) VALUES (%s)",
                [task_id],
            )
        ModerationTask.objects.get(pk=task_id).groups.set(group_ids)


def to_group_approval_task(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ModerationTask = apps.get_model("knowledge_base", "ModerationTask")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    for old in ModerationTask.objects.all():
        group_ids = list(old.groups.values_list("pk", flat=True))
        task_id = old.task_ptr_id
        old.groups.clear()
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {ModerationTask._meta.db_table} WHERE task_ptr_id = %s", [task_id]
            )
            cursor.execute(
                "UPDATE wagtailcore_task SET content_type_id = %s WHERE id = %s",
                [content_type.pk, task_id],
            )
            cursor.execute(
                f"INSERT INTO {GroupApprovalTask._meta.db_table} (task_ptr_id) VALUES (%s)",
                [task_id],
            )
        GroupApprovalTask.objects.get(pk=task_id).groups.set(group_ids)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("knowledge_base", "0003_french_unique_messages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="ModerationTask",
            fields=[
                (
                    "task_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.task",
                    ),
                ),
                (
                    "groups",
                    models.ManyToManyField(
                        help_text="Pages/snippets at this step in a workflow will be moderated "
                        "or approved by these groups of users",
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
            ],
            options={
                "verbose_name": "validation par un groupe (commentaire obligatoire pour les "
                "modifications)",
                "verbose_name_plural": "validations par un groupe (commentaire obligatoire)",
            },
            bases=("wagtailcore.task",),
        ),
        migrations.RunPython(to_moderation_task, to_group_approval_task),
    ]
