"""Ingest checks: every test file is built here, hostile ones included, so nothing depends on fixtures on disk."""

import hashlib
import io
import re
import struct
import zipfile
import zlib
from email.message import EmailMessage
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from amtsflow.files.ingest import UploadRefused, check_upload, detect_type, parse_eml
from amtsflow.files.ingest.archives import MAX_MEMBERS
from amtsflow.files.ingest.names import MAX_NAME_BYTES

MB = 1024 * 1024
LIMIT = 20 * MB

# --- builders -----------------------------------------------------------------------------------------------


def pdf_bytes(**save_kwargs: object) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    # The default trailer /ID is derived from the clock: two calls a second apart would differ.
    if "static_id" not in save_kwargs and "encryption" not in save_kwargs:
        save_kwargs.setdefault("deterministic_id", True)
    pdf.save(buffer, **save_kwargs)
    return buffer.getvalue()


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, fmt)
    return buffer.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
)
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_members(content_type: str = WORD_MAIN) -> dict[str, bytes | str]:
    return {
        "[Content_Types].xml": CONTENT_TYPES.format(part="word/document.xml", content_type=content_type),
        "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
        "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body>Bescheid</w:body></w:document>',
    }


def xlsx_bytes() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(part="xl/workbook.xml", content_type=main),
            "xl/workbook.xml": '<?xml version="1.0"?><workbook/>',
            "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet/>',
        }
    )


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # ODF wants "mimetype" first and stored, so a magic-number reader finds it at a fixed offset.
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content xmlns:office="urn:o"/>')
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return buffer.getvalue()


def deflated_zeros(size: int) -> bytes:
    """A raw deflate stream of `size` zero bytes, built in milliseconds from one repeated block.

    After Z_FULL_FLUSH the compressor keeps no history, so each 1 MiB block compresses to the same bytes.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty last block
    return block * (size // MB) + final


def zeros_crc(size: int) -> int:
    crc = 0
    chunk = bytes(MB)
    for _ in range(size // MB):
        crc = zlib.crc32(chunk, crc)
    return crc


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A deflate ZIP written by hand: (name, compressed data, crc, declared size, flag bits) per member.

    zipfile cannot write lying sizes, encryption flags or pre-compressed data, which hostile archives need.
    """
    body, central = bytearray(), bytearray()
    for name, data, crc, size, flags in entries:
        offset = len(body)
        encoded = name.encode()
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        body += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 8, 0, 0x21, crc, len(data), size, len(encoded), 0, 0, 0,
            0, 0, offset,
        )  # fmt: skip
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(body), 0)
    return bytes(body + central + end)


def small_entries(members: dict[str, bytes]) -> list[tuple[str, bytes, int, int, int]]:
    entries = []
    for name, data in members.items():
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        entries.append((name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data), 0))
    return entries


def docx_entries() -> list[tuple[str, bytes, int, int, int]]:
    return small_entries({name: str(data).encode() for name, data in docx_members().items()})


def sample_email() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Jürgen Müller <juergen.mueller@example.de>"
    message["To"] = "Bürgerbüro <buergerbuero@stadt.example>, Grünflächenamt <gruen@stadt.example>"
    message["Subject"] = "Änderung der Gebührensatzung – Stellungnahme"
    message["Date"] = "Tue, 04 Mar 2025 09:15:00 +0100"
    message["Message-ID"] = "<abc123@example.de>"
    message.set_content("Sehr geehrte Damen und Herren,\nanbei meine Stellungnahme zur Gebührenänderung.\n")
    message.add_alternative("<p>Sehr geehrte Damen und Herren,</p><p>anbei meine Stellungnahme.</p>", subtype="html")
    message.add_attachment(pdf_bytes(), maintype="application", subtype="pdf", filename="Stellungnahme_Gebühren.pdf")
    message.add_attachment(image_bytes("PNG"), maintype="image", subtype="png", filename="Übersicht.png")
    return message


