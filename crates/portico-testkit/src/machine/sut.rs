//! The system under test: the real application on a store, driven by the model's actions.

use std::marker::PhantomData;
use std::sync::Arc;

use portico_app::forms::{
    AmountInput, ClientEditForm, ClientForm, InvoiceForm, LineForm, MessageForm, PaymentForm, ProjectForm, TaskForm,
    UploadForm, VoidForm,
};
use portico_app::{Actor, AppError, AppResult};
use portico_app::{Answer, NewMessage};
use portico_domain::approval::{ApprovalDecision, ApprovalSubject};
use portico_domain::content::{TaskEdit, Visibility};
use portico_domain::ids::{ApprovalId, ClientId, FileId, InvoiceId, MessageId, ProjectId, TaskId};
use portico_domain::money::{Currency, Locale};
use portico_domain::portal::PortalProject;
use portico_domain::project::ProjectStatus;
use portico_domain::text::MessageBody;
use portico_memory::MemoryStore;
use portico_ports::Store;
use proptest_state_machine::StateMachineTest;
use time::Duration;
use tokio::runtime::Runtime;
use uuid::Uuid;

use super::model::{Action, INVOICE_TOTAL, Model, Outcome, PART_PAYMENT, Share};
use crate::harness::{START, TestApp};

/// Where each test case gets a fresh, empty store.
pub trait FreshStore: 'static {
    /// A new empty store, made on `runtime`.
    fn fresh(runtime: &Runtime) -> Arc<dyn Store>;
}

/// Fresh in-memory stores.
#[derive(Debug)]
pub struct InMemory;

impl FreshStore for InMemory {
    fn fresh(_: &Runtime) -> Arc<dyn Store> {
        Arc::new(MemoryStore::new())
    }
}

/// The state-machine test, on stores from `S`.
#[derive(Debug)]
pub struct Machine<S>(PhantomData<S>);

/// The application and the ids of what it created, in creation order.
pub struct Sut {
    runtime: Runtime,
    app: TestApp,
    emails: usize,
    clients: Vec<ClientId>,
    projects: Vec<ProjectId>,
    tasks: Vec<TaskId>,
    files: Vec<FileId>,
    messages: Vec<MessageId>,
    approvals: Vec<ApprovalId>,
    invoices: Vec<InvoiceId>,
}

fn outcome<T>(result: &AppResult<T>) -> Outcome {
    match result {
        Ok(_) => Outcome::Ok,
        Err(AppError::NotFound) => Outcome::NotFound,
        Err(AppError::Forbidden) => Outcome::Forbidden,
        Err(AppError::Unauthenticated) => Outcome::Unauthenticated,
        Err(AppError::Rule(_) | AppError::Conflict(_) | AppError::Link(_) | AppError::Invalid(_)) => Outcome::Refused,
        Err(error @ (AppError::Storage(_) | AppError::Service(_))) => {
            panic!("infrastructure failed: {error:?}")
        }
    }
}

fn visibility(internal: bool) -> Visibility {
    if internal { Visibility::Internal } else { Visibility::Client }
}

/// The visibility as a form field.
fn visibility_field(internal: bool) -> String {
    visibility(internal).as_str().to_owned()
}

fn parsed<T, E: std::fmt::Debug>(result: Result<T, E>) -> T {
    result.expect("the machine only sends well-formed input")
}

impl Sut {
    fn admin(&self) -> Actor {
        self.app.admin
    }

    fn client(&self, index: usize) -> Actor {
        self.app.client(self.clients[index])
    }

