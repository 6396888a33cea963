"""Which files a member's space accepts, and how they are served back.

The space holds the CCAS's working papers (deliberations, budgets, rules, reports): office
formats only. An allow-list, checked on the name's extension and, where it costs a few bytes,
on the content itself, so that a program or a web page renamed « .pdf » is refused too: served
back from the member's host, an HTML or SVG file would run its scripts there.
"""

import logging
import zipfile
from pathlib import PurePath

from tenants.workspace.models import DOCUMENT_FOLDER, Document
from union.formats import french_list

logger = logging.getLogger(__name__)

# Extension -> content type served back (never guessed from the platform's mimetypes table,
# which varies between machines).
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
    "rtf": "application/rtf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
ALLOWED_EXTENSIONS = tuple(ALLOWED_TYPES)
# What browsers show themselves, safely (no script runs in them): opened in a tab, not saved.
INLINE_EXTENSIONS = {"pdf", "png", "jpg", "jpeg"}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Microsoft Office files
MAGIC = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "rtf": (b"{\\rtf",),
    "doc": (OLE2_MAGIC,),
    "xls": (OLE2_MAGIC,),
    "ppt": (OLE2_MAGIC,),
}
# Office Open XML files are zip archives with this part; OpenDocument ones start with a
# "mimetype" member naming their type.
OOXML = {"docx", "xlsx", "pptx"}
ODF = {"odt", "ods", "odp"}
TEXT = {"csv", "txt"}
SNIFF_BYTES = 8192
FORMAT_NAMES = {
    "pdf": "un PDF",
    "odt": "un texte OpenDocument",
    "ods": "un classeur OpenDocument",
    "odp": "une présentation OpenDocument",
    "doc": "un document Word",
    "docx": "un document Word",
    "xls": "un classeur Excel",
    "xlsx": "un classeur Excel",
    "ppt": "une présentation PowerPoint",
    "pptx": "une présentation PowerPoint",
    "csv": "un fichier texte",
    "txt": "un fichier texte",
    "rtf": "un document RTF",
    "png": "une image PNG",
    "jpg": "une image JPEG",
    "jpeg": "une image JPEG",
}


def accepted_formats() -> str:
    """ "PDF, ODT, …, JPG et JPEG": the list the form and its errors give."""
    names = [extension.upper() for extension in ALLOWED_EXTENSIONS]
    return french_list(names)


def extension_of(name: str) -> str:
    return PurePath(name).suffix[1:].lower()


def _content_matches(extension: str, uploaded) -> bool:
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    if extension in MAGIC:
        return head.startswith(MAGIC[extension])
    if extension in TEXT:
        # A text file has no NUL byte: a program or an archive renamed « .txt » has plenty.
        return b"\x00" not in head
    if extension in OOXML or extension in ODF:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(uploaded) as archive:  # reads the directory only
                names = set(archive.namelist())
                if extension in OOXML:
                    return "[Content_Types].xml" in names
                if "mimetype" not in names:
                    return False
                return archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
        except (zipfile.BadZipFile, OSError, KeyError, ValueError):
            return False
        finally:
            uploaded.seek(0)
    return False


def document_file_error(uploaded) -> str | None:
    """Why `uploaded` (a Django UploadedFile) cannot be kept, in French; None if it can."""
    extension = extension_of(uploaded.name)
    if extension not in ALLOWED_TYPES:
        found = f"« .{extension} »" if extension else "sans extension"
        return (
            f"Ce format de fichier n'est pas accepté ({found}). Formats acceptés : "
            f"{accepted_formats()}. Enregistrez le document dans l'un de ces formats (par "
            "exemple en PDF) avant de le déposer."
        )
    if not _content_matches(extension, uploaded):
        return (
            f"Le contenu de ce fichier ne correspond pas à son extension « .{extension} » : "
            f"ce n'est pas {FORMAT_NAMES[extension]}. Enregistrez-le à nouveau depuis le "
            "logiciel qui l'a créé, puis déposez-le."
        )
    return None


def content_type_for(name: str) -> str:
    """The type a stored file is served with: from the allow-list, else a plain download
    (files kept before the allow-list existed)."""
    return ALLOWED_TYPES.get(extension_of(name), "application/octet-stream")


def opens_in_browser(name: str) -> bool:
    return extension_of(name) in INLINE_EXTENSIONS


def file_not_stored(member, uploaded, error: OSError) -> str:
    """Log that the member's storage refused `uploaded` (an OSError from writing it: folder
    without write rights, full disk, read-only mount) and return the French error for the file
    field. The services that write a file are atomic, so nothing was saved; retrying helps only
    once whoever runs the server acts, hence the log (the space and the folder, which the
    traceback's path completes; never the file's content)."""
    folder = Document._meta.get_field("file").storage.path(DOCUMENT_FOLDER)
    logger.exception(
        "Document file %r of %s not stored in %s: %s",
        uploaded.name,
        member.schema_name,
        folder,
        error,
    )
    return (
        f"Le fichier « {uploaded.name} » n'a pas pu être enregistré sur le serveur (espace disque "
        "plein ou droits d'écriture). Rien n'a été enregistré : réessayez plus tard ou prévenez "
        "l'union. Pour réessayer, choisissez de nouveau le fichier : un navigateur ne le garde "
        "pas quand le formulaire revient avec une erreur."
    )
