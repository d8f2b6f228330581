//! The use cases, grouped by what they are about. Each is a method of [`Portico`](crate::Portico).

mod api_tokens;
mod approvals;
mod auth;
mod clients;
mod content;
mod delivery;
mod feed;
pub(crate) mod import;
mod insight;
mod invoice_mail;
mod invoices;
mod links;
mod notices;
mod portal;
mod preferences;
mod projects;
mod sessions;
mod settings;
mod setup;
mod unsubscribe;

pub use approvals::Answer;
pub use clients::{ClientDetail, ClientWarning, CreatedClient, NewClient};
pub use content::{NewMessage, NewTask, NewUpload};
pub use delivery::{DeliveryReport, HeldMail};
pub use feed::{FeedEntry, FeedPage, UNREAD_CAP};
pub use import::{ImportMode, ImportOptions, ImportProblem, ImportReport, ImportRow, ImportStep, RowOutcome};
pub use insight::Explanation;
pub use invoice_mail::ReminderReport;
pub use notices::NoticeReport;
pub use portal::ClientPreview;
pub use preferences::NotificationSettings;
pub use projects::{NewProject, ProjectDetail, ProjectSummary};
pub use sessions::{LoggedIn, Me};
pub use settings::TestMail;
pub use setup::NewStaff;
pub use unsubscribe::UnsubscribeLink;
