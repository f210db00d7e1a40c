//! Customer keys: a phone number or customer id, normalised, then hashed with the ledger's
//! secret (HMAC-SHA256). The ledger never holds a number in clear; the same customer gives
//! the same key for as long as the secret is kept, and nobody without the secret can test a
//! guessed number against the ledger.
//!
//! Normalised: full-width characters folded to ASCII, spaces, dashes, dots, brackets and
//! slashes removed, ASCII lower-cased, and a leading `+86`/`0086` (or `86` before a mobile
//! number) stripped, so `+86 139-1234-5678`, `0086１３９１２３４５６７８` and `13912345678` are one
//! customer. A value with no ASCII letter or digit (a name such as 王先生) is no key: two
//! customers may share a name.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Bytes of the secret.
pub const SECRET_BYTES: usize = 32;

/// The ledger's secret, as read from its key file.
#[derive(Clone)]
pub struct Secret([u8; SECRET_BYTES]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// A new random secret, from the operating system.
    pub fn generate() -> Result<Secret, String> {
        let mut bytes = [0u8; SECRET_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the operating system: {e}"))?;
        Ok(Secret(bytes))
    }

    /// The key file's text: the secret in hex, one line.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// From the key file's text; `None` when it is not 64 hex digits.
    pub fn from_hex(text: &str) -> Option<Secret> {
        let text = text.trim();
        if text.len() != SECRET_BYTES * 2 || !text.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; SECRET_BYTES];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Secret(bytes))
    }

    /// HMAC-SHA256 of `value` (already normalised) under this secret, with a domain word so
    /// customer keys and conversation keys never coincide: its first 128 bits in hex (ample
    /// against collisions, and half the index).
    pub fn hash(&self, domain: &str, value: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex(&mac.finalize().into_bytes()[..16])
    }

    /// The ledger key of a customer value as an input gives it; `None` when it is no key.
    pub fn customer(&self, value: &str) -> Option<String> {
        normalise(value).map(|v| self.hash("customer", &v))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A phone number or customer id as one form: see the module doc. `None` when nothing is
/// left that could identify one customer.
pub fn normalise(value: &str) -> Option<String> {
    let mut folded = String::with_capacity(value.len());
    for c in value.chars() {
        // Full-width ASCII (０-９, Ａ-Ｚ, ＋) to ASCII; the ideographic space to a space.
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        };
        if c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')' | '/' | '_' | '—' | '–' | '（' | '）') {
            continue;
        }
        folded.push(c.to_ascii_lowercase());
    }
    let mut key = folded.as_str();
    for prefix in ["+86", "0086"] {
        if let Some(rest) = key.strip_prefix(prefix) {
            key = rest;
        }
    }
    // 86 before an eleven-digit mobile number is the country code said without its plus.
    if key.len() == 13 && key.starts_with("861") && key.bytes().all(|b| b.is_ascii_digit()) {
        key = &key[2..];
    }
    key.bytes().any(|b| b.is_ascii_alphanumeric()).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_customer_however_the_number_is_written() {
        for written in [
            "13912345678",
            "+86 139-1234-5678",
            "0086１３９１２３４５６７８",
            "8613912345678",
            "139 1234 5678",
            "（+86）13912345678",
        ] {
            assert_eq!(normalise(written).as_deref(), Some("13912345678"), "{written}");
        }
        assert_eq!(normalise("C-1001").as_deref(), Some("c1001"));
        assert_eq!(normalise("11010519491231002X").as_deref(), Some("11010519491231002x"));
    }

    #[test]
    fn a_name_or_nothing_is_no_key() {
        for no_key in ["", "  ", "王先生", "—"] {
            assert_eq!(normalise(no_key), None, "{no_key}");
        }
    }

    #[test]
    fn keys_are_keyed_hashes_that_never_show_the_number() {
        let secret = Secret::from_hex(&"ab".repeat(32)).unwrap();
        let other = Secret::from_hex(&"cd".repeat(32)).unwrap();
        let key = secret.customer("+86 139-1234-5678").unwrap();
        assert_eq!(key, secret.customer("13912345678").unwrap());
        assert_ne!(key, other.customer("13912345678").unwrap());
        assert_ne!(key, secret.customer("13912345679").unwrap());
        assert_eq!(key.len(), 32);
        assert!(!key.contains("13912345678"));
        assert_ne!(secret.hash("customer", "x"), secret.hash("conversation", "x"));
    }

    #[test]
    fn the_key_file_round_trips_and_rejects_anything_else() {
        let secret = Secret::generate().unwrap();
        let again = Secret::from_hex(&format!("{}\n", secret.to_hex())).unwrap();
        assert_eq!(secret.hash("customer", "1"), again.hash("customer", "1"));
        assert!(Secret::from_hex("xyz").is_none());
        assert!(Secret::from_hex(&"g".repeat(64)).is_none());
    }
}
