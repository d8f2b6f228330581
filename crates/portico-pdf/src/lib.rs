//! The invoice as a PDF: the document staff download, the client downloads from the portal
//! and the invoice mail carries. It is drawn from a [`PortalInvoice`] — what its reader may
//! see of the invoice — so the agency's copy is the addressee's and a client without the
//! `payments` permission gets no payment records in it either.
//!
//! Laid out on A4 with [`pdf_writer`] in the base font (`font.rs`); long invoices continue
//! on further pages, the lines' header repeated and every page numbered.

mod font;
mod logo;
mod page;

use pdf_writer::{Finish, Name, Pdf, Rect, Ref, TextStr};
use portico_domain::calendar::day_in_words as day;
use portico_domain::company::CompanyName;
use portico_domain::invoice::{InvoiceNotes, InvoiceStatus, InvoiceTerms, PaymentInstructions};
use portico_domain::money::{Locale, Money};
use portico_domain::portal::PortalInvoice;
use portico_domain::text::BillingAddress;
use portico_ports::DocumentRenderer;

use crate::font::Weight;
use crate::page::{Align, Canvas, GRAY, INK, LEFT, RIGHT};

/// Where the columns of the lines' table are: the description's left edge and width, and the
/// right edges of quantity, unit price, tax and amount.
const DESCRIPTION: (f32, f32) = (LEFT, 215.0);
const QUANTITY: f32 = 318.0;
const UNIT_PRICE: f32 = 398.0;
const TAX: f32 = 470.0;
const AMOUNT: f32 = RIGHT;
/// Where the totals' labels start.
const TOTALS: f32 = 330.0;

/// The [`DocumentRenderer`] port, drawing with this crate.
#[derive(Debug, Clone, Copy, Default)]
pub struct PdfDocuments;

impl DocumentRenderer for PdfDocuments {
    fn invoice_pdf(&self, invoice: &PortalInvoice, locale: Locale, logo: Option<&[u8]>) -> Vec<u8> {
        self::invoice(invoice, locale, logo)
    }
}

/// The logo's box at the top of the first page, in points: at most this tall and wide.
const LOGO_HEIGHT: f32 = 40.0;
const LOGO_WIDTH: f32 = 200.0;

/// The PDF of `invoice`, amounts written as `locale` writes them, headed by the PNG `logo`
/// when there is one it can read.
pub fn invoice(invoice: &PortalInvoice, locale: Locale, logo: Option<&[u8]>) -> Vec<u8> {
    let mut canvas = Canvas::new();
    let money = |amount: Money| amount.display_in(locale).to_string();
    let logo = logo.and_then(logo::Logo::decode);
    if let Some(logo) = &logo {
        letterhead(&mut canvas, logo);
    }
    head(&mut canvas, invoice);
    lines(&mut canvas, invoice, &money);
    totals(&mut canvas, invoice, &money);
    payments(&mut canvas, invoice, &money);
    closing(&mut canvas, invoice);
    let footer = format!("{} · Invoice {}", issuer_name(invoice), invoice.number);
    finish(canvas, &footer, &format!("Invoice {}", invoice.number), logo.as_ref())
}

/// The logo, scaled to fit its box keeping its proportions, above the issuer's name.
fn letterhead(canvas: &mut Canvas, logo: &logo::Logo) {
    #[allow(clippy::cast_precision_loss, reason = "sides of at most 4096 pixels")]
    let (width, height) = (logo.width as f32, logo.height as f32);
    let scale = (LOGO_HEIGHT / height).min(LOGO_WIDTH / width);
    canvas.y += 12.0;
    canvas.logo(LEFT, width * scale, height * scale);
    canvas.down(height * scale + 16.0);
}

fn issuer_name(invoice: &PortalInvoice) -> &str {
    invoice.issuer.as_ref().map_or("", |issuer| issuer.name.as_str())
}

