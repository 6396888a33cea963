from rest_framework import generics, serializers

from tenants.access import IsMemberOfHost
from tenants.workspace.models import Document


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "title", "uploaded_at"]


class DocumentList(generics.ListAPIView):
    """The host member's documents (its people only)."""

    serializer_class = DocumentSerializer
    permission_classes = [IsMemberOfHost]
    queryset = Document.objects.all()
