"""Hand-written explanations of validation rules, addressed to the clerk who has to tell the supplier what to fix.

Each entry is (German text, English text, business terms the text talks about). The German text is the one shown;
the English one says the same. The texts deliberately do not repeat the official rule text (the report shows that
next to it) but say in plain words what is wrong and what the supplier has to change.

`VAT_CATEGORIES` and `VAT_CATEGORY_RULES` describe the per-category VAT rules (BR-S-*, BR-Z-*, BR-E-*, ...), which
follow the same numbering in every category; `explanations.py` combines the two.
"""

from typing import NamedTuple


class Text(NamedTuple):
    de: str
    en: str
    terms: tuple[str, ...] = ()


_RESEND_DE = "Bitten Sie den Lieferanten um eine korrigierte Rechnung."
_RESEND_EN = "Ask the supplier for a corrected invoice."

# German CIUS rules (XRechnung): BR-DE-*, BR-DEX-* (extension), BR-DE-CVD-* (clean vehicles), BR-TMP-*.
GERMAN_RULES: dict[str, Text] = {
    "BR-DE-1": Text(
        "Die Rechnung sagt nicht, wie sie bezahlt werden soll. XRechnung verlangt Zahlungsanweisungen: mindestens "
        "die Zahlungsart (z. B. Code 58 für SEPA-Überweisung) und bei Überweisung die IBAN des Lieferanten. "
        + _RESEND_DE,
        "The invoice does not say how it is to be paid. XRechnung requires payment instructions: at least the "
        "payment means (e.g. code 58 for SEPA credit transfer) and, for a transfer, the supplier's IBAN. " + _RESEND_EN,
        ("BG-16", "BT-81", "BT-84"),
    ),
    "BR-DE-2": Text(
        "Es fehlt ein Ansprechpartner beim Lieferanten. XRechnung verlangt Kontaktangaben des Verkäufers "
        "(Name oder Abteilung, Telefon, E-Mail), damit Rückfragen zur Rechnung möglich sind. " + _RESEND_DE,
        "There is no contact person at the supplier. XRechnung requires the seller's contact details (name or "
        "department, telephone, e-mail) so that questions about the invoice can be asked. " + _RESEND_EN,
        ("BG-6", "BT-41", "BT-42", "BT-43"),
    ),
    "BR-DE-3": Text(
        "In der Anschrift des Lieferanten fehlt der Ort. " + _RESEND_DE,
        "The supplier's address lacks the city. " + _RESEND_EN,
        ("BT-37",),
    ),
    "BR-DE-4": Text(
        "In der Anschrift des Lieferanten fehlt die Postleitzahl. " + _RESEND_DE,
        "The supplier's address lacks the post code. " + _RESEND_EN,
        ("BT-38",),
    ),
    "BR-DE-5": Text(
        "Beim Ansprechpartner des Lieferanten fehlt der Name (eine Person oder eine Abteilung, z. B. "
        "„Buchhaltung“). " + _RESEND_DE,
        "The supplier's contact lacks a name (a person or a department, e.g. 'Accounts'). " + _RESEND_EN,
        ("BT-41",),
    ),
    "BR-DE-6": Text(
        "Beim Ansprechpartner des Lieferanten fehlt die Telefonnummer, die XRechnung für Rückfragen vorschreibt. "
        + _RESEND_DE,
        "The supplier's contact lacks the telephone number XRechnung requires for queries. " + _RESEND_EN,
        ("BT-42",),
    ),
    "BR-DE-7": Text(
        "Beim Ansprechpartner des Lieferanten fehlt die E-Mail-Adresse, die XRechnung für Rückfragen vorschreibt. "
        + _RESEND_DE,
        "The supplier's contact lacks the e-mail address XRechnung requires for queries. " + _RESEND_EN,
        ("BT-43",),
    ),
    "BR-DE-8": Text(
        "In der Rechnungsanschrift (unsere Anschrift als Käufer) fehlt der Ort. " + _RESEND_DE,
        "The buyer's address (our address) lacks the city. " + _RESEND_EN,
        ("BT-52",),
    ),
    "BR-DE-9": Text(
        "In der Rechnungsanschrift (unsere Anschrift als Käufer) fehlt die Postleitzahl. " + _RESEND_DE,
        "The buyer's address (our address) lacks the post code. " + _RESEND_EN,
        ("BT-53",),
    ),
    "BR-DE-10": Text(
        "Die Rechnung nennt eine Lieferanschrift, aber ohne Ort. Der Lieferant muss den Ort ergänzen oder die "
        "Lieferanschrift ganz weglassen.",
        "The invoice gives a delivery address without a city. The supplier must add the city or leave out the "
        "delivery address altogether.",
        ("BG-15", "BT-77"),
    ),
    "BR-DE-11": Text(
        "Die Rechnung nennt eine Lieferanschrift, aber ohne Postleitzahl. Der Lieferant muss die Postleitzahl "
        "ergänzen oder die Lieferanschrift ganz weglassen.",
        "The invoice gives a delivery address without a post code. The supplier must add the post code or leave "
        "out the delivery address altogether.",
        ("BG-15", "BT-78"),
    ),
    "BR-DE-14": Text(
        "In der Umsatzsteuer-Aufstellung fehlt der Steuersatz. XRechnung verlangt ihn für jede Steuerkategorie, "
        "auch wenn er 0 % beträgt (etwa bei steuerfreien Leistungen). " + _RESEND_DE,
        "The VAT breakdown lacks the VAT rate. XRechnung requires it for every VAT category, even when it is 0 % "
        "(e.g. for exempt supplies). " + _RESEND_EN,
        ("BG-23", "BT-119"),
    ),
    "BR-DE-15": Text(
        "Die Käuferreferenz fehlt. Bei Rechnungen an die öffentliche Verwaltung ist das die Leitweg-ID des "
        "Rechnungsempfängers; ohne sie lässt sich die Rechnung keiner Stelle zuordnen. Teilen Sie dem Lieferanten "
        "unsere Leitweg-ID mit und bitten Sie um eine neue Rechnung, in der sie als Käuferreferenz steht.",
        "The buyer reference is missing. For invoices to public administrations it is the recipient's Leitweg-ID "
        "(routing id); without it the invoice cannot be assigned to an office. Give the supplier our Leitweg-ID and "
        "ask for a new invoice that carries it as the buyer reference.",
        ("BT-10",),
    ),
    "BR-DE-16": Text(
        "Die Rechnung weist Umsatzsteuer aus (oder eine Steuerbefreiung), nennt aber weder die "
        "Umsatzsteuer-Identifikationsnummer noch die Steuernummer des Lieferanten noch einen Steuervertreter. "
        "Eine davon ist nach § 14 UStG Pflicht. " + _RESEND_DE,
        "The invoice shows VAT (or a VAT exemption) but gives neither the supplier's VAT identification number nor "
        "his tax number nor a tax representative. One of them is mandatory under German VAT law. " + _RESEND_EN,
        ("BT-31", "BT-32", "BG-11"),
    ),
    "BR-DE-17": Text(
        "Die Rechnungsart ist mit einem Code angegeben, den XRechnung nicht vorsieht (üblich sind 380 Rechnung, "
        "381 Gutschrift, 384 Korrekturrechnung, 326 Teilrechnung, 389 Eigenrechnung, 875–877 "
        "Bau-Abschlagsrechnungen). Das ist nur eine Warnung; prüfen Sie, ob die Rechnungsart stimmt, und weisen Sie "
        "den Lieferanten darauf hin.",
        "The invoice type is given with a code XRechnung does not provide for (usual are 380 invoice, 381 credit "
        "note, 384 corrected invoice, 326 partial invoice, 389 self-billed invoice, 875-877 construction invoices). "
        "This is only a warning; check that the type of invoice is right and point it out to the supplier.",
        ("BT-3",),
    ),
    "BR-DE-18": Text(
        "Die Skonto-Angabe in den Zahlungsbedingungen hat nicht das maschinenlesbare XRechnung-Format, daher kann "
        "das Skonto nicht automatisch berechnet werden. Richtig ist je Skontostufe eine eigene Zeile wie "
        "„#SKONTO#TAGE=14#PROZENT=2.00#“ (wahlweise mit „BASISBETRAG=…#“), in Großbuchstaben, ohne zusätzliche "
        "Leerzeichen und mit einem Zeilenumbruch am Ende. " + _RESEND_DE,
        "The cash discount in the payment terms is not in the machine-readable XRechnung format, so the discount "
        "cannot be computed automatically. Each discount step must be a line of its own such as "
        "'#SKONTO#TAGE=14#PROZENT=2.00#' (optionally with 'BASISBETRAG=…#'), in capitals, without extra spaces and "
        "followed by a line break. " + _RESEND_EN,
        ("BT-20",),
    ),
    "BR-DE-19": Text(
        "Die angegebene IBAN für die Überweisung ist keine gültige IBAN (Prüfziffer oder Aufbau stimmen nicht). "
        "Überweisen Sie nicht auf diese Kontonummer, sondern lassen Sie sich die Bankverbindung vom Lieferanten "
        "bestätigen.",
        "The IBAN given for the credit transfer is not a valid IBAN (check digits or structure are wrong). Do not "
        "pay to this account; have the supplier confirm the bank details.",
        ("BT-84", "BT-81"),
    ),
    "BR-DE-20": Text(
        "Die Rechnung soll per Lastschrift bezahlt werden, aber die IBAN des zu belastenden Kontos ist ungültig. "
        "Prüfen Sie mit dem Lieferanten, welches Konto gemeint ist.",
        "The invoice is to be paid by direct debit, but the IBAN of the account to be debited is invalid. Check "
        "with the supplier which account is meant.",
        ("BT-91", "BT-81"),
    ),
    "BR-DE-21": Text(
        "Die Rechnung gibt sich nicht als XRechnung aus: die Spezifikationskennung lautet nicht "
        "„urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0“. Meist erstellt die Software des "
        "Lieferanten eine andere Rechnungsvariante; weisen Sie ihn darauf hin.",
        "The invoice does not identify itself as XRechnung: the specification identifier is not "
        "'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0'. Usually the supplier's software "
        "produces another invoice variant; point this out to the supplier.",
        ("BT-24",),
    ),
    "BR-DE-22": Text(
        "Mehrere Anhänge der Rechnung haben denselben Dateinamen, so dass sie sich nicht auseinanderhalten lassen. "
        "Der Lieferant muss jedem Anhang einen eigenen Dateinamen geben.",
        "Several attachments of the invoice have the same file name, so they cannot be told apart. The supplier "
        "must give each attachment a file name of its own.",
        ("BG-24", "BT-125"),
    ),
    "BR-DE-23-a": Text(
        "Als Zahlungsart ist Überweisung angegeben, aber die Bankverbindung des Lieferanten (IBAN) fehlt. "
        + _RESEND_DE,
        "The payment means is a credit transfer, but the supplier's bank account (IBAN) is missing. " + _RESEND_EN,
        ("BT-81", "BG-17"),
    ),
    "BR-DE-23-b": Text(
        "Als Zahlungsart ist Überweisung angegeben, die Rechnung enthält aber zusätzlich Karten- oder "
        "Lastschriftangaben. Der Lieferant muss sich für eine Zahlungsart entscheiden.",
        "The payment means is a credit transfer, but the invoice also carries card or direct debit details. The "
        "supplier must settle on one payment means.",
        ("BT-81", "BG-18", "BG-19"),
    ),
    "BR-DE-24-a": Text(
        "Als Zahlungsart ist Kartenzahlung angegeben, aber die Kartenangaben fehlen (oder sind mehrfach "
        "vorhanden). " + _RESEND_DE,
        "The payment means is a card payment, but the card details are missing (or given more than once). "
        + _RESEND_EN,
        ("BT-81", "BG-18"),
    ),
    "BR-DE-24-b": Text(
        "Als Zahlungsart ist Kartenzahlung angegeben, die Rechnung enthält aber zusätzlich Überweisungs- oder "
        "Lastschriftangaben. Der Lieferant muss sich für eine Zahlungsart entscheiden.",
        "The payment means is a card payment, but the invoice also carries credit transfer or direct debit "
        "details. The supplier must settle on one payment means.",
        ("BT-81", "BG-17", "BG-19"),
    ),
    "BR-DE-25-a": Text(
        "Als Zahlungsart ist Lastschrift angegeben, aber die Lastschriftangaben (Mandat, Gläubiger-ID, zu "
        "belastendes Konto) fehlen oder sind mehrfach vorhanden. " + _RESEND_DE,
        "The payment means is a direct debit, but the direct debit details (mandate, creditor id, account to be "
        "debited) are missing or given more than once. " + _RESEND_EN,
        ("BT-81", "BG-19"),
    ),
    "BR-DE-25-b": Text(
        "Als Zahlungsart ist Lastschrift angegeben, die Rechnung enthält aber zusätzlich Überweisungs- oder "
        "Kartenangaben. Der Lieferant muss sich für eine Zahlungsart entscheiden.",
        "The payment means is a direct debit, but the invoice also carries credit transfer or card details. The "
        "supplier must settle on one payment means.",
        ("BT-81", "BG-17", "BG-18"),
    ),
    "BR-DE-26": Text(
        "Die Rechnung ist als Korrekturrechnung (Code 384) gekennzeichnet, nennt aber nicht die Rechnung, die sie "
        "korrigiert. Bitten Sie den Lieferanten, die Nummer der ursprünglichen Rechnung anzugeben, damit die "
        "Korrektur zugeordnet werden kann.",
        "The invoice is marked as a corrected invoice (code 384) but does not name the invoice it corrects. Ask "
        "the supplier to give the number of the original invoice so that the correction can be matched.",
        ("BT-3", "BG-3", "BT-25"),
    ),
    "BR-DE-27": Text(
        "Die Telefonnummer des Ansprechpartners beim Lieferanten enthält weniger als drei Ziffern und ist damit "
        "offensichtlich keine Telefonnummer. Das ist nur eine Warnung; ein Hinweis an den Lieferanten genügt.",
        "The telephone number of the supplier's contact contains fewer than three digits and is obviously not a "
        "telephone number. This is only a warning; a note to the supplier is enough.",
        ("BT-42",),
    ),
    "BR-DE-28": Text(
        "Die E-Mail-Adresse des Ansprechpartners beim Lieferanten ist keine gültige E-Mail-Adresse. Das ist nur "
        "eine Warnung; ein Hinweis an den Lieferanten genügt.",
        "The e-mail address of the supplier's contact is not a valid e-mail address. This is only a warning; a "
        "note to the supplier is enough.",
        ("BT-43",),
    ),
    "BR-DE-30": Text(
        "Die Rechnung soll per Lastschrift bezahlt werden, aber die Gläubiger-Identifikationsnummer des "
        "Lieferanten fehlt. Ohne sie ist kein SEPA-Lastschrifteinzug möglich. " + _RESEND_DE,
        "The invoice is to be paid by direct debit, but the supplier's creditor identifier is missing. Without it "
        "no SEPA direct debit is possible. " + _RESEND_EN,
        ("BG-19", "BT-90"),
    ),
    "BR-DE-31": Text(
        "Die Rechnung soll per Lastschrift bezahlt werden, aber das zu belastende Konto (unsere IBAN) fehlt. "
        + _RESEND_DE,
        "The invoice is to be paid by direct debit, but the account to be debited (our IBAN) is missing. " + _RESEND_EN,
        ("BG-19", "BT-91"),
    ),
    "BR-DE-TMP-32": Text(
        "Die Rechnung nennt weder ein Liefer- oder Leistungsdatum noch einen Leistungszeitraum. Das Datum der "
        "Leistung ist nach § 14 UStG eine Pflichtangabe; bitten Sie den Lieferanten, es künftig anzugeben.",
        "The invoice gives neither a delivery date nor a service period. The date of supply is mandatory under "
        "German VAT law; ask the supplier to give it in future.",
        ("BT-72", "BG-14", "BG-26"),
    ),
    # Clean Vehicles Directive (Saubere-Fahrzeuge-Beschaffungs-Gesetz): invoices for vehicles must be reportable.
    "BR-DE-CVD-01": Text(
        "Die Rechnung betrifft ein Fahrzeug nach dem Saubere-Fahrzeuge-Beschaffungs-Gesetz, nennt aber keine "
        "Vertragsnummer. Der Lieferant muss die Vertragsreferenz ergänzen.",
        "The invoice concerns a vehicle under the Clean Vehicles Directive but gives no contract number. The "
        "supplier must add the contract reference.",
        ("BT-12",),
    ),
    "BR-DE-CVD-02": Text(
        "Die Rechnung betrifft ein Fahrzeug nach dem Saubere-Fahrzeuge-Beschaffungs-Gesetz, nennt aber nicht die "
        "Vergabe- oder Losnummer. Der Lieferant muss sie ergänzen.",
        "The invoice concerns a vehicle under the Clean Vehicles Directive but does not give the tender or lot "
        "number. The supplier must add it.",
        ("BT-17",),
    ),
    "BR-DE-CVD-03": Text(
        "Für eine Fahrzeugrechnung nach dem Saubere-Fahrzeuge-Beschaffungs-Gesetz muss mindestens eine "
        "Rechnungsposition das Fahrzeug kennzeichnen: Klassifizierung mit dem Schema „CVD“ und das Merkmal „cva“. "
        "Beides fehlt. " + _RESEND_DE,
        "In a vehicle invoice under the Clean Vehicles Directive at least one line must identify the vehicle: a "
        "classification with scheme 'CVD' and the attribute 'cva'. Both are missing. " + _RESEND_EN,
        ("BG-25", "BT-158", "BT-160"),
    ),
    "BR-DE-CVD-04": Text(
        "Die Fahrzeugklasse (Klassifizierung mit Schema „CVD“) hat einen Wert, der nicht in der Liste der "
        "zulässigen Fahrzeugkategorien steht. Der Lieferant muss die richtige Fahrzeugkategorie angeben.",
        "The vehicle class (classification with scheme 'CVD') has a value that is not in the list of allowed "
        "vehicle categories. The supplier must give the correct vehicle category.",
        ("BT-158",),
    ),
    "BR-DE-CVD-05": Text(
        "Das Fahrzeugmerkmal „cva“ hat einen unzulässigen Wert. Der Lieferant muss einen der vorgesehenen Werte "
        "für die Einstufung des Fahrzeugs (sauber, emissionsfrei usw.) verwenden.",
        "The vehicle attribute 'cva' has a value that is not allowed. The supplier must use one of the values "
        "provided for classifying the vehicle (clean, zero-emission and so on).",
        ("BG-32", "BT-160", "BT-161"),
    ),
    "BR-DE-CVD-06-a": Text(
        "Eine Rechnungsposition ist als Fahrzeug klassifiziert (Schema „CVD“), hat aber nicht genau ein Merkmal "
        "„cva“. Der Lieferant muss in derselben Position genau ein solches Merkmal angeben.",
        "An invoice line is classified as a vehicle (scheme 'CVD') but does not have exactly one attribute 'cva'. "
        "The supplier must give exactly one such attribute in the same line.",
        ("BT-158", "BT-160"),
    ),
    "BR-DE-CVD-06-b": Text(
        "Eine Rechnungsposition hat das Fahrzeugmerkmal „cva“, aber nicht genau eine Klassifizierung mit dem "
        "Schema „CVD“. Der Lieferant muss beides in derselben Position angeben.",
        "An invoice line has the vehicle attribute 'cva' but not exactly one classification with scheme 'CVD'. "
        "The supplier must give both in the same line.",
        ("BT-158", "BT-160"),
    ),
    "BR-TMP-CVD-01": Text(
        "Die Artikelklassifizierung verwendet ein Schema, das nicht aus der Codeliste UNTDID 7143 stammt. Der "
        "Lieferant muss ein zulässiges Klassifizierungsschema angeben.",
        "The item classification uses a scheme that is not from the UNTDID 7143 code list. The supplier must use "
        "an allowed classification scheme.",
        ("BT-158",),
    ),
    "BR-TMP-2": Text(
        "Der Verweis auf ein externes Dokument ist keine vollständige Internetadresse (es fehlt z. B. „https://“). "
        "Das ist nur eine Warnung; das Dokument lässt sich so aber nicht öffnen. Bitten Sie den Lieferanten um "
        "die vollständige Adresse.",
        "The link to an external document is not a complete web address (e.g. 'https://' is missing). This is "
        "only a warning, but the document cannot be opened; ask the supplier for the complete address.",
        ("BT-124",),
    ),
    "BR-TMP-3": Text(
        "Bei einem Artikelpreis widersprechen sich Brutto- und Nettopreis in der Preisbasismenge oder deren "
        "Einheit (z. B. Bruttopreis je 1 Stück, Nettopreis je 10 Stück). Der Lieferant muss beide Preise auf "
        "dieselbe Menge und Einheit beziehen.",
        "For an item price the gross and net price disagree in the price base quantity or its unit (e.g. gross "
        "price per 1 piece, net price per 10 pieces). The supplier must relate both prices to the same quantity "
        "and unit.",
        ("BT-149", "BT-150"),
    ),
    # XRechnung Extension (invoices with sub invoice lines, third party payments, additional codes).
    "BR-DEX-01": Text(
        "Ein Anhang hat ein Dateiformat, das XRechnung nicht erlaubt. Zulässig sind PDF, PNG, JPEG, CSV, Excel "
        "(xlsx), OpenDocument-Tabellen und bei der Extension zusätzlich XML. Der Lieferant muss den Anhang in "
        "einem zulässigen Format beifügen.",
        "An attachment has a file format XRechnung does not allow. Allowed are PDF, PNG, JPEG, CSV, Excel (xlsx), "
        "OpenDocument spreadsheets and, for the extension, also XML. The supplier must attach it in an allowed "
        "format.",
        ("BT-125",),
    ),
    "BR-DEX-02": Text(
        "Der Nettobetrag einer Rechnungsposition stimmt nicht mit der Summe ihrer Unterpositionen überein. Das ist "
        "eine Warnung; prüfen Sie die Position und weisen Sie den Lieferanten auf die Differenz hin.",
        "The net amount of an invoice line does not equal the sum of its sub lines. This is a warning; check the "
        "line and point out the difference to the supplier.",
        ("BT-131", "BG-DEX-01"),
    ),
    "BR-DEX-03": Text(
        "Eine Unterposition der Rechnung hat keine (oder mehr als eine) Umsatzsteuerangabe. Jede Unterposition "
        "braucht genau eine Steuerkategorie mit Steuersatz. " + _RESEND_DE,
        "A sub line of the invoice has no (or more than one) VAT information. Every sub line needs exactly one VAT "
        "category with its rate. " + _RESEND_EN,
        ("BG-DEX-01", "BG-DEX-06"),
    ),
    "BR-DEX-04": Text(
        "Eine Kennung des Lieferanten, des Käufers oder des Zahlungsempfängers ist mit einem Kennungsschema "
        "versehen, das nicht in der ISO-6523-Liste steht. Der Lieferant muss ein gültiges Schema angeben (z. B. "
        "0088 für GLN) oder die Schemaangabe weglassen.",
        "An identifier of the seller, buyer or payee is marked with a scheme that is not in the ISO 6523 list. The "
        "supplier must give a valid scheme (e.g. 0088 for GLN) or leave the scheme out.",
        ("BT-29", "BT-46", "BT-60"),
    ),
    "BR-DEX-05": Text(
        "Eine Registernummer (z. B. Handelsregister) des Lieferanten, des Käufers oder des Zahlungsempfängers ist "
        "mit einem Kennungsschema versehen, das nicht in der ISO-6523-Liste steht. Der Lieferant muss ein gültiges "
        "Schema angeben oder die Schemaangabe weglassen.",
        "A registration number (e.g. commercial register) of the seller, buyer or payee is marked with a scheme "
        "that is not in the ISO 6523 list. The supplier must give a valid scheme or leave the scheme out.",
        ("BT-30", "BT-47", "BT-61"),
    ),
    "BR-DEX-06": Text(
        "Eine Artikelkennung ist mit einem Kennungsschema versehen, das nicht in der ISO-6523-Liste steht (für "
        "eine GTIN/EAN ist das 0160). Der Lieferant muss ein gültiges Schema angeben.",
        "An item identifier is marked with a scheme that is not in the ISO 6523 list (for a GTIN/EAN it is 0160). "
        "The supplier must give a valid scheme.",
        ("BT-157",),
    ),
    "BR-DEX-07": Text(
        "Die elektronische Adresse des Lieferanten oder des Käufers hat ein Adressschema, das nicht in der "
        "EAS-Codeliste steht (für eine E-Mail-Adresse ist das „EM“, für eine Leitweg-ID „0204“). Der Lieferant "
        "muss das richtige Schema angeben.",
        "The electronic address of the seller or buyer has an address scheme that is not in the EAS code list (for "
        "an e-mail address it is 'EM', for a Leitweg-ID '0204'). The supplier must give the correct scheme.",
        ("BT-34", "BT-49"),
    ),
    "BR-DEX-08": Text(
        "Die Kennung des Lieferorts ist mit einem Kennungsschema versehen, das nicht in der ISO-6523-Liste steht. "
        "Der Lieferant muss ein gültiges Schema angeben oder die Schemaangabe weglassen.",
        "The delivery location identifier is marked with a scheme that is not in the ISO 6523 list. The supplier "
        "must give a valid scheme or leave the scheme out.",
        ("BT-71",),
    ),
    "BR-DEX-09": Text(
        "Der Zahlbetrag geht nicht auf: Er muss dem Bruttobetrag abzüglich bereits gezahlter Beträge, zuzüglich "
        "Rundung und zuzüglich der Zahlungen Dritter entsprechen. Prüfen Sie, welcher Betrag tatsächlich zu "
        "zahlen ist, und bitten Sie um eine korrigierte Rechnung.",
        "The amount due does not add up: it must equal the gross total minus amounts already paid, plus rounding "
        "and plus third party payments. Check which amount is really due and ask for a corrected invoice.",
        ("BT-115", "BT-112", "BT-113", "BT-114", "BT-DEX-002"),
    ),
    "BR-DEX-10": Text(
        "Die Rechnung nennt eine Zahlung durch Dritte, aber nicht deren Art. " + _RESEND_DE,
        "The invoice mentions a third party payment but not its type. " + _RESEND_EN,
        ("BG-DEX-09", "BT-DEX-001"),
    ),
    "BR-DEX-11": Text(
        "Die Rechnung nennt eine Zahlung durch Dritte, aber nicht deren Betrag. " + _RESEND_DE,
        "The invoice mentions a third party payment but not its amount. " + _RESEND_EN,
        ("BG-DEX-09", "BT-DEX-002"),
    ),
    "BR-DEX-12": Text(
        "Die Rechnung nennt eine Zahlung durch Dritte, aber ohne Beschreibung. " + _RESEND_DE,
        "The invoice mentions a third party payment without a description. " + _RESEND_EN,
        ("BG-DEX-09", "BT-DEX-003"),
    ),
    "BR-DEX-13": Text(
        "Der Betrag einer Zahlung durch Dritte hat mehr als zwei Nachkommastellen. Geldbeträge müssen auf Cent "
        "gerundet sein. " + _RESEND_DE,
        "A third party payment amount has more than two decimals. Amounts must be rounded to the cent. " + _RESEND_EN,
        ("BT-DEX-002",),
    ),
    "BR-DEX-14": Text(
        "Der Betrag einer Zahlung durch Dritte ist in einer anderen Währung angegeben als die Rechnung. " + _RESEND_DE,
        "A third party payment amount is given in another currency than the invoice. " + _RESEND_EN,
        ("BT-DEX-002", "BT-5"),
    ),
    "BR-DEX-15": Text(
        "Die Rechnung (CII-Format) scheint Unterpositionen zu verwenden, die XRechnung in diesem Format nicht "
        "unterstützt. Das ist eine Warnung; prüfen Sie, ob alle Positionen und Beträge richtig angezeigt werden, "
        "und weisen Sie den Lieferanten darauf hin.",
        "The invoice (CII format) seems to use sub invoice lines, which XRechnung does not support in this format. "
        "This is a warning; check that all lines and amounts are shown correctly and point it out to the supplier.",
    ),
}


