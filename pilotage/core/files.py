"""Uploaded files: size and type checks, and the SHA-256 that proves which copy was stored."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.core.tabular import check_xlsx_bounds

DOCUMENT_EXTENSIONS = frozenset(
    {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".odt", ".png", ".jpg", ".jpeg"}
)

_ZIP = (b"PK\x03\x04",)
_OLE2 = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # the older Office formats
# How each type's content begins: the name says what a file claims to be, these bytes say what
# it is. An HTML or SVG page named `.pdf` would otherwise be stored and served as a document.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": _ZIP, ".xlsx": _ZIP, ".odt": _ZIP,
    ".doc": _OLE2, ".xls": _OLE2,
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
}  # fmt: skip


def _refuse(field: str, message: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, field_errors={field: [message]})


def check_upload(
    upload: UploadedFile, *, field: str = "file", extensions=DOCUMENT_EXTENSIONS
) -> None:
    if upload.size > settings.MAX_UPLOAD_SIZE:
        limit = settings.MAX_UPLOAD_SIZE // (1024 * 1024)
        raise _refuse(
            field, _("The file is too large: the limit is %(limit)s MB.") % {"limit": limit}
        )
    suffix = Path(upload.name).suffix.lower()
    if suffix not in extensions:
        allowed = ", ".join(sorted(extensions))
        message = _("This type of file is not accepted (accepted: %(types)s).") % {"types": allowed}
        raise _refuse(field, message)
    if not upload.size:
        raise _refuse(field, _("The file is empty."))
    upload.seek(0)
    start = upload.read(8)
    upload.seek(0)
    if suffix in SIGNATURES and not start.startswith(SIGNATURES[suffix]):
        raise _refuse(
            field,
            _("The content of this file is not that of a %(type)s file: check that you chose the"
              " right file.") % {"type": suffix.lstrip(".").upper()},
        )  # fmt: skip
    if suffix == ".xlsx":
        try:
            check_xlsx_bounds(upload)
        except ServiceError as exc:
            raise _refuse(field, exc.field_errors["file"][0]) from None


def store_upload(document, upload: UploadedFile) -> None:
    """Check the upload and put it, with its hash and size, on a StoredDocument (not yet saved)."""
    check_upload(upload)
    document.sha256 = sha256_of(upload)
    document.size = upload.size
    document.file = upload


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
