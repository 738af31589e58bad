"""The normalised invoice for people: a display structure with EN 16931 term names, an HTML partial, a PDF.

readable = readable_invoice(invoice)        # sections in the active language
{% include "einvoices/_invoice_readable.html" with readable=readable %}
pdf_bytes = render_pdf(invoice, validation_summary=..., received_note=...)
"""

from .build import document_title, readable_invoice
from .pdf import render_pdf
from .structure import ReadableInvoice

__all__ = ["ReadableInvoice", "document_title", "readable_invoice", "render_pdf"]