def _missing(what_de: str, what_en: str, terms: tuple[str, ...], hint_de: str = "", hint_en: str = "") -> Text:
    """A mandatory piece of information is absent: say which one, why it matters, and ask for a new invoice."""
    de = f"In der Rechnung fehlt {what_de}. {hint_de} {_RESEND_DE}".replace("  ", " ")
    en = f"The invoice lacks {what_en}. {hint_en} {_RESEND_EN}".replace("  ", " ")
    return Text(de, en, terms)


def _one_of(subject_de: str, subject_en: str, terms: tuple[str, ...]) -> Text:
    """An allowance or charge without a reason: the buyer cannot see what it is for."""
    return Text(
        f"{subject_de} hat weder einen Grund als Text noch einen Grund-Code. Ohne Grund ist nicht nachvollziehbar, "
        f"wofür der Betrag abgezogen oder aufgeschlagen wird. {_RESEND_DE}",
        f"{subject_en} has neither a reason text nor a reason code. Without a reason it is not clear what the "
        f"amount is deducted or added for. {_RESEND_EN}",
        terms,
    )


# EN 16931 core rules: mandatory information (BR-01 .. BR-65), totals and consistency (BR-CO-*), code lists
# (BR-CL-*).
EN16931_RULES: dict[str, Text] = {
    "BR-01": _missing(
        "die Spezifikationskennung (welcher Rechnungsstandard verwendet wird)",
        "the specification identifier (which invoice standard is used)",
        ("BT-24",),
        "Für XRechnung lautet sie „urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0“.",
        "For XRechnung it is 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0'.",
    ),
    "BR-02": _missing("die Rechnungsnummer", "the invoice number", ("BT-1",)),
    "BR-03": _missing("das Rechnungsdatum", "the invoice date", ("BT-2",)),
    "BR-04": _missing(
        "die Rechnungsart (z. B. 380 für eine Rechnung, 381 für eine Gutschrift)",
        "the invoice type code (e.g. 380 for an invoice, 381 for a credit note)",
        ("BT-3",),
    ),
    "BR-05": _missing("die Währung der Rechnung (z. B. EUR)", "the invoice currency (e.g. EUR)", ("BT-5",)),
    "BR-06": _missing("der Name des Lieferanten", "the supplier's name", ("BT-27",)),
    "BR-07": _missing("der Name des Käufers (unser Name)", "the buyer's name (our name)", ("BT-44",)),
    "BR-08": _missing("die Anschrift des Lieferanten", "the supplier's postal address", ("BG-5",)),
    "BR-09": _missing(
        "in der Anschrift des Lieferanten das Land (z. B. DE)",
        "the country (e.g. DE) in the supplier's address",
        ("BT-40",),
    ),
    "BR-10": _missing("die Anschrift des Käufers (unsere Anschrift)", "the buyer's (our) postal address", ("BG-8",)),
    "BR-11": _missing(
        "in der Anschrift des Käufers das Land (z. B. DE)", "the country (e.g. DE) in the buyer's address", ("BT-55",)
    ),
    "BR-12": _missing(
        "die Summe der Positionsbeträge (Nettosumme aller Rechnungspositionen)",
        "the sum of the line net amounts",
        ("BT-106",),
    ),
    "BR-13": _missing("der Gesamtbetrag ohne Umsatzsteuer", "the total amount without VAT", ("BT-109",)),
    "BR-14": _missing("der Gesamtbetrag mit Umsatzsteuer", "the total amount with VAT", ("BT-112",)),
    "BR-15": _missing("der zu zahlende Betrag", "the amount due for payment", ("BT-115",)),
    "BR-16": _missing(
        "jede Rechnungsposition; eine Rechnung braucht mindestens eine Position",
        "any invoice line; an invoice needs at least one line",
        ("BG-25",),
    ),
    "BR-17": _missing(
        "der Name des abweichenden Zahlungsempfängers",
        "the name of the separate payee",
        ("BT-59", "BG-10"),
        "Die Rechnung nennt einen Zahlungsempfänger, der nicht der Lieferant ist; wir müssen wissen, an wen wir "
        "zahlen.",
        "The invoice names a payee other than the supplier; we need to know whom we pay.",
    ),
    "BR-18": _missing(
        "der Name des Steuervertreters des Lieferanten",
        "the name of the seller's tax representative",
        ("BT-62", "BG-11"),
    ),
    "BR-19": _missing(
        "die Anschrift des Steuervertreters des Lieferanten",
        "the postal address of the seller's tax representative",
        ("BG-12", "BG-11"),
    ),
    "BR-20": _missing(
        "in der Anschrift des Steuervertreters das Land",
        "the country in the tax representative's address",
        ("BT-69", "BG-11"),
    ),
    "BR-21": _missing(
        "bei einer Rechnungsposition die Positionsnummer", "the line number of an invoice line", ("BT-126",)
    ),
    "BR-22": _missing("bei einer Rechnungsposition die Menge", "the quantity of an invoice line", ("BT-129",)),
    "BR-23": _missing(
        "bei einer Rechnungsposition die Mengeneinheit (z. B. „H87“ für Stück, „HUR“ für Stunde)",
        "the unit of measure of an invoice line (e.g. 'H87' for piece, 'HUR' for hour)",
        ("BT-130",),
    ),
    "BR-24": _missing("bei einer Rechnungsposition der Nettobetrag", "the net amount of an invoice line", ("BT-131",)),
    "BR-25": _missing(
        "bei einer Rechnungsposition die Bezeichnung der Leistung oder des Artikels",
        "the item name of an invoice line",
        ("BT-153",),
    ),
    "BR-26": _missing("bei einer Rechnungsposition der Nettopreis", "the net price of an invoice line", ("BT-146",)),
    "BR-27": Text(
        "Ein Artikelpreis ist negativ. Preise dürfen nicht negativ sein; eine Gutschrift oder ein Abzug wird über "
        "eine negative Menge, einen Nachlass oder eine Gutschrift (Rechnungsart 381) abgebildet. " + _RESEND_DE,
        "An item price is negative. Prices must not be negative; a refund or deduction is expressed by a negative "
        "quantity, an allowance or a credit note (type 381). " + _RESEND_EN,
        ("BT-146",),
    ),
    "BR-28": Text(
        "Ein Bruttopreis (Listenpreis vor Rabatt) ist negativ; das ist nicht zulässig. " + _RESEND_DE,
        "A gross price (list price before discount) is negative, which is not allowed. " + _RESEND_EN,
        ("BT-148",),
    ),
    "BR-29": Text(
        "Der Abrechnungszeitraum endet vor seinem Beginn; vermutlich sind die Daten vertauscht oder vertippt. "
        + _RESEND_DE,
        "The invoicing period ends before it starts; the dates are probably swapped or mistyped. " + _RESEND_EN,
        ("BT-73", "BT-74"),
    ),
    "BR-30": Text(
        "Bei einer Rechnungsposition endet der Leistungszeitraum vor seinem Beginn; vermutlich sind die Daten "
        "vertauscht oder vertippt. " + _RESEND_DE,
        "For an invoice line the period ends before it starts; the dates are probably swapped or mistyped. "
        + _RESEND_EN,
        ("BT-134", "BT-135"),
    ),
    "BR-31": _missing(
        "bei einem Nachlass auf Rechnungsebene der Betrag",
        "the amount of a document level allowance",
        ("BG-20", "BT-92"),
    ),
    "BR-32": _missing(
        "bei einem Nachlass auf Rechnungsebene die Umsatzsteuerkategorie; ohne sie lässt sich die Steuer nicht "
        "richtig berechnen",
        "the VAT category of a document level allowance; without it the VAT cannot be computed correctly",
        ("BG-20", "BT-95"),
    ),
    "BR-33": _one_of("Ein Nachlass auf Rechnungsebene", "A document level allowance", ("BG-20", "BT-97", "BT-98")),
    "BR-36": _missing(
        "bei einem Zuschlag auf Rechnungsebene der Betrag", "the amount of a document level charge", ("BG-21", "BT-99")
    ),
    "BR-37": _missing(
        "bei einem Zuschlag auf Rechnungsebene (z. B. Versandkosten) die Umsatzsteuerkategorie",
        "the VAT category of a document level charge (e.g. shipping costs)",
        ("BG-21", "BT-102"),
    ),
    "BR-38": _one_of("Ein Zuschlag auf Rechnungsebene", "A document level charge", ("BG-21", "BT-104", "BT-105")),
    "BR-41": _missing(
        "bei einem Positionsnachlass der Betrag", "the amount of an invoice line allowance", ("BG-27", "BT-136")
    ),
    "BR-42": _one_of(
        "Ein Nachlass auf einer Rechnungsposition", "An invoice line allowance", ("BG-27", "BT-139", "BT-140")
    ),
    "BR-43": _missing(
        "bei einem Positionszuschlag der Betrag", "the amount of an invoice line charge", ("BG-28", "BT-141")
    ),
    "BR-44": _one_of(
        "Ein Zuschlag auf einer Rechnungsposition", "An invoice line charge", ("BG-28", "BT-144", "BT-145")
    ),
    "BR-45": _missing(
        "in der Umsatzsteuer-Aufstellung der Nettobetrag, auf den die Steuer berechnet wird",
        "the taxable amount in the VAT breakdown",
        ("BG-23", "BT-116"),
    ),
    "BR-46": _missing(
        "in der Umsatzsteuer-Aufstellung der Steuerbetrag", "the tax amount in the VAT breakdown", ("BG-23", "BT-117")
    ),
    "BR-47": _missing(
        "in der Umsatzsteuer-Aufstellung die Steuerkategorie (z. B. S für Regelsteuersatz)",
        "the VAT category in the VAT breakdown (e.g. S for standard rate)",
        ("BG-23", "BT-118"),
    ),
    "BR-48": _missing(
        "in der Umsatzsteuer-Aufstellung der Steuersatz",
        "the VAT rate in the VAT breakdown",
        ("BG-23", "BT-119"),
        "Nur bei nicht steuerbaren Umsätzen (Kategorie O) entfällt er.",
        "It may only be left out for supplies not subject to VAT (category O).",
    ),
    "BR-49": _missing(
        "bei den Zahlungsanweisungen die Zahlungsart (z. B. 58 für SEPA-Überweisung)",
        "the payment means code in the payment instructions (e.g. 58 for SEPA credit transfer)",
        ("BG-16", "BT-81"),
    ),
    "BR-50": _missing(
        "bei den Überweisungsangaben die Kontonummer (IBAN) des Lieferanten",
        "the supplier's account number (IBAN) in the credit transfer details",
        ("BG-17", "BT-84"),
    ),
    "BR-51": Text(
        "Die Rechnung enthält eine vollständige Kreditkartennummer. Aus Sicherheitsgründen dürfen höchstens die "
        "ersten 6 und die letzten 4 Ziffern erscheinen. Weisen Sie den Lieferanten darauf hin und geben Sie die "
        "Rechnung nicht weiter als nötig.",
        "The invoice contains a full card number. For security reasons at most the first 6 and the last 4 digits "
        "may appear. Point this out to the supplier and do not pass the invoice on more than necessary.",
        ("BT-87",),
    ),
    "BR-52": _missing(
        "bei einem beigefügten oder verlinkten Dokument die Dokumentkennung (z. B. Nummer oder Dateiname)",
        "the reference (e.g. number or file name) of an attached or linked document",
        ("BG-24", "BT-122"),
    ),
    "BR-53": _missing(
        "der Umsatzsteuerbetrag in der angegebenen Steuerwährung (Buchungswährung)",
        "the total VAT amount in the given VAT accounting currency",
        ("BT-6", "BT-111"),
    ),
    "BR-54": Text(
        "Ein Artikelmerkmal hat einen Namen ohne Wert oder einen Wert ohne Namen. Der Lieferant muss beides "
        "angeben oder das Merkmal weglassen.",
        "An item attribute has a name without a value or a value without a name. The supplier must give both or "
        "leave the attribute out.",
        ("BG-32", "BT-160", "BT-161"),
    ),
    "BR-55": _missing(
        "beim Verweis auf eine vorausgegangene Rechnung deren Nummer",
        "the number of the preceding invoice referred to",
        ("BG-3", "BT-25"),
    ),
    "BR-56": _missing(
        "die Umsatzsteuer-Identifikationsnummer des Steuervertreters",
        "the VAT identifier of the seller's tax representative",
        ("BG-11", "BT-63"),
    ),
    "BR-57": _missing("in der Lieferanschrift das Land", "the country in the delivery address", ("BG-15", "BT-80")),
    "BR-61": _missing(
        "die IBAN bzw. Kontonummer, obwohl als Zahlungsart eine Überweisung angegeben ist",
        "the IBAN or account number, although the payment means is a credit transfer",
        ("BT-81", "BT-84"),
    ),
    "BR-62": Text(
        "Bei der elektronischen Adresse des Lieferanten fehlt die Angabe, um welche Art Adresse es sich handelt "
        "(z. B. „EM“ für E-Mail). " + _RESEND_DE,
        "The supplier's electronic address lacks the scheme saying what kind of address it is (e.g. 'EM' for "
        "e-mail). " + _RESEND_EN,
        ("BT-34",),
    ),
    "BR-63": Text(
        "Bei der elektronischen Adresse des Käufers fehlt die Angabe, um welche Art Adresse es sich handelt (bei "
        "einer Leitweg-ID „0204“, bei E-Mail „EM“). " + _RESEND_DE,
        "The buyer's electronic address lacks the scheme saying what kind of address it is ('0204' for a "
        "Leitweg-ID, 'EM' for e-mail). " + _RESEND_EN,
        ("BT-49",),
    ),
    "BR-64": Text(
        "Bei einer Artikelnummer (z. B. GTIN/EAN) fehlt die Angabe des Nummernsystems (für GTIN „0160“). " + _RESEND_DE,
        "An item identifier (e.g. GTIN/EAN) lacks its scheme ('0160' for GTIN). " + _RESEND_EN,
        ("BT-157",),
    ),
    "BR-65": Text(
        "Bei einer Artikelklassifizierung fehlt die Angabe des Klassifizierungssystems (z. B. CPV oder eCl@ss). "
        + _RESEND_DE,
        "An item classification lacks its classification scheme (e.g. CPV or eCl@ss). " + _RESEND_EN,
        ("BT-158",),
    ),
    # Totals and consistency: the amounts must add up exactly, so the buyer can book without recalculating.
    "BR-CO-03": Text(
        "Die Rechnung gibt sowohl ein Steuerdatum als auch einen Steuerdatums-Code an; erlaubt ist nur eines von "
        "beiden. " + _RESEND_DE,
        "The invoice gives both a VAT point date and a VAT point date code; only one of them is allowed. " + _RESEND_EN,
        ("BT-7", "BT-8"),
    ),
    "BR-CO-04": _missing(
        "bei einer Rechnungsposition die Umsatzsteuerkategorie (z. B. S für Regelsteuersatz)",
        "the VAT category of an invoice line (e.g. S for standard rate)",
        ("BG-25", "BT-151"),
    ),
    "BR-CO-05": Text(
        "Bei einem Nachlass auf Rechnungsebene passen Grund-Code und Grund-Text nicht zusammen. " + _RESEND_DE,
        "For a document level allowance the reason code and the reason text do not match. " + _RESEND_EN,
        ("BT-97", "BT-98"),
    ),
    "BR-CO-06": Text(
        "Bei einem Zuschlag auf Rechnungsebene passen Grund-Code und Grund-Text nicht zusammen. " + _RESEND_DE,
        "For a document level charge the reason code and the reason text do not match. " + _RESEND_EN,
        ("BT-104", "BT-105"),
    ),
    "BR-CO-07": Text(
        "Bei einem Positionsnachlass passen Grund-Code und Grund-Text nicht zusammen. " + _RESEND_DE,
        "For an invoice line allowance the reason code and the reason text do not match. " + _RESEND_EN,
        ("BT-139", "BT-140"),
    ),
    "BR-CO-08": Text(
        "Bei einem Positionszuschlag passen Grund-Code und Grund-Text nicht zusammen. " + _RESEND_DE,
        "For an invoice line charge the reason code and the reason text do not match. " + _RESEND_EN,
        ("BT-144", "BT-145"),
    ),
    "BR-CO-09": Text(
        "Eine Umsatzsteuer-Identifikationsnummer beginnt nicht mit dem Länderkürzel (z. B. „DE123456789“). "
        "Häufig wurde stattdessen die Steuernummer eingetragen; die gehört in ein eigenes Feld. " + _RESEND_DE,
        "A VAT identification number does not start with the country prefix (e.g. 'DE123456789'). Often the "
        "national tax number was entered instead; that belongs in a field of its own. " + _RESEND_EN,
        ("BT-31", "BT-48", "BT-63"),
    ),
    "BR-CO-10": Text(
        "Die Summe der Positionen stimmt nicht: Die angegebene Nettosumme weicht von der Summe der Nettobeträge "
        "aller Rechnungspositionen ab. Meist ein Rundungs- oder Programmfehler beim Lieferanten; die Rechnung ist "
        "so nicht prüfbar. " + _RESEND_DE,
        "The line total does not add up: the stated sum differs from the sum of the net amounts of all invoice "
        "lines. Usually a rounding or software error at the supplier; the invoice cannot be checked like this. "
        + _RESEND_EN,
        ("BT-106", "BT-131"),
    ),
    "BR-CO-11": Text(
        "Die Summe der Nachlässe auf Rechnungsebene stimmt nicht mit den einzelnen Nachlässen überein. " + _RESEND_DE,
        "The total of document level allowances does not equal the individual allowances. " + _RESEND_EN,
        ("BT-107", "BT-92"),
    ),
    "BR-CO-12": Text(
        "Die Summe der Zuschläge auf Rechnungsebene stimmt nicht mit den einzelnen Zuschlägen überein. " + _RESEND_DE,
        "The total of document level charges does not equal the individual charges. " + _RESEND_EN,
        ("BT-108", "BT-99"),
    ),
    "BR-CO-13": Text(
        "Der Nettogesamtbetrag stimmt nicht: Er muss der Summe der Positionen abzüglich Nachlässen und zuzüglich "
        "Zuschlägen auf Rechnungsebene entsprechen. " + _RESEND_DE,
        "The total without VAT does not add up: it must equal the sum of the lines minus document level "
        "allowances plus document level charges. " + _RESEND_EN,
        ("BT-109", "BT-106", "BT-107", "BT-108"),
    ),
    "BR-CO-14": Text(
        "Der Umsatzsteuer-Gesamtbetrag stimmt nicht mit der Summe der Steuerbeträge in der "
        "Umsatzsteuer-Aufstellung überein. " + _RESEND_DE,
        "The total VAT amount does not equal the sum of the tax amounts in the VAT breakdown. " + _RESEND_EN,
        ("BT-110", "BT-117"),
    ),
    "BR-CO-15": Text(
        "Der Bruttobetrag stimmt nicht: Er muss genau Nettogesamtbetrag plus Umsatzsteuer sein. " + _RESEND_DE,
        "The total with VAT does not add up: it must be exactly the total without VAT plus the VAT. " + _RESEND_EN,
        ("BT-112", "BT-109", "BT-110"),
    ),
    "BR-CO-16": Text(
        "Der Zahlbetrag stimmt nicht: Er muss dem Bruttobetrag abzüglich bereits gezahlter Beträge (Anzahlungen) "
        "und zuzüglich eines Rundungsbetrags entsprechen. Prüfen Sie vor der Zahlung, welcher Betrag wirklich "
        "offen ist. " + _RESEND_DE,
        "The amount due does not add up: it must equal the total with VAT minus amounts already paid (advance "
        "payments) plus any rounding amount. Before paying, check which amount is really outstanding. " + _RESEND_EN,
        ("BT-115", "BT-112", "BT-113", "BT-114"),
    ),
    "BR-CO-17": Text(
        "In der Umsatzsteuer-Aufstellung ist der Steuerbetrag falsch berechnet: Er muss Nettobetrag × Steuersatz, "
        "auf Cent gerundet, sein. " + _RESEND_DE,
        "In the VAT breakdown a tax amount is computed wrongly: it must be taxable amount × rate, rounded to the "
        "cent. " + _RESEND_EN,
        ("BT-117", "BT-116", "BT-119"),
    ),
    "BR-CO-18": _missing(
        "die Umsatzsteuer-Aufstellung (je Steuerkategorie und Steuersatz Nettobetrag und Steuer)",
        "the VAT breakdown (taxable amount and tax per VAT category and rate)",
        ("BG-23",),
    ),
    "BR-CO-19": Text(
        "Die Rechnung enthält einen Abrechnungszeitraum ohne Anfangs- und Enddatum. Der Lieferant muss "
        "mindestens eines der Daten angeben oder den Zeitraum weglassen.",
        "The invoice contains an invoicing period without start and end date. The supplier must give at least one "
        "of the dates or leave the period out.",
        ("BG-14", "BT-73", "BT-74"),
    ),
    "BR-CO-20": Text(
        "Eine Rechnungsposition enthält einen Leistungszeitraum ohne Anfangs- und Enddatum. Der Lieferant muss "
        "mindestens eines der Daten angeben oder den Zeitraum weglassen.",
        "An invoice line contains a period without start and end date. The supplier must give at least one of the "
        "dates or leave the period out.",
        ("BG-26", "BT-134", "BT-135"),
    ),
    "BR-CO-21": _one_of("Ein Nachlass auf Rechnungsebene", "A document level allowance", ("BG-20", "BT-97", "BT-98")),
    "BR-CO-22": _one_of("Ein Zuschlag auf Rechnungsebene", "A document level charge", ("BG-21", "BT-104", "BT-105")),
    "BR-CO-23": _one_of(
        "Ein Nachlass auf einer Rechnungsposition", "An invoice line allowance", ("BG-27", "BT-139", "BT-140")
    ),
    "BR-CO-24": _one_of(
        "Ein Zuschlag auf einer Rechnungsposition", "An invoice line charge", ("BG-28", "BT-144", "BT-145")
    ),
    "BR-CO-25": Text(
        "Es ist ein Betrag zu zahlen, aber die Rechnung nennt weder ein Fälligkeitsdatum noch Zahlungsbedingungen "
        "(z. B. „zahlbar innerhalb von 30 Tagen“). " + _RESEND_DE,
        "An amount is due, but the invoice gives neither a due date nor payment terms (e.g. 'payable within 30 "
        "days'). " + _RESEND_EN,
        ("BT-115", "BT-9", "BT-20"),
    ),
    "BR-CO-26": Text(
        "Der Lieferant ist nicht eindeutig identifizierbar: Es fehlen Lieferantenkennung, Registernummer (z. B. "
        "Handelsregister) und Umsatzsteuer-Identifikationsnummer. Mindestens eine davon muss angegeben sein. "
        + _RESEND_DE,
        "The supplier cannot be identified: seller identifier, legal registration number (e.g. commercial "
        "register) and VAT identification number are all missing. At least one must be given. " + _RESEND_EN,
        ("BT-29", "BT-30", "BT-31"),
    ),
}


