//! The repository contract suite: what every storage adapter must do, written once against
//! the port traits. Each case takes an empty store and panics on the first broken promise.
//!
//! Run it against an adapter with [`contract_tests!`](crate::contract_tests):
//! ```ignore
//! portico_testkit::contract_tests!(async { Arc::new(MemoryStore::new()) as Arc<dyn Store> });
//! ```

mod cases;
mod records;

pub use cases::*;
pub use records::Records;

/// Generates one `#[tokio::test]` per contract case, each on a fresh store from `$fresh` (an
/// expression producing a future of `Arc<dyn Store>`).
#[macro_export]
macro_rules! contract_tests {
    ($fresh:expr) => {
        $crate::contract_tests!(@cases $fresh;
            workspaces_round_trip,
            clients_round_trip,
            missing_records_and_duplicate_ids,
            email_is_unique_across_clients_and_staff,
            deleted_clients_free_their_email,
            other_workspaces_are_invisible,
            client_search_matches_the_query_definition,
            client_pages_cover_every_match_once_in_order,
            project_and_invoice_pages_cover_every_match_once_in_each_order,
            pages_start_after_any_cursor_position,
            dropped_units_leave_nothing_behind,
            committed_units_are_visible_to_later_units,
            credentials_round_trip,
            projects_search_by_status_and_team,
            assignments_keep_history_and_allow_one_current,
            memberships_keep_history_and_allow_one_current,
            content_lists_by_project_in_creation_order,
            approval_answers_are_kept,
            invoice_numbers_are_unique_per_workspace,
            numbering_series_count_on_without_gaps,
            invoices_filter_by_what_is_owed_and_sum_per_currency,
            payment_reminders_are_found_on_their_day_and_taken_once,
            invoices_page_newest_number_first_and_find_portal_candidates,
            audit_trail_by_subject_and_rewrite,
            outbox_logs_pages_and_dead_letters,
            outbox_claims_due_messages_once_per_lease,
            outbox_keeps_sealed_links_until_erased,
            tokens_by_hash_and_revocation,
            sessions_round_trip_and_end_per_user,
            api_tokens_round_trip_and_revoke,
            activity_notices_round_trip,
            feeds_read_newest_first_by_scope_and_keep_read_marks,
            notification_choices_and_notice_mails_round_trip
        );
    };
    (@cases $fresh:expr; $($case:ident),* $(,)?) => {
        $(
            #[::tokio::test]
            async fn $case() {
                let store = $fresh.await;
                $crate::contract::$case(store).await;
            }
        )*
    };
}
