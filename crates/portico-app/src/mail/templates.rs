//! What each message says: a subject, a plain-text body and an HTML body, from fixed
//! templates. Every value is escaped in HTML, and nothing that reaches a header may hold a
//! line break. Messages carry links, never passwords.

use std::fmt::Write as _;

use portico_domain::activity::{ActivityKind, Category};
use portico_domain::mail::{MailContent, NoticeLine, OutboxMessage};
use portico_domain::text::WorkspaceName;
use portico_domain::token::SecretToken;
use portico_ports::OutgoingMail;
use time::OffsetDateTime;
use time::macros::format_description;

use super::PublicUrl;

/// Why a message could not be rendered (it is then given up: rendering again cannot help).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot render the message: {0}")]
pub(crate) struct RenderError(String);

/// The link a message carries for its reader to act on; a one-time link needs its opened
/// `secret`.
fn link_of(content: &MailContent, secret: Option<&SecretToken>, public_url: &PublicUrl) -> Result<String, RenderError> {
    let secret = || secret.ok_or_else(|| RenderError("its one-time link is no longer kept".to_owned()));
    Ok(match content {
        MailContent::Invitation { .. } => public_url.invitation_link(secret()?),
        MailContent::PasswordReset { .. } => public_url.join(&format!("/password-reset/{}", secret()?.expose())),
        MailContent::AddedToProject { project_id, .. } => public_url.join(&format!("/portal/projects/{project_id}")),
        MailContent::EmailChanged { .. } => public_url.join("/login"),
        MailContent::Notice { lines, .. } => match lines.first() {
            Some(line) if line.path.starts_with("/admin") => public_url.join("/admin"),
            _ => public_url.join("/portal"),
        },
    })
}

