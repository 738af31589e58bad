"""Plain-language explanations of validation findings, for the clerk who has to tell the supplier what to fix.

    explanation = explain(finding.rule, finding.message, severity=finding.severity)
    text_for_language(explanation)  # German or English, after the active Django language

The official rule messages are terse and technical; these texts say what is wrong and what the supplier has to do.
Every rule id gets a text:
- hand-written per rule (`explanations_data`): every German rule (BR-DE-*, BR-DEX-*, BR-TMP-*), the mandatory
  fields and totals of EN 16931, code lists, the Peppol rules XRechnung adopts, our own XML checks;
- per VAT category rule (BR-S-01, BR-AE-08, ...), built from the category and the rule number, which means the
  same in every category;
- by rule family (decimals, code lists, elements XRechnung does not use, ...), naming the element or business
  terms the official message mentions;
- a generic text for ids we do not know (a newer rule release), which still says what to do.
The texts are plain Python data rather than gettext entries: they are long, many, and maintained as a whole.
"""

import re
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.utils import translation

from amtsflow.einvoices.validation.explanations_data import (
    CODE_LIST_RULES,
    EN16931_RULES,
    GERMAN_RULES,
    PEPPOL_RULES,
    SYNTAX_RULES,
    VAT_CATEGORIES,
    VAT_CATEGORY_RULES,
    Text,
    VatCategory,
)
from amtsflow.einvoices.validation.types import Finding

Source = Literal["rule", "category", "family", "generic"]


@dataclass(frozen=True)
class Explanation:
    text_de: str
    text_en: str
    business_terms: tuple[str, ...]  # BT-/BG- ids the finding concerns, those of the official message first
    source: Source = "rule"  # how specific the text is: hand-written for the rule ... generic fallback


HANDWRITTEN: dict[str, Text] = {
    **GERMAN_RULES,
    **EN16931_RULES,
    **CODE_LIST_RULES,
    **PEPPOL_RULES,
    **VAT_CATEGORY_RULES,
    **SYNTAX_RULES,
}

_TERM = re.compile(r"\bB[GT]-(?:DEX-)?\d+\b")
_MESSAGE_PREFIX = re.compile(r"^\s*\[[^\]]+\]\s*-?\s*")  # "[BR-DE-15] ", "[BR-01]-", "[CII-SR-001] - "
_RESEND_DE = "Bitten Sie den Lieferanten um eine korrigierte Rechnung."
_RESEND_EN = "Ask the supplier for a corrected invoice."


def business_terms(message: str) -> tuple[str, ...]:
    """The business term and group ids (BT-10, BG-23, BT-DEX-002) a message mentions, in order, once each."""
    return tuple(dict.fromkeys(_TERM.findall(message)))


def explain(rule: str, message: str = "", *, severity: str = "") -> Explanation:
    """The explanation of one finding; `severity` (error, warning, information) refines the advice where it matters.

    The severity is the one after the scenario's custom levels (Finding.severity): an element XRechnung does not
    use is harmless as a warning but a reason to reject as an error.
    """
    rule = rule.strip()
    found = business_terms(message)
    text = HANDWRITTEN.get(rule)
    if text is not None:
        de, en = _severity_note(text.de, text.en, severity)
        return Explanation(de, en, _merge(found, text.terms), "rule")
    category = _vat_category_rule(rule)
    if category is not None:
        de, en = _severity_note(category.de, category.en, severity)
        return Explanation(de, en, _merge(found, category.terms), "category")
    family = _family(rule, _plain(message), found, severity)
    if family is not None:
        de, en = _severity_note(family.de, family.en, severity)
        return Explanation(de, en, _merge(found, family.terms), "family")
    de, en = _generic(rule, found)
    return Explanation(de, en, found, "generic")


def explain_finding(finding: Finding) -> Explanation:
    return explain(finding.rule, finding.message, severity=finding.severity)