    /// Runs `action`, records created ids, and returns how it ended.
    #[allow(clippy::too_many_lines)] // One arm per action, mirroring the model.
    fn run(&mut self, action: &Action) -> Outcome {
        let p = self.app.portico.clone();
        let admin = self.admin();
        let rt = &self.runtime;
        match *action {
            Action::CreateClient { permissions, invite } => {
                self.emails += 1;
                let form = ClientForm {
                    name: format!("Client {}", self.clients.len()),
                    email: format!("client{}@acme.example", self.emails),
                    invite,
                    ..ClientForm::default()
                };
                let mut new = parsed(form.parse());
                new.permissions = permissions;
                let result = rt.block_on(p.create_client(&admin, new));
                if let Ok(created) = &result {
                    self.clients.push(created.client.id());
                }
                outcome(&result)
            }
            Action::AcceptInvitation { client } => {
                match rt.block_on(self.app.activate(self.clients[client])) {
                    // No invitation was ever queued: there is no link to follow.
                    Err(AppError::NotFound) => Outcome::Refused,
                    result => outcome(&result),
                }
            }
            Action::ResendInvitation { client } => {
                outcome(&rt.block_on(p.resend_invitation(&admin, self.clients[client])))
            }
            Action::ChangeEmail { client } => {
                self.emails += 1;
                let form =
                    ClientEditForm { email: Some(format!("client{}@acme.example", self.emails)), ..Default::default() };
                outcome(&rt.block_on(p.edit_client(&admin, self.clients[client], parsed(form.parse()))))
            }
            Action::SetPermissions { client, permissions } => {
                outcome(&rt.block_on(p.set_client_permissions(&admin, self.clients[client], permissions)))
            }
            Action::Deactivate { client } => outcome(&rt.block_on(p.deactivate_client(&admin, self.clients[client]))),
            Action::Reactivate { client } => outcome(&rt.block_on(p.reactivate_client(&admin, self.clients[client]))),
            Action::Delete { client } => outcome(&rt.block_on(p.delete_client(&admin, self.clients[client]))),
            Action::CreateProject => {
                let form = ProjectForm { name: format!("Project {}", self.projects.len()), ..ProjectForm::default() };
                let result = rt.block_on(p.create_project(&admin, parsed(form.parse())));
                if let Ok(project) = &result {
                    self.projects.push(project.id);
                }
                outcome(&result)
            }
            Action::Archive { project } => {
                outcome(&rt.block_on(p.set_project_status(&admin, self.projects[project], ProjectStatus::Archived)))
            }
            Action::Unarchive { project } => {
                outcome(&rt.block_on(p.set_project_status(&admin, self.projects[project], ProjectStatus::Active)))
            }
            Action::Assign { client, project, scope } => {
                outcome(&rt.block_on(p.assign_client(&admin, self.projects[project], self.clients[client], scope)))
            }
            Action::Unassign { client, project } => {
                outcome(&rt.block_on(p.remove_client(&admin, self.projects[project], self.clients[client])))
            }
            Action::SetScope { client, project, scope } => outcome(&rt.block_on(p.set_assignment_scope(
                &admin,
                self.projects[project],
                self.clients[client],
                scope,
            ))),
            Action::CreateTask { project, internal } => {
                let form = TaskForm {
                    title: "Task".to_owned(),
                    visibility: visibility_field(internal),
                    ..TaskForm::default()
                };
                let result = rt.block_on(p.create_task(&admin, self.projects[project], parsed(form.parse())));
                if let Ok(task) = &result {
                    self.tasks.push(task.id);
                }
                outcome(&result)
            }
            Action::SetTaskVisibility { task, internal } => {
                let edit = TaskEdit { visibility: Some(visibility(internal)), ..TaskEdit::default() };
                outcome(&rt.block_on(p.edit_task(&admin, self.tasks[task], edit)))
            }
            Action::UploadFile { project, internal } => {
                let upload = UploadForm {
                    name: "brief.pdf".to_owned(),
                    content_type: None,
                    bytes: b"%PDF".to_vec(),
                    visibility: Some(visibility_field(internal)),
                };
                let result = rt.block_on(p.upload_file(&admin, self.projects[project], parsed(upload.parse())));
                if let Ok(file) = &result {
                    self.files.push(file.id);
                }
                outcome(&result)
            }
            Action::SetFileVisibility { file, internal } => {
                let to = visibility(internal);
                outcome(&rt.block_on(p.set_file_visibility(&admin, self.files[file], to)))
            }
            Action::PostMessage { project, internal } => {
                let form = MessageForm { body: "Update".to_owned(), visibility: Some(visibility_field(internal)) };
                let result = rt.block_on(p.post_message(&admin, self.projects[project], parsed(form.parse())));
                self.created_message(&result);
                outcome(&result)
            }
            Action::Comment { task, internal } => {
                let new = NewMessage { body: body(), visibility: visibility(internal) };
                let result = rt.block_on(p.comment_on_task(&admin, self.tasks[task], new));
                self.created_message(&result);
                outcome(&result)
            }
            Action::SetMessageVisibility { message, internal } => {
                let to = visibility(internal);
                outcome(&rt.block_on(p.set_message_visibility(&admin, self.messages[message], to)))
            }
            Action::ClientPost { client, project } => {
                let result = rt.block_on(p.portal_post_message(&self.client(client), self.projects[project], body()));
                self.created_message(&result);
                outcome(&result)
            }
            Action::ClientComment { client, task } => {
                let result = rt.block_on(p.portal_comment(&self.client(client), self.tasks[task], body()));
                self.created_message(&result);
                outcome(&result)
            }
            Action::ClientUpload { client, project } => {
                let upload = UploadForm {
                    name: "reply.png".to_owned(),
                    content_type: Some("image/png".into()),
                    bytes: vec![1, 2, 3],
                    visibility: None,
                };
                let result = rt.block_on(p.portal_upload_file(
                    &self.client(client),
                    self.projects[project],
                    parsed(upload.parse()),
                ));
                if let Ok(file) = &result {
                    self.files.push(file.id);
                }
                outcome(&result)
            }
            Action::RequestApproval { on_task, item } => {
                let subject = if on_task {
                    ApprovalSubject::Task(self.tasks[item])
                } else {
                    ApprovalSubject::File(self.files[item])
                };
                let result = rt.block_on(p.request_approval(&admin, subject));
                if let Ok(request) = &result {
                    self.approvals.push(request.id);
                }
                outcome(&result)
            }
            Action::AnswerApproval { client, approval } => {
                let answer = Answer { decision: ApprovalDecision::Approved, comment: None };
                outcome(&rt.block_on(p.answer_approval(&self.client(client), self.approvals[approval], answer)))
            }
            Action::CreateInvoice { client, project } => {
                let form = InvoiceForm {
                    client_id: self.clients[client].to_string(),
                    project_id: project.map(|p| self.projects[p].to_string()),
                    currency: "EUR".to_owned(),
                    lines: vec![LineForm {
                        description: "Work".to_owned(),
                        quantity: "1".to_owned(),
                        unit_price: AmountInput::Minor(INVOICE_TOTAL),
                        ..LineForm::default()
                    }],
                    ..InvoiceForm::default()
                };
                let result = rt.block_on(p.create_invoice(&admin, parsed(form.parse(Locale::default()))));
                if let Ok(invoice) = &result {
                    self.invoices.push(invoice.id());
                }
                outcome(&result)
            }
            Action::SendInvoice { invoice } => outcome(&rt.block_on(p.send_invoice(&admin, self.invoices[invoice]))),
            Action::PayInvoice { invoice } => {
                outcome(&rt.block_on(p.mark_invoice_paid(&admin, self.invoices[invoice])))
            }
            Action::PayPart { invoice } => {
                let form = PaymentForm {
                    amount: AmountInput::Minor(PART_PAYMENT),
                    paid_on: START.date().to_string(),
                    method: "bank_transfer".to_owned(),
                    reference: None,
                };
                let payment = parsed(form.parse(parsed(Currency::parse("EUR")), Locale::default()));
                outcome(&rt.block_on(p.record_payment(&admin, self.invoices[invoice], payment)))
            }
            Action::VoidInvoice { invoice } => {
                let reason = parsed(VoidForm { reason: "Billed twice".to_owned() }.parse());
                outcome(&rt.block_on(p.void_invoice(&admin, self.invoices[invoice], reason)))
            }
            Action::DeleteInvoice { invoice } => {
                outcome(&rt.block_on(p.delete_invoice(&admin, self.invoices[invoice])))
            }
        }
    }

