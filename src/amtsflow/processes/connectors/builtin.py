"""The connectors the platform ships: e-mail from a template, PDF letter filed in the case, case status,
allow-listed HTTP call, escalation of open tasks."""

import json
import re
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from amtsflow.files import selectors as files_selectors
from amtsflow.files import services as files_services
from amtsflow.files.constants import Direction, VorgangStatus
from amtsflow.processes.connectors.base import Connector, ConnectorContext, ConnectorError, Param
from amtsflow.processes.connectors.letters import render_letter_pdf

_TEMPLATE_KEY = re.compile(r"^[a-z0-9_]{1,80}$")
# The German words a model may use for the case status, besides the stored values.
_STATUS_WORDS = {"offen": "open", "in bearbeitung": "in_progress", "wartend": "waiting", "erledigt": "done"}


def _render(kind: str, key: str, context: ConnectorContext, extra: dict[str, Any]) -> str:
    if not _TEMPLATE_KEY.match(key or ""):
        raise ConnectorError(f"invalid template key {key!r}")
    try:
        return render_to_string(f"processes/{kind}/{key}.txt", {**context.data, **extra, "vorgang": context.case_id})
    except TemplateDoesNotExist:
        raise ConnectorError(f"no {kind} template {key!r}") from None


def _case(context: ConnectorContext):  # noqa: ANN202 - a files.Vorgang, typed there
    return files_selectors.get_vorgang(actor=context.actor, public_id=context.case_id)


class SendEmail(Connector):
    name = "email.send"
    label = _("Send an e-mail from a template")
    inputs = (
        Param("to", "recipient address"),
        Param("subject", "subject line"),
        Param("template", "template key (processes/mail/<key>.txt)", required=False),
        Param("body", "text used when no template is given", required=False),
    )
    outputs = (Param("message_id", "Message-ID of the sent mail"),)

    def run(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        body = _render("mail", inputs["template"], context, inputs) if inputs.get("template") else inputs.get("body")
        if not body:
            raise ConnectorError("email.send needs a template or a body")
        message = EmailMessage(
            subject=str(inputs["subject"]),
            body=body,
            to=[str(inputs["to"])],
            headers={"X-Amtsflow-Key": context.idempotency_key},
        )
        mime = message.message()
        message_id = mime["Message-ID"]
        # The mail goes into the case as an outgoing document before it is sent: a failing filing then stops
        # the step before anything left the house, and a failing send rolls the filing back with the step.
        files_services.file_document(
            actor=context.actor,
            vorgang=_case(context),
            upload=mime.as_bytes(),
            filename="mail.eml",
            title=str(inputs["subject"])[:300],
            direction=Direction.OUTGOING,
        )
        try:
            message.send()
        except OSError as error:
            raise ConnectorError(f"mail server refused or unreachable: {error}") from error
        return {"message_id": message_id}


class GenerateLetter(Connector):
    name = "letter.generate"
    label = _("Create a PDF letter from a template and file it in the case")
    inputs = (Param("template", "template key (processes/letters/<key>.txt)"), Param("title", "document title"))
    outputs = (Param("document_id", "public ID of the filed document"),)

    def run(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        text = _render("letters", inputs["template"], context, inputs)
        pdf = render_letter_pdf(title=str(inputs["title"]), text=text, tenant_name=context.actor.tenant.name)
        document = files_services.file_document(
            actor=context.actor,
            vorgang=_case(context),
            upload=pdf,
            filename=f"{inputs['template']}.pdf",
            title=str(inputs["title"])[:300],
            direction=Direction.OUTGOING,
        )
        return {"document_id": str(document.public_id)}


class SetCaseStatus(Connector):
    name = "case.set_status"
    label = _("Set the status of the case")
    inputs = (Param("status", "open, in_progress, waiting, done (or offen, in Bearbeitung, wartend, erledigt)"),)
    outputs = (Param("status", "the status set"),)

    def run(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        raw = str(inputs["status"]).strip()
        status = _STATUS_WORDS.get(raw.lower(), raw)
        if status not in VorgangStatus.values:
            raise ConnectorError(f"unknown case status {raw!r}")
        files_services.update_vorgang(actor=context.actor, vorgang=_case(context), status=status)
        return {"status": status}


class CallHttp(Connector):
    name = "http.call"
    label = _("Call an allow-listed HTTP endpoint")
    inputs = (
        Param("url", "URL; must start with an entry of AMTSFLOW_HTTP_ALLOWLIST"),
        Param("method", "GET or POST", required=False),
        Param("body", "JSON body for POST", required=False),
    )
    outputs = (Param("status", "HTTP status code"), Param("response", "response body (JSON if it is JSON)"))

    def run(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        url = str(inputs["url"])
        if not any(url.startswith(prefix) for prefix in settings.AMTSFLOW_HTTP_ALLOWLIST):
            raise ConnectorError(f"URL not on the allow-list: {url}")
        method = str(inputs.get("method") or "GET").upper()
        if method not in {"GET", "POST"}:
            raise ConnectorError(f"method not allowed: {method}")
        data = json.dumps(inputs.get("body")).encode() if method == "POST" else None
        request = urllib.request.Request(  # noqa: S310 - scheme and host are allow-listed above
            url,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", "Idempotency-Key": context.idempotency_key},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.AMTSFLOW_HTTP_TIMEOUT) as response:  # noqa: S310
                raw = response.read(1_000_001)
                status = response.status
        except urllib.error.HTTPError as error:
            raise ConnectorError(f"HTTP {error.code} from {url}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ConnectorError(f"{url} not reachable: {error}") from error
        if len(raw) > 1_000_000:
            raise ConnectorError("response larger than 1 MB")
        text = raw.decode("utf-8", errors="replace")
        try:
            return {"status": status, "response": json.loads(text)}
        except ValueError:
            return {"status": status, "response": text}


class EscalateTask(Connector):
    name = "task.escalate"
    label = _("Escalate open tasks of an activity to a role or group")
    inputs = (Param("activity", "element ID of the user task"), Param("to", "role key or group name"))
    outputs = (Param("escalated", "number of tasks escalated"),)

    def run(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        from amtsflow.processes.services.tasks import escalate_open_tasks  # noqa: PLC0415 - connectors load early

        count = escalate_open_tasks(
            actor=context.actor,
            instance_id=context.instance_id,
            element_id=str(inputs["activity"]),
            to=str(inputs["to"]),
        )
        return {"escalated": count}
