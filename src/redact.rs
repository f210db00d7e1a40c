//! Masking personal numbers in text that leaves the tool: every report cell and `explain`.
//!
//! Works on the original text: numbers are found on its normalised form (so 幺三九… and
//! 139 1234 5678 are found too) and the original characters behind each are replaced by the
//! masked digits. Masks everything that looks personal, validated or not: a report must not
//! become a new leak.

use std::borrow::Cow;

use crate::normalize::normalize;
use crate::privacy;

/// `text` with every phone, ID, bank-card number and e-mail address masked.
pub fn redact(text: &str) -> Cow<'_, str> {
    if !might_hold_a_number(text) {
        return Cow::Borrowed(text);
    }
    let normalized = normalize(text);
    let numbers = privacy::find(&normalized.text);
    if numbers.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for number in numbers {
        let range = normalized.original_range(number.start, number.end);
        if range.start < copied {
            continue;
        }
        out.push_str(&text[copied..range.start]);
        out.push_str(&number.masked());
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Cheap pre-check: an e-mail sign or enough digit-like characters for the shortest number.
fn might_hold_a_number(text: &str) -> bool {
    if text.contains('@') || text.contains('＠') {
        return true;
    }
    let digits = text
        .chars()
        .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c) || "零〇洞幺一二两三四五六七八九".contains(*c))
        .count();
    digits >= 11
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_digits_spaced_spoken_and_emails() {
        let cases = [
            ("他的电话是13912345678，您记一下", "他的电话是139****5678，您记一下"),
            ("号码 139 1234 5678 对吗", "号码 139****5678 对吗"),
            ("幺三九幺二三四五六七八", "139****5678"),
            ("身份证号110105194912310021", "身份证号1101**********0021"),
            ("发到zhang.san@163.com", "发到z***@163.com"),
            ("尾号5678，订单号1234567890", "尾号5678，订单号1234567890"),
            ("我要去12315投诉", "我要去12315投诉"),
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "{input}");
        }
    }
}
