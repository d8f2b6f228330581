//! Client import: every problem reported by row, nothing written unless all rows are good,
//! and upserts that make a second run change nothing.

use portico_app::forms::{ClientEditForm, PermissionsInput};
use portico_app::{ImportMode, ImportOptions, ImportProblem, ImportReport, ImportRow, ImportStep};
use portico_domain::staff::UserRef;
use portico_ports::PageRequest;
use portico_ports::repos::ClientQuery;
use portico_testkit::harness::TestApp;

fn row(row: usize, name: &str, email: &str, company: Option<&str>) -> ImportRow {
    let fields = ClientEditForm {
        name: Some(name.to_owned()),
        email: Some(email.to_owned()),
        company: company.map(|c| Some(c.to_owned())),
        permissions: Some(PermissionsInput::Preset("collaborator".to_owned())),
        ..ClientEditForm::default()
    };
    ImportRow { row, fields }
}

async fn client_count(app: &TestApp) -> usize {
    let page = app.portico.list_clients(&app.admin, &ClientQuery::default(), &PageRequest::first()).await;
    page.expect("lists").items.len()
}

async fn import(app: &TestApp, rows: Vec<ImportRow>, options: ImportOptions) -> ImportReport {
    app.portico.import_clients(&app.admin, rows, options, &|_| ()).await.expect("runs")
}

fn options(mode: ImportMode, dry_run: bool) -> ImportOptions {
    ImportOptions { mode, dry_run, invite: false }
}

#[tokio::test]
async fn a_dry_run_reports_what_would_happen_and_writes_nothing() {
    let app = TestApp::in_memory().await;
    let rows =
        vec![row(2, "Sarah Chen", "sarah@acme.example", Some("Acme")), row(3, "James", "james@acme.example", None)];
    let report = import(&app, rows, options(ImportMode::Create, true)).await;
    assert_eq!((report.created, report.updated, report.applied), (2, 0, false));
    assert!(report.problems.is_empty());
    assert_eq!(client_count(&app).await, 0);
}

#[tokio::test]
async fn one_bad_row_stops_the_whole_import_and_every_problem_is_named() {
    let app = TestApp::in_memory().await;
    let rows = vec![
        row(2, "Sarah Chen", "sarah@acme.example", None),
        row(3, "", "no-at-sign", None),
        row(4, "Sarah Again", "SARAH@acme.example", None),
        row(5, "Ada Imposter", "ada@studio.example", None),
    ];
    let report = import(&app, rows, options(ImportMode::Create, false)).await;
    assert!(!report.applied);
    let located: Vec<(usize, &str)> = report.problems.iter().map(|p| (p.row, p.field.as_str())).collect();
    assert_eq!(located, [(3, "name"), (3, "email"), (4, "email"), (5, "email")]);
    assert!(report.problems[2].message.contains("row 2"), "{:?}", report.problems[2]);
    assert_eq!(client_count(&app).await, 0, "all or nothing");
}

#[tokio::test]
async fn field_errors_carry_their_row_and_column() {
    let app = TestApp::in_memory().await;
    let rows = vec![row(7, "", "blank.name@acme.example", None)];
    let report = import(&app, rows, options(ImportMode::Create, true)).await;
    assert_eq!(
        report.problems,
        [ImportProblem { row: 7, field: "name".into(), message: report.problems[0].message.clone() }]
    );
    assert!(!report.problems[0].message.is_empty());
}

#[tokio::test]
async fn upserting_the_same_file_twice_adds_nobody() {
    let app = TestApp::in_memory().await;
    let rows =
        || vec![row(2, "Sarah Chen", "sarah@acme.example", Some("Acme")), row(3, "James", "james@acme.example", None)];
    let first = import(&app, rows(), options(ImportMode::Upsert, false)).await;
    assert_eq!((first.created, first.applied), (2, true));
    let again = import(&app, rows(), options(ImportMode::Upsert, false)).await;
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(client_count(&app).await, 2);

    let renamed = vec![row(2, "Sarah Chen-Li", "sarah@acme.example", Some("Acme"))];
    let edit = import(&app, renamed, options(ImportMode::Upsert, false)).await;
    assert_eq!((edit.created, edit.updated), (0, 1));
    let created_again = import(&app, rows(), options(ImportMode::Create, false)).await;
    assert_eq!(created_again.problems.len(), 2, "create mode refuses existing addresses");
}

#[tokio::test]
async fn invitations_go_out_only_when_asked() {
    let app = TestApp::in_memory().await;
    let quiet = vec![row(2, "Sarah Chen", "sarah@acme.example", None)];
    import(&app, quiet, options(ImportMode::Create, false)).await;
    let loud = vec![row(2, "James", "james@acme.example", None)];
    let invite = ImportOptions { invite: true, ..options(ImportMode::Create, false) };
    import(&app, loud, invite).await;
    let clients = app.portico.export_clients(&app.admin).await.expect("exports");
    let invited: Vec<bool> = clients.iter().map(|c| c.invited_at().is_some()).collect();
    assert_eq!(invited, [true, false], "James (invited), Sarah (not)");
    let james = clients[0].id();
    assert!(app.invitation_secret(UserRef::Client(james)).await.is_ok());
}

#[tokio::test]
async fn progress_counts_every_row_checked_then_written() {
    let app = TestApp::in_memory().await;
    let rows = vec![row(2, "Sarah Chen", "sarah@acme.example", None), row(3, "James", "james@acme.example", None)];
    let steps = std::sync::Mutex::new(Vec::new());
    let record = |step| steps.lock().expect("not poisoned").push(step);
    app.portico.import_clients(&app.admin, rows, options(ImportMode::Create, false), &record).await.expect("runs");
    let steps = steps.into_inner().expect("not poisoned");
    assert_eq!(steps.first(), Some(&ImportStep::Checked(0)));
    assert!(steps.contains(&ImportStep::Checked(2)));
    assert_eq!(steps.last(), Some(&ImportStep::Written(2)));
}
