//! The finishing of the OpenAPI description. utoipa's derives give the routes, the bodies and
//! their types; this adds what they cannot know:
//!
//! - the problem answers every route can give, from how the edge reads a request (a route
//!   with a body can answer 400, 413, 415 and 422; one with an id in its path, 404, and 409
//!   when it changes something; one that needs a caller, 401 and 403);
//! - the values and bounds the domain allows on each field of a request, read from the
//!   domain's own lists and limits (`Visibility::ALL`, `PersonName::MAX_CHARS`, …), so the
//!   description cannot drift from the rule it describes;
//! - the formats and names of answers' fields (ids, instants, statuses), and one schema per
//!   item type where utoipa copies it into each list.
//!
//! A generated client therefore knows every refusal it can meet and sends only values the
//! server can accept. Rules the schema language cannot state (an address the domain finds
//! undeliverable, a password on the common list, a date that does not exist) stay in the
//! domain and are refused with 422 naming the field.

use portico_app::ImportMode;
use portico_domain::activity::Delivery;
use portico_domain::approval::ApprovalDecision;
use portico_domain::audit::AuditAction;
use portico_domain::company::CompanyName;
use portico_domain::content::{TaskState, Visibility};
use portico_domain::email::EmailAddress;
use portico_domain::invoice::{
    Due, InvoiceDraft, InvoiceNotes, InvoiceNumber, InvoiceStatus, InvoiceTerms, LineDescription, NumberPattern,
    PaymentInstructions, PaymentMethod, PaymentReference, ReminderSchedule, TaxName, VoidReason,
};
use portico_domain::mail::DeliveryState;
use portico_domain::money::{Currency, Locale, Money};
use portico_domain::password::NewPassword;
use portico_domain::permissions::{Permission, Preset};
use portico_domain::phone::Phone;
use portico_domain::project::ProjectStatus;
use portico_domain::staff::Role;
use portico_domain::status::ClientStatus;
use portico_domain::text::{
    BillingAddress, Description, InternalNotes, MessageBody, PersonName, ProjectName, TaskTitle, TokenLabel,
    WorkspaceName,
};
use portico_domain::visibility::ItemKind;
use portico_domain::workspace::{PortalWelcome, SenderName};
use portico_ports::ListOrder;
use portico_ports::PageRequest;
use portico_ports::repos::{BalanceFilter, ClientOrder, InvoiceOrder, ProjectOrder};
use serde_json::{Map, Value, json};

/// Completes `document` (the OpenAPI description as JSON) in place.
pub(crate) fn finish(document: &mut Value) {
    let unused = constrain_fields(document);
    debug_assert!(unused.is_empty(), "field rules that found no field: {unused:?}");
    optional_bodies(document);
    add_problem_answers(document);
}

/// A body that may be left out is described by utoipa as "the schema or `null`"; a `null`
/// body is refused like any other non-object, so the body is instead not required.
fn optional_bodies(document: &mut Value) {
    let operations = document["paths"].as_object_mut().into_iter().flat_map(|paths| paths.values_mut());
    let operations = operations.filter_map(Value::as_object_mut).flat_map(|item| item.values_mut());
    for body in operations.filter_map(|operation| operation.get_mut("requestBody")) {
        let Some(content) = body["content"].as_object_mut() else { continue };
        let mut optional = false;
        for media in content.values_mut() {
            let variants = media["schema"]["oneOf"].as_array().cloned().unwrap_or_default();
            let null = json!({"type": "null"});
            let schema = match variants.as_slice() {
                [schema, other] | [other, schema] if *other == null && *schema != null => Some(schema.clone()),
                _ => None,
            };
            if let Some(schema) = schema {
                media["schema"] = schema;
                optional = true;
            }
        }
        if optional {
            body["required"] = json!(false);
        }
    }
}

/// A refusal the edge gives by itself: (status, name under `components/responses`, meaning).
const ANSWERS: [(&str, &str, &str); 8] = [
    ("400", "Malformed", "The request cannot be read: broken JSON, a broken upload or an unreadable query string."),
    ("401", "Unauthenticated", "Not signed in, or the session or token has ended."),
    ("403", "Forbidden", "Not for your role, or a state-changing request sent from another site."),
    ("404", "NotFound", "No such record, or not one you may see (the two are not told apart)."),
    ("409", "Conflict", "The record's state does not allow it (an archived project, a status it cannot move from)."),
    ("413", "TooLarge", "The body is larger than this server accepts."),
    ("415", "UnsupportedMediaType", "The body is not of the documented media type."),
    ("422", "InvalidInput", "The request is well formed but not valid; `errors` names each refused field."),
];

