"""Uploaded files: size and type checks, and the SHA-256 that proves which copy was stored."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from pilotage.core.errors import ErrorCode, ServiceError

DOCUMENT_EXTENSIONS = frozenset(
    {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".odt", ".png", ".jpg", ".jpeg"}
)


def check_upload(
    upload: UploadedFile, *, field: str = "file", extensions=DOCUMENT_EXTENSIONS
) -> None:
    if upload.size > settings.MAX_UPLOAD_SIZE:
        limit = settings.MAX_UPLOAD_SIZE // (1024 * 1024)
        message = _("The file is too large: the limit is %(limit)s MB.") % {"limit": limit}
        raise ServiceError(ErrorCode.INVALID, field_errors={field: [message]})
    if Path(upload.name).suffix.lower() not in extensions:
        allowed = ", ".join(sorted(extensions))
        message = _("This type of file is not accepted (accepted: %(types)s).") % {"types": allowed}
        raise ServiceError(ErrorCode.INVALID, field_errors={field: [message]})


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