def _code(what_de: str, what_en: str, terms: tuple[str, ...], example_de: str = "", example_en: str = "") -> Text:
    """A code that is not in the prescribed code list: name the field and, where it helps, a correct example."""
    de = f"{what_de} ist mit einem Code angegeben, der nicht in der vorgeschriebenen Codeliste steht. {example_de}"
    en = f"{what_en} is given with a code that is not in the prescribed code list. {example_en}"
    return Text(f"{de} {_RESEND_DE}".replace("  ", " "), f"{en} {_RESEND_EN}".replace("  ", " "), terms)


CODE_LIST_RULES: dict[str, Text] = {
    "BR-CL-01": _code(
        "Die Rechnungsart",
        "The invoice type",
        ("BT-3",),
        "Üblich sind 380 (Rechnung) und 381 (Gutschrift).",
        "Usual are 380 (invoice) and 381 (credit note).",
    ),
    "BR-CL-03": _code(
        "Die Währung eines Betrags",
        "The currency of an amount",
        (),
        "Erwartet wird ein ISO-Währungscode wie EUR.",
        "An ISO currency code such as EUR is expected.",
    ),
    "BR-CL-04": _code(
        "Die Rechnungswährung",
        "The invoice currency",
        ("BT-5",),
        "Erwartet wird ein ISO-Währungscode wie EUR.",
        "An ISO currency code such as EUR is expected.",
    ),
    "BR-CL-05": _code("Die Steuerwährung", "The VAT accounting currency", ("BT-6",)),
    "BR-CL-06": _code("Der Code für das Steuerdatum", "The VAT point date code", ("BT-8",)),
    "BR-CL-07": _code("Die Art der Objektkennung", "The scheme of the invoiced object identifier", ("BT-18",)),
    "BR-CL-08": _code(
        "Der Betreff-Code einer Bemerkung zur Rechnung", "The subject code of an invoice note", ("BT-21",)
    ),
    "BR-CL-10": _code(
        "Das Kennungsschema einer Kennung (z. B. Lieferanten- oder Käuferkennung)",
        "The scheme of an identifier (e.g. seller or buyer identifier)",
        ("BT-29", "BT-46", "BT-60"),
        "Für eine GLN ist das z. B. 0088.",
        "For a GLN it is e.g. 0088.",
    ),
    "BR-CL-11": _code(
        "Das Schema einer Registernummer", "The scheme of a legal registration identifier", ("BT-30", "BT-47", "BT-61")
    ),
    "BR-CL-13": _code(
        "Das Klassifizierungsschema eines Artikels (z. B. für CPV oder eCl@ss)",
        "The classification scheme of an item (e.g. for CPV or eCl@ss)",
        ("BT-158",),
    ),
    "BR-CL-14": _code(
        "Ein Ländercode in einer Anschrift",
        "A country code in an address",
        ("BT-40", "BT-55", "BT-69", "BT-80"),
        "Erwartet wird ein zweistelliger ISO-Code wie DE, nicht „Deutschland“.",
        "A two-letter ISO code such as DE is expected, not 'Germany'.",
    ),
    "BR-CL-15": _code(
        "Das Herkunftsland eines Artikels",
        "The country of origin of an item",
        ("BT-159",),
        "Erwartet wird ein zweistelliger ISO-Code wie DE.",
        "A two-letter ISO code such as DE is expected.",
    ),
    "BR-CL-16": _code(
        "Die Zahlungsart",
        "The payment means",
        ("BT-81",),
        "Üblich sind 58 (SEPA-Überweisung), 59 (SEPA-Lastschrift) und 30 (Überweisung).",
        "Usual are 58 (SEPA credit transfer), 59 (SEPA direct debit) and 30 (credit transfer).",
    ),
    "BR-CL-17": _code(
        "Die Umsatzsteuerkategorie in der Umsatzsteuer-Aufstellung",
        "The VAT category in the VAT breakdown",
        ("BT-118",),
        "Zulässig sind z. B. S (Regelsatz), Z (Nullsatz), E (steuerbefreit), AE (Reverse Charge).",
        "Allowed are e.g. S (standard rate), Z (zero rate), E (exempt), AE (reverse charge).",
    ),
    "BR-CL-18": _code(
        "Die Umsatzsteuerkategorie einer Position, eines Nachlasses oder Zuschlags",
        "The VAT category of a line, allowance or charge",
        ("BT-151", "BT-95", "BT-102"),
        "Zulässig sind z. B. S (Regelsatz), Z (Nullsatz), E (steuerbefreit), AE (Reverse Charge).",
        "Allowed are e.g. S (standard rate), Z (zero rate), E (exempt), AE (reverse charge).",
    ),
    "BR-CL-19": _code("Der Grund-Code eines Nachlasses", "The reason code of an allowance", ("BT-98", "BT-140")),
    "BR-CL-20": _code("Der Grund-Code eines Zuschlags", "The reason code of a charge", ("BT-105", "BT-145")),
    "BR-CL-21": _code(
        "Das Nummernsystem einer Artikelnummer",
        "The scheme of an item identifier",
        ("BT-157",),
        "Für eine GTIN/EAN ist das 0160.",
        "For a GTIN/EAN it is 0160.",
    ),
    "BR-CL-22": _code(
        "Der Code für den Grund der Steuerbefreiung",
        "The VAT exemption reason code",
        ("BT-121",),
        "Erwartet werden VATEX-Codes wie VATEX-EU-AE für Reverse Charge.",
        "VATEX codes such as VATEX-EU-AE for reverse charge are expected.",
    ),
    "BR-CL-23": _code(
        "Eine Mengeneinheit",
        "A unit of measure",
        ("BT-130", "BT-150"),
        "Erwartet werden UN/ECE-Codes wie H87 (Stück), HUR (Stunde), KGM (Kilogramm), nicht „Stk“.",
        "UN/ECE codes such as H87 (piece), HUR (hour), KGM (kilogram) are expected, not 'pcs'.",
    ),
    "BR-CL-24": _code(
        "Das Dateiformat (MIME-Typ) eines Anhangs",
        "The file format (MIME type) of an attachment",
        ("BT-125",),
        "Zulässig sind z. B. application/pdf, image/png, image/jpeg, text/csv.",
        "Allowed are e.g. application/pdf, image/png, image/jpeg, text/csv.",
    ),
    "BR-CL-25": _code(
        "Die Art einer elektronischen Adresse",
        "The scheme of an electronic address",
        ("BT-34", "BT-49"),
        "Üblich sind EM (E-Mail) und 0204 (Leitweg-ID).",
        "Usual are EM (e-mail) and 0204 (Leitweg-ID).",
    ),
    "BR-CL-26": _code(
        "Das Kennungsschema des Lieferorts", "The scheme of the delivery location identifier", ("BT-71",)
    ),
}