/// Adds to each operation the refusals it can give and does not document yet, as references
/// to shared problem answers.
fn add_problem_answers(document: &mut Value) {
    let responses: Map<String, Value> = ANSWERS
        .iter()
        .map(|(_, name, meaning)| {
            let problem = json!({"schema": {"$ref": "#/components/schemas/Problem"}});
            ((*name).to_owned(), json!({"description": meaning, "content": {"application/problem+json": problem}}))
        })
        .collect();
    let components = document.pointer_mut("/components").and_then(Value::as_object_mut);
    if let Some(components) = components {
        components.insert("responses".to_owned(), Value::Object(responses));
    }
    let naming_records = operations_naming_records(document);
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut() {
            let Some(operation) = operation.as_object_mut() else { continue };
            let names_records = naming_records.contains(&(path.clone(), method.clone()));
            let statuses = refusals(path, method, operation, names_records);
            let answers = operation.entry("responses").or_insert_with(|| json!({}));
            let Some(answers) = answers.as_object_mut() else { continue };
            for (status, name, _) in ANSWERS.iter().filter(|(status, ..)| statuses.contains(status)) {
                answers
                    .entry((*status).to_owned())
                    .or_insert_with(|| json!({"$ref": format!("#/components/responses/{name}")}));
            }
        }
    }
}

/// The operations whose body names records by id (`client_ids`, `task_id`), as
/// (path, method).
fn operations_naming_records(document: &Value) -> Vec<(String, String)> {
    let mut naming = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(body) = operation.get("requestBody") else { continue };
            let schemas = referenced_schemas(document, vec![body]);
            let names_ids = |schema: &Value| schema.to_string().contains(r#""format":"uuid""#);
            if schemas.iter().any(|name| names_ids(&document["components"]["schemas"][name])) {
                naming.push((path.clone(), method.clone()));
            }
        }
    }
    naming
}

/// The statuses of [`ANSWERS`] that `method path` can answer; `names_records` when its body
/// names records by id, which may not exist.
fn refusals(path: &str, method: &str, operation: &Map<String, Value>, names_records: bool) -> Vec<&'static str> {
    // An operation without its own `security` takes the document's: a caller is needed.
    let public = operation
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|requirements| requirements.iter().any(|r| r.as_object().is_some_and(Map::is_empty)));
    let changes_state = !matches!(method, "get" | "head" | "options");
    let parameters = operation.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let has_query = parameters.iter().any(|p| p["in"] == "query");
    let has_body = operation.contains_key("requestBody");
    let mut statuses = Vec::new();
    if has_body || has_query {
        statuses.extend(["400", "422"]);
    }
    if !public {
        statuses.push("401");
    }
    // The same-origin check refuses any cross-site state change; roles refuse the rest.
    if changes_state || (!public && path != "/me") {
        statuses.push("403");
    }
    // A public route never tells whether a record exists.
    if path.contains('{') || (names_records && !public) {
        statuses.push("404");
    }
    // A change to a record can meet a state that forbids it; a new record can name one.
    if changes_state && !public && (path.contains('{') || names_records) {
        statuses.push("409");
    }
    if has_body {
        statuses.extend(["413", "415"]);
    }
    statuses
}

