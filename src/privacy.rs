//! Personal data in normalised text: mainland mobile numbers, resident ID numbers (valid
//! MOD 11-2 check digit and a real birth date), bank cards (valid Luhn, via `luhn3`) and
//! e-mail addresses. Digits read out in Chinese (幺三八…) arrive here already as digits.
//!
//! Two users: the context stage, which turns a number the agent reads out into a
//! `taboo.privacy` finding, and `redact`, which masks every such number in every report.

/// What kind of personal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalKind {
    Mobile,
    IdNumber,
    BankCard,
    Email,
}

impl PersonalKind {
    /// The `term` reported for a detector finding.
    pub fn term(self) -> &'static str {
        match self {
            PersonalKind::Mobile => "手机号",
            PersonalKind::IdNumber => "身份证号",
            PersonalKind::BankCard => "银行卡号",
            PersonalKind::Email => "邮箱",
        }
    }
}

/// A personal number at `start..end` (bytes of the normalised text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalNumber {
    pub kind: PersonalKind,
    pub start: usize,
    pub end: usize,
    /// The number itself, digits only (or the address for e-mail).
    pub value: String,
    /// Strictly validated (check digit, Luhn): only these are findings; redaction masks all.
    pub validated: bool,
}

impl PersonalNumber {
    /// The masked form reports show: 139****5678, 1101**********4237.
    pub fn masked(&self) -> String {
        let v = &self.value;
        match self.kind {
            PersonalKind::Email => {
                let (local, domain) = v.split_once('@').unwrap_or((v, ""));
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            PersonalKind::Mobile => keep_ends(v, 3, 4),
            PersonalKind::IdNumber | PersonalKind::BankCard => keep_ends(v, 4, 4),
        }
    }
}

fn keep_ends(v: &str, head: usize, tail: usize) -> String {
    let n = v.len();
    if n <= head + tail {
        return "*".repeat(n);
    }
    format!("{}{}{}", &v[..head], "*".repeat(n - head - tail), &v[n - tail..])
}

/// Words before a long number that say it is an order or parcel, not a card.
const NOT_PERSONAL_CONTEXT: &[&str] = &[
    "订单",
    "单号",
    "运单",
    "快递",
    "工单",
    "流水",
    "编号",
    "物流",
    "货号",
    "发票",
    "批次",
    "序列号",
    "sn",
    "imei",
    "串号",
    "交易号",
    "商户号",
    "条码",
];

/// Role mailboxes that are the company's, not a person's.
const ROLE_MAILBOXES: &[&str] = &[
    "service",
    "support",
    "kefu",
    "help",
    "admin",
    "info",
    "noreply",
    "webmaster",
    "cs",
    "postmaster",
    "hr",
    "vip",
];

/// Every personal number in normalised `text`, in order.
pub fn find(text: &str) -> Vec<PersonalNumber> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let mut end = i;
        if end - start == 17 && i < bytes.len() && bytes[i] == b'x' {
            end += 1;
            i += 1;
        }
        let glued_to_letters = (start > 0 && bytes[start - 1].is_ascii_alphabetic())
            || (end < bytes.len() && bytes[end].is_ascii_alphabetic());
        if !glued_to_letters && let Some(number) = classify(text, start, end) {
            found.push(number);
        }
    }
    find_emails(text, &mut found);
    found.sort_by_key(|n| n.start);
    found
}

/// A number read out over two lines: the digits ending `first` and those starting `second`.
/// Returns the number with `start..end` covering its part in `first`.
pub fn find_split(first: &str, second: &str) -> Option<PersonalNumber> {
    let tail_start = first.len() - first.bytes().rev().take_while(u8::is_ascii_digit).count();
    let head_end = second.bytes().take_while(u8::is_ascii_digit).count();
    let (tail, head) = (&first[tail_start..], &second[..head_end]);
    if tail.len() < 3 || head.len() < 3 || !(11..=19).contains(&(tail.len() + head.len())) {
        return None;
    }
    let joined = format!("{tail}{head}");
    let mut number = find(&joined)
        .into_iter()
        .find(|n| n.validated && n.start == 0 && n.end == joined.len())?;
    number.start = tail_start;
    number.end = first.len();
    Some(number)
}

