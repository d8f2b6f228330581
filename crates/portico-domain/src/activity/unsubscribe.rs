//! One-click unsubscribe links (RFC 8058): a notice mail names whom it went to and which
//! categories it carries, signed with the server's key, so the link works without logging in
//! and cannot be made to unsubscribe anyone else or from anything else.
//!
//! The token is `hex(payload ‖ tag)`: the payload is a version byte, the workspace, whether the
//! person is staff or a client, the person, and the categories as a bit set; the tag is a
//! keyed MAC of the payload, made and checked by the `SecretBox` port. Nothing secret is in
//! the payload (it names ids the recipient already has), and storage keeps nothing: a token
//! stays valid for as long as the key does, and using it twice does no more than once.

use uuid::Uuid;

use super::Category;
use crate::ids::{ClientId, StaffId, WorkspaceId};
use crate::staff::UserRef;
use crate::token::MalformedToken;

const VERSION: u8 = 1;
const PAYLOAD_LEN: usize = 1 + 16 + 1 + 16 + 1;
/// The length of a tag: 128 bits of a MAC.
pub const TAG_LEN: usize = 16;

/// What an unsubscribe link asks: that `user` in `workspace_id` hears no more of `categories`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribe {
    /// The workspace the mail came from.
    pub workspace_id: WorkspaceId,
    /// Whom the mail went to.
    pub user: UserRef,
    /// The categories the mail carried, in [`Category::ALL`] order, without repeats.
    pub categories: Vec<Category>,
}

impl Unsubscribe {
    /// The request for a mail carrying `categories` (in any order, repeats allowed).
    pub fn new(workspace_id: WorkspaceId, user: UserRef, categories: impl IntoIterator<Item = Category>) -> Self {
        let bits = mask(categories);
        Self { workspace_id, user, categories: from_mask(bits) }
    }

    /// The bytes the tag is made over.
    pub fn payload(&self) -> [u8; PAYLOAD_LEN] {
        let (kind, user) = match self.user {
            UserRef::Staff(id) => (0, id.as_uuid()),
            UserRef::Client(id) => (1, id.as_uuid()),
        };
        let mut bytes = [0; PAYLOAD_LEN];
        bytes[0] = VERSION;
        bytes[1..17].copy_from_slice(self.workspace_id.as_uuid().as_bytes());
        bytes[17] = kind;
        bytes[18..34].copy_from_slice(user.as_bytes());
        bytes[34] = mask(self.categories.iter().copied());
        bytes
    }

    /// The token for a link, given the tag the key made over [`Unsubscribe::payload`].
    pub fn token(&self, tag: &[u8; TAG_LEN]) -> String {
        let mut bytes = self.payload().to_vec();
        bytes.extend_from_slice(tag);
        hex::encode(bytes)
    }

    /// Reads a token from a link: the request and the tag to check against its payload.
    /// The tag is *not* checked here; the caller asks the key.
    ///
    /// # Errors
    /// [`MalformedToken`] for anything that is not a token of this shape.
    pub fn parse(token: &str) -> Result<(Self, [u8; TAG_LEN]), MalformedToken> {
        let bytes = hex::decode(token.trim()).map_err(|_| MalformedToken)?;
        if bytes.len() != PAYLOAD_LEN + TAG_LEN || bytes[0] != VERSION {
            return Err(MalformedToken);
        }
        let uuid = |range: std::ops::Range<usize>| Uuid::from_slice(&bytes[range]).map_err(|_| MalformedToken);
        let user = match bytes[17] {
            0 => UserRef::Staff(StaffId::from_uuid(uuid(18..34)?)),
            1 => UserRef::Client(ClientId::from_uuid(uuid(18..34)?)),
            _ => return Err(MalformedToken),
        };
        let bits = bytes[34];
        let categories = from_mask(bits);
        if categories.is_empty() || mask(categories.iter().copied()) != bits {
            return Err(MalformedToken);
        }
        let mut tag = [0; TAG_LEN];
        tag.copy_from_slice(&bytes[PAYLOAD_LEN..]);
        Ok((Self { workspace_id: WorkspaceId::from_uuid(uuid(1..17)?), user, categories }, tag))
    }
}

fn mask(categories: impl IntoIterator<Item = Category>) -> u8 {
    categories.into_iter().fold(0, |bits, c| bits | (1 << c.index()))
}

fn from_mask(bits: u8) -> Vec<Category> {
    Category::ALL.iter().copied().filter(|c| bits & (1 << c.index()) != 0).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn any_request() -> impl Strategy<Value = Unsubscribe> {
        (any::<u128>(), any::<u128>(), any::<bool>(), proptest::collection::vec(0..Category::ALL.len(), 1..8)).prop_map(
            |(ws, user, staff, picks)| {
                let user = if staff {
                    UserRef::Staff(StaffId::from_uuid(Uuid::from_u128(user)))
                } else {
                    UserRef::Client(ClientId::from_uuid(Uuid::from_u128(user)))
                };
                Unsubscribe::new(
                    WorkspaceId::from_uuid(Uuid::from_u128(ws)),
                    user,
                    picks.into_iter().map(|i| Category::ALL[i]),
                )
            },
        )
    }

    proptest! {
        #[test]
        fn a_token_reads_back_as_the_request_and_tag_it_was_made_of(request in any_request(), tag in any::<[u8; 16]>()) {
            let token = request.token(&tag);
            prop_assert_eq!(Unsubscribe::parse(&token), Ok((request, tag)));
        }

        #[test]
        fn changing_any_byte_of_the_payload_changes_what_the_tag_must_cover(
            request in any_request(),
            at in 0..PAYLOAD_LEN,
            flip in 1..=255_u8,
        ) {
            let mut payload = request.payload();
            payload[at] ^= flip;
            let token = hex::encode([payload.as_slice(), &[0; TAG_LEN]].concat());
            // Either the bytes no longer read as a request at all, or they read as another
            // one, whose payload (what the key signs) differs.
            if let Ok((other, _)) = Unsubscribe::parse(&token) {
                prop_assert_ne!(other.payload(), request.payload());
            }
        }
    }

    #[test]
    fn categories_are_kept_once_in_their_order() {
        let ws = WorkspaceId::from_uuid(Uuid::from_u128(1));
        let user = UserRef::Client(ClientId::from_uuid(Uuid::from_u128(2)));
        let request = Unsubscribe::new(ws, user, [Category::Invoices, Category::Messages, Category::Invoices]);
        assert_eq!(request.categories, vec![Category::Messages, Category::Invoices]);
    }

    #[test]
    fn other_text_is_not_a_token() {
        let ws = WorkspaceId::from_uuid(Uuid::from_u128(1));
        let user = UserRef::Staff(StaffId::from_uuid(Uuid::from_u128(2)));
        let good = Unsubscribe::new(ws, user, [Category::Files]).token(&[7; TAG_LEN]);
        let no_categories = {
            let mut bytes = hex::decode(&good).expect("hex");
            bytes[34] = 0;
            hex::encode(bytes)
        };
        let unknown_category = {
            let mut bytes = hex::decode(&good).expect("hex");
            bytes[34] = 0x80;
            hex::encode(bytes)
        };
        for bad in ["", "zz", &good[..good.len() - 2], &format!("{good}00"), &no_categories, &unknown_category] {
            assert_eq!(Unsubscribe::parse(bad), Err(MalformedToken), "{bad:?}");
        }
    }
}