# --- helpers ------------------------------------------------------------------------------------------------


def check(tmp_path: Path, data: bytes, name: str, max_bytes: int = LIMIT):
    path = tmp_path / "upload.bin"  # the stored temp name never matters, only the client's name
    path.write_bytes(data)
    return check_upload(path, original_name=name, max_bytes=max_bytes)


def refused(tmp_path: Path, data: bytes, name: str, code: str, max_bytes: int = LIMIT) -> UploadRefused:
    with pytest.raises(UploadRefused) as excinfo:
        check(tmp_path, data, name, max_bytes)
    assert excinfo.value.code == code, excinfo.value.message
    assert excinfo.value.message.strip()
    return excinfo.value


# --- accepted -----------------------------------------------------------------------------------------------


def test_pdf_is_accepted_with_size_and_hash(tmp_path):
    data = pdf_bytes()
    checked = check(tmp_path, data, "Bescheid 2025.pdf")
    assert checked.detected.kind == "pdf"
    assert checked.detected.media_type == "application/pdf"
    assert checked.safe_name == "Bescheid 2025.pdf"
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


def test_mildly_damaged_pdf_is_repaired_and_accepted(tmp_path):
    wrong_xref = re.sub(rb"startxref\s+\d+", b"startxref\n9999", pdf_bytes())
    assert check(tmp_path, wrong_xref, "scan.pdf").detected.kind == "pdf"


@pytest.mark.parametrize(
    ("fmt", "name", "kind", "safe_name"),
    [
        ("PNG", "plan.png", "png", "plan.png"),
        ("JPEG", "foto.JPG", "jpeg", "foto.jpg"),
        ("TIFF", "a.tif", "tiff", "a.tif"),
    ],
)
def test_images_are_accepted(tmp_path, fmt, name, kind, safe_name):
    checked = check(tmp_path, image_bytes(fmt), name)
    assert (checked.detected.kind, checked.safe_name) == (kind, safe_name)


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (zip_bytes(docx_members()), "Vermerk.docx", "docx"),
        (xlsx_bytes(), "Haushalt.xlsx", "xlsx"),
        (odt_bytes(), "Protokoll.odt", "odt"),
    ],
)
def test_office_documents_are_told_apart_by_members(tmp_path, data, name, kind):
    checked = check(tmp_path, data, name)
    assert checked.detected.kind == kind
    assert checked.safe_name == name


def test_text_in_utf8_and_windows_1252_is_accepted(tmp_path):
    utf8 = check(tmp_path, "Grüße aus der Kämmerei\n".encode(), "notiz.txt")
    legacy = check(tmp_path, "Grüße aus der Kämmerei\r\n".encode("cp1252"), "notiz.txt")
    assert (utf8.detected.kind, utf8.detected.charset) == ("txt", "utf-8")
    assert (legacy.detected.kind, legacy.detected.charset) == ("txt", "windows-1252")


def test_csv_keeps_its_extension(tmp_path):
    assert check(tmp_path, b"a;b\n1;2\n", "liste.csv").safe_name == "liste.csv"


def test_xml_invoice_is_accepted(tmp_path):
    data = b'<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:oasis:ubl"><ID>R-1</ID></Invoice>'
    assert check(tmp_path, data, "xrechnung.xml").detected.kind == "xml"


def test_eml_is_accepted(tmp_path):
    checked = check(tmp_path, sample_email().as_bytes(), "Stellungnahme.eml")
    assert checked.detected.kind == "eml"
    assert checked.detected.media_type == "message/rfc822"


def test_png_named_jpg_is_accepted_and_renamed(tmp_path):
    checked = check(tmp_path, image_bytes("PNG"), "foto.jpg")
    assert checked.detected.kind == "png"
    assert checked.safe_name == "foto.png"


