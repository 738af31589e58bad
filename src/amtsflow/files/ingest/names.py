"""Turn a client-supplied file name into one that is safe to store and show."""

import re
import unicodedata

# Bytes, not characters: most file systems cap a name at 255 bytes, and storage backends append a suffix
# (Django's get_available_name adds "_" + 7 characters) when a name is taken.
MAX_NAME_BYTES = 200

# Characters that are separators or reserved on common file systems (Windows is the strictest).
_RESERVED_CHARS = re.compile(r'[<>:"/\\|?*]')
_WHITESPACE = re.compile(r"\s+")
# An "extension" worth correcting: short, ASCII, with a letter ("jpg", "mp3"); "bericht.2024" keeps its ".2024".
_EXTENSION_LIKE = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9]{1,5}$")
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}


def clean_name(name: str) -> str:
    """Base name only, NFC, no control or bidi-override characters, no reserved characters, bounded length.

    May return "" (the caller supplies a fallback); does not look at the extension.
    """
    # Browsers on Windows may send "C:\\fakepath\\x.pdf"; both separators count regardless of our OS.
    name = re.split(r"[/\\]", name)[-1]
    name = unicodedata.normalize("NFC", name)
    # Category C covers control characters and format characters such as U+202E (right-to-left override),
    # which is used to disguise "rechnung\u202efdp.exe" as "rechnungexe.pdf".
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _RESERVED_CHARS.sub("_", name)
    name = _WHITESPACE.sub(" ", name)
    # Leading dots hide files on Unix; trailing dots and spaces are dropped silently by Windows.
    name = name.strip(" .")
    return _truncate(name, MAX_NAME_BYTES)


def safe_filename(original_name: str, *, extension: str, accepted_extensions: frozenset[str]) -> str:
    """A cleaned name whose extension matches the detected content.

    `extension` is the canonical one (no dot); `accepted_extensions` are the spellings that do not contradict it
    (e.g. "jpg" and "jpeg"). A contradicting extension is replaced, a missing one appended.
    """
    name = clean_name(original_name)
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    if ext.lower() in accepted_extensions:
        ext = ext.lower()
    else:
        if ext and not _EXTENSION_LIKE.match(ext):
            stem = f"{stem}.{ext}"  # not an extension, part of the name
        ext = extension
    stem = stem.strip(" .") or "document"  # stored names must not depend on the active language
    if stem.split(".")[0].lower() in _WINDOWS_DEVICES:
        stem = f"_{stem}"
    stem = _truncate(stem, MAX_NAME_BYTES - len(ext) - 1).rstrip(" .") or "document"
    return f"{stem}.{ext}"


def _truncate(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    # Cut on a character boundary, then renormalise in case a combining sequence was split.
    return unicodedata.normalize("NFC", encoded[:max_bytes].decode("utf-8", errors="ignore"))