/// The issuer, the title with number, dates and status, and who is billed.
fn head(canvas: &mut Canvas, invoice: &PortalInvoice) {
    let top = canvas.y;
    canvas.text(LEFT, issuer_name(invoice), Weight::Bold, 16.0, INK, Align::Left);
    canvas.down(16.0);
    if let Some(address) = invoice.issuer.as_ref().and_then(|issuer| issuer.address.as_ref()) {
        canvas.paragraph(LEFT, 220.0, address.as_str(), Weight::Regular, 9.0, GRAY);
    }
    let left_bottom = canvas.y;
    canvas.y = top;
    canvas.text(RIGHT, "INVOICE", Weight::Bold, 20.0, INK, Align::Right);
    canvas.down(20.0);
    let mut facts = vec![format!("No. {}", invoice.number)];
    facts.extend(invoice.issue_date.map(|d| format!("Issued {}", day(d))));
    facts.extend(invoice.due_date.map(|d| format!("Due {}", day(d))));
    for fact in facts {
        canvas.text(RIGHT, &fact, Weight::Regular, 9.5, INK, Align::Right);
        canvas.down(13.0);
    }
    if invoice.status != InvoiceStatus::Sent {
        canvas.down(4.0);
        canvas.text(RIGHT, &invoice.status.label().to_uppercase(), Weight::Bold, 11.0, INK, Align::Right);
        canvas.down(13.0);
    }
    canvas.y = canvas.y.min(left_bottom) - 24.0;
    canvas.text(LEFT, "BILLED TO", Weight::Bold, 7.5, GRAY, Align::Left);
    canvas.down(12.0);
    let billed = &invoice.billed_to;
    canvas.text(LEFT, billed.name.as_str(), Weight::Bold, 10.0, INK, Align::Left);
    canvas.down(12.5);
    let mut more: Vec<&str> = billed.company.iter().map(CompanyName::as_str).collect();
    more.extend(billed.address.iter().map(BillingAddress::as_str));
    for part in more {
        canvas.paragraph(LEFT, 260.0, part, Weight::Regular, 9.5, INK);
    }
    if let Some((_, project)) = &invoice.project {
        canvas.text(LEFT, &format!("Project: {project}"), Weight::Regular, 9.0, GRAY, Align::Left);
        canvas.down(12.0);
    }
    canvas.down(18.0);
}

/// The lines' column titles, with a rule under them.
fn table_header(canvas: &mut Canvas) {
    for (x, title, align) in [
        (DESCRIPTION.0, "DESCRIPTION", Align::Left),
        (QUANTITY, "QTY", Align::Right),
        (UNIT_PRICE, "UNIT PRICE", Align::Right),
        (TAX, "TAX", Align::Right),
        (AMOUNT, "AMOUNT", Align::Right),
    ] {
        canvas.text(x, title, Weight::Bold, 7.5, GRAY, align);
    }
    canvas.rule(LEFT, RIGHT, -4.0, 0.8);
    canvas.down(17.0);
}

fn lines(canvas: &mut Canvas, invoice: &PortalInvoice, money: &impl Fn(Money) -> String) {
    canvas.on_new_page(table_header);
    table_header(canvas);
    for line in &invoice.lines {
        let wrapped = font::wrap(line.description.as_str(), Weight::Regular, 9.5, DESCRIPTION.1);
        // The line's height is its description's; a line is never split over two pages.
        #[allow(clippy::cast_precision_loss, reason = "a description wraps to few lines")]
        let height = wrapped.len() as f32 * 12.0 + 3.0;
        canvas.room_for(height);
        let top = canvas.y;
        let tax = if line.tax_rate.is_zero() { "-".to_owned() } else { format!("{} %", line.tax_rate) };
        for (x, value) in [
            (QUANTITY, line.quantity.to_string()),
            (UNIT_PRICE, money(line.unit_price)),
            (TAX, tax),
            (AMOUNT, money(line.total)),
        ] {
            canvas.text(x, &value, Weight::Regular, 9.5, INK, Align::Right);
        }
        for piece in wrapped {
            canvas.encoded(DESCRIPTION.0, &piece, Weight::Regular, 9.5, INK, Align::Left);
            canvas.down(12.0);
        }
        // Back to the last baseline: a rule under it, and the next line's baseline below.
        canvas.y = canvas.y.min(top - 12.0) + 12.0;
        canvas.rule(LEFT, RIGHT, -4.0, 0.3);
        canvas.down(15.0);
    }
    canvas.stop_on_new_page();
    canvas.down(4.0);
}

