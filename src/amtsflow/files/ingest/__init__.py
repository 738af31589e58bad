"""Ingest checks for the E-Akte: what an upload really is, whether it is safe to keep, and what an e-mail contains.

Pure functions without models, so services, API views, the mailbox intake and commands share one rule.
"""

from .email import ParsedAttachment, ParsedEmail, parse_eml
from .errors import UploadRefused
from .filetypes import CheckedUpload, DetectedType, check_upload, detect_type

__all__ = [
    "CheckedUpload",
    "DetectedType",
    "ParsedAttachment",
    "ParsedEmail",
    "UploadRefused",
    "check_upload",
    "detect_type",
    "parse_eml",
]
