//! The web UI in real headless Chromium against the real server: an admin sets up the
//! guide's Acme example by clicking through the pages, each client accepts its invitation
//! through the link in the outbox and sees exactly its share, a removal takes effect on the
//! next page load, and script typed into every text field stays text. A daily digest's HTML
//! part is shown as a strict mail reader would, at a desktop's width and a phone's.

mod support;

use fantoccini::{Client, Locator};
use support::browser::{
    Driver, assert_clean_console, click, fill, fill_css, main_text, screenshot, screenshots, serve_as_mail,
    wait_for_text,
};
use support::{Engine, PASSWORD, TestServer};

/// A form's own submit button: not a picker's Find or a row's Add and Remove (named), not the
/// off-screen default before it.
const SAVE: &str = "button[type=submit]:not([name]):not([aria-hidden])";

/// The id at the end of the current page's path (`/admin/clients/{id}`).
async fn id_in_url(browser: &Client) -> String {
    let url = browser.current_url().await.expect("a url");
    url.path().rsplit('/').next().unwrap_or_default().to_owned()
}

async fn take_over(server: &TestServer, admin: &Client) {
    admin.goto(server.running.admin_link.as_deref().expect("the first admin link")).await.expect("opens");
    fill(admin, "password", PASSWORD).await;
    fill(admin, "confirm", PASSWORD).await;
    click(admin, "main button[type=submit]").await;
    wait_for_text(admin, "Nothing new yet").await;
    admin.goto(&format!("{}/admin/clients", server.base)).await.expect("opens");
    wait_for_text(admin, "No clients yet").await;
}

async fn new_client(server: &TestServer, admin: &Client, fields: &[(&str, &str)], preset: &str) -> String {
    admin.goto(&format!("{}/admin/clients/new", server.base)).await.expect("opens");
    for (name, value) in fields {
        fill(admin, name, value).await;
    }
    admin
        .find(Locator::Css("select[name=preset]"))
        .await
        .expect("presets")
        .select_by_value(preset)
        .await
        .expect("chosen");
    click(admin, "main form button[type=submit]").await;
    wait_for_text(admin, "is saved").await;
    id_in_url(admin).await
}

/// The invitation links the outbox shows, by recipient address.
async fn outbox_links(server: &TestServer, admin: &Client) -> Vec<(String, String)> {
    admin.goto(&format!("{}/admin/outbox", server.base)).await.expect("opens");
    let rows = admin
        .execute(
            "return [...document.querySelectorAll('tbody tr')].filter(r => r.querySelector('code'))
                .map(r => [r.cells[1].innerText.split('\\n').pop(), r.querySelector('code').innerText]);",
            vec![],
        )
        .await
        .expect("the rows");
    serde_json::from_value(rows).expect("pairs of text")
}

/// Accepts `email`'s invitation in a new browser, which lands on the page showing `landing`.
async fn accept_invitation(driver: &Driver, links: &[(String, String)], email: &str, landing: &str) -> Client {
    let link =
        links.iter().find(|(to, _)| to == email).map_or_else(|| panic!("a link for {email}"), |(_, link)| link.clone());
    let browser = driver.browser().await;
    browser.goto(&link).await.expect("opens");
    fill(&browser, "password", PASSWORD).await;
    fill(&browser, "confirm", PASSWORD).await;
    click(&browser, "main button[type=submit]").await;
    wait_for_text(&browser, landing).await;
    browser
}

