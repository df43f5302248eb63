"""Uploaded files: the type is what the bytes say, never what the name or the browser claims."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from core.errors import ServiceError

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"PK\x03\x04", "application/zip"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "application/zip": "zip"}
OFFICE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Every type a stored upload can have, as a download answers with it (the schema lists them).
STORED_TYPES = (*EXTENSIONS, *OFFICE_TYPES.values())


def sniff(upload: UploadedFile) -> str | None:
    """The content type the first bytes show, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def checked_upload(upload: UploadedFile, *, allowed: set[str], max_bytes: int, field: str = "file") -> str:
    """Check size and real type; returns the content type to store. Office files are zips named .docx/.pptx/.xlsx."""
    if upload.size is None or upload.size == 0:
        raise ServiceError("The file is empty.", field=field)
    if upload.size > max_bytes:
        raise ServiceError(f"The file is larger than {max_bytes // (1024 * 1024)} MB.", field=field, status_code=413)
    content_type = sniff(upload)
    if content_type == "application/zip":
        extension = (upload.name or "").rsplit(".", 1)[-1].lower()
        content_type = OFFICE_TYPES.get(extension)
    if content_type is None or content_type not in allowed:
        kinds = ", ".join(sorted(EXTENSIONS.get(t, t.rsplit(".", 1)[-1]) for t in allowed))
        raise ServiceError(
            f"The file is not what it claims to be; accepted types: {kinds}.", field=field, code="bad_file_type"
        )
    return content_type


def safe_name(name: str | None, content_type: str) -> str:
    """A display name for downloads: the original stem, stripped of anything a header could choke on."""
    stem = (name or "file").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    stem = "".join(c for c in stem if c.isalnum() or c in " -_")[:80].strip() or "file"
    extension = EXTENSIONS.get(content_type) or next((k for k, v in OFFICE_TYPES.items() if v == content_type), "bin")
    return f"{stem}.{extension}"
