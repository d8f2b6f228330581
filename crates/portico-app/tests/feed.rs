//! The "what's new" feed in the Acme scenario: each person reads what the rule lets them, never
//! their own actions, newest first, and what is new since they marked it read.

use portico_app::{AppError, FeedPage};
use portico_domain::content::Visibility;
use portico_domain::text::MessageBody;
use portico_testkit::fixtures::Acme;

fn titles(page: &FeedPage) -> Vec<&str> {
    page.entries.iter().map(|e| e.line.title.as_str()).collect()
}

#[tokio::test]
async fn each_client_reads_what_the_rule_shows_them_and_staff_what_clients_and_colleagues_did() {
    let acme = Acme::in_memory().await.expect("the scenario builds");
    let p = &acme.app.portico;
    let sarah = acme.as_client(acme.sarah);
    let mine = p.feed(&sarah, None, None, 50).await.expect("Sarah's feed");
    let mut seen = titles(&mine);
    seen.sort_unstable();
    assert_eq!(
        seen,
        [
            "INV-2026-001",
            "Kick-off on Monday.",
            "Review logo concepts",
            "Review logo concepts",
            "Three concepts attached.",
            "logo-concepts.pdf"
        ],
        "the shared task and its approval, the file, the post and comment, the invoice"
    );
    assert!(mine.entries.iter().all(|e| e.unread && e.line.path.starts_with("/portal/")));
    assert_eq!(mine.unread, mine.entries.len());
    let times: Vec<_> = mine.entries.iter().map(|e| (e.line.at, e.id)).collect();
    assert!(times.windows(2).all(|w| w[0] > w[1]), "newest first");
    let james = p.feed(&acme.as_client(acme.james), None, None, 50).await.expect("James's feed");
    assert!(!titles(&james).contains(&"INV-2026-001"), "James may not see invoices");
    let tom = p.feed(&acme.as_client(acme.tom), None, None, 50).await.expect("Tom's feed");
    assert_eq!(titles(&tom), ["Launch plan"], "his own project only");

    // The admin did all of it: her feed holds nobody else's action until Sarah posts.
    let admin = &acme.app.admin;
    assert!(p.feed(admin, None, None, 50).await.expect("the admin's feed").entries.is_empty());
    let body = MessageBody::parse("Can we move the review to Friday?").expect("valid");
    p.portal_post_message(&sarah, acme.brand_refresh, body).await.expect("posted");
    let feed = p.feed(admin, None, None, 50).await.expect("the admin's feed");
    assert_eq!(titles(&feed), ["Can we move the review to Friday?"]);
    assert!(feed.entries[0].line.path.starts_with("/admin/projects/"));
    assert_eq!(p.unread_count(admin).await.expect("a count"), 1);
    let of_globex = p.feed(admin, Some(acme.globex_launch), None, 50).await.expect("one project");
    assert!(of_globex.entries.is_empty(), "per project");
    assert!(
        !titles(&p.feed(&sarah, None, None, 50).await.expect("again")).contains(&"Can we move the review to Friday?")
    );
}

#[tokio::test]
async fn marking_read_moves_forward_only_pages_go_on_by_cursor_and_hidden_items_leave_the_feed() {
    let acme = Acme::in_memory().await.expect("the scenario builds");
    let p = &acme.app.portico;
    let sarah = acme.as_client(acme.sarah);
    let all = p.feed(&sarah, None, None, 50).await.expect("a feed");
    let first = p.feed(&sarah, None, None, 2).await.expect("a page");
    assert_eq!(first.entries.len(), 2);
    let rest = p.feed(&sarah, None, first.next, 50).await.expect("the next page");
    let paged: Vec<_> = first.entries.iter().chain(&rest.entries).map(|e| e.id).collect();
    assert_eq!(paged, all.entries.iter().map(|e| e.id).collect::<Vec<_>>(), "pages add up to the feed");
    assert_eq!(rest.next, None);

    let newest = all.entries[0].id;
    let oldest = all.entries[all.entries.len() - 1].id;
    assert_eq!(p.mark_feed_read(&sarah, oldest).await.expect("marked"), all.entries.len() - 1);
    assert_eq!(p.mark_feed_read(&sarah, newest).await.expect("marked"), 0);
    assert_eq!(p.mark_feed_read(&sarah, oldest).await.expect("marked"), 0, "an older mark unreads nothing");
    assert!(p.feed(&sarah, None, None, 50).await.expect("a feed").entries.iter().all(|e| !e.unread));

    // An event James may not see is not his to mark or page from.
    let invoice_event = all.entries.iter().find(|e| e.line.title == "INV-2026-001").expect("the invoice").id;
    let james = acme.as_client(acme.james);
    assert!(matches!(p.mark_feed_read(&james, invoice_event).await, Err(AppError::NotFound)));
    assert!(matches!(p.feed(&james, None, Some(invoice_event), 10).await, Err(AppError::NotFound)));

    // The file made internal leaves Sarah's feed: the rule is asked as things are now.
    p.set_file_visibility(&acme.app.admin, acme.shared_file, Visibility::Internal).await.expect("made internal");
    let now = p.feed(&sarah, None, None, 50).await.expect("a feed");
    assert!(!titles(&now).contains(&"logo-concepts.pdf"), "{:?}", titles(&now));
}