fn classify(text: &str, start: usize, end: usize) -> Option<PersonalNumber> {
    let run = &text[start..end];
    let mobile_body = run
        .strip_prefix("0086")
        .or_else(|| run.strip_prefix("86"))
        .filter(|r| r.len() == 11)
        .unwrap_or(run);
    let number = |kind, value: &str, validated| {
        Some(PersonalNumber {
            kind,
            start,
            end,
            value: value.to_string(),
            validated,
        })
    };
    if is_mobile(mobile_body) {
        return number(PersonalKind::Mobile, mobile_body, true);
    }
    if run.len() == 18 && id_birth_date_ok(run) {
        return number(
            PersonalKind::IdNumber,
            &run.to_ascii_uppercase(),
            id_check_digit_ok(run) && id_region_ok(run),
        );
    }
    if (16..=19).contains(&run.len()) && luhn3::decimal::valid(run.as_bytes()) {
        let before = &text[text.floor_char_boundary(start.saturating_sub(18))..start];
        let order_like = NOT_PERSONAL_CONTEXT.iter().any(|w| before.contains(w));
        if !order_like {
            return number(PersonalKind::BankCard, run, card_prefix_ok(run));
        }
    }
    None
}

fn is_mobile(s: &str) -> bool {
    s.len() == 11
        && s.as_bytes()[0] == b'1'
        && (b'3'..=b'9').contains(&s.as_bytes()[1])
        && s.bytes().all(|b| b.is_ascii_digit())
}

/// GB 11643: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11, 10 written X.
fn id_check_digit_ok(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17].iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    let check = (12 - sum % 11) % 11;
    let last = b[17].to_ascii_uppercase();
    if check == 10 {
        last == b'X'
    } else {
        last == b'0' + check as u8
    }
}

/// Province codes of GB/T 2260 (11 Beijing … 65 Xinjiang, 71 Taiwan, 81–82 HK/Macau).
fn id_region_ok(id: &str) -> bool {
    matches!(
        &id[..2],
        "11" | "12"
            | "13"
            | "14"
            | "15"
            | "21"
            | "22"
            | "23"
            | "31"
            | "32"
            | "33"
            | "34"
            | "35"
            | "36"
            | "37"
            | "41"
            | "42"
            | "43"
            | "44"
            | "45"
            | "46"
            | "50"
            | "51"
            | "52"
            | "53"
            | "54"
            | "61"
            | "62"
            | "63"
            | "64"
            | "65"
            | "71"
            | "81"
            | "82"
            | "83"
            | "91"
    )
}

fn id_birth_date_ok(id: &str) -> bool {
    let field = |r: std::ops::Range<usize>| id.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(year), Some(month), Some(day)) = (field(6..10), field(10..12), field(12..14)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2026).contains(&year) && (1..=days).contains(&day)
}

/// Issuer prefixes of cards used in China: UnionPay 62, Visa 4, Mastercard 51–55 and 22–27,
/// JCB 35, Amex 34/37, and the 9-prefixed domestic debit cards.
fn card_prefix_ok(card: &str) -> bool {
    let two: u32 = card[..2].parse().unwrap_or(0);
    matches!(two, 62 | 40..=49 | 51..=55 | 22..=27 | 35 | 34 | 37 | 90..=99)
}

