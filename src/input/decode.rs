//! Bytes → text. Promise: never a silent wrong guess; a file that is not valid text in the
//! encoding it claims is an error for that file, naming the byte where it goes wrong.

/// Decode a whole input: UTF-8 with or without BOM, UTF-16 with BOM.
pub fn to_text(bytes: &[u8]) -> Result<String, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err("binary file (contains NUL bytes), not a transcript".into());
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "not valid UTF-8 at byte {} (save the file as UTF-8; GBK exports are not read yet)",
            e.utf8_error().valid_up_to()
        )
    })
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("UTF-16 file with an odd number of bytes (truncated?)".into());
    }
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    char::decode_utf16(units)
        .enumerate()
        .map(|(i, c)| c.map_err(|_| format!("invalid UTF-16 at byte {}", 2 + i * 2)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_with_and_without_bom() {
        assert_eq!(to_text("客服：您好".as_bytes()).unwrap(), "客服：您好");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("客户：喂".as_bytes());
        assert_eq!(to_text(&bom).unwrap(), "客户：喂");
        let mut le = vec![0xFF, 0xFE];
        for u in "客户：12315".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(to_text(&le).unwrap(), "客户：12315");
    }

    #[test]
    fn bad_bytes_are_errors_not_guesses() {
        assert_eq!(to_text(b"").unwrap_err(), "empty file");
        assert!(to_text(b"\x89PNG\r\n\x1a\n\0\0\0").unwrap_err().contains("binary"));
        // 我要投诉 in GBK is not UTF-8.
        assert!(
            to_text(&[0xCE, 0xD2, 0xD2, 0xAA, 0xCD, 0xB6, 0xCB, 0xDF])
                .unwrap_err()
                .contains("byte 0")
        );
    }
}