/// Creates the brand refresh with every client on it: a client-visible and an internal
/// task, a shared file, a shared message and an approval request. Returns its page.
async fn build_the_project(server: &TestServer, admin: &Client) -> String {
    admin.goto(&format!("{}/admin/projects", server.base)).await.expect("opens");
    fill(admin, "name", "Acme Corp Brand Refresh").await;
    fill(admin, "description", "New logo, colours and guidelines.").await;
    for checkbox in admin.find_all(Locator::Css("input[name=client_ids]")).await.expect("clients") {
        checkbox.click().await.expect("ticked");
    }
    click(admin, &format!("form[action='/admin/projects'][method=post] {SAVE}")).await;
    wait_for_text(admin, "The project is created.").await;
    let project_url = admin.current_url().await.expect("a url").to_string();

    fill(admin, "title", "Logo concepts").await;
    click(admin, "form[action$='/tasks'] input[name=visibility][value=client]").await;
    click(admin, "form[action$='/tasks'] button[type=submit]").await;
    wait_for_text(admin, "The task is added.").await;
    fill(admin, "title", "Margin review").await;
    click(admin, "form[action$='/tasks'] button[type=submit]").await;
    wait_for_text(admin, "Margin review").await;

    let guide = std::env::temp_dir().join(format!("brand-guide-{}.pdf", std::process::id()));
    std::fs::write(&guide, b"%PDF-1.7 brand guide").expect("written");
    let file_input = admin.find(Locator::Css("form[action$='/files'] input[name=file]")).await.expect("a file input");
    file_input.send_keys(&guide.display().to_string()).await.expect("chosen");
    click(admin, "form[action$='/files'] input[name=visibility]").await;
    click(admin, "form[action$='/files'] button[type=submit]").await;
    wait_for_text(admin, "The file is uploaded.").await;

    fill_css(admin, "form[action$='/messages'] [name=body]", "Kick-off is on Monday at 10:00.").await;
    click(admin, "form[action$='/messages'] input[name=visibility]").await;
    click(admin, "form[action$='/messages'] button[type=submit]").await;
    wait_for_text(admin, "The message is posted.").await;
    click(admin, "form[action='/admin/approvals'] button").await;
    wait_for_text(admin, "asked for their approval").await;
    screenshot(admin, "admin-project").await;

    let _ = std::fs::remove_file(guide);
    project_url
}

/// Drafts Lisa an invoice of three lines with two tax rates and a discount, prices typed the
/// German way, sends it (numbered from the pattern) and records a partial payment. Returns
/// the number it was given.
async fn bill(server: &TestServer, admin: &Client, lisa: &str) -> String {
    admin.goto(&format!("{}/admin/invoices/new", server.base)).await.expect("opens");
    admin
        .find(Locator::Css("select[name=client_id]"))
        .await
        .expect("clients")
        .select_by_value(lisa)
        .await
        .expect("Lisa");
    fill(admin, "currency", "EUR").await;
    fill(admin, "net_days", "14").await;
    let rows = [
        ("Brand workshop", "2", "1.234,50", "19", "VAT"),
        ("Travel", "1", "120.5055", "7", "Reduced VAT"),
        ("Print run", "200", "0,35", "19", "VAT"),
    ];
    for (row, (description, quantity, price, rate, tax)) in rows.iter().enumerate() {
        for (field, value) in [
            ("description", description),
            ("quantity", quantity),
            ("unit_price", price),
            ("tax_rate", rate),
            ("tax_name", tax),
        ] {
            fill_css(admin, &format!("#{field}-{row}"), value).await;
        }
    }
    admin
        .find(Locator::Css("#discount_kind"))
        .await
        .expect("a discount")
        .select_by_value("percent")
        .await
        .expect("set");
    fill(admin, "discount_value", "10").await;
    // Without JavaScript: "Add a line" draws a fourth row, its "Remove" takes it away again.
    click(admin, "button[name=add_line]").await;
    fill_css(admin, "#description-3", "Changed my mind").await;
    click(admin, "button[name=remove_line][value='3']").await;
    wait_for_text(admin, "New invoice").await;
    assert!(admin.find(Locator::Css("#description-3")).await.is_err(), "the fourth row is gone");
    // A price finer than a cent is refused in the page, naming the row; the rest is kept.
    click(admin, &format!("form[action='/admin/invoices'][method=post] {SAVE}")).await;
    wait_for_text(admin, "Row 2: must have at most 2 decimals").await;
    let show_error = "document.getElementById('unit_price-1-error').scrollIntoView({block: 'center'})";
    screenshots(admin, "admin-invoice-refused", Some(show_error)).await;
    fill_css(admin, "#unit_price-1", "120,50").await;
    click(admin, &format!("form[action='/admin/invoices'][method=post] {SAVE}")).await;
    wait_for_text(admin, "The draft is saved.").await;
    // 2,659.50 less 10 % (265.95), VAT 19 % 434.17 and 7 % 7.59: the domain's rule, by hand.
    let draft = main_text(admin).await;
    for figure in ["€2,659.50", "−€265.95", "€434.17", "€7.59", "€2,835.31"] {
        assert!(draft.contains(figure), "{figure} on the draft: {draft}");
    }
    screenshots(admin, "admin-invoice-draft", None).await;
    click(admin, "form[action$='/send'] button").await;
    wait_for_text(admin, "the client can see it now").await;
    let title = admin.find(Locator::Css("h1")).await.expect("a title").text().await.expect("its text");
    let number = title.split_whitespace().nth(1).expect("Invoice NUMBER").to_owned();
    assert!(number.starts_with("INV-") && number.ends_with("-0001"), "numbered from the pattern: {number}");
    fill(admin, "amount", "1.000,00").await;
    fill(admin, "reference", "TX-2291").await;
    click(admin, "form[action$='/payments'] button[type=submit]").await;
    wait_for_text(admin, "The payment is recorded.").await;
    let paid = main_text(admin).await;
    assert!(paid.contains("Partially paid") && paid.contains("€1,835.31"), "a balance of 1,835.31: {paid}");
    screenshots(admin, "admin-invoice", None).await;
    // The invoice went to Lisa, and so did the receipt for her payment.
    assert!(paid.contains("Email to the client") && paid.contains("payment receipt"), "its delivery log: {paid}");
    let scroll = "document.getElementById('deliveries').scrollIntoView()";
    screenshots(admin, "admin-invoice-mail", Some(scroll)).await;
    admin.goto(&format!("{}/admin/invoices", server.base)).await.expect("opens");
    wait_for_text(admin, &number).await;
    screenshots(admin, "admin-invoices", None).await;
    number
}