# Rules XRechnung takes over from Peppol BIS Billing; their messages carry no business term numbers.
PEPPOL_RULES: dict[str, Text] = {
    "PEPPOL-EN16931-R001": _missing(
        "die Geschäftsprozesskennung",
        "the business process identifier",
        ("BT-23",),
        "Üblich ist „urn:fdc:peppol.eu:2017:poacc:billing:01:1.0“.",
        "Usual is 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0'.",
    ),
    "PEPPOL-EN16931-R005": Text(
        "Die Rechnung gibt eine Steuerwährung an, die mit der Rechnungswährung identisch ist. Eine Steuerwährung "
        "darf nur angegeben werden, wenn sie abweicht. " + _RESEND_DE,
        "The invoice gives a VAT accounting currency equal to the invoice currency. It may only be given when it "
        "differs. " + _RESEND_EN,
        ("BT-5", "BT-6"),
    ),
    "PEPPOL-EN16931-R008": Text(
        "Die Rechnung enthält leere Felder (Elemente ohne Inhalt). Das deutet auf einen Fehler in der "
        "Rechnungssoftware des Lieferanten hin; leere Felder müssen weggelassen werden. " + _RESEND_DE,
        "The invoice contains empty fields (elements without content). This points to an error in the supplier's "
        "invoicing software; empty fields must be left out. " + _RESEND_EN,
    ),
    "PEPPOL-EN16931-R010": _missing(
        "die elektronische Adresse des Käufers (bei uns die Leitweg-ID mit Schema 0204 oder eine E-Mail-Adresse)",
        "the buyer's electronic address (for us the Leitweg-ID with scheme 0204 or an e-mail address)",
        ("BT-49",),
    ),
    "PEPPOL-EN16931-R020": _missing(
        "die elektronische Adresse des Lieferanten (z. B. seine E-Mail-Adresse mit Schema EM)",
        "the supplier's electronic address (e.g. his e-mail address with scheme EM)",
        ("BT-34",),
    ),
    "PEPPOL-EN16931-R040": Text(
        "Ein Nachlass oder Zuschlag ist falsch berechnet: Der Betrag muss Basisbetrag × Prozentsatz / 100 sein. "
        + _RESEND_DE,
        "An allowance or charge is computed wrongly: the amount must be base amount × percentage / 100. " + _RESEND_EN,
        ("BT-92", "BT-93", "BT-94", "BT-99", "BT-100", "BT-101"),
    ),
    "PEPPOL-EN16931-R041": Text(
        "Ein Nachlass oder Zuschlag nennt einen Prozentsatz, aber keinen Basisbetrag, auf den er sich bezieht. "
        + _RESEND_DE,
        "An allowance or charge gives a percentage but no base amount it applies to. " + _RESEND_EN,
    ),
    "PEPPOL-EN16931-R042": Text(
        "Ein Nachlass oder Zuschlag nennt einen Basisbetrag, aber keinen Prozentsatz. " + _RESEND_DE,
        "An allowance or charge gives a base amount but no percentage. " + _RESEND_EN,
    ),
    "PEPPOL-EN16931-R043": Text(
        "Bei einem Nachlass oder Zuschlag ist technisch nicht eindeutig gekennzeichnet, ob es ein Nachlass oder ein "
        "Zuschlag ist (erlaubt sind nur „true“ und „false“). " + _RESEND_DE,
        "For an allowance or charge it is not marked unambiguously whether it is an allowance or a charge (only "
        "'true' and 'false' are allowed). " + _RESEND_EN,
    ),
    "PEPPOL-EN16931-R044": Text(
        "Beim Artikelpreis ist ein Zuschlag angegeben; auf Preisebene sind nur Rabatte erlaubt. Zuschläge müssen "
        "auf Positions- oder Rechnungsebene stehen. " + _RESEND_DE,
        "The item price carries a charge; on price level only discounts are allowed. Charges belong on line or "
        "document level. " + _RESEND_EN,
        ("BT-147",),
    ),
    "PEPPOL-EN16931-R046": Text(
        "Der Nettopreis eines Artikels ist nicht Bruttopreis minus Rabatt. " + _RESEND_DE,
        "The net price of an item is not the gross price minus the discount. " + _RESEND_EN,
        ("BT-146", "BT-147", "BT-148"),
    ),
    "PEPPOL-EN16931-R053": Text(
        "Die Rechnung enthält die Umsatzsteuer-Summe in Rechnungswährung mehrfach. Sie darf nur einmal "
        "vorkommen. " + _RESEND_DE,
        "The invoice contains the VAT total in invoice currency more than once. It may occur only once. " + _RESEND_EN,
        ("BT-110",),
    ),
    "PEPPOL-EN16931-R054": Text(
        "Die Rechnung enthält die Umsatzsteuer-Summe in Steuerwährung mehrfach oder mit einer Aufstellung. Sie "
        "darf nur einmal und ohne Aufstellung vorkommen. " + _RESEND_DE,
        "The invoice contains the VAT total in accounting currency more than once or with a breakdown. It may "
        "occur only once and without breakdown. " + _RESEND_EN,
        ("BT-111",),
    ),
    "PEPPOL-EN16931-R055": Text(
        "Die Umsatzsteuer in Rechnungswährung und in Steuerwährung haben unterschiedliche Vorzeichen (einmal "
        "positiv, einmal negativ). " + _RESEND_DE,
        "The VAT total in invoice currency and in accounting currency have different signs (one positive, one "
        "negative). " + _RESEND_EN,
        ("BT-110", "BT-111"),
    ),
    "PEPPOL-EN16931-R061": _missing(
        "die Mandatsreferenz, obwohl per Lastschrift bezahlt werden soll",
        "the mandate reference for the direct debit",
        ("BT-89",),
    ),
    "PEPPOL-EN16931-R101": Text(
        "Eine Rechnungsposition enthält einen Dokumentverweis, der nicht als Objektkennung (Typ 130) "
        "gekennzeichnet ist. Auf Positionsebene sind nur Objektkennungen erlaubt; andere Dokumente gehören auf "
        "Rechnungsebene. " + _RESEND_DE,
        "An invoice line contains a document reference that is not marked as an object identifier (type 130). On "
        "line level only object identifiers are allowed; other documents belong on document level. " + _RESEND_EN,
        ("BT-128",),
    ),
    "PEPPOL-EN16931-R110": Text(
        "Der Leistungszeitraum einer Position beginnt vor dem Abrechnungszeitraum der Rechnung. " + _RESEND_DE,
        "The period of a line starts before the invoicing period of the invoice. " + _RESEND_EN,
        ("BT-134", "BT-73"),
    ),
    "PEPPOL-EN16931-R111": Text(
        "Der Leistungszeitraum einer Position endet nach dem Abrechnungszeitraum der Rechnung. " + _RESEND_DE,
        "The period of a line ends after the invoicing period of the invoice. " + _RESEND_EN,
        ("BT-135", "BT-74"),
    ),
    "PEPPOL-EN16931-R120": Text(
        "Der Nettobetrag einer Position ist nicht Menge × Preis (je Preisbasismenge) zuzüglich Zuschlägen und "
        "abzüglich Nachlässen der Position. Das ist eine Warnung; rechnen Sie die Position nach und klären Sie "
        "Abweichungen mit dem Lieferanten.",
        "The net amount of a line is not quantity × price (per price base quantity) plus line charges minus line "
        "allowances. This is a warning; recalculate the line and clarify differences with the supplier.",
        ("BT-131", "BT-129", "BT-146", "BT-149"),
    ),
    "PEPPOL-EN16931-R121": Text(
        "Die Preisbasismenge (z. B. „Preis je 100 Stück“) ist null oder negativ; sie muss größer als null sein. "
        + _RESEND_DE,
        "The price base quantity (e.g. 'price per 100 pieces') is zero or negative; it must be above zero. "
        + _RESEND_EN,
        ("BT-149",),
    ),
    "PEPPOL-EN16931-R130": Text(
        "Die Einheit der Preisbasismenge weicht von der Einheit der berechneten Menge ab (z. B. Preis je Kilogramm, "
        "Menge in Stück). " + _RESEND_DE,
        "The unit of the price base quantity differs from the unit of the invoiced quantity (e.g. price per "
        "kilogram, quantity in pieces). " + _RESEND_EN,
        ("BT-150", "BT-130"),
    ),
}
PEPPOL_RULES["PEPPOL-EN16931-R043-1"] = PEPPOL_RULES["PEPPOL-EN16931-R043"]
PEPPOL_RULES["PEPPOL-EN16931-R043-2"] = PEPPOL_RULES["PEPPOL-EN16931-R043"]

