//! Embeds Portico in a program with the in-memory adapters and plays the guide's example:
//! an agency redesigning Acme Corp's brand, with three contacts who each get a different
//! share of the project. Prints what each client's portal shows.
//!
//! Run with `cargo run -p portico-app --example acme`.
#![allow(clippy::print_stdout)] // Printing is the point of the example.

use std::sync::Arc;

use portico_app::forms::{
    AmountInput, ClientForm, InvoiceForm, LineForm, MessageForm, PermissionsInput, ProjectForm, TaskForm, UploadForm,
};
use portico_app::{Actor, Portico, Services};
use portico_argon2::Argon2Hasher;
use portico_domain::email::EmailAddress;
use portico_domain::mail::MailContent;
use portico_domain::money::Locale;
use portico_domain::password::NewPassword;
use portico_domain::staff::UserRef;
use portico_domain::text::{PersonName, WorkspaceName};
use portico_memory::{MemoryFileStore, MemoryStore};
use portico_os::{RandomIds, RandomSecrets, SystemClock};
use portico_ports::PageRequest;

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let portico = Portico::new(Services {
        store: Arc::new(MemoryStore::new()),
        clock: Arc::new(SystemClock),
        ids: Arc::new(RandomIds),
        secrets: Arc::new(RandomSecrets),
        secret_box: Arc::new(portico_seal::KeyBox::random()),
        hasher: Arc::new(Argon2Hasher::new()),
        files: Arc::new(MemoryFileStore::new()),
        documents: Arc::new(portico_pdf::PdfDocuments),
    });
    let workspace = portico.create_workspace(WorkspaceName::parse("Studio North")?).await?.id;
    let admin_name = PersonName::parse("Ada Admin")?;
    let password = NewPassword::parse("a long and private passphrase")?;
    let (admin, _) = portico
        .bootstrap_admin(workspace, admin_name, EmailAddress::parse("ada@studio.example")?, Some(password.clone()))
        .await?;
    let admin = Actor::staff(workspace, admin.id);

    // Three contacts at one company, each with the permissions their role needs.
    let mut contacts = Vec::new();
    for (name, email, preset) in [
        ("Sarah Chen", "sarah@acme.example", "full_access"),
        ("James Ortiz", "james@acme.example", "collaborator"),
        ("Lisa Park", "lisa@acme.example", "billing_only"),
    ] {
        let form = ClientForm {
            name: name.into(),
            email: email.into(),
            company: Some("Acme Corp".into()),
            permissions: PermissionsInput::Preset(preset.into()),
            ..ClientForm::default()
        };
        let client = portico.create_client(&admin, form.parse()?).await?.client;
        // Each contact follows the link from their invitation mail and sets a password.
        let link = invitation_link(&portico, &admin, UserRef::Client(client.id())).await?;
        let actor = portico.accept_invitation(&link, &password).await?;
        contacts.push((name, actor));
    }

    let project = ProjectForm {
        name: "Acme Corp Brand Refresh".into(),
        deadline: Some("2026-06-30".into()),
        client_ids: contacts.iter().map(|(_, actor)| client_id(actor)).collect(),
        ..ProjectForm::default()
    };
    let project = portico.create_project(&admin, project.parse()?).await?.id;
    for (title, visibility) in [("Review logo concepts", "client"), ("Negotiate font licence", "internal")] {
        let task = TaskForm { title: title.into(), visibility: visibility.into(), ..TaskForm::default() };
        portico.create_task(&admin, project, task.parse()?).await?;
    }
    let file = UploadForm {
        name: "logo-concepts.pdf".into(),
        content_type: Some("application/pdf".into()),
        bytes: b"%PDF-1.7".to_vec(),
        visibility: Some("client".into()),
    };
    portico.upload_file(&admin, project, file.parse()?).await?;
    let note = MessageForm { body: "Kick-off on Monday at 10.".into(), visibility: Some("client".into()) };
    portico.post_message(&admin, project, note.parse()?).await?;
    let invoice = InvoiceForm {
        client_id: client_id(&contacts[2].1),
        project_id: Some(project.to_string()),
        currency: "EUR".into(),
        net_days: Some("30".into()),
        lines: vec![LineForm {
            description: "Brand workshop".into(),
            quantity: "1.5".into(),
            unit_price: AmountInput::Typed("1.200,00".into()),
            tax_rate: Some("19".into()),
            tax_name: Some("VAT".into()),
        }],
        ..InvoiceForm::default()
    };
    let invoice = portico.create_invoice(&admin, invoice.parse(Locale::DeDe)?).await?;
    portico.send_invoice(&admin, invoice.id()).await?;

    for (name, actor) in &contacts {
        println!("{name} sees:");
        for summary in portico.portal_projects(actor).await? {
            let view = portico.portal_project(actor, summary.id).await?;
            println!("  project  {} ({})", summary.name, summary.status.as_str());
            for task in &view.tasks {
                println!("    task     {}", task.title);
            }
            for file in &view.files {
                println!("    file     {}", file.name);
            }
            for message in &view.messages {
                println!("    message  {}: {}", message.author, message.body);
            }
        }
        for invoice in portico.portal_invoices(actor).await? {
            println!(
                "  invoice  {} {} ({})",
                invoice.number,
                invoice.totals.total.display_in(Locale::EnUs),
                invoice.status.label()
            );
        }
    }
    Ok(())
}

/// The secret of the newest invitation queued for `user`, as the mail would carry it.
async fn invitation_link(portico: &Portico, admin: &Actor, user: UserRef) -> Result<String, Failure> {
    let outbox = portico.outbox(admin, &PageRequest::first()).await?;
    outbox
        .items
        .into_iter()
        .filter(|message| message.about == Some(user))
        .filter(|message| matches!(message.content, MailContent::Invitation { .. }))
        .find_map(|message| portico.link_secret(&message)?.ok().map(|secret| secret.expose().to_owned()))
        .ok_or_else(|| "no invitation was queued".into())
}

fn client_id(actor: &Actor) -> String {
    match actor.user {
        UserRef::Client(id) => id.to_string(),
        UserRef::Staff(id) => id.to_string(),
    }
}
