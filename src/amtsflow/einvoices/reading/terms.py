"""Names of the EN 16931 business terms (BT) and groups (BG) this package extracts, German and English.

The German names follow the German edition of EN 16931-1 and the KoSIT XRechnung specification and its
visualisation; they are data, because the German official name is what a clerk looks up. The English names are
the standard's own and serve as gettext msgids, so other interface languages translate them.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class BusinessTerm:
    id: str  # "BT-1", "BG-4"; groups are written in capitals as in the standard
    name_de: str
    name_en: Promise

    def name(self, language: str | None = None) -> str:
        """The German name for German, otherwise the (translated) English one."""
        language = language or get_language() or "de"
        return self.name_de if language.split("-")[0] == "de" else str(self.name_en)

    def label(self, language: str | None = None) -> str:
        return f"{self.id} {self.name(language)}"


def _term(term_id: str, name_de: str, name_en: Promise) -> BusinessTerm:
    return BusinessTerm(term_id, name_de, name_en)


TERMS: dict[str, BusinessTerm] = {
    term.id: term
    for term in (
        _term("BT-1", "Rechnungsnummer", _("Invoice number")),
        _term("BT-2", "Rechnungsdatum", _("Invoice issue date")),
        _term("BT-3", "Code für den Rechnungstyp", _("Invoice type code")),
        _term("BT-5", "Code für die Rechnungswährung", _("Invoice currency code")),
        _term("BT-6", "Code für die Währung der Umsatzsteuerbuchung", _("VAT accounting currency code")),
        _term("BT-7", "Umsatzsteuerdatum", _("Value added tax point date")),
        _term("BT-8", "Code für das Umsatzsteuerdatum", _("Value added tax point date code")),
        _term("BT-9", "Fälligkeitsdatum der Zahlung", _("Payment due date")),
        _term("BT-10", "Käuferreferenz", _("Buyer reference")),
        _term("BT-11", "Projektreferenz", _("Project reference")),
        _term("BT-12", "Vertragsreferenz", _("Contract reference")),
        _term("BT-13", "Bestellreferenz", _("Purchase order reference")),
        _term("BT-14", "Auftragsreferenz", _("Sales order reference")),
        _term("BT-15", "Kennung der Empfangsbestätigung", _("Receiving advice reference")),
        _term("BT-16", "Kennung der Versandanzeige", _("Despatch advice reference")),
        _term("BT-17", "Vergabekennung", _("Tender or lot reference")),
        _term("BT-18", "Objektkennung", _("Invoiced object identifier")),
        _term("BT-19", "Buchungsreferenz des Käufers", _("Buyer accounting reference")),
        _term("BT-20", "Zahlungsbedingungen", _("Payment terms")),
        _term("BT-22", "Bemerkung zur Rechnung", _("Invoice note")),
        _term("BT-23", "Prozesskennung", _("Business process type")),
        _term("BT-24", "Spezifikationskennung", _("Specification identifier")),
        _term("BG-3", "REFERENZ AUF DIE VORAUSGEGANGENE RECHNUNG", _("PRECEDING INVOICE REFERENCE")),
        _term("BT-25", "Referenz auf die vorausgegangene Rechnung", _("Preceding Invoice reference")),
        _term("BT-26", "Ausstellungsdatum der vorausgegangenen Rechnung", _("Preceding Invoice issue date")),
        _term("BG-4", "VERKÄUFER", _("SELLER")),
        _term("BT-27", "Name des Verkäufers", _("Seller name")),
        _term("BT-28", "Handelsname des Verkäufers", _("Seller trading name")),
        _term("BT-29", "Kennung des Verkäufers", _("Seller identifier")),
        _term(
            "BT-30", "Kennung der rechtlichen Registrierung des Verkäufers", _("Seller legal registration identifier")
        ),
        _term("BT-31", "Umsatzsteuer-Identifikationsnummer des Verkäufers", _("Seller VAT identifier")),
        _term("BT-32", "Steuernummer des Verkäufers", _("Seller tax registration identifier")),
        _term("BT-33", "Weitere rechtliche Informationen zum Verkäufer", _("Seller additional legal information")),
        _term("BT-34", "Elektronische Adresse des Verkäufers", _("Seller electronic address")),
        _term("BG-5", "POSTANSCHRIFT DES VERKÄUFERS", _("SELLER POSTAL ADDRESS")),
        _term("BT-35", "Zeile 1 der Verkäuferanschrift", _("Seller address line 1")),
        _term("BT-36", "Zeile 2 der Verkäuferanschrift", _("Seller address line 2")),
        _term("BT-162", "Zeile 3 der Verkäuferanschrift", _("Seller address line 3")),
        _term("BT-37", "Stadt des Verkäufers", _("Seller city")),
        _term("BT-38", "Postleitzahl des Verkäufers", _("Seller post code")),
        _term("BT-39", "Region des Verkäufers", _("Seller country subdivision")),
        _term("BT-40", "Ländercode des Verkäufers", _("Seller country code")),
        _term("BG-6", "KONTAKTINFORMATIONEN DES VERKÄUFERS", _("SELLER CONTACT")),
        _term("BT-41", "Kontaktstelle des Verkäufers", _("Seller contact point")),
        _term("BT-42", "Telefonnummer der Kontaktstelle des Verkäufers", _("Seller contact telephone number")),
        _term("BT-43", "E-Mail-Adresse der Kontaktstelle des Verkäufers", _("Seller contact email address")),
        _term("BG-7", "ERWERBER", _("BUYER")),
        _term("BT-44", "Name des Erwerbers", _("Buyer name")),
        _term("BT-45", "Handelsname des Erwerbers", _("Buyer trading name")),
        _term("BT-46", "Kennung des Erwerbers", _("Buyer identifier")),
        _term("BT-47", "Kennung der rechtlichen Registrierung des Erwerbers", _("Buyer legal registration identifier")),
        _term("BT-48", "Umsatzsteuer-Identifikationsnummer des Erwerbers", _("Buyer VAT identifier")),
        _term("BT-49", "Elektronische Adresse des Erwerbers", _("Buyer electronic address")),
        _term("BG-8", "POSTANSCHRIFT DES ERWERBERS", _("BUYER POSTAL ADDRESS")),
        _term("BT-50", "Zeile 1 der Erwerberanschrift", _("Buyer address line 1")),
        _term("BT-51", "Zeile 2 der Erwerberanschrift", _("Buyer address line 2")),
        _term("BT-163", "Zeile 3 der Erwerberanschrift", _("Buyer address line 3")),
        _term("BT-52", "Stadt des Erwerbers", _("Buyer city")),
        _term("BT-53", "Postleitzahl des Erwerbers", _("Buyer post code")),
        _term("BT-54", "Region des Erwerbers", _("Buyer country subdivision")),
        _term("BT-55", "Ländercode des Erwerbers", _("Buyer country code")),
        _term("BG-9", "KONTAKTINFORMATIONEN DES ERWERBERS", _("BUYER CONTACT")),
        _term("BT-56", "Kontaktstelle des Erwerbers", _("Buyer contact point")),
        _term("BT-57", "Telefonnummer der Kontaktstelle des Erwerbers", _("Buyer contact telephone number")),
        _term("BT-58", "E-Mail-Adresse der Kontaktstelle des Erwerbers", _("Buyer contact email address")),
        _term("BG-10", "ZAHLUNGSEMPFÄNGER", _("PAYEE")),
        _term("BT-59", "Name des Zahlungsempfängers", _("Payee name")),
        _term("BT-60", "Kennung des Zahlungsempfängers", _("Payee identifier")),
        _term(
            "BT-61",
            "Kennung der rechtlichen Registrierung des Zahlungsempfängers",
            _("Payee legal registration identifier"),
        ),
        _term("BG-11", "STEUERVERTRETER DES VERKÄUFERS", _("SELLER TAX REPRESENTATIVE PARTY")),
        _term("BT-62", "Name des Steuervertreters des Verkäufers", _("Seller tax representative name")),
        _term(
            "BT-63",
            "Umsatzsteuer-Identifikationsnummer des Steuervertreters des Verkäufers",
            _("Seller tax representative VAT identifier"),
        ),
        _term(
            "BG-12", "POSTANSCHRIFT DES STEUERVERTRETERS DES VERKÄUFERS", _("SELLER TAX REPRESENTATIVE POSTAL ADDRESS")
        ),
        _term("BT-64", "Zeile 1 der Anschrift des Steuervertreters", _("Tax representative address line 1")),
        _term("BT-65", "Zeile 2 der Anschrift des Steuervertreters", _("Tax representative address line 2")),
        _term("BT-164", "Zeile 3 der Anschrift des Steuervertreters", _("Tax representative address line 3")),
        _term("BT-66", "Stadt des Steuervertreters", _("Tax representative city")),
        _term("BT-67", "Postleitzahl des Steuervertreters", _("Tax representative post code")),
        _term("BT-68", "Region des Steuervertreters", _("Tax representative country subdivision")),
        _term("BT-69", "Ländercode des Steuervertreters", _("Tax representative country code")),
        _term("BG-13", "LIEFERINFORMATIONEN", _("DELIVERY INFORMATION")),
        _term("BT-70", "Name des Empfängers", _("Deliver to party name")),
        _term("BT-71", "Kennung des Lieferorts", _("Deliver to location identifier")),
        _term("BT-72", "Tatsächliches Lieferdatum", _("Actual delivery date")),
        _term("BT-73", "Anfangsdatum des Rechnungszeitraums", _("Invoicing period start date")),
        _term("BT-74", "Enddatum des Rechnungszeitraums", _("Invoicing period end date")),
        _term("BG-15", "LIEFERANSCHRIFT", _("DELIVER TO ADDRESS")),
        _term("BT-75", "Zeile 1 der Lieferanschrift", _("Deliver to address line 1")),
        _term("BT-76", "Zeile 2 der Lieferanschrift", _("Deliver to address line 2")),
        _term("BT-165", "Zeile 3 der Lieferanschrift", _("Deliver to address line 3")),
        _term("BT-77", "Stadt der Lieferanschrift", _("Deliver to city")),
        _term("BT-78", "Postleitzahl der Lieferanschrift", _("Deliver to post code")),
        _term("BT-79", "Region der Lieferanschrift", _("Deliver to country subdivision")),
        _term("BT-80", "Ländercode der Lieferanschrift", _("Deliver to country code")),
        _term("BG-16", "ZAHLUNGSANWEISUNGEN", _("PAYMENT INSTRUCTIONS")),
        _term("BT-81", "Code für die Zahlungsart", _("Payment means type code")),
        _term("BT-82", "Text zur Zahlungsart", _("Payment means text")),
        _term("BT-83", "Verwendungszweck", _("Remittance information")),
        _term("BT-84", "Kennung des Zahlungskontos", _("Payment account identifier")),
        _term("BT-85", "Name des Zahlungskontos", _("Payment account name")),
        _term("BT-86", "Kennung des Zahlungsdienstleisters", _("Payment service provider identifier")),
        _term("BT-87", "Primäre Kontonummer der Zahlungskarte", _("Payment card primary account number")),
        _term("BT-88", "Name des Karteninhabers", _("Payment card holder name")),
        _term("BT-89", "Kennung der Mandatsreferenz", _("Mandate reference identifier")),
        _term("BT-90", "Kennung des Gläubigers", _("Bank assigned creditor identifier")),
        _term("BT-91", "Kennung des zu belastenden Kontos", _("Debited account identifier")),
        _term("BG-20", "NACHLÄSSE AUF DOKUMENTENEBENE", _("DOCUMENT LEVEL ALLOWANCES")),
        _term("BT-92", "Betrag des Nachlasses auf Dokumentenebene", _("Document level allowance amount")),
        _term("BT-93", "Grundbetrag des Nachlasses auf Dokumentenebene", _("Document level allowance base amount")),
        _term("BT-94", "Prozentsatz des Nachlasses auf Dokumentenebene", _("Document level allowance percentage")),
        _term(
            "BT-95",
            "Code der Umsatzsteuerkategorie des Nachlasses auf Dokumentenebene",
            _("Document level allowance VAT category code"),
        ),
        _term("BT-96", "Umsatzsteuersatz des Nachlasses auf Dokumentenebene", _("Document level allowance VAT rate")),
        _term("BT-97", "Grund für den Nachlass auf Dokumentenebene", _("Document level allowance reason")),
        _term(
            "BT-98", "Code für den Grund des Nachlasses auf Dokumentenebene", _("Document level allowance reason code")
        ),
        _term("BG-21", "ZUSCHLÄGE AUF DOKUMENTENEBENE", _("DOCUMENT LEVEL CHARGES")),
        _term("BT-99", "Betrag des Zuschlags auf Dokumentenebene", _("Document level charge amount")),
        _term("BT-100", "Grundbetrag des Zuschlags auf Dokumentenebene", _("Document level charge base amount")),
        _term("BT-101", "Prozentsatz des Zuschlags auf Dokumentenebene", _("Document level charge percentage")),
        _term(
            "BT-102",
            "Code der Umsatzsteuerkategorie des Zuschlags auf Dokumentenebene",
            _("Document level charge VAT category code"),
        ),
        _term("BT-103", "Umsatzsteuersatz des Zuschlags auf Dokumentenebene", _("Document level charge VAT rate")),
        _term("BT-104", "Grund für den Zuschlag auf Dokumentenebene", _("Document level charge reason")),
        _term("BT-105", "Code für den Grund des Zuschlags auf Dokumentenebene", _("Document level charge reason code")),
        _term("BG-22", "GESAMTBETRÄGE DER RECHNUNG", _("DOCUMENT TOTALS")),
        _term("BT-106", "Summe der Nettobeträge aller Rechnungspositionen", _("Sum of Invoice line net amount")),
        _term("BT-107", "Summe der Nachlässe auf Dokumentenebene", _("Sum of allowances on document level")),
        _term("BT-108", "Summe der Zuschläge auf Dokumentenebene", _("Sum of charges on document level")),
        _term("BT-109", "Rechnungsgesamtbetrag ohne Umsatzsteuer", _("Invoice total amount without VAT")),
        _term("BT-110", "Gesamtbetrag der Rechnungsumsatzsteuer", _("Invoice total VAT amount")),
        _term(
            "BT-111",
            "Gesamtbetrag der Rechnungsumsatzsteuer in Buchungswährung",
            _("Invoice total VAT amount in accounting currency"),
        ),
        _term("BT-112", "Rechnungsgesamtbetrag einschließlich Umsatzsteuer", _("Invoice total amount with VAT")),
        _term("BT-113", "Vorauszahlungsbetrag", _("Paid amount")),
        _term("BT-114", "Rundungsbetrag", _("Rounding amount")),
        _term("BT-115", "Fälliger Zahlungsbetrag", _("Amount due for payment")),
        _term("BG-23", "UMSATZSTEUERAUFSCHLÜSSELUNG", _("VAT BREAKDOWN")),
        _term("BT-116", "Nach der Umsatzsteuerkategorie zu versteuernder Betrag", _("VAT category taxable amount")),
        _term("BT-117", "Für die Umsatzsteuerkategorie zu entrichtender Betrag", _("VAT category tax amount")),
        _term("BT-118", "Code der Umsatzsteuerkategorie", _("VAT category code")),
        _term("BT-119", "Umsatzsteuersatz der Umsatzsteuerkategorie", _("VAT category rate")),
        _term("BT-120", "Text zum Grund der Umsatzsteuerbefreiung", _("VAT exemption reason text")),
        _term("BT-121", "Code für den Grund der Umsatzsteuerbefreiung", _("VAT exemption reason code")),
        _term("BG-24", "RECHNUNGSBEGRÜNDENDE UNTERLAGEN", _("ADDITIONAL SUPPORTING DOCUMENTS")),
        _term("BT-122", "Kennung der rechnungsbegründenden Unterlage", _("Supporting document reference")),
        _term("BT-123", "Beschreibung der rechnungsbegründenden Unterlage", _("Supporting document description")),
        _term("BT-124", "Verweis auf das externe Dokument", _("External document location")),
        _term("BT-125", "Anhangsdokument", _("Attached document")),
        _term("BG-25", "RECHNUNGSPOSITION", _("INVOICE LINE")),
        _term("BT-126", "Kennung der Rechnungsposition", _("Invoice line identifier")),
        _term("BT-127", "Freitext zur Rechnungsposition", _("Invoice line note")),
        _term("BT-128", "Objektkennung auf Ebene der Rechnungsposition", _("Invoice line object identifier")),
        _term("BT-129", "In Rechnung gestellte Menge", _("Invoiced quantity")),
        _term("BT-130", "Maßeinheit der in Rechnung gestellten Menge", _("Invoiced quantity unit of measure code")),
        _term("BT-131", "Nettobetrag der Rechnungsposition", _("Invoice line net amount")),
        _term("BT-132", "Referenz auf die Bestellposition", _("Referenced purchase order line reference")),
        _term(
            "BT-133", "Buchungsreferenz des Käufers zur Rechnungsposition", _("Invoice line Buyer accounting reference")
        ),
        _term("BT-134", "Anfangsdatum des Rechnungspositionszeitraums", _("Invoice line period start date")),
        _term("BT-135", "Enddatum des Rechnungspositionszeitraums", _("Invoice line period end date")),
        _term("BG-27", "NACHLÄSSE AUF EBENE DER RECHNUNGSPOSITION", _("INVOICE LINE ALLOWANCES")),
        _term("BT-136", "Betrag des Nachlasses auf Ebene der Rechnungsposition", _("Invoice line allowance amount")),
        _term(
            "BT-137",
            "Grundbetrag des Nachlasses auf Ebene der Rechnungsposition",
            _("Invoice line allowance base amount"),
        ),
        _term(
            "BT-138",
            "Prozentsatz des Nachlasses auf Ebene der Rechnungsposition",
            _("Invoice line allowance percentage"),
        ),
        _term("BT-139", "Grund für den Nachlass auf Ebene der Rechnungsposition", _("Invoice line allowance reason")),
        _term(
            "BT-140",
            "Code für den Grund des Nachlasses auf Ebene der Rechnungsposition",
            _("Invoice line allowance reason code"),
        ),
        _term("BG-28", "ZUSCHLÄGE AUF EBENE DER RECHNUNGSPOSITION", _("INVOICE LINE CHARGES")),
        _term("BT-141", "Betrag des Zuschlags auf Ebene der Rechnungsposition", _("Invoice line charge amount")),
        _term(
            "BT-142", "Grundbetrag des Zuschlags auf Ebene der Rechnungsposition", _("Invoice line charge base amount")
        ),
        _term(
            "BT-143", "Prozentsatz des Zuschlags auf Ebene der Rechnungsposition", _("Invoice line charge percentage")
        ),
        _term("BT-144", "Grund für den Zuschlag auf Ebene der Rechnungsposition", _("Invoice line charge reason")),
        _term(
            "BT-145",
            "Code für den Grund des Zuschlags auf Ebene der Rechnungsposition",
            _("Invoice line charge reason code"),
        ),
        _term("BT-146", "Nettopreis des Artikels", _("Item net price")),
        _term("BT-147", "Rabatt auf den Artikelpreis", _("Item price discount")),
        _term("BT-148", "Bruttopreis des Artikels", _("Item gross price")),
        _term("BT-149", "Basismenge zum Artikelpreis", _("Item price base quantity")),
        _term(
            "BT-150",
            "Code der Maßeinheit der Basismenge zum Artikelpreis",
            _("Item price base quantity unit of measure code"),
        ),
        _term(
            "BT-151",
            "Code der Umsatzsteuerkategorie des in Rechnung gestellten Artikels",
            _("Invoiced item VAT category code"),
        ),
        _term("BT-152", "Umsatzsteuersatz für den in Rechnung gestellten Artikel", _("Invoiced item VAT rate")),
        _term("BT-153", "Artikelname", _("Item name")),
        _term("BT-154", "Artikelbeschreibung", _("Item description")),
        _term("BT-155", "Artikelkennung des Verkäufers", _("Item Seller's identifier")),
        _term("BT-156", "Artikelkennung des Käufers", _("Item Buyer's identifier")),
        _term("BT-157", "Kennung eines Artikels nach registriertem Schema", _("Item standard identifier")),
        _term("BG-DEX-01", "UNTERPOSITION", _("SUB INVOICE LINE")),
        _term("BG-DEX-09", "ZAHLUNG DURCH DRITTE", _("THIRD PARTY PAYMENT")),
        _term("BT-DEX-001", "Art der Drittzahlung", _("Third party payment type")),
        _term("BT-DEX-002", "Betrag der Drittzahlung", _("Third party payment amount")),
        _term("BT-DEX-003", "Beschreibung der Drittzahlung", _("Third party payment description")),
    )
}


def term(term_id: str) -> BusinessTerm:
    """The business term `term_id`; KeyError for one this package does not extract."""
    return TERMS[term_id]