/// Lisa finds the invoice, its balance and her payment in her portal; James, without the
/// invoices permission, finds nothing at its address.
async fn lisas_invoice(server: &TestServer, lisa_browser: &Client, james_browser: &Client, number: &str) {
    lisa_browser.goto(&format!("{}/portal/invoices", server.base)).await.expect("opens");
    wait_for_text(lisa_browser, number).await;
    let list = main_text(lisa_browser).await;
    assert!(list.contains("€2,835.31") && list.contains("€1,835.31"), "the total and the balance: {list}");
    screenshots(lisa_browser, "portal-invoices", None).await;
    lisa_browser.find(Locator::LinkText(number)).await.expect("a link to it").click().await.expect("opens");
    wait_for_text(lisa_browser, "Balance due").await;
    let invoice = main_text(lisa_browser).await;
    for shown in ["€1,835.31", "TX-2291", "Reduced VAT", "1 Acme Way"] {
        assert!(invoice.contains(shown), "Lisa sees {shown}: {invoice}");
    }
    screenshots(lisa_browser, "portal-invoice", None).await;
    let pdf = lisa_browser.find(Locator::Css("a[href$='/pdf']")).await.expect("a PDF link");
    assert!(pdf.attr("href").await.expect("an address").is_some_and(|href| href.ends_with("/pdf")));
    lisa_browser.goto(&format!("{}/portal/statement", server.base)).await.expect("opens");
    wait_for_text(lisa_browser, "Statement of account").await;
    let statement = main_text(lisa_browser).await;
    assert!(statement.contains("Balance due €1,835.31") && statement.contains("TX-2291"), "{statement}");
    screenshots(lisa_browser, "portal-statement", None).await;
    // James has no invoices permission: no list, and the invoice's own address is not found.
    let invoice_url = lisa_browser.current_url().await.expect("a url").to_string();
    james_browser.goto(&invoice_url).await.expect("opens");
    wait_for_text(james_browser, "There is nothing here, or you may not see it.").await;
    assert!(!main_text(james_browser).await.contains(number), "James sees nothing of it");
}

