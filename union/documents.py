"""Wagtail's document downloads on the portal, with the old address of a replaced file kept."""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve


def serve_document(request, document_id, document_filename):
    """/documents/<id>/<filename>: Wagtail's serve view, except for a file name the document no
    longer has. « Remplacer le fichier » keeps the id but changes the name (convention-2025.pdf
    → convention-2026.pdf), and Wagtail answered the old address 404: every link already given
    out (a newsletter, an e-mail) led nowhere. It now redirects (302: the file may be replaced
    again) to the current address, once the `before_serve_document` hooks let the reader have
    the document (collection privacy, the pages using it: knowledge_base.wagtail_hooks), so a
    reader who may not have it learns nothing of its new name."""
    document = get_object_or_404(get_document_model(), id=document_id)
    if document.filename == document_filename:
        return serve(request, document_id, document_filename)
    for hook in hooks.get_hooks("before_serve_document"):
        refusal = hook(document, request)
        if isinstance(refusal, HttpResponse):
            return refusal
    return HttpResponseRedirect(document.url)