def test_allowed_content_under_a_dangerous_name_gets_the_real_extension(tmp_path):
    assert check(tmp_path, pdf_bytes(), "rechnung.pdf.exe").safe_name == "rechnung.pdf.pdf"
    assert check(tmp_path, pdf_bytes(), "Bericht").safe_name == "Bericht.pdf"
    assert check(tmp_path, pdf_bytes(), "Bericht.2024").safe_name == "Bericht.2024.pdf"


def test_detect_type_without_path_uses_the_bytes_given():
    assert detect_type(image_bytes("PNG")).kind == "png"
    assert detect_type(zip_bytes(docx_members())).kind == "docx"


# --- refused: size and executables --------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path):
    refused(tmp_path, b"", "leer.pdf", "empty")


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(2 * MB))

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(UploadRefused) as excinfo:
        check_upload(path, original_name="big.pdf", max_bytes=MB)
    assert excinfo.value.code == "too_large"
    assert "1.0" in excinfo.value.message or "1,0" in excinfo.value.message


# DOS header (e_lfanew at 0x3C points to 0x80), then the PE signature: the start of every Windows .exe.
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(50) + b"\x80\x00\x00\x00"
WINDOWS_EXE += bytes(64) + b"PE\x00\x00" + bytes(64)
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)


def test_windows_program_named_pdf_is_refused(tmp_path):
    error = refused(tmp_path, WINDOWS_EXE, "rechnung.pdf", "type_mismatch")
    assert error.params == {"claimed": "PDF", "actual": "Windows program"}


def test_elf_binary_is_refused(tmp_path):
    refused(tmp_path, ELF, "update", "type_not_allowed")
    refused(tmp_path, ELF, "scan.tiff", "type_mismatch")


def test_shell_script_named_txt_is_refused(tmp_path):
    refused(tmp_path, b"#!/bin/sh\nrm -rf /srv/akten\n", "notiz.txt", "type_mismatch")


def test_html_with_script_named_txt_is_refused(tmp_path):
    html = b"<!DOCTYPE html>\n<html><body><script>fetch('/api/akten')</script></body></html>"
    refused(tmp_path, html, "notiz.txt", "type_mismatch")
    refused(tmp_path, b"Hallo\n<script>alert(1)</script>\n", "notiz.txt", "type_mismatch")


def test_svg_with_script_named_xml_is_refused(tmp_path):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    refused(tmp_path, svg, "plan.xml", "type_mismatch")
    refused(tmp_path, svg, "plan.svg", "type_not_allowed")


def test_binary_garbage_is_refused(tmp_path):
    refused(tmp_path, bytes(range(256)) * 4, "daten.dat", "type_not_allowed")


def test_damaged_image_is_refused(tmp_path):
    refused(tmp_path, b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "plan.png", "image_broken")


# --- refused: archives --------------------------------------------------------------------------------------


def test_zip_bomb_disguised_as_docx_is_refused(tmp_path):
    size = 300 * MB
    bomb = raw_zip([*docx_entries(), ("word/media/image1.png", deflated_zeros(size), zeros_crc(size), size, 0)])
    refused(tmp_path, bomb, "Vermerk.docx", "zip_bomb")


def test_zip_bomb_with_lying_sizes_is_refused(tmp_path):
    # The header claims 1 KB; the stream inflates to 50 MB. Only measuring the real output catches this.
    bomb = raw_zip([*docx_entries(), ("word/media/image1.png", deflated_zeros(50 * MB), 0, 1000, 0)])
    refused(tmp_path, bomb, "Vermerk.docx", "zip_bomb")


def test_highly_compressed_large_member_is_refused(tmp_path):
    size = 20 * MB
    bomb = raw_zip([*docx_entries(), ("word/media/pad.bin", deflated_zeros(size), zeros_crc(size), size, 0)])
    refused(tmp_path, bomb, "Vermerk.docx", "zip_bomb")


