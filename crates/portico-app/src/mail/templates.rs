//! What each message says: a subject, a plain-text body and an HTML body, from fixed
//! templates. Every value is escaped in HTML, and nothing that reaches a header may hold a
//! line break. Messages carry links, never passwords.

use std::fmt::Write as _;

use portico_domain::activity::{ActivityKind, Category};
use portico_domain::calendar::day_in_words as day;
use portico_domain::invoice::{InvoiceLetter, Letter, ReminderTiming};
use portico_domain::mail::{MailContent, NoticeLine, OutboxMessage};
use portico_domain::money::{Locale, Money};
use portico_domain::staff::Staff;
use portico_domain::text::WorkspaceName;
use portico_domain::token::SecretToken;
use portico_domain::workspace::{BrandColour, Workspace};
use portico_ports::OutgoingMail;
use time::OffsetDateTime;
use time::macros::format_description;
use uuid::Uuid;

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
        MailContent::Invoice { invoice_id, .. } => public_url.join(&format!("/portal/invoices/{invoice_id}")),
    })
}

/// `1 day`, `7 days`.
fn days(count: u16) -> String {
    if count == 1 { "1 day".to_owned() } else { format!("{count} days") }
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

/// How a workspace's mail looks: its brand colour and the address of its logo.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Look<'a> {
    /// The colour as chosen; mail uses its legible form, as pages do.
    pub(crate) colour: BrandColour,
    /// The logo's absolute address, if the workspace has one.
    pub(crate) logo: Option<&'a str>,
}

/// What a message needs besides itself to be rendered.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Extras<'a> {
    /// The opened secret of the one-time link the message carries.
    pub(crate) secret: Option<&'a SecretToken>,
    /// The one-click unsubscribe link of a notice.
    pub(crate) unsubscribe: Option<&'a str>,
    /// What an invoice mail shows, read when it is delivered.
    pub(crate) letter: Option<&'a InvoiceLetter>,
    /// How amounts are written.
    pub(crate) locale: Locale,
    /// The workspace's brand.
    pub(crate) look: Look<'a>,
}

fn words(content: &MailContent, workspace: &str, extras: &Extras<'_>) -> Result<Words, RenderError> {
    Ok(match content {
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
        MailContent::Invoice { letter, .. } => {
            let shown = extras.letter.ok_or_else(|| RenderError("the invoice it is about was not read".to_owned()))?;
            invoice_words(*letter, shown, workspace, extras.locale)
        }
    })
}

