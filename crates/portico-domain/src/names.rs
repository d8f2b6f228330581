//! Enumerations with stable names (`"in_progress"`, `"full_access"`): each lists its values
//! once, with their names, and gets `ALL`, `as_str`, `Display` and one lookup from it — the
//! API, storage, the pages and the OpenAPI description all read the same list.

/// Defines an enum whose variants each have a stable name, with:
/// - `ALL`, every value in declaration order;
/// - `as_str`, the name;
/// - `from_name`, the value a name stands for (white space around and ASCII case ignored);
/// - `Display`, the name.
///
/// Each enum keeps its own `FromStr` error, whose message says what is expected.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident => $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [Self; [$($text),+].len()] = [$(Self::$variant),+];

            /// The stable name used in the API and storage.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// The value named `name`, with white space around it and ASCII case ignored.
            pub fn from_name(name: &str) -> Option<Self> {
                let name = name.trim();
                Self::ALL.into_iter().find(|value| value.as_str().eq_ignore_ascii_case(name))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use named_enum;