/// What the domain allows in one field.
#[derive(Debug, Clone, Copy)]
enum Allowed {
    /// Text on one line: not blank, no control characters, at most this many characters.
    Line(usize),
    /// Text of several lines (tabs and line breaks allowed), not blank, at most this long.
    Lines(usize),
    /// One of the names the domain lists.
    OneOf(fn() -> Vec<&'static str>),
    /// An id.
    Id,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// An email address.
    Email,
    /// The address of a new or changed contact: an email address whose domain has a dot.
    ContactEmail,
    /// A new password.
    Password,
    /// A three-letter currency code the domain supports.
    CurrencyCode,
    /// A quantity: a decimal with at most three places, as text.
    Quantity,
    /// A phone number.
    Phone,
    /// A unit price in minor units.
    UnitPrice,
    /// A percentage as `Percent::parse` reads it: 0 to 100 with up to three decimals.
    Percent,
    /// Payment terms in days.
    NetDays,
    /// An amount in minor units, at least `least`.
    Amount { least: i64 },
    /// Permission names.
    Permissions,
    /// Invoice lines: at least one, at most the domain's maximum.
    Lines1ToMax,
    /// A page size.
    Limit,
    /// A colour, `#rrggbb` or `#rgb`.
    Colour,
    /// An hour of the day, 0–23.
    Hour,
    /// Reminder days relative to a due date, each once.
    ReminderDays,
    /// Any text the server reads as it comes (a search, a cursor, a link's secret).
    Free,
}

/// Where each rule applies: (schema or query route, field, what is allowed). `*` is every
/// request schema that has the field and no rule of its own.
const FIELDS: &[(&str, &str, Allowed)] = &[
    ("*", "email", Allowed::Email),
    ("ClientBody", "email", Allowed::ContactEmail),
    ("ClientPatchBody", "email", Allowed::ContactEmail),
    ("StaffBody", "email", Allowed::ContactEmail),
    ("*", "workspace_id", Allowed::Id),
    ("*", "client_id", Allowed::Id),
    ("*", "project_id", Allowed::Id),
    ("*", "task_id", Allowed::Id),
    ("*", "file_id", Allowed::Id),
    ("*", "item_id", Allowed::Id),
    ("*", "assignee", Allowed::Id),
    ("*", "client_ids", Allowed::Id),
    ("*", "team_ids", Allowed::Id),
    ("*", "password", Allowed::Password),
    ("*", "token", Allowed::Free),
    ("LoginBody", "password", Allowed::Free),
    ("*", "name", Allowed::Line(PersonName::MAX_CHARS)),
    ("*", "company", Allowed::Line(CompanyName::MAX_CHARS)),
    ("*", "phone", Allowed::Phone),
    ("*", "billing_address", Allowed::Lines(BillingAddress::MAX_CHARS)),
    ("*", "notes", Allowed::Lines(InternalNotes::MAX_CHARS)),
    ("*", "preset", Allowed::OneOf(|| Preset::ALL.map(Preset::as_str).to_vec())),
    ("*", "permissions", Allowed::Permissions),
    ("*", "scope", Allowed::Permissions),
    ("*", "title", Allowed::Line(TaskTitle::MAX_CHARS)),
    ("*", "description", Allowed::Lines(Description::MAX_CHARS)),
    ("*", "due_date", Allowed::Date),
    ("*", "deadline", Allowed::Date),
    ("*", "visibility", Allowed::OneOf(|| Visibility::ALL.map(Visibility::as_str).to_vec())),
    ("*", "state", Allowed::OneOf(|| TaskState::ALL.map(TaskState::as_str).to_vec())),
    ("*", "body", Allowed::Lines(MessageBody::MAX_CHARS)),
    ("*", "comment", Allowed::Lines(MessageBody::MAX_CHARS)),
    ("*", "decision", Allowed::OneOf(|| ApprovalDecision::ALL.map(ApprovalDecision::as_str).to_vec())),
    ("*", "label", Allowed::Line(TokenLabel::MAX_CHARS)),
    ("*", "role", Allowed::OneOf(|| Role::ALL.map(Role::as_str).to_vec())),
    ("*", "item_kind", Allowed::OneOf(|| ItemKind::ALL.map(ItemKind::as_str).to_vec())),
    ("*", "number", Allowed::Line(InvoiceNumber::MAX_CHARS)),
    ("*", "currency", Allowed::CurrencyCode),
    ("*", "lines", Allowed::Lines1ToMax),
    ("ProjectBody", "name", Allowed::Line(ProjectName::MAX_CHARS)),
    ("ProjectPatchBody", "name", Allowed::Line(ProjectName::MAX_CHARS)),
    ("LineBody", "description", Allowed::Line(LineDescription::MAX_CHARS)),
    ("LineBody", "quantity", Allowed::Quantity),
    ("LineBody", "unit_price_minor", Allowed::UnitPrice),
    ("LineBody", "tax_rate", Allowed::Percent),
    ("LineBody", "tax_name", Allowed::Line(TaxName::MAX_CHARS)),
    ("InvoiceBody", "notes", Allowed::Lines(InvoiceNotes::MAX_CHARS)),
    ("InvoicePatchBody", "notes", Allowed::Lines(InvoiceNotes::MAX_CHARS)),
    ("*", "terms", Allowed::Lines(InvoiceTerms::MAX_CHARS)),
    ("*", "issue_date", Allowed::Date),
    ("*", "net_days", Allowed::NetDays),
    ("DiscountBody", "percent", Allowed::Percent),
    ("DiscountBody", "amount_minor", Allowed::Amount { least: 0 }),
    ("PaymentBody", "amount_minor", Allowed::Amount { least: 1 }),
    ("PaymentBody", "paid_on", Allowed::Date),
    ("PaymentBody", "method", Allowed::OneOf(|| PaymentMethod::ALL.map(PaymentMethod::as_str).to_vec())),
    ("PaymentBody", "reference", Allowed::Line(PaymentReference::MAX_CHARS)),
    ("VoidBody", "reason", Allowed::Lines(VoidReason::MAX_CHARS)),
    ("SettingsBody", "name", Allowed::Line(WorkspaceName::MAX_CHARS)),
    ("SettingsBody", "brand_colour", Allowed::Colour),
    ("SettingsBody", "portal_welcome", Allowed::Lines(PortalWelcome::MAX_CHARS)),
    ("SettingsBody", "sender_name", Allowed::Line(SenderName::MAX_CHARS)),
    ("SettingsBody", "address", Allowed::Lines(BillingAddress::MAX_CHARS)),
    ("SettingsBody", "payment_instructions", Allowed::Lines(PaymentInstructions::MAX_CHARS)),
    // Which patterns are valid ({SEQ} once, known placeholders) is the domain's to say: 422.
    ("SettingsBody", "invoice_number_pattern", Allowed::Line(NumberPattern::MAX_CHARS)),
    ("SettingsBody", "default_currency", Allowed::CurrencyCode),
    ("SettingsBody", "reminder_days", Allowed::ReminderDays),
    ("TaxRateBody", "name", Allowed::Line(TaxName::MAX_CHARS)),
    ("TaxRateBody", "rate", Allowed::Percent),
    ("SettingsBody", "locale", Allowed::OneOf(|| Locale::ALL.map(Locale::as_str).to_vec())),
    ("SettingsBody", "digest_hour", Allowed::Hour),
    ("CategoryChoices", "messages", Allowed::OneOf(deliveries)),
    ("CategoryChoices", "files", Allowed::OneOf(deliveries)),
    ("CategoryChoices", "tasks", Allowed::OneOf(deliveries)),
    ("CategoryChoices", "approvals", Allowed::OneOf(deliveries)),
    ("CategoryChoices", "invoices", Allowed::OneOf(deliveries)),
    ("CategoryChoices", "projects", Allowed::OneOf(deliveries)),
    ("/clients", "status", Allowed::OneOf(|| ClientStatus::ALL.map(ClientStatus::as_str).to_vec())),
    ("/clients", "company", Allowed::Line(CompanyName::MAX_CHARS)),
    ("/clients", "sort", Allowed::OneOf(ClientOrder::names)),
    ("/projects", "status", Allowed::OneOf(|| ProjectStatus::ALL.map(ProjectStatus::as_str).to_vec())),
    ("/projects", "sort", Allowed::OneOf(ProjectOrder::names)),
    ("/invoices", "status", Allowed::OneOf(|| InvoiceStatus::ALL.map(InvoiceStatus::as_str).to_vec())),
    ("/invoices", "sort", Allowed::OneOf(InvoiceOrder::names)),
    ("/invoices", "balance", Allowed::OneOf(|| BalanceFilter::NAMES.to_vec())),
    ("/clients/import", "mode", Allowed::OneOf(|| ImportMode::ALL.map(ImportMode::as_str).to_vec())),
    ("/clients/{id}/visibility", "item_kind", Allowed::OneOf(|| ItemKind::ALL.map(ItemKind::as_str).to_vec())),
    ("*", "q", Allowed::Free),
    ("*", "cursor", Allowed::Free),
    ("*", "up_to", Allowed::Id),
    ("*", "limit", Allowed::Limit),
];

/// The names of every delivery a notification category takes.
fn deliveries() -> Vec<&'static str> {
    Delivery::ALL.map(Delivery::as_str).to_vec()
}