/// Sarah's home shows her news; her account page her choices; her digest's one-click link
/// works where nobody is logged in.
async fn sarahs_news_and_choices(server: &TestServer, driver: &Driver, sarah_browser: &Client, sarah: &str) {
    wait_for_text(sarah_browser, "What's new").await;
    assert!(main_text(sarah_browser).await.contains("Logo concepts"), "her home shows what was shared with her");
    screenshots(sarah_browser, "portal-home", None).await;
    sarah_browser.goto(&format!("{}/portal/notifications", server.base)).await.expect("opens");
    wait_for_text(sarah_browser, "Mail me about").await;
    screenshots(sarah_browser, "portal-notifications", None).await;
    sarah_browser.goto(&format!("{}/portal", server.base)).await.expect("opens");
    let token = server.unsubscribe_token(sarah, &[portico_domain::activity::Category::Files]);
    let stranger = driver.browser().await;
    stranger.goto(&format!("{}/unsubscribe/{token}", server.base)).await.expect("opens");
    wait_for_text(&stranger, "Stop these mails?").await;
    screenshots(&stranger, "unsubscribe", None).await;
    click(&stranger, "main form button[type=submit]").await;
    wait_for_text(&stranger, "no longer mail you about shared files").await;
    stranger.close().await.expect("closes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_up_acme_and_each_client_sees_exactly_its_share() {
    let server = TestServer::start(Engine::Sqlite).await;
    let driver = Driver::start().await;
    let admin = driver.browser().await;
    take_over(&server, &admin).await;

    let sarah =
        [("name", "Sarah Chen"), ("email", "sarah@acme.example"), ("company", "Acme Corp"), ("phone", "+1 555 0100")];
    let sarah = new_client(&server, &admin, &sarah, "full_access").await;
    new_client(
        &server,
        &admin,
        &[("name", "James Okafor"), ("email", "james@acme.example"), ("company", "Acme Corp")],
        "collaborator",
    )
    .await;
    let lisa = [
        ("name", "Lisa Park"),
        ("email", "lisa@acme.example"),
        ("company", "Acme Corp"),
        ("billing_address", "1 Acme Way\nSpringfield"),
    ];
    let lisa = new_client(&server, &admin, &lisa, "billing_only").await;

    admin.goto(&format!("{}/admin/clients", server.base)).await.expect("opens");
    wait_for_text(&admin, "Export CSV").await;
    screenshots(&admin, "admin-clients", None).await;

    // A likely typo and a company spelled differently are asked about before anything is saved.
    admin.goto(&format!("{}/admin/clients/new", server.base)).await.expect("opens");
    for (name, value) in [("name", "Tom Reed"), ("email", "tom@gmial.com"), ("company", "ACME corp")] {
        fill(&admin, name, value).await;
    }
    click(&admin, "form.card button[type=submit]").await;
    wait_for_text(&admin, "Before saving: please check").await;
    screenshots(&admin, "admin-client-check", None).await;

    let project_url = build_the_project(&server, &admin).await;
    let number = bill(&server, &admin, &lisa).await;
    admin.goto(&format!("{}/admin/clients/{lisa}/statement", server.base)).await.expect("opens");
    wait_for_text(&admin, "Statement of Lisa Park").await;
    screenshots(&admin, "admin-statement", None).await;

    admin.goto(&format!("{}/admin/clients/{sarah}", server.base)).await.expect("opens");
    screenshot(&admin, "admin-client").await;

    let links = outbox_links(&server, &admin).await;
    screenshot(&admin, "admin-outbox").await;
    let sarah_browser = accept_invitation(&driver, &links, "sarah@acme.example", "Your projects").await;
    let james_browser = accept_invitation(&driver, &links, "james@acme.example", "Your projects").await;
    let lisa_browser = accept_invitation(&driver, &links, "lisa@acme.example", &number).await;
    sarahs_news_and_choices(&server, &driver, &sarah_browser, &sarah).await;

    sarah_browser
        .find(Locator::LinkText("Acme Corp Brand Refresh"))
        .await
        .expect("her project")
        .click()
        .await
        .expect("opens");
    wait_for_text(&sarah_browser, "Logo concepts").await;
    let seen = main_text(&sarah_browser).await;
    for shown in ["Logo concepts", "brand-guide", "Kick-off is on Monday", "Approve"] {
        assert!(seen.contains(shown), "Sarah sees {shown}: {seen}");
    }
    assert!(!seen.contains("Margin review"), "Sarah must not see the internal task");
    screenshot(&sarah_browser, "portal-project").await;
    let project_in_portal = sarah_browser.current_url().await.expect("a url").to_string();
    fill_css(&sarah_browser, "form[action$='/messages'] textarea[name=body]", "Looks great, thank you!").await;
    click(&sarah_browser, "form[action$='/messages'] button[type=submit]").await;
    wait_for_text(&sarah_browser, "Looks great, thank you!").await;
    admin.goto(&format!("{}/admin/activity", server.base)).await.expect("opens");
    wait_for_text(&admin, "Sarah Chen posted").await;
    screenshots(&admin, "admin-activity", None).await;

    james_browser.goto(&project_in_portal).await.expect("opens");
    wait_for_text(&james_browser, "Logo concepts").await;
    let seen = main_text(&james_browser).await;
    assert!(
        !seen.contains("Margin review") && !seen.contains("Request changes"),
        "James: no internal task, no approvals: {seen}"
    );

    // Billing only: Lisa's portal opened at her invoices, with no projects on offer.
    let landing = main_text(&lisa_browser).await;
    assert!(!landing.contains("Brand Refresh"), "Lisa has no projects permission: {landing}");
    lisas_invoice(&server, &lisa_browser, &james_browser, &number).await;

    admin.goto(&project_url).await.expect("opens");
    let remove = admin
        .find(Locator::XPath("//div[contains(@class,'item')][.//a[text()='James Okafor']]//a[contains(., 'Remove')]"))
        .await;
    remove.expect("a remove link for James").click().await.expect("opens the confirmation");
    wait_for_text(&admin, "Remove James Okafor from this project?").await;
    assert!(main_text(&admin).await.contains("task “Logo concepts”"), "the confirmation says what James loses");
    screenshot(&admin, "admin-impact").await;
    click(&admin, "main form button[type=submit]").await;
    wait_for_text(&admin, "The client is off the project.").await;

    james_browser.goto(&project_in_portal).await.expect("opens");
    wait_for_text(&james_browser, "There is nothing here, or you may not see it.").await;

    for browser in [admin, sarah_browser, james_browser, lisa_browser] {
        browser.close().await.expect("closes");
    }
    server.running.stop().await.expect("stops");
}

/// Imports 240 clients through the import page, as an agency moving in would.
async fn import_many(server: &TestServer, admin: &Client) {
    let csv = support::many_clients_csv(240);
    let file = std::env::temp_dir().join(format!("clients-{}.csv", std::process::id()));
    std::fs::write(&file, csv).expect("written");
    admin.goto(&format!("{}/admin/import", server.base)).await.expect("opens");
    let input = admin.find(Locator::Css("input[name=file]")).await.expect("a file input");
    input.send_keys(&file.display().to_string()).await.expect("chosen");
    click(admin, "form[action='/admin/import/check'] button[type=submit]").await;
    wait_for_text(admin, "Every row is good: 240 new").await;
    click(admin, "form[action='/admin/import/apply'] button[type=submit]").await;
    wait_for_text(admin, "Imported: 240 new").await;
    let _ = std::fs::remove_file(file);
}

/// Types `text` into the picker's search of `field` and chooses the first match once
/// type-ahead has found `label`.
async fn pick(admin: &Client, field: &str, text: &str, label: &str) {
    fill_css(admin, &format!("#{field}-search"), text).await;
    let wanted = format!("//select[@name='{field}']/option[starts-with(., '{label}')]");
    let mut option = None;
    for _ in 0..50 {
        if let Ok(found) = admin.find(Locator::XPath(&wanted)).await {
            option = Some(found);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    option.unwrap_or_else(|| panic!("type-ahead finds {label}")).click().await.expect("chosen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agency_with_240_clients_finds_number_240_to_put_on_a_project_and_bill() {
    let server = TestServer::start(Engine::Sqlite).await;
    let driver = Driver::start().await;
    let admin = driver.browser().await;
    take_over(&server, &admin).await;
    import_many(&server, &admin).await;
    wait_for_text(&admin, "1–50 of 240").await;

    // On a phone the navigation folds behind the Menu button.
    admin.set_window_size(390, 844).await.expect("a phone-sized window");
    let projects_link = "header nav a[href='/admin/projects']";
    let shown = |css: &'static str| {
        let admin = admin.clone();
        async move { admin.find(Locator::Css(css)).await.expect("the link").is_displayed().await.expect("a state") }
    };
    assert!(!shown(projects_link).await, "folded on a phone");
    click(&admin, "button.menu-toggle").await;
    assert!(shown(projects_link).await, "the Menu button opens it");
    screenshot(&admin, "admin-menu-390").await;
    admin.set_window_size(1280, 900).await.expect("back to a desktop window");
    assert!(shown(projects_link).await, "always open on a desktop");
    screenshots(&admin, "admin-clients-many", Some("document.querySelector('.pager').scrollIntoView()")).await;

    admin.goto(&format!("{}/admin/projects", server.base)).await.expect("opens");
    fill(&admin, "name", "Many Launch").await;
    click(&admin, &format!("form[action='/admin/projects'][method=post] {SAVE}")).await;
    wait_for_text(&admin, "The project is created.").await;
    wait_for_text(&admin, "The first 20 clients by name").await;
    pick(&admin, "client_id", "client 240", "Client 240").await;
    wait_for_text(&admin, "One match.").await;
    let picker = "document.getElementById('client_id-search').scrollIntoView({block: 'center'})";
    screenshots(&admin, "admin-project-picker", Some(picker)).await;
    click(&admin, &format!("form[action$='/clients'] {SAVE}")).await;
    wait_for_text(&admin, "The client is on the project.").await;
    let on_it = main_text(&admin).await;
    assert!(on_it.contains("Client 240"), "client 240 is on the project: {on_it}");
    admin.goto(&format!("{}/admin/projects", server.base)).await.expect("opens");
    wait_for_text(&admin, "Client 240 · no tasks").await;
    screenshots(&admin, "admin-projects", None).await;

    // Without JavaScript's help the Find button reaches them too, keeping what was typed.
    admin.goto(&format!("{}/admin/invoices/new", server.base)).await.expect("opens");
    fill(&admin, "number", "MANY-240").await;
    fill_css(&admin, "#client_id-search", "240").await;
    click(&admin, "button[name=find][value=client_id]").await;
    wait_for_text(&admin, "One match.").await;
    let kept = admin.find(Locator::Css("#number")).await.expect("the number").prop("value").await.expect("a value");
    assert_eq!(kept.as_deref(), Some("MANY-240"), "the number typed before searching is kept");
    pick(&admin, "project_id", "launch", "Many Launch").await;
    fill(&admin, "currency", "EUR").await;
    admin.find(Locator::Css("#description-0")).await.expect("a line").send_keys("Launch kit").await.expect("typed");
    admin.find(Locator::Css("#quantity-0")).await.expect("a line").send_keys("1").await.expect("typed");
    admin.find(Locator::Css("#unit_price-0")).await.expect("a line").send_keys("900").await.expect("typed");
    click(&admin, &format!("form[action='/admin/invoices'][method=post] {SAVE}")).await;
    wait_for_text(&admin, "Draft MANY-240 is saved.").await;
    let draft = main_text(&admin).await;
    assert!(draft.contains("Client 240"), "the draft names client 240: {draft}");
    assert_clean_console(&admin).await;
    admin.close().await.expect("closes");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_typed_into_every_text_field_is_shown_as_text_and_never_runs() {
    const PAYLOAD: &str = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=1\">'\"&";
    let server = TestServer::start(Engine::Sqlite).await;
    let driver = Driver::start().await;
    let admin = driver.browser().await;
    take_over(&server, &admin).await;
    let fields = [
        ("name", format!("Mallory {PAYLOAD}")),
        ("email", "mallory@acme.example".to_owned()),
        ("company", format!("Evil {PAYLOAD}")),
        ("billing_address", PAYLOAD.to_owned()),
        ("notes", PAYLOAD.to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let client = new_client(&server, &admin, &fields, "full_access").await;

    admin.goto(&format!("{}/admin/projects", server.base)).await.expect("opens");
    fill(&admin, "name", &format!("Project {PAYLOAD}")).await;
    fill(&admin, "description", PAYLOAD).await;
    click(&admin, "input[name=client_ids]").await;
    click(&admin, &format!("form[action='/admin/projects'][method=post] {SAVE}")).await;
    wait_for_text(&admin, "The project is created.").await;
    fill(&admin, "title", &format!("Task {PAYLOAD}")).await;
    fill(&admin, "description", PAYLOAD).await;
    click(&admin, "form[action$='/tasks'] input[name=visibility][value=client]").await;
    click(&admin, "form[action$='/tasks'] button[type=submit]").await;
    wait_for_text(&admin, "The task is added.").await;
    fill_css(&admin, "form[action$='/messages'] [name=body]", PAYLOAD).await;
    click(&admin, "form[action$='/messages'] input[name=visibility]").await;
    click(&admin, "form[action$='/messages'] button[type=submit]").await;
    wait_for_text(&admin, "The message is posted.").await;
    let project = admin.current_url().await.expect("a url").to_string();

    let pages = [
        project.clone(),
        format!("{}/admin/clients/{client}", server.base),
        format!("{}/admin/clients", server.base),
        format!("{}/admin/companies", server.base),
        format!("{}/admin/clients/{client}/preview", server.base),
    ];
    for page in &pages {
        admin.goto(page).await.expect("opens");
        let ran = admin.execute("return window.__xss !== undefined;", vec![]).await.expect("runs");
        assert_eq!(ran, serde_json::Value::Bool(false), "script ran on {page}");
        assert!(main_text(&admin).await.contains("<script>window.__xss=1</script>"), "shown as text on {page}");
        let images = admin.find_all(Locator::Css("main img")).await.expect("a query");
        assert!(images.is_empty(), "no image element was injected on {page}");
        assert_clean_console(&admin).await;
    }
    admin.close().await.expect("closes");
    server.running.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_link_says_why_and_offers_a_new_one_at_any_width() {
    let server = TestServer::start(Engine::Sqlite).await;
    let used = server.running.admin_link.clone().expect("the first admin link");
    let driver = Driver::start().await;
    let admin = driver.browser().await;
    take_over(&server, &admin).await;
    let stranger = driver.browser().await;
    stranger.goto(&used).await.expect("opens");
    wait_for_text(&stranger, "This link has been used").await;
    assert!(stranger.find(Locator::Css("input[type=password]")).await.is_err(), "no password form");
    screenshot(&stranger, "link-used").await;
    stranger.goto(&format!("{}/password-reset/{}", server.base, "0f".repeat(32))).await.expect("opens");
    wait_for_text(&stranger, "This link is not valid").await;
    stranger.set_window_size(390, 844).await.expect("a phone-sized window");
    screenshot(&stranger, "link-invalid-390").await;
    click(&stranger, "a[href='/forgot-password']").await;
    wait_for_text(&stranger, "Forgot your password?").await;
    for browser in [stranger, admin] {
        browser.close().await.expect("closes");
    }
    server.running.stop().await.expect("stops");
}

/// A logo as an agency would draw it: its name beside a mark.
const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 220 48"><circle cx="24" cy="24" r="20" fill="#0a7d5a"/><path d="M14 30 L24 14 L34 30 Z" fill="#fff"/><text x="54" y="32" font-family="Georgia, serif" font-size="22" fill="#133">Northwind</text></svg>"##;

/// The settings page: a refused save keeps what was typed; a saved colour and logo brand
/// every page, the portal's header and its home with the welcome text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_brands_the_workspace_and_the_portal_wears_it() {
    let server = TestServer::start(Engine::Sqlite).await;
    let driver = Driver::start().await;
    let admin = driver.browser().await;
    take_over(&server, &admin).await;
    admin.goto(&format!("{}/admin/settings", server.base)).await.expect("opens");
    wait_for_text(&admin, "Recent changes").await;
    screenshots(&admin, "admin-settings-new", None).await;

    fill(&admin, "name", "Northwind Studio").await;
    fill(&admin, "portal_welcome", "Welcome to Northwind!\nEverything we make for you is here.").await;
    fill(&admin, "address", "1 Harbour Road\nBristol BS1 4RN").await;
    fill(&admin, "reminder_days", "soon").await;
    let pick_colour = "const c = document.getElementById('brand_colour'); c.value = '#7fd1ae'; \
        c.dispatchEvent(new Event('input')); c.dispatchEvent(new Event('change'));";
    admin.execute(pick_colour, vec![]).await.expect("a colour");
    click(&admin, ".save-bar button").await;
    wait_for_text(&admin, "Nothing was saved").await;
    let refused = main_text(&admin).await;
    assert!(refused.contains("must be days from the due date"), "the field's error: {refused}");
    let kept = admin.find(Locator::Css("[name=address]")).await.expect("a field").prop("value").await;
    assert_eq!(kept.expect("its value").as_deref(), Some("1 Harbour Road\nBristol BS1 4RN"), "what was typed is kept");
    screenshots(&admin, "admin-settings-refused", Some("document.getElementById('billing').scrollIntoView()")).await;
    fill(&admin, "reminder_days", "-3, 0, 7").await;
    fill(&admin, "tax_rates", "VAT 20 %\nReduced VAT 5 %").await;
    click(&admin, ".save-bar button").await;
    wait_for_text(&admin, "The settings are saved.").await;
    // New invoice lines offer the named rates; choosing a name fills in its rate.
    admin.goto(&format!("{}/admin/invoices/new", server.base)).await.expect("opens");
    wait_for_text(&admin, "Your tax rates: VAT 20 %, Reduced VAT 5 %").await;
    fill(&admin, "tax_name", "Reduced VAT").await;
    click(&admin, "[name=description]").await;
    let rate = admin.find(Locator::Css("#tax_rate-0")).await.expect("the rate").prop("value").await.expect("its value");
    assert_eq!(rate.as_deref(), Some("5"), "the named rate filled in");
    admin.goto(&format!("{}/admin/settings", server.base)).await.expect("opens");
    let saved = main_text(&admin).await;
    assert!(saved.contains("darkened just enough"), "a light colour is made legible, and the page says so: {saved}");

    let dir = tempfile::tempdir().expect("a folder");
    let logo = dir.path().join("northwind.svg");
    std::fs::write(&logo, LOGO).expect("written");
    admin
        .find(Locator::Css("#logo"))
        .await
        .expect("the file field")
        .send_keys(&logo.to_string_lossy())
        .await
        .expect("chosen");
    click(&admin, "button[form=logo-form]").await;
    wait_for_text(&admin, "The logo is saved.").await;
    let header_logo = admin.find(Locator::Css("header .brand-logo")).await.expect("the logo in the header");
    assert_eq!(header_logo.attr("alt").await.expect("alt").as_deref(), Some("Northwind Studio"));
    screenshots(&admin, "admin-settings", None).await;

    admin.goto(&format!("{}/admin/clients/new", server.base)).await.expect("opens");
    fill(&admin, "name", "Sarah Chen").await;
    fill(&admin, "email", "sarah@acme.example").await;
    click(&admin, "main form button[type=submit]").await;
    wait_for_text(&admin, "is saved").await;
    let links = outbox_links(&server, &admin).await;
    let sarah = accept_invitation(&driver, &links, "sarah@acme.example", "Your projects").await;
    let home = main_text(&sarah).await;
    assert!(home.contains("Welcome to Northwind!"), "the welcome text greets her: {home}");
    let look = sarah
        .execute(
            "const top = getComputedStyle(document.querySelector('header.top')).backgroundColor; \
             const img = document.querySelector('header .brand-logo'); \
             return [top, img && img.getBoundingClientRect().width > 60];",
            vec![],
        )
        .await
        .expect("the header's look");
    let colour = look[0].as_str().unwrap_or_default().to_owned();
    assert_ne!(colour, "rgb(127, 209, 174)", "never the colour white text cannot sit on");
    assert_ne!(colour, "rgb(36, 86, 201)", "the brand's, not Portico's blue");
    assert_eq!(look[1], true, "the logo shows in the portal's header, at its own proportions");
    screenshots(&sarah, "portal-home-branded", None).await;
    for browser in [admin, sarah] {
        browser.close().await.expect("closes");
    }
    server.running.stop().await.expect("stops");
}

/// James's digest of the Acme scenario's morning, as the mail worker hands it over.
async fn james_digest() -> portico_ports::OutgoingMail {
    use portico_app::mail::{MailSettings, PublicUrl};
    let acme = portico_testkit::fixtures::Acme::in_memory().await.expect("the scenario builds");
    let app = &acme.app;
    app.clock.advance(time::Duration::minutes(2));
    app.portico.send_due_notices(50).await.expect("a notice round");
    app.clock.set(time::macros::datetime!(2026-03-03 08:00 UTC));
    app.portico.send_due_notices(50).await.expect("the digest round");
    let mailer = portico_testkit::doubles::RecordingMailer::new();
    let settings = MailSettings::new(PublicUrl::parse("https://portal.studio.example").expect("valid"));
    while app.portico.deliver_due_mail(Some(&mailer), &settings, 50, &|| false).await.expect("a round").sent > 0 {}
    let mut sent = mailer.sent().into_iter();
    sent.find(|m| m.to == "james@acme.example" && m.subject.starts_with("Your daily summary")).expect("his digest")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daily_digest_reads_well_in_a_strict_mail_reader_at_any_width() {
    let digest = james_digest().await;
    assert!(digest.html.contains("logo-concepts.pdf"), "the shared file is in it");
    let driver = Driver::start().await;
    let reader = driver.browser().await;
    reader.goto(&serve_as_mail(digest.html).await).await.expect("opens");
    wait_for_text(&reader, "Here is what happened").await;
    for width in [1280, 390] {
        reader.set_window_size(width, 900).await.expect("a window of that size");
        let overflow = reader
            .execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![])
            .await
            .expect("the page's width");
        assert!(overflow.as_i64().is_some_and(|px| px <= 0), "{width} px: nothing wider than the window ({overflow})");
    }
    screenshots(&reader, "mail-digest", None).await;
    reader.close().await.expect("closes");
}
