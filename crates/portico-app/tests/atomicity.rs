//! A use case commits all of its writes or none: when any part fails — the outbox, a
//! repository, the file store — nothing is left behind. The failing parts are mocks.

use std::sync::Arc;

use async_trait::async_trait;
use portico_app::forms::{ClientForm, UploadForm};
use portico_app::{AppError, Portico, Services};
use portico_memory::MemoryStore;
use portico_os::RandomSecrets;
use portico_ports::repos::{
    ActivityRepo, ApiTokenRepo, ApprovalRepo, AssignmentRepo, AuditRepo, ClientRepo, CredentialRepo, FileRepo,
    InvoiceRepo, MembershipRepo, MessageRepo, MockFileRepo, MockOutboxRepo, NotificationRepo, OutboxRepo,
    PreferenceRepo, ProjectRepo, SessionRepo, StaffRepo, TaskRepo, TokenRepo, WorkspaceRepo,
};
use portico_ports::{FileStoreError, MockFileStore, PageRequest, RepoError, RepoResult, Store, UnitOfWork};
use portico_testkit::doubles::{ManualClock, SequentialIds, TestHasher};
use portico_testkit::harness::{START, TestApp};

/// Which repository of the unit should fail.
#[derive(Clone, Copy)]
enum Broken {
    Outbox,
    Files,
}

/// A memory store whose units have one broken repository.
struct BrokenStore {
    inner: MemoryStore,
    broken: Broken,
}

struct BrokenUnit {
    inner: Box<dyn UnitOfWork>,
    outbox: Option<MockOutboxRepo>,
    files: Option<MockFileRepo>,
}

fn failure() -> RepoError {
    RepoError::unavailable(std::io::Error::other("disk full"))
}

#[async_trait]
impl Store for BrokenStore {
    async fn begin(&self) -> RepoResult<Box<dyn UnitOfWork>> {
        let inner = self.inner.begin().await?;
        let (mut outbox, mut files) = (None, None);
        match self.broken {
            Broken::Outbox => {
                let mut mock = MockOutboxRepo::new();
                mock.expect_enqueue().returning(|_| Err(failure()));
                // A new client has no older links to erase.
                mock.expect_about().returning(|_, _| Ok(Vec::new()));
                outbox = Some(mock);
            }
            Broken::Files => {
                let mut mock = MockFileRepo::new();
                mock.expect_insert().returning(|_| Err(failure()));
                files = Some(mock);
            }
        }
        Ok(Box::new(BrokenUnit { inner, outbox, files }))
    }
}

#[async_trait]
impl UnitOfWork for BrokenUnit {
    fn workspaces(&mut self) -> &mut dyn WorkspaceRepo {
        self.inner.workspaces()
    }
    fn staff(&mut self) -> &mut dyn StaffRepo {
        self.inner.staff()
    }
    fn clients(&mut self) -> &mut dyn ClientRepo {
        self.inner.clients()
    }
    fn credentials(&mut self) -> &mut dyn CredentialRepo {
        self.inner.credentials()
    }
    fn projects(&mut self) -> &mut dyn ProjectRepo {
        self.inner.projects()
    }
    fn assignments(&mut self) -> &mut dyn AssignmentRepo {
        self.inner.assignments()
    }
    fn memberships(&mut self) -> &mut dyn MembershipRepo {
        self.inner.memberships()
    }
    fn tasks(&mut self) -> &mut dyn TaskRepo {
        self.inner.tasks()
    }
    fn files(&mut self) -> &mut dyn FileRepo {
        match &mut self.files {
            Some(mock) => mock,
            None => self.inner.files(),
        }
    }
    fn messages(&mut self) -> &mut dyn MessageRepo {
        self.inner.messages()
    }
    fn approvals(&mut self) -> &mut dyn ApprovalRepo {
        self.inner.approvals()
    }
    fn invoices(&mut self) -> &mut dyn InvoiceRepo {
        self.inner.invoices()
    }
    fn audit(&mut self) -> &mut dyn AuditRepo {
        self.inner.audit()
    }
    fn outbox(&mut self) -> &mut dyn OutboxRepo {
        match &mut self.outbox {
            Some(mock) => mock,
            None => self.inner.outbox(),
        }
    }
    fn tokens(&mut self) -> &mut dyn TokenRepo {
        self.inner.tokens()
    }
    fn sessions(&mut self) -> &mut dyn SessionRepo {
        self.inner.sessions()
    }
    fn api_tokens(&mut self) -> &mut dyn ApiTokenRepo {
        self.inner.api_tokens()
    }
    fn activity(&mut self) -> &mut dyn ActivityRepo {
        self.inner.activity()
    }
    fn notifications(&mut self) -> &mut dyn NotificationRepo {
        self.inner.notifications()
    }
    fn preferences(&mut self) -> &mut dyn PreferenceRepo {
        self.inner.preferences()
    }
    async fn commit(self: Box<Self>) -> RepoResult<()> {
        self.inner.commit().await
    }
}