fn find_emails(text: &str, found: &mut Vec<PersonalNumber>) {
    let is_local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '%');
    let is_domain = |c: char| c.is_ascii_alphanumeric() || c == '.';
    for (at, _) in text.match_indices('@') {
        let local_start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_local(*c))
            .last()
            .map_or(at, |(i, _)| i);
        let domain_end = text[at + 1..]
            .char_indices()
            .take_while(|(_, c)| is_domain(*c))
            .last()
            .map_or(at + 1, |(i, c)| at + 1 + i + c.len_utf8());
        let local = text[local_start..at].trim_start_matches('.');
        let domain = text[at + 1..domain_end].trim_end_matches('.');
        let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty() && tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())
        });
        if local.is_empty() || !tld_ok {
            continue;
        }
        let start = at - local.len();
        let validated = !ROLE_MAILBOXES.contains(&local);
        found.push(PersonalNumber {
            kind: PersonalKind::Email,
            start,
            end: at + 1 + domain.len(),
            value: format!("{local}@{domain}"),
            validated,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(PersonalKind, String, bool)> {
        find(text).into_iter().map(|n| (n.kind, n.value, n.validated)).collect()
    }

    #[test]
    fn published_check_digit_examples() {
        // The worked example of GB 11643-1999 and a commonly cited X-check number.
        assert!(id_check_digit_ok("11010519491231002X"));
        assert!(id_check_digit_ok("440524188001010014"));
        assert!(!id_check_digit_ok("110105194912310021"));
        // Luhn: the ISO/IEC 7812 example and a UnionPay test card.
        assert!(luhn3::decimal::valid(b"79927398713"));
        assert!(luhn3::decimal::valid(b"6212345678901232"));
        assert!(!luhn3::decimal::valid(b"6212345678901234"));
    }

    #[test]
    fn numbers_in_text() {
        assert_eq!(
            kinds("电话是13912345678"),
            [(PersonalKind::Mobile, "13912345678".into(), true)]
        );
        assert_eq!(
            kinds("+8613912345678"),
            [(PersonalKind::Mobile, "13912345678".into(), true)]
        );
        assert_eq!(
            kinds("身份证11010519491231002x"),
            [(PersonalKind::IdNumber, "11010519491231002X".into(), true)]
        );
        assert_eq!(
            kinds("卡号6212345678901232"),
            [(PersonalKind::BankCard, "6212345678901232".into(), true)]
        );
        assert_eq!(
            kinds("邮箱zhangsan@qq.com"),
            [(PersonalKind::Email, "zhangsan@qq.com".into(), true)]
        );
    }

    #[test]
    fn not_personal_numbers() {
        for text in [
            "尾号5678",
            "138****1234",
            "订单号6212345678901232",
            "12315",
            "金额1388.00元",
            "2026年11月22日13点",
            "@中国电信客服",
            "imei86912345678901",
        ] {
            assert!(find(text).iter().all(|n| !n.validated), "{text}: {:?}", find(text));
        }
    }

    #[test]
    fn random_18_digit_strings_rarely_pass_as_ids() {
        // A deterministic LCG stands in for random numbers; the check digit alone lets 1 in 11
        // through, the birth date and region cut that far below 1 in 10.
        let mut state: u64 = 0x0005_DEEC_E66D;
        let mut passed = 0;
        let trials = 20_000;
        for _ in 0..trials {
            let digits: String = (0..18)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    char::from(b'0' + ((state >> 33) % 10) as u8)
                })
                .collect();
            if find(&digits)
                .iter()
                .any(|n| n.kind == PersonalKind::IdNumber && n.validated)
            {
                passed += 1;
            }
        }
        assert!(
            passed * 10 < trials,
            "{passed} of {trials} random strings passed as IDs"
        );
        assert!(
            passed * 1000 < trials,
            "expected well under 0.1%, got {passed} of {trials}"
        );
    }

    #[test]
    fn numbers_split_over_two_lines() {
        let n = find_split("您要的号码是13812", "345678,您记一下").unwrap();
        assert_eq!(
            (n.kind, n.value.as_str(), n.start),
            (PersonalKind::Mobile, "13812345678", "您要的号码是".len())
        );
        assert_eq!(find_split("金额是100", "200元"), None);
        assert_eq!(find_split("尾号是5678", "1234"), None);
    }

    #[test]
    fn masks() {
        let m = |text: &str| find(text)[0].masked();
        assert_eq!(m("13912345678"), "139****5678");
        assert_eq!(m("11010519491231002x"), "1101**********002X");
        assert_eq!(m("zhangsan@qq.com"), "z***@qq.com");
    }
}