/// White space the domain trims from both ends of a text.
const SPACE: &str = "[\\t\\n\\u000b\\u000c\\r ]";
/// A character of one line: anything but a control character.
const LINE_CHAR: &str = "[^\\u0000-\\u001f\\u007f-\\u009f]";
/// A character of several lines: as [`LINE_CHAR`], and tabs, line feeds and CRLF pairs.
const TEXT_CHAR: &str = "(?:[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]|\\r\\n)";
/// A character that is neither white space nor a control character.
const SOLID: &str = "[^\\s\\u0000-\\u001f\\u007f-\\u009f]";
/// A quantity as `Quantity::parse` reads it: digits (at most nine), an optional point and at
/// most three places, above zero and at most 1,000,000 (`Quantity::MAX_UNITS`). The
/// conformance run (Schemathesis, both ways) holds this and [`PHONE`] to the domain's parsers.
const QUANTITY: &str = "(?:0{0,3}[1-9][0-9]{0,5}(?:\\.[0-9]{0,3})?|0{0,2}1000000(?:\\.0{0,3})?|0{1,9}\\.(?:[1-9][0-9]{0,2}|0[1-9][0-9]?|00[1-9]))";
/// A percentage as `Percent::parse` reads it: at most three whole digits and three decimals
/// after a point or a comma, from 0 to 100 (an optional `%` after it is in [`Allowed::Percent`]).
const PERCENT: &str = "(?:(?:[0-9]{1,2}|0[0-9]{2})(?:[.,][0-9]{1,3})?|100(?:[.,]0{1,3})?)";
/// A phone number as `Phone::parse` reads it: at least four digits among spaces, `-()./`
/// and a leading `+`, then an optional extension (`x 12`, `ext. 12`, `extension 12`).
const PHONE: &str = "\\+?(?:[ ()./-]*[0-9]){4}[0-9 ()./-]*\
    (?:(?:[Ee][Xx][Tt](?:[Ee][Nn][Ss][Ii][Oo][Nn]|\\.)?|[Xx])[ .:]*[0-9]{1,6})?";

