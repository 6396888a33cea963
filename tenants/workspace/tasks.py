"""Background work of the member space (django.tasks): the board's convocations."""

from django.tasks import task
from django_tenants.utils import tenant_context

# One e-mail per board member, each queued as its own delivery, all in one transaction: a worker
# killed midway has convened none, not some (union.mail).
from union.mail import queueing_each_message


@task
@queueing_each_message()
def send_board_convocation(
    member_id: int,
    meeting_id: int,
    board_member_ids: list[int],
    message: str,
    document_ids: list[int],
    reply_to: str,
) -> int:
    """One convocation e-mail to each board member of `board_member_ids` (meetings.convene_board
    chose them), built in the member's schema: the worker's connection is on the public one,
    and the ids mean nothing elsewhere (every member's schema numbers its rows from 1). How
    many were sent; none for a séance deleted since."""
    from tenants.models import MemberCCAS
    from tenants.workspace.meetings import convocation_files, convocation_message
    from tenants.workspace.models import BoardMeeting, BoardMember, Document

    member = MemberCCAS.objects.get(pk=member_id)
    with tenant_context(member):
        meeting = BoardMeeting.objects.filter(pk=meeting_id).first()
        if meeting is None:
            return 0
        documents = Document.objects.filter(pk__in=document_ids).order_by("title")
        files = convocation_files(member, meeting, documents, reply_to)
        sent = 0
        for board_member in BoardMember.objects.filter(pk__in=board_member_ids).exclude(email=""):
            sent += convocation_message(
                member,
                meeting,
                board_member,
                message=message,
                files=files,
                reply_to=reply_to,
            ).send()
        return sent
