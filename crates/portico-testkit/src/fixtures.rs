//! The guide's example as data: a creative agency redesigning Acme Corp's brand.
//!
//! Sarah (marketing director) has full access, James (project coordinator) tasks, files and
//! messages, Lisa (accounts payable) invoices and payments only — all three on "Acme Corp
//! Brand Refresh". A second company, Globex, has Tom on "Globex Launch", so every test can
//! check that nothing crosses between clients.

use std::sync::Arc;

use portico_app::forms::{
    AmountInput, ClientForm, InvoiceForm, LineForm, MessageForm, PermissionsInput, ProjectForm, TaskForm, UploadForm,
};
use portico_app::{Actor, AppResult};
use portico_domain::approval::ApprovalSubject;
use portico_domain::ids::{ApprovalId, ClientId, FileId, InvoiceId, MessageId, ProjectId, TaskId};
use portico_domain::money::Locale;
use portico_ports::Store;

use crate::harness::TestApp;

/// The Acme scenario, built through the use cases, with every client active.
#[allow(missing_docs)] // Each field names the record of the same name in the scenario.
pub struct Acme {
    pub app: TestApp,
    pub sarah: ClientId,
    pub james: ClientId,
    pub lisa: ClientId,
    pub tom: ClientId,
    pub brand_refresh: ProjectId,
    pub globex_launch: ProjectId,
    /// Client-visible, with an approval request and a comment.
    pub shared_task: TaskId,
    pub internal_task: TaskId,
    pub shared_file: FileId,
    pub internal_file: FileId,
    pub shared_message: MessageId,
    pub internal_message: MessageId,
    pub approval: ApprovalId,
    /// Sent, addressed to Lisa, billing the brand refresh.
    pub invoice: InvoiceId,
    /// Client-visible, on Globex Launch.
    pub globex_task: TaskId,
}

fn client_form(name: &str, email: &str, company: &str, preset: &str) -> ClientForm {
    ClientForm {
        name: name.to_owned(),
        email: email.to_owned(),
        company: Some(company.to_owned()),
        permissions: PermissionsInput::Preset(preset.to_owned()),
        ..ClientForm::default()
    }
}

impl Acme {
    /// The scenario in memory.
    ///
    /// # Errors
    /// Whatever a use case fails with (a bug).
    pub async fn in_memory() -> AppResult<Self> {
        Self::build(TestApp::in_memory().await).await
    }

    /// The scenario on `store` (empty).
    ///
    /// # Errors
    /// Whatever a use case fails with (a bug).
    pub async fn on(store: Arc<dyn Store>) -> AppResult<Self> {
        Self::build(TestApp::on(store).await).await
    }

    async fn build(app: TestApp) -> AppResult<Self> {
        let p = &app.portico;
        let admin = &app.admin;
        let mut clients = Vec::new();
        for (name, email, company, preset) in [
            ("Sarah Chen", "sarah@acme.example", "Acme Corp", "full_access"),
            ("James Ortiz", "james@acme.example", "Acme Corp", "collaborator"),
            ("Lisa Park", "lisa@acme.example", "Acme Corp", "billing_only"),
            ("Tom Becker", "tom@globex.example", "Globex", "collaborator"),
        ] {
            let id = p.create_client(admin, client_form(name, email, company, preset).parse()?).await?.client.id();
            app.activate(id).await?;
            clients.push(id);
        }
        let [sarah, james, lisa, tom] = clients[..] else { unreachable!("four clients were created") };
        let project = |name: &str, clients: &[ClientId]| ProjectForm {
            name: name.to_owned(),
            description: Some(format!("{name}: the agency's work.")),
            deadline: Some("2026-06-30".to_owned()),
            client_ids: clients.iter().map(ToString::to_string).collect(),
            team_ids: vec![],
        };
        let brand_refresh =
            p.create_project(admin, project("Acme Corp Brand Refresh", &[sarah, james, lisa]).parse()?).await?.id;
        let globex_launch = p.create_project(admin, project("Globex Launch", &[tom]).parse()?).await?.id;
        let task = |title: &str, visibility: &str| TaskForm {
            title: title.to_owned(),
            visibility: visibility.to_owned(),
            ..TaskForm::default()
        };
        let shared_task =
            p.create_task(admin, brand_refresh, task("Review logo concepts", "client").parse()?).await?.id;
        let internal_task =
            p.create_task(admin, brand_refresh, task("Negotiate font licence", "internal").parse()?).await?.id;
        let globex_task = p.create_task(admin, globex_launch, task("Launch plan", "client").parse()?).await?.id;
        let upload = |name: &str, visibility: &str| UploadForm {
            name: name.to_owned(),
            content_type: Some("application/pdf".to_owned()),
            bytes: format!("%PDF {name}").into_bytes(),
            visibility: Some(visibility.to_owned()),
        };
        let shared_file = p.upload_file(admin, brand_refresh, upload("logo-concepts.pdf", "client").parse()?).await?.id;
        let internal_file = p.upload_file(admin, brand_refresh, upload("budget.pdf", "internal").parse()?).await?.id;
        let message = |body: &str, visibility: &str| MessageForm {
            body: body.to_owned(),
            visibility: Some(visibility.to_owned()),
        };
        let shared_message =
            p.post_message(admin, brand_refresh, message("Kick-off on Monday.", "client").parse()?).await?.id;
        let internal_message =
            p.post_message(admin, brand_refresh, message("Client is slow to pay.", "internal").parse()?).await?.id;
        p.comment_on_task(admin, shared_task, message("Three concepts attached.", "client").parse()?).await?;
        let approval = p.request_approval(admin, ApprovalSubject::Task(shared_task)).await?.id;
        let invoice = InvoiceForm {
            client_id: lisa.to_string(),
            project_id: Some(brand_refresh.to_string()),
            number: Some("INV-2026-001".to_owned()),
            currency: "EUR".to_owned(),
            due_date: Some("2026-04-30".to_owned()),
            lines: vec![LineForm {
                description: "Brand workshop".to_owned(),
                quantity: "1.5".to_owned(),
                unit_price: AmountInput::Minor(120_000),
                ..LineForm::default()
            }],
            ..InvoiceForm::default()
        };
        let invoice = p.create_invoice(admin, invoice.parse(Locale::default())?).await?.id();
        p.send_invoice(admin, invoice).await?;
        Ok(Self {
            app,
            sarah,
            james,
            lisa,
            tom,
            brand_refresh,
            globex_launch,
            shared_task,
            internal_task,
            shared_file,
            internal_file,
            shared_message,
            internal_message,
            approval,
            invoice,
            globex_task,
        })
    }