/// Fields read as "none" when blank, where they are optional (`ValidationErrors::check_optional`,
/// and the `workspace_id` of a login or reset).
const BLANK_MEANS_NONE: &[&str] = &[
    "portal_welcome",
    "sender_name",
    "address",
    "payment_instructions",
    "workspace_id",
    "number",
    "issue_date",
    "terms",
    "tax_rate",
    "tax_name",
    "percent",
    "reference",
    "company",
    "phone",
    "billing_address",
    "notes",
    "description",
    "due_date",
    "deadline",
    "assignee",
    "project_id",
    "client_id",
    "comment",
];

impl Allowed {
    /// The JSON Schema keywords that say it; `blank` when a blank text also means "none" (of
    /// any length: it is never read further).
    fn keywords(self, blank: bool) -> Value {
        let mut strict = self.strict_keywords();
        if blank {
            strict["type"] = json!("string");
            json!({"anyOf": [strict, {"type": "string", "pattern": format!("^{SPACE}*$")}]})
        } else {
            strict
        }
    }

    /// The keywords for a value given in full.
    fn strict_keywords(self) -> Value {
        match self {
            Self::Line(max) => text(max, LINE_CHAR),
            Self::Lines(max) => text(max, TEXT_CHAR),
            Self::OneOf(names) => json!({"enum": names()}),
            Self::Id => json!({"format": "uuid"}),
            Self::Date => json!({"format": "date"}),
            Self::Email => json!({"format": "email", "maxLength": EmailAddress::MAX_LEN}),
            Self::ContactEmail => {
                json!({"format": "email", "maxLength": EmailAddress::MAX_LEN, "pattern": "@[^@]*[.][^@]*[^.@\\s]"})
            }
            Self::Password => json!({"minLength": NewPassword::MIN_CHARS, "maxLength": NewPassword::MAX_CHARS}),
            Self::CurrencyCode => json!({"enum": Currency::codes().collect::<Vec<_>>()}),
            Self::Quantity => {
                json!({"pattern": format!("^{SPACE}*{QUANTITY}{SPACE}*$"), "examples": ["1", "1.5", "0.125"]})
            }
            Self::Phone => json!({"maxLength": Phone::MAX_CHARS, "pattern": format!("^{SPACE}*{PHONE}{SPACE}*$")}),
            Self::UnitPrice => json!({"minimum": 0, "maximum": Money::MAX_UNIT_PRICE_MINOR}),
            Self::Percent => {
                json!({"pattern": format!("^{SPACE}*{PERCENT}(?:{SPACE}*%)?{SPACE}*$"), "examples": ["19", "7.5", "7,5"]})
            }
            Self::NetDays => json!({"minimum": 0, "maximum": Due::MAX_NET_DAYS}),
            Self::Amount { least } => json!({"minimum": least}),
            Self::Permissions => permission_names(),
            Self::Lines1ToMax => json!({"minItems": 1, "maxItems": InvoiceDraft::MAX_LINES}),
            Self::Limit => json!({"minimum": 1, "maximum": PageRequest::MAX_LIMIT}),
            Self::Colour => json!({"pattern": format!("^{SPACE}*#?(?:[0-9A-Fa-f]{{3}}|[0-9A-Fa-f]{{6}}){SPACE}*$")}),
            Self::Hour => json!({"minimum": 0, "maximum": 23}),
            Self::ReminderDays => json!({
                "maxItems": ReminderSchedule::MAX_REMINDERS,
                "uniqueItems": true,
                "items": {"type": "integer", "minimum": ReminderSchedule::EARLIEST, "maximum": ReminderSchedule::LATEST},
            }),
            Self::Free => json!({}),
        }
    }
}