# Syntax rules whose message does not follow the family pattern, and the checks of our own validator.
SYNTAX_RULES: dict[str, Text] = {
    "UBL-CR-646": Text(
        "Die Rechnung enthält Unterpositionen. Die kennt nur die XRechnung-Extension; in einer normalen XRechnung "
        "sind sie ein Fehler, weil die Beträge der Unterpositionen sonst nicht geprüft würden. Der Lieferant muss "
        "die Rechnung ohne Unterpositionen oder ausdrücklich als Extension ausstellen.",
        "The invoice contains sub invoice lines. Only the XRechnung extension knows them; in a plain XRechnung they "
        "are an error because their amounts would not be checked. The supplier must issue the invoice without sub "
        "lines or explicitly as an extension.",
        ("BG-DEX-01",),
    ),
    "UBL-CR-666": Text(
        "Ein Dokumentverweis enthält zugleich eine Objektkennung und einen Anhang; das ist nicht erlaubt. Der "
        "Lieferant muss beides in getrennten Verweisen angeben.",
        "A document reference contains both an object identifier and an attachment, which is not allowed. The "
        "supplier must give them in separate references.",
        ("BT-18", "BG-24"),
    ),
    "UBL-CR-673": Text(
        "Ein Dokumentverweis enthält zugleich eine Objektkennung und eine Dokumentbeschreibung; das ist nicht "
        "erlaubt. Der Lieferant muss beides in getrennten Verweisen angeben.",
        "A document reference contains both an object identifier and a document description, which is not "
        "allowed. The supplier must give them in separate references.",
        ("BT-18", "BT-123"),
    ),
    "UBL-DT-01": Text(
        "Ein Geldbetrag hat mehr als zwei Nachkommastellen. Beträge müssen auf Cent gerundet sein (nur Preise "
        "dürfen mehr Stellen haben). " + _RESEND_DE,
        "An amount has more than two decimals. Amounts must be rounded to the cent (only prices may have more "
        "digits). " + _RESEND_EN,
    ),
    "UBL-DT-06": Text(
        "Bei einem eingebetteten Anhang fehlt die Angabe des Dateiformats (MIME-Typ, z. B. application/pdf). "
        + _RESEND_DE,
        "An embedded attachment lacks its file format (MIME type, e.g. application/pdf). " + _RESEND_EN,
        ("BT-125",),
    ),
    "UBL-DT-07": Text(
        "Bei einem eingebetteten Anhang fehlt der Dateiname. " + _RESEND_DE,
        "An embedded attachment lacks its file name. " + _RESEND_EN,
        ("BT-125",),
    ),
    "CII-SR-463": Text(
        "Bei einem Nachlass oder Zuschlag fehlt die Kennzeichnung, ob es ein Nachlass oder ein Zuschlag ist. "
        + _RESEND_DE,
        "An allowance or charge lacks the indicator saying whether it is an allowance or a charge. " + _RESEND_EN,
    ),
    "CII-DT-037": Text(
        "Eine Steuerangabe ist nicht als Umsatzsteuer (Code „VAT“) gekennzeichnet; XRechnung kennt nur die "
        "Umsatzsteuer. " + _RESEND_DE,
        "A tax entry is not marked as VAT (code 'VAT'); XRechnung only knows VAT. " + _RESEND_EN,
    ),
    "CII-DT-097": Text(
        "Ein Datum ist nicht im vorgeschriebenen Format JJJJMMTT angegeben (z. B. 20250131 für den 31.01.2025). "
        + _RESEND_DE,
        "A date is not in the prescribed format YYYYMMDD (e.g. 20250131 for 31 January 2025). " + _RESEND_EN,
    ),
    "XML-SCHEMA": Text(
        "Die Datei ist technisch keine gültige Rechnung im angegebenen Format (UBL oder CII): Elemente fehlen, "
        "stehen an der falschen Stelle, sind falsch geschrieben oder enthalten unzulässige Werte (z. B. ein Datum "
        "oder Betrag im falschen Format). Die inhaltlichen Regeln konnten deshalb nicht vollständig geprüft "
        "werden. Schicken Sie dem Lieferanten die Meldung mit der Zeilenangabe; der Fehler liegt in seiner "
        "Rechnungssoftware.",
        "The file is technically not a valid invoice in its format (UBL or CII): elements are missing, in the "
        "wrong place, misspelt or have values that are not allowed (e.g. a date or amount in the wrong format). "
        "The business rules therefore could not be checked completely. Send the supplier the message with the "
        "line number; the error lies in his invoicing software.",
    ),
    "XML-WELLFORMEDNESS": Text(
        "Die Datei ist kein lesbares XML-Dokument (z. B. abgeschnitten, beschädigt, falsche Zeichenkodierung oder "
        "gar keine XML-Datei). Sie kann nicht als Rechnung verarbeitet werden. Bitten Sie den Lieferanten, die "
        "Rechnung erneut als XRechnung-Datei zu senden.",
        "The file is not a readable XML document (e.g. truncated, damaged, wrong character encoding or no XML "
        "file at all). It cannot be processed as an invoice. Ask the supplier to send the invoice again as an "
        "XRechnung file.",
    ),
}