fn when(at: OffsetDateTime) -> String {
    at.format(format_description!("[day] [month repr:long] [year], [hour]:[minute] UTC")).unwrap_or_default()
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Refuses header values with line breaks (header injection), whatever their origin.
fn header(name: &str, value: String) -> Result<String, RenderError> {
    if value.contains(['\r', '\n']) {
        return Err(RenderError(format!("a line break in the {name} header")));
    }
    Ok(value)
}

/// One message's words: subject, paragraphs (plain text), and the call to action.
struct Words {
    subject: String,
    paragraphs: Vec<String>,
    action: &'static str,
}

fn words(content: &MailContent, workspace: &str) -> Words {
    match content {
        MailContent::Invitation { expires_at, .. } => Words {
            subject: format!("{workspace} invited you to their client portal"),
            paragraphs: vec![
                format!("{workspace} has set up an account for you in their client portal, where you can follow your projects."),
                "Choose your password with the link below. It works once, for you only.".to_owned(),
                format!("The link expires on {}. If it has expired, ask {workspace} to send a new one.", when(*expires_at)),
            ],
            action: "Set your password",
        },
        MailContent::PasswordReset { expires_at, .. } => Words {
            subject: format!("Reset your password for {workspace}"),
            paragraphs: vec![
                "Someone asked to reset the password of your account. If it was you, choose a new password with the link below.".to_owned(),
                format!("The link works once and expires on {}.", when(*expires_at)),
                "If you did not ask for this, ignore this message: your password stays as it is.".to_owned(),
            ],
            action: "Choose a new password",
        },
        MailContent::EmailChanged { old, new } => Words {
            subject: format!("Your login address for {workspace} has changed"),
            paragraphs: vec![
                format!("The address you log in to {workspace} with has changed from {old} to {new}."),
                format!("From now on, log in with {new}. If you did not expect this change, contact {workspace}."),
            ],
            action: "Log in",
        },
        MailContent::AddedToProject { project_name, .. } => Words {
            subject: format!("{workspace} added you to {project_name}"),
            paragraphs: vec![format!(
                "You can now follow the project \u{201c}{project_name}\u{201d} in the {workspace} client portal."
            )],
            action: "Open the project",
        },
        MailContent::Notice { digest, lines } => Words {
            subject: match (digest, lines.as_slice()) {
                (true, _) => format!("Your daily summary from {workspace}"),
                (false, [line]) => notice_sentence(line),
                (false, _) => format!("{} updates from {workspace}", lines.len()),
            },
            paragraphs: if *digest {
                vec![format!("Here is what happened in the {workspace} portal since the last summary.")]
            } else {
                Vec::new()
            },
            action: "Open the portal",
        },
    }
}

/// One event as a sentence: who did what, to which item, where — in mail and in the feed.
pub fn notice_sentence(line: &NoticeLine) -> String {
    let actor = line.actor.as_str();
    let title = &line.title;
    let in_project = line.project.as_ref().map_or(String::new(), |p| format!(" in {p}"));
    match (line.kind, line.category) {
        (ActivityKind::Shared, Category::Tasks) => {
            format!("{actor} shared the task \u{201c}{title}\u{201d}{in_project}")
        }
        (ActivityKind::Shared, Category::Files) => {
            format!("{actor} shared the file \u{201c}{title}\u{201d}{in_project}")
        }
        (ActivityKind::Shared, _) => format!("{actor} posted{in_project}: \u{201c}{title}\u{201d}"),
        (ActivityKind::Commented, _) => format!("{actor} commented{in_project}: \u{201c}{title}\u{201d}"),
        (ActivityKind::ApprovalRequested, _) => {
            format!("{actor} asks for your approval of \u{201c}{title}\u{201d}{in_project}")
        }
        (ActivityKind::ApprovalAnswered, _) => format!("{actor} answered on \u{201c}{title}\u{201d}{in_project}"),
        (ActivityKind::InvoiceSent, _) => format!("{actor} sent invoice {title}{in_project}"),
        (ActivityKind::InvoicePaid, _) => format!("Invoice {title} is marked paid{in_project}"),
    }
}

/// Renders `message` from `workspace`, with links under `public_url`; `secret` is the opened
/// secret of the one-time link the message carries, if any, and `unsubscribe` the one-click
/// link of a notice.
pub(crate) fn render(
    message: &OutboxMessage,
    secret: Option<&SecretToken>,
    unsubscribe: Option<&str>,
    workspace: &WorkspaceName,
    public_url: &PublicUrl,
) -> Result<OutgoingMail, RenderError> {
    let name = message.to_name.as_str();
    let words = words(&message.content, workspace.as_str());
    let link = link_of(&message.content, secret, public_url)?;
    let mut text = format!("Hello {name},\n\n");
    let mut html = format!("<p style=\"{PARAGRAPH}\">Hello {},</p>\n", escape(name));
    // Writing to a String cannot fail.
    for paragraph in &words.paragraphs {
        let _ = write!(text, "{paragraph}\n\n");
        let _ = writeln!(html, "<p style=\"{PARAGRAPH}\">{}</p>", escape(paragraph));
    }
    if let MailContent::Notice { lines, .. } = &message.content {
        write_lines(&mut text, &mut html, lines, public_url);
    }
    let _ = write!(text, "{}: {link}\n\n\u{2014} {workspace}\n", words.action);
    let _ = writeln!(
        html,
        "<p style=\"{PARAGRAPH}\"><a href=\"{}\" style=\"{BUTTON}\">{}</a></p>",
        escape(&link),
        escape(words.action)
    );
    let _ = writeln!(html, "<p style=\"{PARAGRAPH}\">\u{2014} {}</p>", escape(workspace.as_str()));
    if let (MailContent::Notice { lines, .. }, Some(unsubscribe)) = (&message.content, unsubscribe) {
        write_footer(&mut text, &mut html, lines, unsubscribe, &choices_link(message, public_url));
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title></head>\n\
         <body style=\"{BODY}\">\n<div style=\"{CARD}\">\n{html}</div>\n</body></html>\n",
        escape(&words.subject)
    );
    Ok(OutgoingMail {
        message_id: header("Message-ID", message.message_id(public_url.host()))?,
        to: header("To", message.to.as_str().to_owned())?,
        to_name: header("To", name.to_owned())?,
        subject: header("Subject", words.subject)?,
        list_unsubscribe: unsubscribe.map(|link| header("List-Unsubscribe", link.to_owned())).transpose()?,
        text,
        html,
    })
}

// Mail clients drop style sheets, so the few styles are written on the elements.
const BODY: &str = "margin:0;padding:24px 12px;background:#f4f5f7;color:#1f2933;\
    font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5";
const CARD: &str = "max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #e1e4e8;\
    border-radius:8px;padding:24px";
const PARAGRAPH: &str = "margin:0 0 16px";
const BUTTON: &str = "display:inline-block;background:#2f5bd3;color:#ffffff;text-decoration:none;\
    padding:10px 18px;border-radius:6px;font-weight:600";
const ITEM: &str = "padding:10px 0;border-top:1px solid #e1e4e8";
const MUTED: &str = "color:#616e7c;font-size:13px";

/// A notice's events, each a sentence linking to its item, with when it happened.
fn write_lines(text: &mut String, html: &mut String, lines: &[NoticeLine], public_url: &PublicUrl) {
    let _ = writeln!(html, "<ul style=\"list-style:none;margin:0 0 20px;padding:0\">");
    for line in lines {
        let (sentence, at, link) = (notice_sentence(line), when(line.at), public_url.join(&line.path));
        let _ = write!(text, "- {sentence} ({at})\n  {link}\n\n");
        let _ = writeln!(
            html,
            "<li style=\"{ITEM}\"><a href=\"{}\" style=\"color:#2f5bd3\">{}</a><br><span style=\"{MUTED}\">{}</span></li>",
            escape(&link),
            escape(&sentence),
            escape(&at)
        );
    }
    let _ = writeln!(html, "</ul>");
}

/// Why the mail came, the one-click way to stop its categories, and where to choose more finely.
fn write_footer(text: &mut String, html: &mut String, lines: &[NoticeLine], unsubscribe: &str, choices: &str) {
    let mut categories: Vec<Category> = lines.iter().map(|l| l.category).collect();
    categories.sort_unstable();
    categories.dedup();
    let named = categories.iter().copied().map(Category::topic).collect::<Vec<_>>().join(", ");
    let _ = write!(
        text,
        "\nYou get this mail because of your notification choices ({named}).\n\
         Stop these mails: {unsubscribe}\nChoose what you hear about: {choices}\n"
    );
    let _ = writeln!(
        html,
        "<p style=\"{MUTED};margin:24px 0 0;border-top:1px solid #e1e4e8;padding-top:12px\">\
         You get this mail because of your notification choices ({}). \
         <a href=\"{}\" style=\"color:#616e7c\">Stop these mails</a> \u{b7} \
         <a href=\"{}\" style=\"color:#616e7c\">Choose what you hear about</a></p>",
        escape(&named),
        escape(unsubscribe),
        escape(choices)
    );
}

/// Where the recipient of a notice sets their choices: the portal for clients, the admin for staff.
fn choices_link(message: &OutboxMessage, public_url: &PublicUrl) -> String {
    match message.about {
        Some(portico_domain::staff::UserRef::Staff(_)) => public_url.join("/admin/notifications"),
        _ => public_url.join("/portal/notifications"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portico_domain::email::EmailAddress;
    use portico_domain::ids::{OutboxId, ProjectId, WorkspaceId};
    use portico_domain::mail::{LinkSecret, SealedSecret};
    use portico_domain::text::{PersonName, ProjectName};
    use portico_domain::token::TokenPurpose;
    use time::macros::datetime;
    use uuid::Uuid;

    /// What the outbox keeps; rendering is handed the opened secret separately.
    fn sealed() -> LinkSecret {
        LinkSecret::Sealed(SealedSecret::from_bytes(vec![1; 60]))
    }

    fn message(content: MailContent, name: &str) -> OutboxMessage {
        let email = EmailAddress::parse("sarah@acme.example").expect("valid");
        let name = PersonName::parse(name).expect("valid");
        let id = OutboxId::from_uuid(Uuid::from_u128(7));
        OutboxMessage::queued(
            id,
            WorkspaceId::from_uuid(Uuid::from_u128(1)),
            None,
            (&email, &name),
            content,
            datetime!(2026-01-01 0:00 UTC),
        )
    }

    fn url() -> PublicUrl {
        PublicUrl::parse("https://portal.studio.example").expect("valid")
    }

    #[test]
    fn an_invitation_carries_its_one_time_link_and_never_a_password() {
        let token = SecretToken::from_random_bytes([0xab; 32]);
        let expires_at = datetime!(2026-01-08 09:30 UTC);
        let invitation = MailContent::with_link(TokenPurpose::Invitation, sealed(), expires_at);
        let mail = render(
            &message(invitation, "Sarah Chen"),
            Some(&token),
            None,
            &WorkspaceName::parse("Studio North").expect("valid"),
            &url(),
        )
        .expect("renders");
        let link = format!("https://portal.studio.example/invitation/{}", "ab".repeat(32));
        assert!(mail.text.contains(&link) && mail.html.contains(&link));
        assert!(mail.text.contains("08 January 2026, 09:30 UTC"));
        assert_eq!(mail.subject, "Studio North invited you to their client portal");
        assert_eq!(mail.message_id, "<00000000000000000000000000000007@portal.studio.example>");
        assert!(!mail.text.to_lowercase().contains("your password is"));
    }

    fn notice(kind: ActivityKind, category: Category, title: &str) -> NoticeLine {
        NoticeLine {
            kind,
            category,
            actor: PersonName::parse("Mia <Park>").expect("valid"),
            project: Some(ProjectName::parse("Brand Refresh").expect("valid")),
            title: title.to_owned(),
            path: "/portal/projects/00000000-0000-0000-0000-000000000003".to_owned(),
            at: datetime!(2026-03-02 09:00 UTC),
        }
    }

    #[test]
    fn a_notice_lists_each_event_with_its_link_and_a_single_one_is_its_subject() {
        let studio = WorkspaceName::parse("Studio North").expect("valid");
        let one = MailContent::Notice {
            digest: false,
            lines: vec![notice(ActivityKind::Shared, Category::Files, "logo.pdf")],
        };
        let mail = render(&message(one, "Sarah Chen"), None, None, &studio, &url()).expect("renders");
        assert_eq!(mail.subject, "Mia <Park> shared the file \u{201c}logo.pdf\u{201d} in Brand Refresh");
        let link = "https://portal.studio.example/portal/projects/00000000-0000-0000-0000-000000000003";
        assert!(mail.text.contains(link) && mail.html.contains(link));
        assert!(mail.html.contains("Mia &lt;Park&gt;") && !mail.html.contains("<Park>"), "escaped in HTML");
        let digest = MailContent::Notice {
            digest: true,
            lines: vec![
                notice(ActivityKind::Commented, Category::Messages, "Looks <great>"),
                notice(ActivityKind::ApprovalRequested, Category::Approvals, "Logo"),
            ],
        };
        let unsubscribe = "https://portal.studio.example/unsubscribe/abc";
        let mail = render(&message(digest, "Sarah Chen"), None, Some(unsubscribe), &studio, &url()).expect("renders");
        assert_eq!(mail.subject, "Your daily summary from Studio North");
        assert_eq!(mail.list_unsubscribe.as_deref(), Some(unsubscribe));
        assert!(mail.text.contains(&format!("Stop these mails: {unsubscribe}")));
        assert!(mail.text.contains("notification choices (messages and comments, approvals)"));
        assert!(mail.html.contains(&format!("<a href=\"{unsubscribe}\"")));
        assert!(mail.text.contains("Choose what you hear about: https://portal.studio.example/portal/notifications"));
        assert_eq!(mail.html.matches("<li ").count(), 2);
        assert!(mail.text.contains("- Mia <Park> asks for your approval of \u{201c}Logo\u{201d} in Brand Refresh"));
        assert!(mail.html.contains("Looks &lt;great&gt;"));
    }

    #[test]
    fn names_are_escaped_in_html_and_kept_in_text() {
        let project = MailContent::AddedToProject {
            project_id: ProjectId::from_uuid(Uuid::from_u128(3)),
            project_name: ProjectName::parse("<script>alert(1)</script>").expect("valid"),
        };
        let mail = render(
            &message(project, "Tom & <b>Jerry</b>"),
            None,
            None,
            &WorkspaceName::parse("A \"quoted\" studio").expect("valid"),
            &url(),
        )
        .expect("renders");
        assert!(!mail.html.contains("<script>") && mail.html.contains("&lt;script&gt;"));
        assert!(mail.html.contains("Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;"));
        assert!(mail.html.contains("A &quot;quoted&quot; studio"));
        assert!(mail.text.contains("Hello Tom & <b>Jerry</b>,"));
        assert!(
            mail.text.contains("https://portal.studio.example/portal/projects/00000000-0000-0000-0000-000000000003")
        );
    }

    #[test]
    fn header_values_never_carry_line_breaks() {
        assert!(header("Subject", "fine".into()).is_ok());
        assert_eq!(
            header("Subject", "a\r\nBcc: x@y.z".into()),
            Err(RenderError("a line break in the Subject header".into()))
        );
    }

    #[test]
    fn every_kind_of_message_renders() {
        let old = EmailAddress::parse("old@acme.example").expect("valid");
        let new = EmailAddress::parse("new@acme.example").expect("valid");
        let reset = MailContent::with_link(TokenPurpose::PasswordReset, sealed(), datetime!(2026-01-01 1:00 UTC));
        let secret = SecretToken::from_random_bytes([1; 32]);
        for content in [reset, MailContent::EmailChanged { old, new }] {
            let mail = render(
                &message(content, "Sarah"),
                Some(&secret),
                None,
                &WorkspaceName::parse("Studio").expect("valid"),
                &url(),
            )
            .expect("renders");
            assert!(mail.html.starts_with("<!DOCTYPE html>") && mail.text.starts_with("Hello Sarah,"));
        }
    }

    #[test]
    fn a_link_mail_without_its_secret_is_not_rendered() {
        let invitation =
            MailContent::with_link(TokenPurpose::Invitation, LinkSecret::Erased, datetime!(2026-01-08 0:00 UTC));
        let studio = WorkspaceName::parse("Studio").expect("valid");
        assert_eq!(
            render(&message(invitation, "Sarah"), None, None, &studio, &url()).err(),
            Some(RenderError("its one-time link is no longer kept".into()))
        );
    }
}