/// A text of `inner` characters, at most `max` long as typed, with something besides white
/// space: white space around a core that starts and ends with a solid character.
fn text(max: usize, inner: &str) -> Value {
    let pattern = format!("^{SPACE}*{SOLID}(?:{inner}*{SOLID})?{SPACE}*$");
    json!({"minLength": 1, "maxLength": max, "pattern": pattern})
}

/// A list of permission names holding every permission a listed one requires (`tasks` needs
/// `projects`).
fn permission_names() -> Value {
    let needs: Vec<Value> = (Permission::ALL.iter())
        .filter_map(|permission| permission.requires().map(|needed| (permission, needed)))
        .map(|(permission, needed)| {
            json!({"if": {"contains": {"const": permission.as_str()}}, "then": {"contains": {"const": needed.as_str()}}})
        })
        .collect();
    json!({
        "items": {"enum": Permission::ALL.map(Permission::as_str)},
        "allOf": needs,
    })
}

/// The schema of `permissions` in a client body: a list of names or one preset name.
fn permissions_or_preset() -> Value {
    let mut names = permission_names();
    names["type"] = json!("array");
    json!({
        "description": "Permission names (`[\"projects\", \"tasks\"]`) or one preset name (`\"collaborator\"`).",
        "oneOf": [names, {"type": "string", "enum": Preset::ALL.map(Preset::as_str)}],
    })
}

/// Merges what `allowed` says into the schema of one field, keeping its type; a field that
/// may be `null` keeps `null` among its values.
fn constrain(schema: &mut Value, allowed: Allowed, blank: bool) {
    let Some(fields) = schema.as_object_mut() else { return };
    let types = |fields: &Map<String, Value>, name: &str| {
        fields.get("type").is_some_and(|t| t == name || t.as_array().is_some_and(|t| t.contains(&json!(name))))
    };
    if types(fields, "array") && matches!(allowed, Allowed::Id) {
        if let Some(items) = fields.get_mut("items") {
            constrain(items, allowed, false);
        }
        return;
    }
    let nullable = types(fields, "null");
    let mut keywords = allowed.keywords(blank);
    if nullable && keywords.get("enum").is_some() {
        // One of the names, or `null`: said as two alternatives, which generators turn into
        // an enumeration and an optional, rather than into a list of types.
        fields.remove("type");
        keywords["type"] = json!("string");
        keywords = json!({"oneOf": [keywords, {"type": "null"}]});
    } else if let Some(variants) = keywords.get_mut("anyOf").and_then(Value::as_array_mut).filter(|_| nullable) {
        variants.push(json!({"type": "null"}));
    }
    if let Some(keywords) = keywords.as_object_mut() {
        fields.append(keywords);
    }
}

/// Applies [`FIELDS`] to every field of every request schema and every query parameter, and
/// the rules that join fields. Returns the rules that found no field (a renamed field leaves
/// its rule behind; the tests hold this empty).
fn constrain_fields(document: &mut Value) -> Vec<String> {
    let mut used = vec![false; FIELDS.len()];
    let schemas = request_schemas(document);
    if let Some(components) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for name in &schemas {
            if let Some(schema) = components.get_mut(name) {
                constrain_properties(name, schema, &mut used);
            }
        }
        components.insert("PermissionsBody".to_owned(), permissions_or_preset());
        for name in ["ClientBody", "ClientPatchBody"] {
            if let Some(schema) = components.get_mut(name) {
                // Not both given (a `null` one is not given).
                let given = json!({"not": {"type": "null"}});
                schema["not"] = json!({
                    "required": ["permissions", "preset"],
                    "properties": {"permissions": given, "preset": given},
                });
            }
        }
        // `read_upload` refuses a part it does not know.
        for name in ["UploadBody", "PortalUploadBody", "LogoBody"] {
            if let Some(schema) = components.get_mut(name) {
                schema["additionalProperties"] = json!(false);
            }
        }
        if let Some(schema) = components.get_mut("ApprovalBody") {
            // Exactly one of the two ids given (a `null` one is not given).
            let id = json!({"type": "string", "format": "uuid"});
            schema["oneOf"] = json!([
                {"required": ["task_id"], "properties": {"task_id": id, "file_id": {"type": "null"}}},
                {"required": ["file_id"], "properties": {"file_id": id, "task_id": {"type": "null"}}},
            ]);
        }
    }
    if let Some(components) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        refer_to_list_items(components);
        for (name, schema) in components.iter_mut().filter(|(name, _)| !schemas.contains(name)) {
            describe_answer(name, schema);
        }
    }
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let operations = item.as_object_mut().into_iter().flat_map(|item| item.values_mut());
            for parameter in
                operations.filter_map(|o| o.get_mut("parameters")).filter_map(Value::as_array_mut).flatten()
            {
                let name = parameter["name"].as_str().unwrap_or_default().to_owned();
                let rule = if parameter["in"] == "path" { Some(Allowed::Id) } else { rule_for(path, &name, &mut used) };
                let blank = parameter["required"] != true && BLANK_MEANS_NONE.contains(&name.as_str());
                if let (Some(allowed), Some(schema)) = (rule, parameter.get_mut("schema")) {
                    constrain(schema, allowed, blank);
                }
            }
        }
    }
    (FIELDS.iter().zip(used))
        .filter(|(_, used)| !used)
        .map(|((scope, field, _), _)| format!("{scope}.{field}"))
        .collect()
}

