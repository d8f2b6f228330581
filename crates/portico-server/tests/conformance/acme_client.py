"""The guide's Acme example, played through a client generated from Portico's OpenAPI
description (openapi-python-client), with nothing written by hand but this scenario: if
the description were wrong or incomplete, the generated code would not build the
requests, or would not read the answers.

Usage: python acme_client.py BASE_URL ADMIN_EMAIL PASSWORD  (PYTHONPATH holds the client)

Prints, as JSON, what the conformance run needs next: an API token, Sarah's session cookie
and the ids of the records it fuzzes against.
"""

import io
import json
import sys
from http import HTTPStatus

from portico_client import AuthenticatedClient, Client
from portico_client.api.auth import accept_invitation, create_token, login
from portico_client.api.clients import create_client, list_clients
from portico_client.api.content import create_task, post_message, request_approval, upload_file
from portico_client.api.insight import outbox
from portico_client.api.invoices import create_invoice, send_invoice
from portico_client.api.portal import invoices as portal_invoices
from portico_client.api.portal import project as portal_project
from portico_client.api.portal import projects as portal_projects
from portico_client.api.projects import create_project
from portico_client.models import (
    ApprovalBodyType0,
    ClientBody,
    ClientBodyPresetType0,
    InvoiceBody,
    InvoiceBodyCurrency,
    LineBody,
    LinkPasswordBody,
    ListClientsStatus,
    LoginBody,
    MessageBody,
    MessageBodyVisibilityType0,
    Problem,
    ProjectBody,
    TaskBody,
    TaskBodyVisibility,
    TokenBody,
    UploadBody,
    UploadBodyVisibility,
)
from portico_client.types import File

COOKIE = "portico_session"


def ok(answer, what):
    """The parsed answer, or a failure naming what was being done."""
    if answer is None or isinstance(answer, Problem):
        detail = answer.to_dict() if isinstance(answer, Problem) else "no answer the description names"
        sys.exit(f"{what}: {detail}")
    return answer


def signed_in(base, email, password):
    """A client carrying the session cookie of `email`, as the description's `session`
    scheme says (an API key in a cookie)."""
    browser = Client(base_url=base)
    ok(login.sync(client=browser, body=LoginBody(email=email, password=password)), f"log in as {email}")
    secret = browser.get_httpx_client().cookies.get(COOKIE)
    return AuthenticatedClient(base_url=base, token=f"{COOKIE}={secret}", prefix="", auth_header_name="Cookie"), secret