def text_for_language(explanation: Explanation, language: str | None = None) -> str:
    """The German text for German (the default), the English one for every other language."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return explanation.text_de if language.lower().startswith("de") else explanation.text_en


def _merge(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(term for group in groups for term in group))


def _plain(message: str) -> str:
    """The official message without its "[RULE-ID]-" prefix and with collapsed whitespace."""
    return _MESSAGE_PREFIX.sub("", " ".join(message.split()))


def _is_warning(severity: str) -> bool:
    return severity.lower() in ("warning", "information", "info")


def _is_error(severity: str) -> bool:
    return severity.lower() in ("error", "fatal")


def _severity_note(de: str, en: str, severity: str) -> tuple[str, str]:
    """Scenarios lower some rules to warnings: then the invoice can be processed and a note to the supplier does."""
    if not _is_warning(severity) or "Warnung" in de or "Hinweis an den Lieferanten" in de:
        return de, en
    level_de, level_en = ("eine Warnung", "a warning") if severity.lower() == "warning" else ("ein Hinweis", "a notice")
    return (
        f"{de.removesuffix(_RESEND_DE).rstrip()} In diesem Prüfszenario ist das nur {level_de}: Die Rechnung kann "
        "bearbeitet werden; ein Hinweis an den Lieferanten für künftige Rechnungen genügt.",
        f"{en.removesuffix(_RESEND_EN).rstrip()} In this validation scenario this is only {level_en}: the invoice "
        "can be processed; a note to the supplier for future invoices is enough.",
    )


def _terms_de(terms: tuple[str, ...]) -> str:
    return f" (betrifft {', '.join(terms)})" if terms else ""


def _terms_en(terms: tuple[str, ...]) -> str:
    return f" (concerns {', '.join(terms)})" if terms else ""


# --- VAT category rules: BR-<category>-<nn> has the same meaning in every category -------------------------------

_VAT_RULE = re.compile(r"^(BR-[A-Z]{1,2})-(\d{2})$")
_SUBJECT_DE = {2: "Eine Rechnungsposition", 3: "Ein Nachlass auf Rechnungsebene", 4: "Ein Zuschlag auf Rechnungsebene"}
_SUBJECT_EN = {2: "An invoice line", 3: "A document level allowance", 4: "A document level charge"}
_VAT_CODE_TERM = {2: "BT-151", 3: "BT-95", 4: "BT-102"}
_RATE_TERM = {2: "BT-152", 3: "BT-96", 4: "BT-103"}
_RATE_DE = {
    "positive": "muss der Steuersatz größer als 0 % sein (z. B. 19 oder 7)",
    "zero": "muss der Steuersatz 0 % sein",
    "none": "darf kein Steuersatz angegeben sein",
    "any": "muss ein Steuersatz von 0 % oder mehr angegeben sein",
}
_RATE_EN = {
    "positive": "the VAT rate must be above 0 % (e.g. 19 or 7)",
    "zero": "the VAT rate must be 0 %",
    "none": "no VAT rate may be given",
    "any": "a VAT rate of 0 % or more must be given",
}


def _vat_category_rule(rule: str) -> Text | None:
    match = _VAT_RULE.match(rule)
    if not match or match.group(1) not in VAT_CATEGORIES:
        return None
    return _vat_text(VAT_CATEGORIES[match.group(1)], int(match.group(2)))


def _vat_text(cat: VatCategory, number: int) -> Text | None:
    name_de, name_en = f"„{cat.de}“ ({cat.code})", f"'{cat.en}' ({cat.code})"
    if number == 1:
        several = cat.rate in ("positive", "any")  # one breakdown entry per rate; the others allow exactly one
        return Text(
            f"Mindestens eine Position, ein Nachlass oder ein Zuschlag hat die Steuerkategorie {name_de}, aber in "
            "der Umsatzsteuer-Aufstellung fehlt der passende Eintrag für diese Kategorie"
            + ("" if several else " (oder er ist mehrfach vorhanden)")
            + f". {_RESEND_DE}",
            f"At least one line, allowance or charge has the VAT category {name_en}, but the VAT breakdown "
            "lacks the matching entry for this category"
            + ("" if several else " (or has it more than once)")
            + f". {_RESEND_EN}",
            ("BG-23", "BT-118"),
        )
    if number in (2, 3, 4):
        subject_de, subject_en = _SUBJECT_DE[number], _SUBJECT_EN[number]
        buyer = ("BT-48", "BT-47") if "Käufer" in cat.ids_de else ()
        terms = (_VAT_CODE_TERM[number], "BT-31", "BT-32", "BT-63", *buyer)
        if cat.rate == "none":
            return Text(
                f"{subject_de} ist als {name_de} gekennzeichnet, die Rechnung enthält aber "
                "Umsatzsteuer-Identifikationsnummern. Bei nicht steuerbaren Umsätzen dürfen keine angegeben sein; "
                f"meist ist die Steuerkategorie falsch gewählt. {_RESEND_DE}",
                f"{subject_en} is marked {name_en}, but the invoice contains VAT identification numbers. For supplies "
                f"not subject to VAT none may be given; usually the VAT category is wrong. {_RESEND_EN}",
                terms,
            )
        return Text(
            f"{subject_de} hat die Steuerkategorie {name_de}; dafür muss die Rechnung {cat.ids_de} enthalten. Das "
            f"fehlt. {_RESEND_DE}",
            f"{subject_en} has the VAT category {name_en}; then the invoice must contain {cat.ids_en}. This is "
            f"missing. {_RESEND_EN}",
            terms,
        )
    if number in (5, 6, 7):
        subject_de, subject_en = _SUBJECT_DE[number - 3], _SUBJECT_EN[number - 3]
        return Text(
            f"{subject_de} hat die Steuerkategorie {name_de}; bei dieser Kategorie {_RATE_DE[cat.rate]}, angegeben "
            f"ist aber etwas anderes. Meist ist entweder die Kategorie oder der Steuersatz falsch. {_RESEND_DE}",
            f"{subject_en} has the VAT category {name_en}; for this category {_RATE_EN[cat.rate]}, but something "
            f"else is given. Usually either the category or the rate is wrong. {_RESEND_EN}",
            (_VAT_CODE_TERM[number - 3], _RATE_TERM[number - 3]),
        )
    if number == 8:
        per_rate = cat.rate in ("positive", "any")  # these categories have one breakdown entry per rate
        return Text(
            f"In der Umsatzsteuer-Aufstellung stimmt der Nettobetrag der Kategorie {name_de} nicht: Er muss der "
            "Summe der Positionen dieser Kategorie abzüglich der Nachlässe und zuzüglich der Zuschläge derselben "
            + ("Kategorie und desselben Steuersatzes" if per_rate else "Kategorie")
            + f" entsprechen. {_RESEND_DE}",
            f"In the VAT breakdown the taxable amount of category {name_en} does not add up: it must equal the sum "
            "of the lines of this category minus the allowances plus the charges of the same "
            + ("category and rate" if per_rate else "category")
            + f". {_RESEND_EN}",
            ("BT-116", "BT-131", "BT-92", "BT-99"),
        )
    if number == 9:
        if cat.rate in ("positive", "any"):
            return Text(
                f"In der Umsatzsteuer-Aufstellung ist die Steuer der Kategorie {name_de} falsch berechnet: Sie muss "
                f"Nettobetrag × Steuersatz sein. {_RESEND_DE}",
                f"In the VAT breakdown the tax of category {name_en} is computed wrongly: it must be taxable amount "
                f"× rate. {_RESEND_EN}",
                ("BT-117", "BT-116", "BT-119"),
            )
        return Text(
            f"In der Umsatzsteuer-Aufstellung ist für die Kategorie {name_de} Steuer ausgewiesen; bei dieser "
            "Kategorie stellt der Lieferant keine Umsatzsteuer in Rechnung, der Steuerbetrag muss 0 sein. Zahlen "
            f"Sie ausgewiesene Steuer nicht, sondern klären Sie die richtige Kategorie. {_RESEND_DE}",
            f"In the VAT breakdown tax is shown for category {name_en}; for this category the supplier charges no "
            "VAT and the tax amount must be 0. Do not pay the VAT shown; clarify the correct category. " + _RESEND_EN,
            ("BT-117", "BT-118"),
        )
    if number == 10:
        if cat.exemption_reason == "required":
            return Text(
                f"In der Umsatzsteuer-Aufstellung fehlt für die Kategorie {name_de} die Begründung, warum keine "
                "Umsatzsteuer berechnet wird (als Text oder VATEX-Code). Dieser Hinweis ist gesetzlich "
                f"vorgeschrieben. {_RESEND_DE}",
                f"In the VAT breakdown the reason why no VAT is charged for category {name_en} is missing (as text "
                f"or VATEX code). This statement is required by law. {_RESEND_EN}",
                ("BT-120", "BT-121"),
            )
        return Text(
            f"In der Umsatzsteuer-Aufstellung hat die Kategorie {name_de} einen Grund für eine Steuerbefreiung, "
            "obwohl es keine Befreiung ist. Entweder ist die Kategorie falsch oder der Befreiungsgrund muss "
            f"entfallen. {_RESEND_DE}",
            f"In the VAT breakdown category {name_en} carries a VAT exemption reason although it is not an "
            f"exemption. Either the category is wrong or the reason must go. {_RESEND_EN}",
            ("BT-120", "BT-121"),
        )
    return None  # a number added in a later release: the family fallback covers it


# --- Rule families: one text per kind of rule, naming what the official message names -------------------------

_ELEMENT_NOT_ALLOWED = (
    re.compile(r"(?:should|shall) not include (?:the |an? )?(?P<name>.+?)\.?$", re.IGNORECASE),
    re.compile(r"^(?P<name>[\w:/ -]+?) (?:should not be present|shall not be used)\.?$", re.IGNORECASE),
)
_OCCURRENCE = (
    re.compile(r"^(?P<name>.+?) (?:shall|should) (?:occur|exist) maximum (?:once|twice)", re.IGNORECASE),
    re.compile(r"^Only one (?P<name>.+?) (?:should|shall) be present", re.IGNORECASE),
    re.compile(r"^(?P<name>.+?) must exist exactly once", re.IGNORECASE),
)
_DECIMALS = re.compile(r"decimals for the (?P<name>.+?) \(", re.IGNORECASE)
_CODE_LIST_FIELD = re.compile(r"^(?P<name>.+?) (?:MUST|shall) (?:be coded|belong)", re.IGNORECASE)
_CODE_LIST_NAME = re.compile(
    r"(UNTDID \d+|UNCL ?\d+|ISO(?: code list)? [\d-]+(?: alpha-\d)?(?: ICD)?|ISO 6523 ICD|CEF \w+|"
    r"UN/ECE Recommendation \d+|MIMEMediaType)",
)


def _first(patterns: tuple[re.Pattern[str], ...], message: str) -> str:
    for pattern in patterns:
        match = pattern.search(message)
        if match:
            return match.group("name").strip()
    return ""


def _family(rule: str, message: str, found: tuple[str, ...], severity: str) -> Text | None:
    if rule.startswith(("UBL-", "CII-")):
        return _syntax_family(rule, message, found, severity)
    if rule.startswith("BR-DEC-"):
        name = (match.group("name") if (match := _DECIMALS.search(message)) else "") or "Betrag"
        return Text(
            f"Der Betrag „{name}“{_terms_de(found)} hat mehr als zwei Nachkommastellen. Geldbeträge müssen auf Cent "
            f"gerundet sein. {_RESEND_DE}",
            f"The amount '{name}'{_terms_en(found)} has more than two decimals. Amounts must be rounded to the cent. "
            + _RESEND_EN,
        )
    if rule.startswith("BR-CL-"):
        return _code_list_family(message, found)
    if rule.startswith("BR-CO-"):
        return Text(
            f"Angaben oder Beträge der Rechnung passen nicht zueinander{_terms_de(found)}. Die Rechnung muss in "
            f"sich stimmig sein, damit sie ohne Nachrechnen gebucht werden kann. {_RESEND_DE}",
            f"Details or amounts of the invoice are inconsistent{_terms_en(found)}. The invoice must be consistent "
            f"so that it can be booked without recalculating it. {_RESEND_EN}",
        )
    if rule.startswith(("BR-DE", "BR-TMP")):
        return _severity_text(
            f"Die Rechnung erfüllt eine deutsche XRechnung-Vorgabe nicht{_terms_de(found)}. Die amtliche Meldung "
            "nennt die Vorgabe; leiten Sie sie dem Lieferanten mit der Fundstelle weiter.",
            f"The invoice does not meet a German XRechnung requirement{_terms_en(found)}. The official message "
            "names it; pass it on to the supplier with the location.",
            severity,
        )
    if rule.startswith("BR-B-"):
        return Text(
            "Die Rechnung verwendet die Steuerkategorie „Split Payment“ (B), die es nur für inländische italienische "
            "Rechnungen gibt. Für eine Rechnung an uns ist die Steuerkategorie falsch gewählt. " + _RESEND_DE,
            "The invoice uses the VAT category 'split payment' (B), which exists only for domestic Italian invoices. "
            "For an invoice to us the VAT category is wrong. " + _RESEND_EN,
            ("BT-151", "BT-95", "BT-102"),
        )
    if (match := _VAT_RULE.match(rule)) and match.group(1) in VAT_CATEGORIES:
        return Text(
            f"Die Umsatzsteuerangaben passen nicht zur gewählten Steuerkategorie{_terms_de(found)}. Meist ist die "
            f"Steuerkategorie, der Steuersatz oder die Umsatzsteuer-Aufstellung falsch. {_RESEND_DE}",
            f"The VAT details do not fit the chosen VAT category{_terms_en(found)}. Usually the VAT category, the "
            f"rate or the VAT breakdown is wrong. {_RESEND_EN}",
        )
    if re.match(r"^BR-\d+$", rule):
        return Text(
            f"Eine Pflichtangabe nach der europäischen Rechnungsnorm EN 16931 fehlt oder ist unvollständig"
            f"{_terms_de(found)}. {_RESEND_DE}",
            f"A piece of information the European invoice standard EN 16931 makes mandatory is missing or "
            f"incomplete{_terms_en(found)}. {_RESEND_EN}",
        )
    if rule.startswith(("BR-", "PEPPOL-")):
        return _severity_text(
            f"Die Rechnung verletzt eine Geschäftsregel der europäischen Rechnungsnorm EN 16931{_terms_de(found)}. "
            "Die amtliche Meldung nennt die Regel; leiten Sie sie dem Lieferanten mit der Fundstelle weiter.",
            f"The invoice breaks a business rule of the European invoice standard EN 16931{_terms_en(found)}. The "
            "official message names the rule; pass it on to the supplier with the location.",
            severity,
        )
    if rule.startswith("XML-"):
        return Text(
            "Die Datei ist technisch fehlerhaft und konnte nicht vollständig geprüft werden. Der Fehler liegt in "
            "der Rechnungssoftware des Lieferanten; schicken Sie ihm die Meldung mit der Zeilenangabe.",
            "The file is technically faulty and could not be checked completely. The error lies in the supplier's "
            "invoicing software; send him the message with the line number.",
        )
    return None


def _severity_text(de: str, en: str, severity: str) -> Text:
    """Family texts that cannot know how serious the rule is: let the severity say whether a note suffices."""
    if _is_warning(severity):
        return Text(
            f"{de} Das ist nur eine Warnung; die Rechnung kann bearbeitet werden, ein Hinweis an den Lieferanten "
            "genügt.",
            f"{en} This is only a warning; the invoice can be processed, a note to the supplier is enough.",
        )
    return Text(f"{de} {_RESEND_DE}", f"{en} {_RESEND_EN}")


def _code_list_family(message: str, found: tuple[str, ...]) -> Text:
    field = match.group("name") if (match := _CODE_LIST_FIELD.search(message)) else ""
    field = re.sub(r"\s*\([^)]*\)", "", field)  # the terms are named separately
    code_list = match.group(1) if (match := _CODE_LIST_NAME.search(message)) else ""
    what_de = f"„{field}“" if field else "einer Angabe"
    what_en = f"'{field}'" if field else "a field"
    list_de = f" ({code_list})" if code_list else ""
    return Text(
        f"Ein Code stammt nicht aus der vorgeschriebenen Codeliste{list_de}: Der Wert von {what_de}"
        f"{_terms_de(found)} ist dort nicht enthalten, vielleicht vertippt oder als Klartext statt als Code "
        f"angegeben. {_RESEND_DE}",
        f"A code is not from the prescribed code list{list_de}: the value of {what_en}{_terms_en(found)} is not in "
        f"it, perhaps mistyped or given as plain text instead of a code. {_RESEND_EN}",
    )


def _syntax_family(rule: str, message: str, found: tuple[str, ...], severity: str) -> Text:
    """UBL-CR/UBL-SR/UBL-DT/CII-SR/CII-DT: restrictions of the UBL and CII syntax to what EN 16931 uses."""
    syntax = "UBL" if rule.startswith("UBL-") else "CII"
    name = _first(_ELEMENT_NOT_ALLOWED, message)
    if name:
        # UBL-DT names end in " attribute"; CII attributes (schemeID, unitCode) start in lower case, elements do not.
        attribute = name.lower().endswith(" attribute") or (syntax == "CII" and name[:1].islower())
        name = name.removesuffix(" attribute").removesuffix(" Attribute")
        kind_de, kind_en = ("Attribut", "attribute") if attribute else ("Element", "element")
        if _is_warning(severity) or (not severity and rule.startswith("UBL-CR-")):
            # UBL-CR rules are warnings unless a scenario raises them (those are hand-written).
            consequence_de = (
                "Es wird vom Empfänger ignoriert, die Rechnung kann bearbeitet werden; ein Hinweis an den "
                "Lieferanten genügt, damit er es künftig weglässt."
            )
            consequence_en = (
                "The recipient ignores it and the invoice can be processed; a note to the supplier, so that he "
                "leaves it out in future, is enough."
            )
        elif _is_error(severity):
            consequence_de = (
                f"Hier ist das ein Fehler: Der Lieferant muss die Rechnung ohne dieses {kind_de} neu ausstellen."
            )
            consequence_en = f"Here this is an error: the supplier must issue the invoice again without this {kind_en}."
        else:
            consequence_de = (
                "Ist die Meldung nur eine Warnung, wird es vom Empfänger ignoriert und ein Hinweis an den "
                f"Lieferanten genügt; ist sie ein Fehler, muss der Lieferant die Rechnung ohne dieses {kind_de} neu "
                "ausstellen."
            )
            consequence_en = (
                "If the message is only a warning, the recipient ignores it and a note to the supplier is enough; if "
                f"it is an error, the supplier must issue the invoice again without this {kind_en}."
            )
        return Text(
            f"Die Rechnung enthält das {kind_de} „{name}“{_terms_de(found)}, das die {syntax}-Syntax zwar kennt, das "
            f"in XRechnung aber nicht vorgesehen ist. {consequence_de}",
            f"The invoice contains the {kind_en} '{name}'{_terms_en(found)}, which the {syntax} syntax knows but "
            f"XRechnung does not provide for. {consequence_en}",
        )
    name = _first(_OCCURRENCE, message)
    if name:
        return _severity_text(
            f"Die Angabe „{name}“{_terms_de(found)} kommt in der Rechnung nicht in der vorgeschriebenen Anzahl vor "
            "(meist mehrfach, wo sie nur einmal stehen darf). Der Empfänger kann dann nicht entscheiden, welcher "
            "Wert gilt.",
            f"The information '{name}'{_terms_en(found)} does not occur the prescribed number of times (usually more "
            "than once where it may occur only once). The recipient then cannot tell which value applies.",
            severity,
        )
    return _severity_text(
        f"Die Rechnung ist im {syntax}-Format nicht so aufgebaut, wie XRechnung es verlangt{_terms_de(found)}. Der "
        "Fehler liegt in der Rechnungssoftware des Lieferanten; die amtliche Meldung und die Fundstelle zeigen ihm, "
        "was zu ändern ist.",
        f"The invoice is not structured in the {syntax} format as XRechnung requires{_terms_en(found)}. The error "
        "lies in the supplier's invoicing software; the official message and the location show him what to change.",
        severity,
    )


def _generic(rule: str, found: tuple[str, ...]) -> tuple[str, str]:
    """For a rule id we do not know (e.g. from a newer rule release): what to do with the finding anyway."""
    label = rule or "ohne Kennung"
    label_en = rule or "without id"
    return (
        f"Die Rechnung verletzt die Prüfregel {label}{_terms_de(found)}, zu der es noch keine eigene Erläuterung "
        "gibt. Die amtliche Meldung beschreibt, was geprüft wurde. Ist sie ein Fehler, leiten Sie sie mit "
        "Regelkennung und Fundstelle an den Lieferanten weiter und bitten um eine korrigierte Rechnung; ist sie "
        "nur eine Warnung, genügt ein Hinweis.",
        f"The invoice breaks the validation rule {label_en}{_terms_en(found)}, for which there is no explanation "
        "of its own yet. The official message describes what was checked. If it is an error, pass it on to the "
        "supplier with the rule id and the location and ask for a corrected invoice; if it is only a warning, a note "
        "is enough.",
    )
