//! The delivery worker `portico serve` runs beside the web server: rounds of the outbox's
//! delivery use case (after queuing the notices and payment reminders that are due) until
//! told to stop. It drives the application, so it lives with the wiring, not in the SMTP
//! adapter (which only sends).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use portico_app::Portico;
use portico_app::mail::MailSettings;
use portico_ports::Mailer;
use tokio::sync::watch;

/// Runs delivery rounds: at once while there is a full batch, then every `interval`.
pub struct DeliveryWorker {
    portico: Portico,
    mailer: Option<Arc<dyn Mailer>>,
    settings: MailSettings,
    /// How long to wait between rounds when the outbox is empty.
    pub interval: Duration,
    /// How many messages one round claims.
    pub batch: usize,
}

impl DeliveryWorker {
    /// A worker delivering through `mailer` — or, without one, holding messages in the outbox
    /// (where staff copy invitation links) so a fresh installation without a mail server
    /// still works.
    pub fn new(portico: Portico, mailer: Option<Arc<dyn Mailer>>, settings: MailSettings) -> Self {
        Self { portico, mailer, settings, interval: Duration::from_secs(2), batch: 20 }
    }

    /// Delivers until `shutdown` turns true. On shutdown the message being sent finishes and
    /// the rest of its round is given back to the outbox, so a stop loses nothing.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let stopping = Arc::new(AtomicBool::new(*shutdown.borrow()));
        let watcher = {
            let (stopping, mut shutdown) = (Arc::clone(&stopping), shutdown.clone());
            tokio::spawn(async move {
                while !*shutdown.borrow_and_update() {
                    if shutdown.changed().await.is_err() {
                        break;
                    }
                }
                stopping.store(true, Ordering::SeqCst);
            })
        };
        while !stopping.load(Ordering::SeqCst) {
            let full = self.round(&stopping).await;
            if !full {
                tokio::select! {
                    () = tokio::time::sleep(self.interval) => {}
                    // Stop now, not after the watcher task gets to set the flag: this wake-up
                    // has consumed the change, and the next wait would sleep a whole interval.
                    _ = shutdown.changed() => stopping.store(*shutdown.borrow(), Ordering::SeqCst),
                }
            }
        }
        watcher.abort();
        tracing::info!("mail delivery stopped");
    }

    /// One round; returns whether it was full (more may be waiting).
    async fn round(&self, stopping: &AtomicBool) -> bool {
        let stop = || stopping.load(Ordering::SeqCst);
        // Notices due now become mails first, so this round delivers them.
        match self.portico.send_due_notices(self.batch).await {
            Ok(notices) => {
                if notices.mails + notices.dropped > 0 {
                    tracing::info!(mails = notices.mails, dropped = notices.dropped, "notice mail queued");
                }
                if notices.failed > 0 {
                    tracing::warn!(people = notices.failed, "notice mail could not be built for some people");
                }
            }
            Err(error) => tracing::error!(%error, "notice mail round failed"),
        }
        // So do payment reminders whose day has come.
        match self.portico.send_due_reminders(self.batch).await {
            Ok(reminders) => {
                if reminders.queued + reminders.withheld > 0 {
                    tracing::info!(queued = reminders.queued, withheld = reminders.withheld, "payment reminders due");
                }
                if reminders.failed > 0 {
                    tracing::warn!(
                        invoices = reminders.failed,
                        "payment reminders could not be written for some invoices"
                    );
                }
            }
            Err(error) => tracing::error!(%error, "payment reminder round failed"),
        }
        match self.portico.deliver_due_mail(self.mailer.as_deref(), &self.settings, self.batch, &stop).await {
            Ok(report) => {
                for held in &report.held {
                    // Never the link: it is a password in waiting. Staff copy it from the
                    // outbox page.
                    tracing::info!(outbox_id = %held.id, kind = held.kind,
                        "no mail server configured; message held in the outbox");
                }
                if report.sent + report.retrying + report.dead > 0 {
                    tracing::info!(
                        sent = report.sent,
                        retrying = report.retrying,
                        dead = report.dead,
                        "mail delivered"
                    );
                }
                if report.taken_over > 0 {
                    tracing::warn!(
                        count = report.taken_over,
                        "mail outcomes arrived after their lease; another worker took over"
                    );
                }
                let handled = report.sent + report.retrying + report.dead + report.held.len() + report.released;
                handled >= self.batch
            }
            Err(error) => {
                tracing::error!(%error, "mail delivery round failed");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use portico_app::forms::ClientForm;
    use portico_app::mail::PublicUrl;
    use portico_domain::mail::DeliveryState;
    use portico_memory::MemoryStore;
    use portico_ports::PageRequest;
    use portico_testkit::harness::TestApp;

    use super::*;

    #[tokio::test]
    async fn the_worker_holds_mail_without_a_server_and_stops_without_waiting_out_its_interval() {
        let app = TestApp::on(Arc::new(MemoryStore::new())).await;
        for n in 0..3 {
            let form = ClientForm {
                name: format!("Client {n}"),
                email: format!("client{n}@acme.example"),
                ..ClientForm::default()
            };
            app.portico.create_client(&app.admin, form.parse().expect("valid")).await.expect("created");
        }
        let settings = MailSettings::new(PublicUrl::parse("https://portal.studio.example").expect("valid"));
        let mut worker = DeliveryWorker::new(app.portico.clone(), None, settings);
        // One round holds all three; then the worker waits an hour, and a stop must not.
        worker.interval = Duration::from_hours(1);
        let (stop, shutdown) = watch::channel(false);
        let running = tokio::spawn(worker.run(shutdown));
        let held = || async {
            let page = app.portico.outbox(&app.admin, &PageRequest::first()).await.expect("outbox");
            page.items.iter().filter(|m| m.state == DeliveryState::Held).count()
        };
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while held().await < 3 {
            assert!(tokio::time::Instant::now() < deadline, "the worker holds the invitations");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        stop.send(true).expect("the worker listens");
        tokio::time::timeout(Duration::from_secs(10), running).await.expect("it stops at once").expect("cleanly");
    }
}