def test_zip_with_too_many_members_is_refused(tmp_path):
    members: dict[str, bytes | str] = {f"word/p{i}.xml": b"" for i in range(MAX_MEMBERS + 1)}
    refused(tmp_path, zip_bytes({**docx_members(), **members}), "Vermerk.docx", "zip_bomb")


@pytest.mark.parametrize("evil", ["../../etc/cron.d/job", "word/../../x.xml", "/etc/passwd", "..\\..\\boot.ini"])
def test_zip_with_traversal_names_is_refused(tmp_path, evil):
    refused(tmp_path, zip_bytes({**docx_members(), evil: "x"}), "Vermerk.docx", "zip_unsafe")


def test_encrypted_zip_is_refused(tmp_path):
    entries = [(name, data, crc, size, 0x1) for name, data, crc, size, _flags in docx_entries()]
    refused(tmp_path, raw_zip(entries), "Vermerk.docx", "encrypted")


def test_plain_zip_named_docx_is_refused(tmp_path):
    error = refused(tmp_path, zip_bytes({"a.txt": "x"}), "Vermerk.docx", "type_mismatch")
    assert error.params["claimed"] == "DOCX"


def test_macro_document_renamed_to_docx_is_refused(tmp_path):
    members = docx_members("application/vnd.ms-word.document.macroEnabled.main+xml")
    refused(tmp_path, zip_bytes({**members, "word/vbaProject.bin": b"\x00VBA"}), "Vermerk.docx", "type_mismatch")


def test_docx_with_dtd_in_a_member_is_refused(tmp_path):
    xxe = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document>&x;</w:document>'
    refused(tmp_path, zip_bytes({**docx_members(), "word/document.xml": xxe}), "Vermerk.docx", "xml_unsafe")


# --- refused: PDF and XML -----------------------------------------------------------------------------------


def test_pdf_with_broken_structure_is_refused(tmp_path):
    refused(tmp_path, b"%PDF-1.7\n" + bytes(range(256)) * 8, "scan.pdf", "pdf_broken")
    refused(tmp_path, b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "scan.pdf", "pdf_broken")


def test_password_protected_pdf_is_refused(tmp_path):
    data = pdf_bytes(encryption=pikepdf.Encryption(user="geheim", owner="geheimer"))
    refused(tmp_path, data, "scan.pdf", "encrypted")


def test_xml_with_external_entity_is_refused(tmp_path):
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    refused(tmp_path, xxe, "rechnung.xml", "xml_unsafe")


def test_billion_laughs_xml_is_refused(tmp_path):
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{entities}]><r>&l9;</r>'.encode()
    refused(tmp_path, data, "rechnung.xml", "xml_unsafe")


def test_too_deeply_nested_xml_is_refused(tmp_path):
    refused(tmp_path, b"<a>" * 1000 + b"</a>" * 1000, "rechnung.xml", "xml_unsafe")


def test_malformed_xml_is_refused(tmp_path):
    refused(tmp_path, b'<?xml version="1.0"?><Invoice><ID>1</Invoice>', "rechnung.xml", "xml_broken")


# --- e-mail -------------------------------------------------------------------------------------------------


def test_parse_eml_decodes_headers_bodies_and_attachments():
    parsed = parse_eml(sample_email().as_bytes())
    assert parsed.subject == "Änderung der Gebührensatzung – Stellungnahme"
    assert parsed.sender == "Jürgen Müller <juergen.mueller@example.de>"
    assert parsed.recipients == [
        "Bürgerbüro <buergerbuero@stadt.example>",
        "Grünflächenamt <gruen@stadt.example>",
    ]
    assert parsed.date is not None
    assert parsed.date.isoformat() == "2025-03-04T09:15:00+01:00"
    assert parsed.message_id == "<abc123@example.de>"
    assert "Gebührenänderung" in parsed.body_text
    assert "<p>" in parsed.body_html
    assert [(a.filename, a.media_type) for a in parsed.attachments] == [
        ("Stellungnahme_Gebühren.pdf", "application/pdf"),
        ("Übersicht.png", "image/png"),
    ]
    assert parsed.attachments[0].content == pdf_bytes()