    fn created_message(&mut self, result: &AppResult<portico_domain::content::Message>) {
        if let Ok(message) = result {
            self.messages.push(message.id);
        }
    }

    /// What client `c`'s portal shows, as indices; `None` when the portal refuses the client.
    fn portal(&self, c: usize) -> Option<Share> {
        let p = &self.app.portico;
        let actor = self.client(c);
        let rt = &self.runtime;
        let listed = match rt.block_on(p.portal_projects(&actor)) {
            Ok(listed) => listed,
            Err(AppError::Unauthenticated) => return None,
            Err(error) => panic!("portal list failed: {error:?}"),
        };
        let index =
            |ids: &[Uuid], id: Uuid| ids.iter().position(|known| *known == id).expect("an id the machine created");
        let uuids = |ids: &[ProjectId]| ids.iter().map(ProjectId::as_uuid).collect::<Vec<_>>();
        let project_ids = uuids(&self.projects);
        let mut share = Share {
            projects: listed.iter().map(|s| index(&project_ids, s.id.as_uuid())).collect(),
            ..Share::default()
        };
        let (tasks, files, messages, approvals) = (
            self.tasks.iter().map(TaskId::as_uuid).collect::<Vec<_>>(),
            self.files.iter().map(FileId::as_uuid).collect::<Vec<_>>(),
            self.messages.iter().map(MessageId::as_uuid).collect::<Vec<_>>(),
            self.approvals.iter().map(ApprovalId::as_uuid).collect::<Vec<_>>(),
        );
        for (n, project) in self.projects.iter().enumerate() {
            match rt.block_on(p.portal_project(&actor, *project)) {
                Ok(view) => {
                    assert!(share.projects.contains(&n), "project {n} opens but is not listed");
                    collect(
                        &view,
                        &mut share,
                        |id| index(&tasks, id),
                        |id| index(&files, id),
                        |id| index(&messages, id),
                        |id| index(&approvals, id),
                    );
                }
                Err(AppError::NotFound) => {
                    assert!(!share.projects.contains(&n), "project {n} is listed but does not open");
                }
                Err(error) => panic!("portal project failed: {error:?}"),
            }
        }
        let invoice_ids: Vec<Uuid> = self.invoices.iter().map(InvoiceId::as_uuid).collect();
        let invoices = rt.block_on(p.portal_invoices(&actor)).expect("portal invoices");
        share.invoices = invoices.iter().map(|i| index(&invoice_ids, i.id.as_uuid())).collect();
        for (n, file) in self.files.iter().enumerate() {
            match rt.block_on(p.portal_download_file(&actor, *file)) {
                Ok(_) => assert!(share.files.contains(&n), "file {n} downloads but is not shown"),
                Err(AppError::NotFound) => {
                    assert!(!share.files.contains(&n), "file {n} is shown but does not download");
                }
                Err(error) => panic!("download failed: {error:?}"),
            }
        }
        Some(share)
    }
}