    /// The actor of a client of the scenario.
    pub fn as_client(&self, id: ClientId) -> Actor {
        self.app.client(id)
    }
}

/// Checks that `store`, holding the Acme scenario's rows from an older schema brought up to
/// date, reads exactly like the scenario built afresh in memory: each client's portal, the
/// invoices, search, and an outbox that keeps no link secret of the old, unsealed kind.
///
/// # Panics
/// On the first difference.
pub async fn assert_reads_like_acme(store: Arc<dyn Store>) {
    let reference = Acme::in_memory().await.expect("the scenario");
    let (migrated, _, _) = crate::harness::wired(store);
    let expected = &reference.app.portico;
    for client in [reference.sarah, reference.james, reference.lisa, reference.tom] {
        let actor = reference.as_client(client);
        assert_same_but_ids(&migrated.portal_projects(&actor).await.ok(), &expected.portal_projects(&actor).await.ok());
        assert_same_but_ids(&migrated.portal_invoices(&actor).await.ok(), &expected.portal_invoices(&actor).await.ok());
    }
    let sarah = reference.as_client(reference.sarah);
    assert_same_but_ids(
        &migrated.portal_project(&sarah, reference.brand_refresh).await.expect("visible"),
        &expected.portal_project(&sarah, reference.brand_refresh).await.expect("visible"),
    );
    let admin = &reference.app.admin;
    let query = portico_ports::repos::ClientQuery { text: Some("ortiz".into()), ..Default::default() };
    let found = migrated.list_clients(admin, &query, &portico_ports::PageRequest::first()).await.expect("search");
    assert_eq!(found.items.iter().map(portico_domain::client::Client::id).collect::<Vec<_>>(), [reference.james]);
    let outbox = migrated.outbox(admin, &portico_ports::PageRequest::new(None, 200)).await.expect("outbox");
    assert!(outbox.items.iter().any(|m| m.content.link_purpose().is_some()), "the invitations are there");
    assert!(outbox.items.iter().all(|m| !m.keeps_link(None)), "no link secret survives the upgrade");
}

/// Asserts that `migrated` and `expected` are equal once every id in them is renamed by its
/// first appearance: the scenario built afresh today makes records the old schema had not
/// (activity events and notices take ids too), so later records get other ids than the
/// dumped rows, while everything else must read the same.
fn assert_same_but_ids(migrated: &impl std::fmt::Debug, expected: &impl std::fmt::Debug) {
    let (migrated, expected) = (renamed_ids(&format!("{migrated:?}")), renamed_ids(&format!("{expected:?}")));
    assert_eq!(migrated, expected);
}

/// `text` with each UUID replaced by `id#n`, n counting distinct UUIDs in order of appearance.
fn renamed_ids(text: &str) -> String {
    let is_uuid = |candidate: &[u8]| {
        candidate.len() == 36
            && candidate.iter().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => *b == b'-',
                _ => b.is_ascii_hexdigit(),
            })
    };
    let (bytes, mut seen, mut out, mut i) = (text.as_bytes(), Vec::<&str>::new(), String::new(), 0);
    while i < bytes.len() {
        if i + 36 <= bytes.len() && is_uuid(&bytes[i..i + 36]) {
            let id = &text[i..i + 36];
            let n = seen.iter().position(|s| *s == id).unwrap_or_else(|| {
                seen.push(id);
                seen.len() - 1
            });
            out.push_str("id#");
            out.push_str(&n.to_string());
            i += 36;
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::renamed_ids;

    #[test]
    fn ids_are_renamed_by_first_appearance_and_nothing_else_changes() {
        let a = "x 00000000-0000-0001-0000-000000000043 y 00000000-0000-0001-0000-00000000001d x 00000000-0000-0001-0000-000000000043";
        assert_eq!(renamed_ids(a), "x id#0 y id#1 x id#0");
        assert_ne!(
            renamed_ids("a 00000000-0000-0001-0000-000000000043"),
            renamed_ids("b 00000000-0000-0001-0000-000000000043")
        );
    }
}