def test_parse_eml_converts_html_only_body_to_text():
    message = EmailMessage()
    message["From"] = "a@example.de"
    message["Subject"] = "Nur HTML"
    message.set_content(
        "<html><head><style>p{}</style><script>x()</script></head><body><p>Erste&nbsp;Zeile</p>"
        "<p>Zweite &amp; letzte</p><img src='http://tracker.example/p.gif'></body></html>",
        subtype="html",
    )
    parsed = parse_eml(message.as_bytes())
    assert parsed.body_text == "Erste Zeile\n\nZweite & letzte"


def test_parse_eml_keeps_forwarded_mail_as_eml_and_names_inline_images():
    inner = EmailMessage()
    inner["From"] = "b@example.de"
    inner["Subject"] = "Ursprüngliche Nachricht"
    inner.set_content("Text")
    outer = EmailMessage()
    outer["From"] = "a@example.de"
    outer["Subject"] = "WG: Ursprüngliche Nachricht"
    outer.set_content("Siehe unten.")
    outer.add_related(image_bytes("PNG"), maintype="image", subtype="png", cid="<logo>")
    outer.add_attachment(inner)
    parsed = parse_eml(outer.as_bytes())
    names = [(a.filename, a.media_type) for a in parsed.attachments]
    assert names == [("attachment-1.png", "image/png"), ("Ursprüngliche Nachricht.eml", "message/rfc822")]
    assert parse_eml(parsed.attachments[1].content).subject == "Ursprüngliche Nachricht"


def test_parse_eml_limits_the_number_of_attachments():
    with pytest.raises(UploadRefused) as excinfo:
        parse_eml(sample_email().as_bytes(), max_attachments=1)
    assert excinfo.value.code == "eml_too_many_attachments"
    assert excinfo.value.message


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text without any headers\n",
        bytes(range(256)) * 4,
        b"From: a@example.de\nContent-Type: multipart/mixed; boundary=xyz\n\nno boundary ever appears\n",
        b"From: a@example.de\nContent-Type: multipart/mixed; boundary=b\n\n"
        + b"--b\nContent-Type: multipart/mixed; boundary=b\n\n" * 100,
    ],
    ids=["empty", "no-headers", "garbage", "broken-boundary", "deep-nesting"],
)
def test_malformed_eml_is_refused(data):
    with pytest.raises(UploadRefused) as excinfo:
        parse_eml(data)
    assert excinfo.value.code == "eml_broken"
    assert excinfo.value.message


def test_malformed_eml_upload_is_refused(tmp_path):
    data = (
        b"From: a@example.de\nDate: Tue, 04 Mar 2025 09:15:00 +0100\nSubject: Antrag\n"
        b"Content-Type: multipart/mixed; boundary=xyz\n\nno boundary ever appears\n"
    )
    refused(tmp_path, data, "antrag.eml", "eml_broken")


# --- file names ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\fakepath\\Bescheid.pdf", "Bescheid.pdf"),
        ("Rech\x00nung\x1b\n.pdf", "Rechnung.pdf"),
        ("rechnung\u202efdp.exe", "rechnungfdp.pdf"),
        ("Mu\u0308ller.pdf", "M\u00fcller.pdf"),
        ("...", "document.pdf"),
        ("", "document.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ('a<b>:"c|d?*.pdf', "a_b___c_d__.pdf"),
    ],
)
def test_file_names_are_sanitised(tmp_path, original, expected):
    assert check(tmp_path, pdf_bytes(), original).safe_name == expected


def test_very_long_file_name_is_shortened_but_keeps_its_extension(tmp_path):
    safe_name = check(tmp_path, pdf_bytes(), "Ä" * 500 + ".pdf").safe_name
    assert len(safe_name.encode()) <= MAX_NAME_BYTES
    assert safe_name.endswith("Ä.pdf")