/// utoipa writes each `List<T>` (`List_ClientView`) with a copy of `T` inside; a reference
/// to `T` instead keeps one description of each item, which generators turn into one type.
fn refer_to_list_items(components: &mut Map<String, Value>) {
    let names: Vec<String> = components.keys().cloned().collect();
    for name in &names {
        let Some(item) = name.strip_prefix("List_").filter(|item| names.iter().any(|n| n == item)) else { continue };
        if let Some(items) = components.get_mut(name).and_then(|list| list.pointer_mut("/properties/items/items")) {
            *items = json!({"$ref": format!("#/components/schemas/{item}")});
        }
    }
}

/// Gives the fields of an answer schema the formats and names they always have: ids are
/// UUIDs, `…_at` fields instants, dates dates, and statuses, states, roles, visibilities
/// and decisions the domain's names. (The conformance run checks real answers against them.)
fn describe_answer(name: &str, schema: &mut Value) {
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else { return };
    for (field, property) in properties.iter_mut() {
        let names = |list: fn() -> Vec<&'static str>| Some(Allowed::OneOf(list));
        let allowed = match field.as_str() {
            "id" => Some(Allowed::Id),
            f if f.ends_with("_id") || f.ends_with("_ids") => Some(Allowed::Id),
            "deadline" | "due_date" => Some(Allowed::Date),
            "visibility" => names(|| Visibility::ALL.map(Visibility::as_str).to_vec()),
            "state" if name.contains("Task") => names(|| TaskState::ALL.map(TaskState::as_str).to_vec()),
            "state" if name == "DeliveryView" => names(|| DeliveryState::NAMES.to_vec()),
            "action" => names(|| AuditAction::ALL.iter().map(|action| action.as_str()).collect()),
            "preset" => names(|| Preset::ALL.map(Preset::as_str).to_vec()),
            "permissions" | "scope" => {
                if let Some(items) = property.get_mut("items") {
                    constrain(items, Allowed::OneOf(|| Permission::ALL.map(Permission::as_str).to_vec()), false);
                }
                None
            }
            "role" => names(|| Role::ALL.map(Role::as_str).to_vec()),
            "decision" => names(|| ApprovalDecision::ALL.map(ApprovalDecision::as_str).to_vec()),
            "status" if name.starts_with("Client") => names(|| ClientStatus::ALL.map(ClientStatus::as_str).to_vec()),
            "status" if name.contains("Project") => names(|| ProjectStatus::ALL.map(ProjectStatus::as_str).to_vec()),
            "status" if name.contains("Invoice") => names(|| InvoiceStatus::ALL.map(InvoiceStatus::as_str).to_vec()),
            f if f.ends_with("_at") => {
                property["format"] = json!("date-time");
                None
            }
            _ => None,
        };
        if let Some(allowed) = allowed {
            constrain(property, allowed, false);
        }
    }
}

/// The rule for `field` in `scope`, or the general one, marking it used.
fn rule_for(scope: &str, field: &str, used: &mut [bool]) -> Option<Allowed> {
    let position = (FIELDS.iter().position(|(s, f, _)| *s == scope && *f == field))
        .or_else(|| FIELDS.iter().position(|(s, f, _)| *s == "*" && *f == field))?;
    used[position] = true;
    Some(FIELDS[position].2)
}