fn body() -> MessageBody {
    MessageBody::parse("Thanks!").expect("valid body")
}

/// Adds the items of a portal project view to `share`, as indices.
fn collect(
    view: &PortalProject,
    share: &mut Share,
    task: impl Fn(Uuid) -> usize,
    file: impl Fn(Uuid) -> usize,
    message: impl Fn(Uuid) -> usize,
    approval: impl Fn(Uuid) -> usize,
) {
    for t in &view.tasks {
        share.tasks.insert(task(t.id.as_uuid()));
        share.messages.extend(t.comments.iter().map(|c| message(c.id.as_uuid())));
    }
    share.files.extend(view.files.iter().map(|f| file(f.id.as_uuid())));
    share.messages.extend(view.messages.iter().map(|m| message(m.id.as_uuid())));
    share.approvals.extend(view.approvals.iter().map(|a| approval(a.id.as_uuid())));
}

impl<S: FreshStore> StateMachineTest for Machine<S> {
    type SystemUnderTest = Sut;
    type Reference = Model;

    fn init_test(_: &Model) -> Sut {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime starts");
        let store = S::fresh(&runtime);
        let app = runtime.block_on(TestApp::on(store));
        Sut {
            runtime,
            app,
            emails: 0,
            clients: Vec::new(),
            projects: Vec::new(),
            tasks: Vec::new(),
            files: Vec::new(),
            messages: Vec::new(),
            approvals: Vec::new(),
            invoices: Vec::new(),
        }
    }

    fn apply(mut sut: Sut, model: &Model, action: Action) -> Sut {
        sut.app.clock.advance(Duration::seconds(1));
        let got = sut.run(&action);
        assert_eq!(Some(got), model.outcome, "{action:?}");
        sut
    }

    fn check_invariants(sut: &Sut, model: &Model) {
        for c in 0..model.counts()[0] {
            let expected = model.is_active(c).then(|| model.share(c));
            assert_eq!(sut.portal(c), expected, "client {c}'s portal");
        }
    }
}
