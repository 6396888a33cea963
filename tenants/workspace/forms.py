from django import forms

from tenants.workspace.services import MAX_DOCUMENT_BYTES


class DocumentForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=200)
    file = forms.FileField(label="Fichier")

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("Le fichier dépasse 20 Mo.")
        return uploaded