/// Applies the rules to each property of `schema` (and of the variants it is one of).
fn constrain_properties(name: &str, schema: &mut Value, used: &mut [bool]) {
    let required: Vec<String> = (schema.get("required").and_then(Value::as_array).into_iter().flatten())
        .filter_map(|field| field.as_str().map(str::to_owned))
        .collect();
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (field, property) in properties.iter_mut() {
            if property.get("$ref").is_some() {
                continue;
            }
            let blank = !required.contains(field) && BLANK_MEANS_NONE.contains(&field.as_str());
            if let Some(allowed) = rule_for(name, field, used) {
                constrain(property, allowed, blank);
            }
        }
    }
    for variants in ["oneOf", "allOf", "anyOf"] {
        if let Some(variants) = schema.get_mut(variants).and_then(Value::as_array_mut) {
            for variant in variants {
                constrain_properties(name, variant, used);
            }
        }
    }
}

/// The names of the schemas requests send, nested ones included.
fn request_schemas(document: &Value) -> Vec<String> {
    let operations = document["paths"].as_object().into_iter().flat_map(|paths| paths.values());
    let operations = operations.filter_map(Value::as_object).flat_map(|item| item.values());
    referenced_schemas(document, operations.filter_map(|operation| operation.get("requestBody")).collect())
}

/// The names of the component schemas `roots` refer to, directly or through each other.
fn referenced_schemas<'a>(document: &'a Value, mut pending: Vec<&'a Value>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(fields) => {
                let reference = fields.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next());
                if let Some(name) = reference.filter(|name| !names.iter().any(|known| known == name)) {
                    names.push(name.to_owned());
                    pending.extend(document.pointer(&format!("/components/schemas/{name}")));
                }
                pending.extend(fields.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Value {
        serde_json::to_value(crate::openapi()).expect("the description serialises")
    }

    #[test]
    fn every_rule_finds_its_field() {
        let mut raw = serde_json::to_value(crate::api::raw_openapi()).expect("serialises");
        assert_eq!(constrain_fields(&mut raw), Vec::<String>::new());
    }

    #[test]
    fn every_text_field_of_a_request_has_a_rule() {
        let document = document();
        let mut unruled = Vec::new();
        for name in request_schemas(&document) {
            let schema = &document["components"]["schemas"][&name];
            for (field, property) in schema["properties"].as_object().into_iter().flatten() {
                let text = property["type"] == "string"
                    || property["type"].as_array().is_some_and(|t| t.contains(&json!("string")));
                let constrained = ["enum", "format", "maxLength", "pattern", "anyOf", "oneOf"]
                    .iter()
                    .any(|k| property.get(k).is_some());
                let free = FIELDS.iter().any(|(_, f, allowed)| f == field && matches!(allowed, Allowed::Free));
                if text && !constrained && !free {
                    unruled.push(format!("{name}.{field}"));
                }
            }
        }
        assert_eq!(unruled, Vec::<String>::new(), "text fields with no rule");
    }

    #[test]
    fn names_come_from_the_domain_and_nullable_fields_keep_null() {
        let document = document();
        let task = &document["components"]["schemas"]["TaskPatchBody"]["properties"];
        assert_eq!(task["visibility"]["oneOf"][0]["enum"], json!(["internal", "client"]));
        assert_eq!(task["visibility"]["oneOf"][1], json!({"type": "null"}));
        assert_eq!(task["state"]["oneOf"][0]["enum"], json!(["open", "in_progress", "done"]));
        let body = &document["components"]["schemas"]["TaskBody"]["properties"];
        assert_eq!(body["visibility"]["enum"], json!(["internal", "client"]));
        assert_eq!(body["title"]["maxLength"], json!(TaskTitle::MAX_CHARS));
        let limit = (document["paths"]["/clients"]["get"]["parameters"].as_array().into_iter().flatten())
            .find(|p| p["name"] == "limit")
            .expect("a limit parameter");
        assert_eq!((limit["in"].as_str(), &limit["schema"]["minimum"]), (Some("query"), &json!(1)));
        assert_eq!(limit["schema"]["maximum"], json!(PageRequest::MAX_LIMIT));
    }

    #[test]
    fn routes_document_the_refusals_the_edge_gives() {
        let document = document();
        let statuses = |path: &str, method: &str| -> Vec<String> {
            document["paths"][path][method]["responses"]
                .as_object()
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default()
        };
        assert_eq!(statuses("/clients/{id}", "patch"), ["200", "400", "401", "403", "404", "409", "413", "415", "422"]);
        assert_eq!(statuses("/me", "get"), ["200", "401"]);
        assert_eq!(statuses("/healthz", "get"), ["200", "503"]);
        assert_eq!(statuses("/auth/login", "post"), ["200", "400", "401", "403", "413", "415", "422", "429", "503"]);
    }
}