class VatCategory(NamedTuple):
    code: str  # UNCL 5305 code as written in the invoice
    de: str
    en: str
    rate: str  # what the rate must be: "positive", "zero", "none" (no rate at all) or "any" (zero or above)
    exemption_reason: str  # "required" or "forbidden": a VAT exemption reason (text or VATEX code)
    ids_de: str  # which identifiers rules 02 to 04 require
    ids_en: str


_SELLER_IDS_DE = (
    "die Umsatzsteuer-Identifikationsnummer oder Steuernummer des Lieferanten (oder seines Steuervertreters)"
)
_SELLER_IDS_EN = "the VAT identification number or tax number of the supplier (or of his tax representative)"

# Rule prefix -> category. BR-IG / BR-IP are the names older releases used for IGIC / IPSI (now BR-AF / BR-AG).
VAT_CATEGORIES: dict[str, VatCategory] = {
    "BR-S": VatCategory(
        "S", "Regelsteuersatz", "standard rated", "positive", "forbidden", _SELLER_IDS_DE, _SELLER_IDS_EN
    ),
    "BR-Z": VatCategory("Z", "Nullsatz", "zero rated", "zero", "forbidden", _SELLER_IDS_DE, _SELLER_IDS_EN),
    "BR-E": VatCategory("E", "steuerbefreit", "exempt from VAT", "zero", "required", _SELLER_IDS_DE, _SELLER_IDS_EN),
    "BR-AE": VatCategory(
        "AE",
        "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)",
        "reverse charge",
        "zero",
        "required",
        "die Umsatzsteuer-Identifikationsnummer oder Steuernummer des Lieferanten und die "
        "Umsatzsteuer-Identifikationsnummer oder Registernummer des Käufers",
        "the VAT identification number or tax number of the supplier and the VAT identification number or legal "
        "registration number of the buyer",
    ),
    "BR-IC": VatCategory(
        "K",
        "innergemeinschaftliche Lieferung",
        "intra-community supply",
        "zero",
        "required",
        "die Umsatzsteuer-Identifikationsnummern des Lieferanten (oder seines Steuervertreters) und des Käufers",
        "the VAT identification numbers of the supplier (or his tax representative) and of the buyer",
    ),
    "BR-G": VatCategory(
        "G",
        "Ausfuhr in ein Land außerhalb der EU",
        "export outside the EU",
        "zero",
        "required",
        "die Umsatzsteuer-Identifikationsnummer des Lieferanten (oder seines Steuervertreters)",
        "the VAT identification number of the supplier (or of his tax representative)",
    ),
    "BR-O": VatCategory(
        "O",
        "nicht steuerbar",
        "not subject to VAT",
        "none",
        "required",
        "keine Umsatzsteuer-Identifikationsnummern (weder des Lieferanten noch des Käufers)",
        "no VAT identification numbers (neither of the supplier nor of the buyer)",
    ),
    "BR-AF": VatCategory(
        "L", "IGIC (Kanarische Inseln)", "IGIC (Canary Islands)", "any", "forbidden", _SELLER_IDS_DE, _SELLER_IDS_EN
    ),
    "BR-AG": VatCategory(
        "M", "IPSI (Ceuta und Melilla)", "IPSI (Ceuta and Melilla)", "any", "forbidden", _SELLER_IDS_DE, _SELLER_IDS_EN
    ),
}
VAT_CATEGORIES["BR-IG"] = VAT_CATEGORIES["BR-AF"]
VAT_CATEGORIES["BR-IP"] = VAT_CATEGORIES["BR-AG"]