fn totals(canvas: &mut Canvas, invoice: &PortalInvoice, money: &impl Fn(Money) -> String) {
    let totals = &invoice.totals;
    let mut rows: Vec<(String, String, Weight)> = vec![("Subtotal".into(), money(totals.subtotal), Weight::Regular)];
    if totals.discount.minor() > 0 {
        rows.push(("Discount".to_owned(), format!("-{}", money(totals.discount)), Weight::Regular));
    }
    for tax in &totals.taxes {
        let name = tax.name.as_ref().map_or("Tax", |n| n.as_str());
        rows.push((format!("{name} {} % on {}", tax.rate, money(tax.base)), money(tax.amount), Weight::Regular));
    }
    rows.push(("Total".into(), money(totals.total), Weight::Bold));
    if let Some(payments) = &invoice.payments {
        let paid = Money::new(totals.total.minor() - payments.balance.minor(), totals.total.currency());
        if paid.minor() > 0 {
            rows.push(("Paid".into(), format!("-{}", money(paid)), Weight::Regular));
        }
        rows.push(("Balance due".into(), money(payments.balance), Weight::Bold));
    }
    #[allow(clippy::cast_precision_loss, reason = "a handful of rows")]
    canvas.room_for(rows.len() as f32 * 15.0);
    for (label, amount, weight) in rows {
        if weight == Weight::Bold {
            canvas.down(3.0);
            canvas.rule(TOTALS, RIGHT, 11.0, 0.8);
        }
        canvas.text(TOTALS, &label, weight, 9.5, INK, Align::Left);
        canvas.text(RIGHT, &amount, weight, if weight == Weight::Bold { 10.5 } else { 9.5 }, INK, Align::Right);
        canvas.down(15.0);
    }
    canvas.down(10.0);
}

fn payments(canvas: &mut Canvas, invoice: &PortalInvoice, money: &impl Fn(Money) -> String) {
    let Some(payments) = invoice.payments.as_ref().filter(|p| !p.recorded.is_empty()) else {
        return;
    };
    canvas.room_for(40.0);
    canvas.text(LEFT, "PAYMENTS RECEIVED", Weight::Bold, 7.5, GRAY, Align::Left);
    canvas.down(13.0);
    for payment in &payments.recorded {
        canvas.room_for(13.0);
        canvas.text(LEFT, &day(payment.paid_on), Weight::Regular, 9.5, INK, Align::Left);
        canvas.text(150.0, payment.method.label(), Weight::Regular, 9.5, INK, Align::Left);
        if let Some(reference) = &payment.reference {
            canvas.text(260.0, reference.as_str(), Weight::Regular, 9.5, GRAY, Align::Left);
        }
        canvas.text(RIGHT, &money(payment.amount), Weight::Regular, 9.5, INK, Align::Right);
        canvas.down(13.0);
    }
    canvas.down(10.0);
}

/// Notes, terms and how to pay, each under its heading.
fn closing(canvas: &mut Canvas, invoice: &PortalInvoice) {
    let instructions = invoice.issuer.as_ref().and_then(|issuer| issuer.payment_instructions.as_ref());
    let sections = [
        ("HOW TO PAY", instructions.map(PaymentInstructions::as_str)),
        ("NOTE", invoice.notes.as_ref().map(InvoiceNotes::as_str)),
        ("TERMS", invoice.terms.as_ref().map(InvoiceTerms::as_str)),
    ];
    for (title, text) in sections {
        let Some(text) = text else { continue };
        canvas.room_for(36.0);
        canvas.text(LEFT, title, Weight::Bold, 7.5, GRAY, Align::Left);
        canvas.down(12.0);
        canvas.paragraph(LEFT, RIGHT - LEFT, text, Weight::Regular, 9.5, INK);
        canvas.down(10.0);
    }
}

/// Writes the pages, each with `footer` and its number, into a PDF titled `title`.
fn finish(canvas: Canvas, footer: &str, title: &str, logo: Option<&logo::Logo>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, info, regular, bold) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    let (image, mask) = (Ref::new(6), Ref::new(7));
    let pages = canvas.into_pages(footer);
    let mut next = 8;
    let mut page_refs = Vec::with_capacity(pages.len());
    for content in pages {
        let (page, stream) = (Ref::new(next), Ref::new(next + 1));
        next += 2;
        page_refs.push(page);
        let mut writer = pdf.page(page);
        writer.media_box(Rect::new(0.0, 0.0, page::WIDTH, page::HEIGHT)).parent(tree).contents(stream);
        let mut resources = writer.resources();
        resources.fonts().pair(Name(page::REGULAR), regular).pair(Name(page::BOLD), bold);
        if logo.is_some() && page_refs.len() == 1 {
            resources.x_objects().pair(Name(page::LOGO), image);
        }
        drop(resources);
        writer.finish();
        pdf.stream(stream, &content);
    }
    pdf.catalog(catalog).pages(tree);
    let count = i32::try_from(page_refs.len()).unwrap_or(i32::MAX);
    pdf.pages(tree).kids(page_refs).count(count);
    for (id, name) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
        pdf.type1_font(id).base_font(Name(name.as_bytes())).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    if let Some(logo) = logo {
        logo.write(&mut pdf, image, mask);
    }
    pdf.document_info(info).title(TextStr(title)).producer(TextStr("Portico"));
    pdf.finish()
}