fn sarah() -> ClientForm {
    ClientForm { name: "Sarah Chen".into(), email: "sarah@acme.example".into(), ..ClientForm::default() }
}

#[tokio::test]
async fn when_the_outbox_fails_the_client_is_not_created_either() {
    let inner = MemoryStore::new();
    let app = TestApp::on(Arc::new(BrokenStore { inner: inner.clone(), broken: Broken::Outbox })).await;
    let result = app.portico.create_client(&app.admin, sarah().parse().expect("valid")).await;
    assert!(matches!(result, Err(AppError::Storage(_))));
    let mut uow = inner.begin().await.expect("unit");
    assert!(uow.clients().list_all(app.workspace).await.expect("list").is_empty(), "no client without its invitation");
    let outbox = uow.outbox().list(app.workspace, &PageRequest::first()).await.expect("outbox");
    assert!(outbox.items.is_empty());
}

#[tokio::test]
async fn when_the_file_record_fails_the_stored_bytes_are_removed() {
    let app = TestApp::on(Arc::new(BrokenStore { inner: MemoryStore::new(), broken: Broken::Files })).await;
    let form = portico_app::forms::ProjectForm { name: "Brand".into(), ..Default::default() };
    let project = app.portico.create_project(&app.admin, form.parse().expect("valid")).await.expect("created");
    let upload = UploadForm { name: "brief.pdf".into(), bytes: b"%PDF".to_vec(), ..UploadForm::default() };
    let result = app.portico.upload_file(&app.admin, project.id, upload.parse().expect("valid")).await;
    assert!(matches!(result, Err(AppError::Storage(_))));
    assert!(app.files.is_empty(), "no bytes without a record");
}

#[tokio::test]
async fn when_the_file_store_fails_no_record_is_written() {
    let mut files = MockFileStore::new();
    files.expect_put().returning(|_, _| Err(FileStoreError::Unavailable("bucket unreachable".into())));
    let store = Arc::new(MemoryStore::new());
    let base = TestApp::on(store.clone()).await;
    let portico = Portico::new(Services {
        store: store.clone(),
        clock: Arc::new(ManualClock::at(START)),
        ids: Arc::new(SequentialIds::default()),
        secrets: Arc::new(RandomSecrets),
        secret_box: Arc::new(portico_seal::KeyBox::random()),
        hasher: Arc::new(TestHasher),
        files: Arc::new(files),
        documents: Arc::new(portico_pdf::PdfDocuments),
    });
    let form = portico_app::forms::ProjectForm { name: "Brand".into(), ..Default::default() };
    let project = base.portico.create_project(&base.admin, form.parse().expect("valid")).await.expect("created");
    let upload = UploadForm { name: "brief.pdf".into(), bytes: b"%PDF".to_vec(), ..UploadForm::default() };
    let result = portico.upload_file(&base.admin, project.id, upload.parse().expect("valid")).await;
    assert!(matches!(result, Err(AppError::Service(_))));
    let detail = base.portico.project_detail(&base.admin, project.id).await.expect("detail");
    assert!(detail.files.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creations_of_one_address_leave_exactly_one_client() {
    let app = Arc::new(TestApp::in_memory().await);
    let attempts: Vec<_> = (0..8)
        .map(|n| {
            let app = Arc::clone(&app);
            tokio::spawn(async move {
                let form = ClientForm {
                    name: format!("Sarah {n}"),
                    email: "sarah@acme.example".into(),
                    ..ClientForm::default()
                };
                app.portico.create_client(&app.admin, form.parse().expect("valid")).await
            })
        })
        .collect();
    let mut created = 0;
    for attempt in attempts {
        match attempt.await.expect("the task finishes") {
            Ok(_) => created += 1,
            Err(error) => {
                assert!(matches!(error, AppError::Conflict(portico_ports::Conflict::EmailTaken)), "{error:?}");
            }
        }
    }
    assert_eq!(created, 1);
    let mut uow = app.store.begin().await.expect("unit");
    assert_eq!(uow.clients().list_all(app.workspace).await.expect("list").len(), 1);
    let outbox = uow.outbox().list(app.workspace, &PageRequest::first()).await.expect("outbox");
    assert_eq!(outbox.items.len(), 1, "one invitation, for the one client");
}
