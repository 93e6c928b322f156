"""Submissions sent before editions carried their whole data get it now.

A submission still on its way or approved (the one its document prints and would publish) had
its content locked since it was sent, so its live data are what was sent; they are frozen now
with the builder of this release (measures.editions). Older submissions keep the snapshot they
had: their diffs still read it. On a new database there is nothing to do.
"""

from django.db import migrations


def freeze_current_editions(apps, schema_editor):
    # Asked through the historical model first: the real models below have the columns of later
    # migrations, which a database being migrated from scratch does not have yet.
    if not apps.get_model("measures", "Submission").objects.exclude(snapshot__has_key="schema").exists():
        return
    from measures import editions  # the real models: the builder reads through their managers
    from measures.models import DocumentStatus, Submission

    legacy = Submission.objects.exclude(snapshot__has_key="schema").select_related("document", "report")
    for submission in legacy.iterator():
        target = submission.target
        if target.status == DocumentStatus.DRAFT or submission.edition != target.edition:
            continue
        if submission.status == Submission.Status.RETURNED:
            continue
        data = editions.edition_data(target)
        memo = getattr(target, "memo", None)
        if memo is not None:
            data["memo"] = editions.memo_data(memo)
        Submission.objects.filter(pk=submission.pk).update(snapshot=data)


class Migration(migrations.Migration):
    dependencies = [("measures", "0005_outgoing_email")]

    operations = [migrations.RunPython(freeze_current_editions, migrations.RunPython.noop)]
