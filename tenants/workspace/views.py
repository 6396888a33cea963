"""Member-host pages: the home page and the member's documents."""

import mimetypes

from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from tenants.access import WRITE_ROLES, has_member_role, member_role_required
from tenants.workspace.forms import DocumentForm
from tenants.workspace.models import Document
from tenants.workspace.services import add_document


@member_role_required()
def home(request):
    member = request.tenant
    context = {
        "commune": member.commune,
        "intercommunality": member.intercommunality or member.commune.intercommunality,
        "document_count": Document.objects.count(),
    }
    return render(request, "workspace/home.html", context)


@member_role_required()
def documents(request):
    can_write = has_member_role(request, WRITE_ROLES)
    form = DocumentForm()
    if request.method == "POST" and can_write:
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            add_document(
                request.tenant,
                form.cleaned_data["title"],
                form.cleaned_data["file"],
                actor=request.user,
            )
            return HttpResponseRedirect(request.path)
    return render(
        request,
        "workspace/documents.html",
        {"documents": Document.objects.all(), "form": form, "can_write": can_write},
    )


@member_role_required()
def download_document(request, pk: int):
    """Served through Django so that membership is checked; never from a public media URL."""
    document = get_object_or_404(Document, pk=pk)
    content_type = mimetypes.guess_type(document.file.name)[0] or "application/octet-stream"
    return FileResponse(document.file.open("rb"), content_type=content_type, as_attachment=True)