/// The words of an invoice mail: the invoice, a reminder, or a receipt, as `shown` to its
/// addressee (a balance only where they see payments).
fn invoice_words(which: Letter, shown: &InvoiceLetter, workspace: &str, locale: Locale) -> Words {
    let invoice = &shown.invoice;
    let number = &invoice.number;
    let money = |amount: Money| amount.display_in(locale).to_string();
    let total = money(invoice.totals.total);
    let balance = invoice.payments.as_ref().map(|p| p.balance);
    let instructions = invoice.issuer.as_ref().and_then(|i| i.payment_instructions.as_ref());
    let how_to_pay = instructions.map(|text| format!("How to pay:\n{text}"));
    let action = "View the invoice";
    match which {
        Letter::Issued => {
            let due = invoice.due_date.map_or(String::new(), |due| format!(", due on {}", day(due)));
            let mut paragraphs = vec![
                format!("{workspace} has sent you invoice {number} for {total}{due}."),
                "The invoice is attached as a PDF. You can also view it in your client portal.".to_owned(),
            ];
            paragraphs.extend(how_to_pay);
            Words { subject: format!("Invoice {number} from {workspace}"), paragraphs, action }
        }
        Letter::Reminder { days: offset } => {
            let due = invoice.due_date.map_or_else(String::new, day);
            let (subject, when) = match ReminderTiming::of(offset) {
                ReminderTiming::Before(n) => {
                    (format!("Reminder: invoice {number} is due on {due}"), format!("is due in {}, on {due}", days(n)))
                }
                ReminderTiming::OnTheDay => (format!("Invoice {number} is due today"), format!("is due today, {due}")),
                ReminderTiming::After(n) => {
                    (format!("Invoice {number} is overdue"), format!("was due on {due}, {} ago", days(n)))
                }
            };
            let owed = balance.map_or_else(
                || format!("The invoice total is {total}."),
                |balance| format!("The balance due is {}.", money(balance)),
            );
            let mut paragraphs = vec![
                format!("This is a reminder that invoice {number} from {workspace} {when}. {owed}"),
                "If you have paid it already, thank you, and please disregard this reminder.".to_owned(),
            ];
            paragraphs.extend(how_to_pay);
            Words { subject, paragraphs, action }
        }
        Letter::Receipt { .. } => {
            let mut paragraphs = Vec::new();
            if let Some(payment) = &shown.payment {
                let reference = payment.reference.as_ref().map_or(String::new(), |r| format!(" (reference {r})"));
                paragraphs.push(format!(
                    "Thank you: {workspace} has received your payment of {} for invoice {number}, made on {} by {}{reference}.",
                    money(payment.amount),
                    day(payment.paid_on),
                    payment.method.label().to_lowercase(),
                ));
            }
            paragraphs.push(match balance {
                Some(balance) if balance.minor() > 0 => {
                    format!("The balance still due on the invoice is {}.", money(balance))
                }
                _ => format!("Invoice {number} is now paid in full."),
            });
            Words { subject: format!("Payment received for invoice {number}"), paragraphs, action }
        }
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

/// Renders `message` from `workspace`, with links under `public_url` and what else it needs
/// in `extras` (a one-time link's secret, a notice's unsubscribe link, an invoice mail's
/// invoice). Attachments are the caller's to add.
pub(crate) fn render(
    message: &OutboxMessage,
    extras: &Extras<'_>,
    workspace: &WorkspaceName,
    public_url: &PublicUrl,
) -> Result<OutgoingMail, RenderError> {
    let name = message.to_name.as_str();
    let unsubscribe = extras.unsubscribe;
    let words = words(&message.content, workspace.as_str(), extras)?;
    let link = link_of(&message.content, extras.secret, public_url)?;
    let colour = extras.look.colour.legible();
    let (mut text, mut html) = greeting_and_paragraphs(name, &words.paragraphs);
    if let MailContent::Notice { lines, .. } = &message.content {
        write_lines(&mut text, &mut html, lines, public_url, colour);
    }
    // Writing to a String cannot fail.
    let _ = write!(text, "{}: {link}\n\n\u{2014} {workspace}\n", words.action);
    let _ = writeln!(
        html,
        "<p style=\"{PARAGRAPH}\"><a href=\"{}\" style=\"{BUTTON};background:{colour}\">{}</a></p>",
        escape(&link),
        escape(words.action)
    );
    let _ = writeln!(html, "<p style=\"{PARAGRAPH}\">\u{2014} {}</p>", escape(workspace.as_str()));
    if let (MailContent::Notice { lines, .. }, Some(unsubscribe)) = (&message.content, unsubscribe) {
        write_footer(&mut text, &mut html, lines, unsubscribe, &choices_link(message, public_url));
    }
    Ok(OutgoingMail {
        message_id: header("Message-ID", message.message_id(public_url.host()))?,
        to: header("To", message.to.as_str().to_owned())?,
        to_name: header("To", name.to_owned())?,
        from_name: None,
        html: page(&words.subject, workspace.as_str(), extras.look, &html),
        subject: header("Subject", words.subject)?,
        list_unsubscribe: unsubscribe.map(|link| header("List-Unsubscribe", link.to_owned())).transpose()?,
        text,
        attachments: Vec::new(),
    })
}

/// "Hello Sarah," and the paragraphs, as plain text and as HTML.
fn greeting_and_paragraphs(name: &str, paragraphs: &[String]) -> (String, String) {
    let mut text = format!("Hello {name},\n\n");
    let mut html = format!("<p style=\"{PARAGRAPH}\">Hello {},</p>\n", escape(name));
    for paragraph in paragraphs {
        let _ = write!(text, "{paragraph}\n\n");
        let _ = writeln!(html, "<p style=\"{PARAGRAPH}\">{}</p>", escape(paragraph).replace('\n', "<br>"));
    }
    (text, html)
}

/// The whole HTML document around a message's `body`: the workspace's logo (or its name in
/// its colour) above a white card.
fn page(subject: &str, workspace: &str, look: Look<'_>, body: &str) -> String {
    let masthead = match look.logo {
        Some(logo) => format!(
            "<img src=\"{}\" alt=\"{}\" style=\"max-height:48px;max-width:240px;border:0\">",
            escape(logo),
            escape(workspace)
        ),
        None => format!(
            "<span style=\"font-size:20px;font-weight:700;color:{}\">{}</span>",
            look.colour.legible(),
            escape(workspace)
        ),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title></head>\n\
         <body style=\"{BODY}\">\n<div style=\"{MASTHEAD}\">{masthead}</div>\n\
         <div style=\"{CARD};border-top:4px solid {}\">\n{body}</div>\n</body></html>\n",
        escape(subject),
        look.colour.legible(),
    )
}

/// A message that only proves mail reaches `admin`, in the workspace's brand.
pub(crate) fn test_mail(workspace: &Workspace, admin: &Staff, public_url: &PublicUrl, id: Uuid) -> OutgoingMail {
    let name = workspace.name.as_str();
    let subject = format!("Test mail from {name}");
    let paragraphs = [
        format!("This is a test message from the {name} client portal."),
        format!(
            "If you are reading it, Portico can send mail to {}, and clients will get their invitations, \
             notifications and invoices. Mail is sent as \u{201c}{}\u{201d}.",
            admin.email,
            workspace.sender_name()
        ),
    ];
    let (mut text, html) = greeting_and_paragraphs(admin.name.as_str(), &paragraphs);
    let _ = writeln!(text, "\u{2014} {name}");
    let logo = workspace.settings.brand.logo.as_ref().map(|logo| public_url.logo_link(workspace.id, logo));
    let look = Look { colour: workspace.settings.brand.colour, logo: logo.as_deref() };
    OutgoingMail {
        message_id: format!("<test.{}@{}>", id.simple(), public_url.host()),
        to: admin.email.as_str().to_owned(),
        to_name: admin.name.as_str().to_owned(),
        from_name: workspace.settings.brand.sender_name.as_ref().map(|n| n.as_str().to_owned()),
        html: page(&subject, name, look, &html),
        subject,
        list_unsubscribe: None,
        text,
        attachments: Vec::new(),
    }
}

// Mail clients drop style sheets, so the few styles are written on the elements.
const BODY: &str = "margin:0;padding:24px 12px;background:#f4f5f7;color:#1f2933;\
    font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5";
const MASTHEAD: &str = "max-width:560px;margin:0 auto 12px;padding:0 4px";
const CARD: &str = "max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #e1e4e8;\
    border-radius:8px;padding:24px";
const PARAGRAPH: &str = "margin:0 0 16px";
const BUTTON: &str = "display:inline-block;color:#ffffff;text-decoration:none;\
    padding:10px 18px;border-radius:6px;font-weight:600";
const ITEM: &str = "padding:10px 0;border-top:1px solid #e1e4e8";
const MUTED: &str = "color:#616e7c;font-size:13px";

/// A notice's events, each a sentence linking to its item, with when it happened.
fn write_lines(
    text: &mut String,
    html: &mut String,
    lines: &[NoticeLine],
    public_url: &PublicUrl,
    colour: BrandColour,
) {
    let _ = writeln!(html, "<ul style=\"list-style:none;margin:0 0 20px;padding:0\">");
    for line in lines {
        let (sentence, at, link) = (notice_sentence(line), when(line.at), public_url.join(&line.path));
        let _ = write!(text, "- {sentence} ({at})\n  {link}\n\n");
        let _ = writeln!(
            html,
            "<li style=\"{ITEM}\"><a href=\"{}\" style=\"color:{colour}\">{}</a><br><span style=\"{MUTED}\">{}</span></li>",
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
            &Extras { secret: Some(&token), ..Extras::default() },
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
        let mail = render(&message(one, "Sarah Chen"), &Extras::default(), &studio, &url()).expect("renders");
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
        let mail = render(
            &message(digest, "Sarah Chen"),
            &Extras { unsubscribe: Some(unsubscribe), ..Extras::default() },
            &studio,
            &url(),
        )
        .expect("renders");
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
            &Extras::default(),
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
                &Extras { secret: Some(&secret), ..Extras::default() },
                &WorkspaceName::parse("Studio").expect("valid"),
                &url(),
            )
            .expect("renders");
            assert!(mail.html.starts_with("<!DOCTYPE html>") && mail.text.starts_with("Hello Sarah,"));
        }
    }

    /// Lisa's invoice as the contract records make it, sent, as she sees it, with `letter`.
    fn invoice_mail(letter: Letter, paid_minor: i64) -> (OutboxMessage, InvoiceLetter) {
        use portico_domain::ids::PaymentId;
        use portico_domain::portal::PortalInvoice;
        use portico_testkit::contract::Records;

        let mut records = Records::new(1);
        let client = records.client("Lisa Park", "lisa@acme.example", None);
        let mut invoice = records.invoice("INV-2026-0007", client.id(), None);
        let at = datetime!(2026-03-02 09:00 UTC);
        let schedule = portico_domain::invoice::ReminderSchedule::default();
        invoice.send(&client, Records::issuer(), None, &schedule, at).expect("sends");
        let mut payment = None;
        if paid_minor > 0 {
            let input = Records::payment(paid_minor, at);
            invoice.record_payment(PaymentId::from_uuid(Uuid::from_u128(9)), input.clone(), at).expect("paid");
            payment = Some(input);
        }
        let content = MailContent::Invoice {
            invoice_id: invoice.id(),
            number: invoice.number().expect("numbered").clone(),
            letter,
        };
        let shown = PortalInvoice::as_addressed(&invoice, None).expect("sent");
        (message(content, "Lisa Park"), InvoiceLetter { invoice: shown, payment })
    }

    fn rendered(letter: Letter, paid_minor: i64) -> OutgoingMail {
        let (message, shown) = invoice_mail(letter, paid_minor);
        let extras = Extras { letter: Some(&shown), ..Extras::default() };
        render(&message, &extras, &WorkspaceName::parse("Northwind <Studio>").expect("valid"), &url()).expect("renders")
    }

    #[test]
    fn invoice_mails_say_what_is_owed_and_how_to_pay() {
        let issued = rendered(Letter::Issued, 0);
        assert_eq!(issued.subject, "Invoice INV-2026-0007 from Northwind <Studio>");
        assert!(issued.text.contains("has sent you invoice INV-2026-0007 for €"), "{}", issued.text);
        assert!(issued.text.contains(", due on 1 April 2026."), "{}", issued.text);
        assert!(issued.text.contains("How to pay:\nIBAN DE02"), "the payment instructions: {}", issued.text);
        assert!(issued.html.contains("Northwind &lt;Studio&gt;") && issued.html.contains("How to pay:<br>IBAN"));
        let link = "https://portal.studio.example/portal/invoices/";
        assert!(issued.text.contains(link) && issued.html.contains(link));

        let overdue = rendered(Letter::Reminder { days: 7 }, 1_000);
        assert_eq!(overdue.subject, "Invoice INV-2026-0007 is overdue");
        assert!(overdue.text.contains("was due on 1 April 2026, 7 days ago. The balance due is €"), "{}", overdue.text);
        let before = rendered(Letter::Reminder { days: -1 }, 0);
        assert_eq!(before.subject, "Reminder: invoice INV-2026-0007 is due on 1 April 2026");
        assert!(before.text.contains("is due in 1 day, on 1 April 2026."), "{}", before.text);
        assert_eq!(rendered(Letter::Reminder { days: 0 }, 0).subject, "Invoice INV-2026-0007 is due today");

        let receipt =
            rendered(Letter::Receipt { payment: portico_domain::ids::PaymentId::from_uuid(Uuid::from_u128(9)) }, 1_000);
        assert_eq!(receipt.subject, "Payment received for invoice INV-2026-0007");
        assert!(receipt.text.contains("your payment of €10.00 for invoice INV-2026-0007, made on 2 March 2026 by bank transfer (reference TX-42)."), "{}", receipt.text);
        assert!(receipt.text.contains("The balance still due on the invoice is €"), "{}", receipt.text);
        assert!(issued.attachments.is_empty(), "the PDF is the delivery's to attach");
    }

    #[test]
    fn an_invoice_mail_without_its_invoice_is_not_rendered() {
        let (message, _) = invoice_mail(Letter::Issued, 0);
        let studio = WorkspaceName::parse("Studio").expect("valid");
        assert_eq!(
            render(&message, &Extras::default(), &studio, &url()).err(),
            Some(RenderError("the invoice it is about was not read".into()))
        );
    }

    #[test]
    fn a_link_mail_without_its_secret_is_not_rendered() {
        let invitation =
            MailContent::with_link(TokenPurpose::Invitation, LinkSecret::Erased, datetime!(2026-01-08 0:00 UTC));
        let studio = WorkspaceName::parse("Studio").expect("valid");
        assert_eq!(
            render(&message(invitation, "Sarah"), &Extras::default(), &studio, &url()).err(),
            Some(RenderError("its one-time link is no longer kept".into()))
        );
    }
}