def main():
    base, admin_email, password = sys.argv[1:4]
    admin_session, _ = signed_in(base, admin_email, password)
    token = ok(create_token.sync(client=admin_session, body=TokenBody(label="conformance")), "create a token")
    api = AuthenticatedClient(base_url=base, token=token.secret)

    def new_client(name, email, company, preset):
        body = ClientBody(name=name, email=email, company=company, preset=ClientBodyPresetType0(preset))
        return ok(create_client.sync(client=api, body=body), f"create {name}").id

    sarah = new_client("Sarah Chen", "sarah@acme.example", "Acme Corp", "full_access")
    james = new_client("James Okafor", "james@acme.example", "Acme Corp", "collaborator")
    lisa = new_client("Lisa Park", "lisa@acme.example", "Acme Corp", "billing_only")
    tom = new_client("Tom Reyes", "tom@globex.example", "Globex", "full_access")

    body = ProjectBody(name="Acme Corp Brand Refresh", client_ids=[sarah, james, lisa])
    brand = ok(create_project.sync(client=api, body=body), "create the brand project").id
    ok(create_project.sync(client=api, body=ProjectBody(name="Globex Launch", client_ids=[tom])), "Globex")

    def task(title, visibility):
        body = TaskBody(title=title, visibility=TaskBodyVisibility(visibility))
        return ok(create_task.sync(brand, client=api, body=body), f"task {title}").id

    def message(text, visibility):
        body = MessageBody(body=text, visibility=MessageBodyVisibilityType0(visibility))
        return ok(post_message.sync(brand, client=api, body=body), f"message {text}").id

    shared_task = task("Logo concepts", "client")
    task("Margin review", "internal")
    shared_message = message("Kick-off on Monday", "client")
    message("Client is slow to pay", "internal")
    guide = File(payload=io.BytesIO(b"%PDF-1.7 brand guide"), file_name="brand-guide.pdf", mime_type="application/pdf")
    upload = UploadBody(file=guide, visibility=UploadBodyVisibility.CLIENT)
    shared_file = ok(upload_file.sync(brand, client=api, body=upload), "upload the brand guide").id
    approval = ok(request_approval.sync(client=api, body=ApprovalBodyType0(task_id=shared_task)), "approval").id
    line = LineBody(description="Brand workshop", quantity="2", unit_price_minor=125_000)
    invoice = InvoiceBody(
        client_id=lisa, project_id=str(brand), number="ACME-001", currency=InvoiceBodyCurrency.EUR, lines=[line]
    )
    invoice = ok(create_invoice.sync(client=api, body=invoice), "create Lisa's invoice").id
    ok(send_invoice.sync(invoice, client=api), "send the invoice")

    # Each client takes the invitation link the outbox shows (no mail server in this run).
    links = {m.to: m.invitation_link for m in ok(outbox.sync(client=api, limit=200), "the outbox").items if m.invitation_link}
    portals = {}
    for email in ["sarah@acme.example", "james@acme.example", "lisa@acme.example", "tom@globex.example"]:
        secret = links[email].rsplit("/", 1)[1]
        answer = accept_invitation.sync_detailed(client=Client(base_url=base), body=LinkPasswordBody(token=secret, password=password))
        if answer.status_code != HTTPStatus.NO_CONTENT:
            sys.exit(f"{email} accepts the invitation: {answer.status_code} {answer.content!r}")
        portals[email] = signed_in(base, email, password)

    def seen(email):
        return portal_project.sync(brand, client=portals[email][0])

    sarah_view = ok(seen("sarah@acme.example"), "Sarah's project")
    assert [t.title for t in sarah_view.tasks] == ["Logo concepts"], sarah_view.tasks
    assert [f.name for f in sarah_view.files] == ["brand-guide.pdf"], sarah_view.files
    assert [m.body for m in sarah_view.messages] == ["Kick-off on Monday"], sarah_view.messages
    assert len(sarah_view.approvals) == 1, sarah_view.approvals
    shown = json.dumps(sarah_view.to_dict())
    for internal in ["Margin review", "Client is slow to pay"]:
        assert internal not in shown, f"Sarah must not see {internal}"

    james_view = ok(seen("james@acme.example"), "James's project")
    assert [t.title for t in james_view.tasks] == ["Logo concepts"] and not james_view.approvals
    lisa_invoices = ok(portal_invoices.sync(client=portals["lisa@acme.example"][0]), "Lisa's invoices")
    assert [i.number for i in lisa_invoices.items] == ["ACME-001"], lisa_invoices.items
    lisa_view = seen("lisa@acme.example")
    assert isinstance(lisa_view, Problem) and lisa_view.status == 404, "Lisa has no projects permission"
    tom_view = seen("tom@globex.example")
    assert isinstance(tom_view, Problem) and tom_view.status == 404, "Tom sees nothing of Acme's"
    tom_projects = ok(portal_projects.sync(client=portals["tom@globex.example"][0]), "Tom's projects")
    assert [p.name for p in tom_projects.items] == ["Globex Launch"], tom_projects.items

    acme = ok(list_clients.sync(client=api, company="Acme Corp", status=ListClientsStatus.ACTIVE), "Acme's contacts")
    assert sorted(c.name for c in acme.items) == ["James Okafor", "Lisa Park", "Sarah Chen"], acme.items

    json.dump(
        {
            "token": token.secret,
            "sarah_session": portals["sarah@acme.example"][1],
            **{
                name: str(value)
                for name, value in [
                    ("project", brand),
                    ("task", shared_task),
                    ("file", shared_file),
                    ("message", shared_message),
                    ("approval", approval),
                    ("invoice", invoice),
                    ("james", james),
                ]
            },
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