# Numbered rules that only one category has.
VAT_CATEGORY_RULES: dict[str, Text] = {
    "BR-IC-11": Text(
        "Bei einer innergemeinschaftlichen Lieferung fehlt das Lieferdatum bzw. der Leistungszeitraum; er ist für "
        "die steuerfreie Lieferung in ein anderes EU-Land Pflicht. " + _RESEND_DE,
        "For an intra-community supply the delivery date or invoicing period is missing; it is mandatory for a "
        "tax-free supply to another EU country. " + _RESEND_EN,
        ("BT-72", "BG-14"),
    ),
    "BR-IC-12": Text(
        "Bei einer innergemeinschaftlichen Lieferung fehlt das Land der Lieferanschrift; ohne es ist nicht "
        "belegt, dass in ein anderes EU-Land geliefert wurde. " + _RESEND_DE,
        "For an intra-community supply the country of the delivery address is missing; without it the supply to "
        "another EU country is not documented. " + _RESEND_EN,
        ("BT-80",),
    ),
    "BR-O-11": Text(
        "Die Rechnung enthält nicht steuerbare Umsätze (Kategorie O) und zugleich weitere Steuerkategorien. Eine "
        "Rechnung mit Kategorie O darf keine andere Kategorie enthalten; der Lieferant muss die Umsätze auf "
        "getrennte Rechnungen aufteilen.",
        "The invoice contains supplies not subject to VAT (category O) together with other VAT categories. An "
        "invoice with category O may not contain any other category; the supplier must split the supplies into "
        "separate invoices.",
        ("BG-23", "BT-118"),
    ),
    "BR-O-12": Text(
        "Die Rechnung ist als nicht steuerbar (Kategorie O) ausgewiesen, enthält aber Positionen mit einer anderen "
        "Steuerkategorie. Der Lieferant muss die Steuerkategorien vereinheitlichen oder die Rechnung aufteilen.",
        "The invoice is marked as not subject to VAT (category O) but contains lines with another VAT category. "
        "The supplier must make the categories consistent or split the invoice.",
        ("BG-25", "BT-151"),
    ),
    "BR-O-13": Text(
        "Die Rechnung ist als nicht steuerbar (Kategorie O) ausgewiesen, enthält aber Nachlässe mit einer anderen "
        "Steuerkategorie. Der Lieferant muss die Steuerkategorien vereinheitlichen.",
        "The invoice is marked as not subject to VAT (category O) but contains allowances with another VAT "
        "category. The supplier must make the categories consistent.",
        ("BG-20", "BT-95"),
    ),
    "BR-O-14": Text(
        "Die Rechnung ist als nicht steuerbar (Kategorie O) ausgewiesen, enthält aber Zuschläge mit einer anderen "
        "Steuerkategorie. Der Lieferant muss die Steuerkategorien vereinheitlichen.",
        "The invoice is marked as not subject to VAT (category O) but contains charges with another VAT category. "
        "The supplier must make the categories consistent.",
        ("BG-21", "BT-102"),
    ),
}
