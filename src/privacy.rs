//! Personal data in normalised text: mainland mobile numbers, resident ID numbers (valid
//! MOD 11-2 check digit and a real birth date), bank cards (valid Luhn, via `luhn3`) and
//! e-mail addresses. Digits read out in Chinese (幺三八…) arrive here already as digits.
//!
//! A mobile is 1[3-9] and nine digits, alone or after 0 / 86 / +86 / 0086, never glued to
//! more digits. Its 3-4-4 groups may be parted by one sign each (139.1234.5678,
//! (139)1234-5678, 139，1234，5678), and letters before it (vx, tel, wx) do not hide it.
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
            digits => masked_digits(digits, v),
        }
    }
}

/// The masked form of the digits of a phone, ID or card number: 139****5678, 6212********1232.
pub fn masked_digits(kind: PersonalKind, digits: &str) -> String {
    match kind {
        PersonalKind::Mobile => keep_ends(digits, 3, 4),
        _ => keep_ends(digits, 4, 4),
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

/// Signs that may stand, one at a time, between the groups of a written-out mobile:
/// 139.1234.5678, (139)1234-5678, 139，1234，5678. The normaliser drops `-` and spaces before
/// `find` sees them, and leaves `／` full width; both are here so raw text works the same.
const GROUP_SEPARATORS: &[char] = &['.', '/', '／', ',', '，', '、', '(', ')', '（', '）', '-', ' '];

/// What may stand before a mainland mobile: the country code, with or without 00, or the
/// trunk 0. No area code starts 01 but 010, so 0 + 1[3-9] is never a landline.
const MOBILE_PREFIXES: &[&str] = &["0086", "86", "0"];

/// How a group of digits is joined to the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// Digits follow directly in `text`, but the original had a separator there that the
    /// normaliser dropped (see [`find_with_breaks`]).
    Dropped,
    /// One sign of [`GROUP_SEPARATORS`].
    Written(char),
    /// Anything else, or nothing follows: the next group is another number.
    End,
}

/// A run of digits in `text` (the 17 digits and `x` of an ID included), up to a break.
#[derive(Debug, Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    /// To the next group.
    link: Link,
}

/// Every personal number in normalised `text`, in order.
pub fn find(text: &str) -> Vec<PersonalNumber> {
    find_with_breaks(text, &[])
}

/// Every personal number in normalised `text`, where `breaks` (sorted byte offsets) are the
/// places between two digits where the original had a separator the normaliser dropped
/// (`13912345678_20261122` normalises to 19 digits: the break at 11 makes it two numbers).
///
/// A run of digits is read whole first: a valid ID or card number wins. Otherwise a mobile
/// is looked for in its groups, and across the written signs that may part its 3-4-4 groups.
pub fn find_with_breaks(text: &str, breaks: &[usize]) -> Vec<PersonalNumber> {
    // Every number has 11 digits at least (a mobile; an ID 17, a card 16) and an address an
    // `@` between an address's characters (`@中国联通` is a mention): most lines have neither,
    // and counting digits is far cheaper than reading groups.
    let bytes = text.as_bytes();
    let address = memchr::memchr_iter(b'@', bytes).any(|at| {
        at > 0
            && in_local_part(char::from(bytes[at - 1]))
            && bytes.get(at + 1).is_some_and(|&b| in_domain(char::from(b)))
    });
    if !address && ascii_digits(bytes) < 11 {
        return Vec::new();
    }
    let groups = digit_groups(text, breaks);
    let mut found = Vec::new();
    let mut i = 0;
    while i < groups.len() {
        let run_end = groups[i..]
            .iter()
            .position(|g| g.link != Link::Dropped)
            .map_or(groups.len(), |at| i + at + 1);
        let whole = long_number(text, groups[i].start, groups[run_end - 1].end);
        if let Some(number) = whole.as_ref().filter(|n| n.validated) {
            found.push(number.clone());
            i = run_end;
        } else if let Some((number, next)) = mobile_from(text, &groups, i) {
            found.push(number);
            i = next;
        } else if let Some(number) = whole {
            found.push(number);
            i = run_end;
        } else {
            i += 1;
        }
    }
    find_emails(text, &mut found);
    found.sort_by_key(|n| n.start);
    found
}

/// How many ASCII digits `bytes` holds: counted a byte wide in blocks, which the compiler
/// turns into vector adds (a tenth of the instructions of counting into a `usize`).
fn ascii_digits(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            let in_block = block.iter().fold(0u8, |n, &b| n + u8::from(b.wrapping_sub(b'0') < 10));
            usize::from(in_block)
        })
        .sum()
}

/// The digit runs of `text`, cut at `breaks`, each with how it joins the next.
fn digit_groups(text: &str, breaks: &[usize]) -> Vec<Group> {
    let bytes = text.as_bytes();
    let mut groups: Vec<Group> = Vec::new();
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
        if i - start == 17 && bytes.get(i) == Some(&b'x') {
            i += 1;
        }
        if let Some(previous) = groups.last_mut() {
            let mut between = text[previous.end..start].chars();
            if let (Some(sign), None) = (between.next(), between.next())
                && GROUP_SEPARATORS.contains(&sign)
            {
                previous.link = Link::Written(sign);
            }
        }
        let mut from = start;
        for &at in breaks.iter().filter(|&&at| start < at && at < i) {
            groups.push(Group {
                start: from,
                end: at,
                link: Link::Dropped,
            });
            from = at;
        }
        groups.push(Group {
            start: from,
            end: i,
            link: Link::End,
        });
    }
    groups
}

/// A mobile whose first digit (or prefix) starts group `first`, and the group after it.
fn mobile_from(text: &str, groups: &[Group], first: usize) -> Option<(PersonalNumber, usize)> {
    let head = &text[groups[first].start..groups[first].end];
    // 0.139… and 0,139… read as decimals, not as a trunk 0.
    let stands_apart = |prefix: &str| match groups[first].link {
        Link::Dropped => true,
        Link::Written(sign) => prefix != "0" || !matches!(sign, '.' | ',' | '，'),
        Link::End => false,
    };
    // Where the 11 digits may start: (group, offset into it).
    let glued = MOBILE_PREFIXES
        .iter()
        .filter(|p| head.len() > p.len() && head.starts_with(*p))
        .map(|p| (first, p.len()));
    let apart = MOBILE_PREFIXES
        .iter()
        .filter(|p| head == **p && stands_apart(p))
        .map(|_| (first + 1, 0));
    std::iter::once((first, 0))
        .chain(glued)
        .chain(apart)
        .find_map(|(group, offset)| {
            let (last, body) = mobile_body(text, groups, group, offset)?;
            // The span is the 11 digits: a country or trunk prefix before them is not
            // personal and stays readable (+86-139****5678).
            let (start, end) = (groups[group].start + offset, groups[last].end);
            let letter_after = text.as_bytes().get(end).is_some_and(u8::is_ascii_alphabetic);
            let after_decimal_point = first > 0 && groups[first - 1].link == Link::Written('.');
            let number = PersonalNumber {
                kind: PersonalKind::Mobile,
                start,
                end,
                value: body,
                // vx13912345678 is a contact handed over; 13912345678abc is more likely a
                // code and 0.13912345678 a fraction: masked all the same, but no finding.
                validated: !letter_after && !after_decimal_point,
            };
            Some((number, last + 1))
        })
}

/// The 11 digits of a mobile from group `group` (less `offset` bytes of it) to the end of a
/// group, and that group: a written sign only between the 3-4-4 groups, a dropped one anywhere.
fn mobile_body(text: &str, groups: &[Group], group: usize, offset: usize) -> Option<(usize, String)> {
    let mut body = [0u8; 11];
    let mut len = 0;
    for (at, g) in groups.iter().enumerate().skip(group) {
        let from = if at == group { g.start + offset } else { g.start };
        let digits = &text.as_bytes()[from..g.end];
        let body_part = body.get_mut(len..len + digits.len())?;
        body_part.copy_from_slice(digits);
        len += digits.len();
        if len == body.len() {
            let body = std::str::from_utf8(&body).ok()?;
            return is_mobile(body).then(|| (at, body.to_string()));
        }
        match g.link {
            Link::Dropped => {}
            Link::Written(_) if len == 3 || len == 7 => {}
            Link::Written(_) | Link::End => return None,
        }
    }
    None
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

/// Letters that label the number right after them (`ID110105…`, `IDcard 1101…`, `NO.` with
/// its point dropped, `card6228…`), in the normaliser's lower case: the number is as personal
/// as one standing apart.
const NUMBER_LABELS: [&str; 9] = ["id", "idcard", "idno", "no", "card", "cardno", "sfz", "sfzh", "sfzhm"];

/// An ID or bank-card number at `start..end`, one run of digits. Glued to other letters
/// (`ab1101…`, `…1230abc`) it is more likely a code: masked all the same, never in clear, but
/// no finding.
fn long_number(text: &str, start: usize, end: usize) -> Option<PersonalNumber> {
    let bytes = text.as_bytes();
    let letters_before = bytes[..start]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let label = &text[start - letters_before..start];
    let glued_to_letters = (letters_before > 0 && !NUMBER_LABELS.iter().any(|l| l.eq_ignore_ascii_case(label)))
        || (end < bytes.len() && bytes[end].is_ascii_alphabetic());
    let run = &text[start..end];
    let number = |kind, value: &str, validated| {
        Some(PersonalNumber {
            kind,
            start,
            end,
            value: value.to_string(),
            validated,
        })
    };
    if run.len() == 18 && id_birth_date_ok(run) {
        return number(
            PersonalKind::IdNumber,
            &run.to_ascii_uppercase(),
            id_check_digit_ok(run) && id_region_ok(run) && !glued_to_letters,
        );
    }
    if (16..=19).contains(&run.len()) && luhn3::decimal::valid(run.as_bytes()) {
        let before = &text[text.floor_char_boundary(start.saturating_sub(18))..start];
        let order_like = NOT_PERSONAL_CONTEXT.iter().any(|w| before.contains(w));
        if !order_like {
            return number(PersonalKind::BankCard, run, card_prefix_ok(run) && !glued_to_letters);
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

/// A character an address's local part may hold (before the `@`).
pub(crate) fn in_local_part(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '%')
}

/// A character an address's domain may hold (after the `@`).
pub(crate) fn in_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.'
}

fn find_emails(text: &str, found: &mut Vec<PersonalNumber>) {
    for (at, _) in text.match_indices('@') {
        let local_start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| in_local_part(*c))
            .last()
            .map_or(at, |(i, _)| i);
        let domain_end = text[at + 1..]
            .char_indices()
            .take_while(|(_, c)| in_domain(*c))
            .last()
            .map_or(at + 1, |(i, c)| at + 1 + i + c.len_utf8());
        let local = text[local_start..at].trim_start_matches('.');
        let mut domain = text[at + 1..domain_end].trim_end_matches('.');
        // An address glued to the number after it (zhang@qq.com13912345678): a top-level
        // domain is letters, so the digits after them are another number, not the address.
        if let Some((host, tld)) = domain.rsplit_once('.') {
            let letters = tld.bytes().take_while(u8::is_ascii_alphabetic).count();
            if letters >= 2 && letters < tld.len() && tld.bytes().skip(letters).all(|b| b.is_ascii_digit()) {
                domain = &domain[..host.len() + 1 + letters];
            }
        }
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

    /// The mobile numbers `find` sees in `text` (as the detector would: normalised first).
    fn mobiles(text: &str) -> Vec<(String, bool)> {
        find(&crate::normalize::normalize(text).text)
            .into_iter()
            .filter(|n| n.kind == PersonalKind::Mobile)
            .map(|n| (n.value, n.validated))
            .collect()
    }

    #[test]
    fn mobiles_written_with_separators_prefixes_and_app_names() {
        for text in [
            "您记一下，号码是139.1234.5678，有问题再打",
            "他留的是139/1234/5678这个号",
            "回拨号码139，1234，5678，麻烦您核对",
            "客户手机139,1234,5678没错吧",
            "您的电话是(139)1234-5678对吗",
            "您的电话是（139）1234 5678对吗",
            "您拨013912345678就能找到我",
            "境外请拨+86-139-1234-5678",
            "加我vx13912345678，我私下给您处理",
            "您加一下VX:13912345678",
            "我的tel13912345678",
            "wx13912345678，通过一下",
            "加微信13912345678详聊",
            "号码是139、1234、5678",
            "号码是139.1234/5678",
            "号码是（139）1234，5678",
            "号码是139 .1234, 5678",
            "号码是+86 (139) 1234-5678",
            "号码是0086 139 1234 5678",
            "号码是86.139.1234.5678",
            "号码是0139.1234.5678",
            "号码是1391234.5678",
            "号码是139.12345678",
            "您的号码139.1234.5678.对吗",
        ] {
            assert_eq!(mobiles(text), [("13912345678".to_string(), true)], "{text}");
        }
    }

    #[test]
    fn numbers_that_are_not_mobiles() {
        for text in [
            "预约的是2026/11/22下午",
            "日期2026.11.22，时间13:45",
            "2026-11-22 13:45:00来电",
            "退款金额1,234.56元",
            "金额13,912,345,678元",
            "¥13,800.00已到账",
            "我要去12315投诉",
            "请拨打400-800-1234",
            "客服热线400.800.1234",
            "订单号202611221391234567查一下",
            "单号 2026112213912345678 已经发货",
            "这个号码113912345678不对",
            "这个号码213912345678不对",
            "流水12345678901234",
            "尾号5678",
            "号码139..1234..5678",
            "号码13.9123.45678",
            "固话021-12345678",
            "1391,234,5678",
        ] {
            assert_eq!(mobiles(text), [], "{text}");
        }
    }

    #[test]
    fn dropped_separators_part_numbers() {
        // 13912345678_20261122 normalises to 1391234567820261122: the break makes two numbers.
        let text = "1391234567820261122";
        assert_eq!(find(text), []);
        let numbers = find_with_breaks(text, &[11]);
        assert_eq!(
            numbers
                .iter()
                .map(|n| (n.kind, n.value.as_str(), n.start..n.end))
                .collect::<Vec<_>>(),
            [(PersonalKind::Mobile, "13912345678", 0..11)]
        );
        // A valid card written in groups stays one card, whatever the breaks.
        let card = find_with_breaks("6212345678901232", &[4, 8, 12]);
        assert_eq!(
            card.iter().map(|n| (n.kind, n.validated)).collect::<Vec<_>>(),
            [(PersonalKind::BankCard, true)]
        );
        // A break between any two digits of a mobile keeps it whole (1391 234 5678).
        assert_eq!(find_with_breaks("13912345678", &[4, 7])[0].value, "13912345678");
    }

    #[test]
    fn mobiles_that_are_masked_but_make_no_finding() {
        for text in ["编码13912345678abc", "比例是0.13912345678"] {
            assert_eq!(mobiles(text), [("13912345678".to_string(), false)], "{text}");
        }
    }

    /// An ID or card right after letters: a label (ID, IDcard, NO, card, as the normaliser
    /// writes them, spaces dropped) makes it the personal number it is; other letters make it
    /// a code, masked all the same but no finding.
    #[test]
    fn long_numbers_after_letters() {
        let found = |text: &str| -> Vec<(String, bool)> {
            find(text)
                .into_iter()
                .map(|n| (text[n.start..n.end].to_string(), n.validated))
                .collect()
        };
        for text in [
            "id11010519491231002x",
            "idcard11010519491231002x",
            "no11010519491231002x",
            "身份证是id11010519491231002x",
        ] {
            assert_eq!(found(text), [("11010519491231002x".to_string(), true)], "{text}");
        }
        assert_eq!(
            found("card6228480402564890018"),
            [("6228480402564890018".to_string(), true)]
        );
        for text in ["sn11010519491231002x", "11010519491231002xab", "abc6228480402564890018"] {
            let numbers = found(text);
            assert_eq!(numbers.len(), 1, "{text}: {numbers:?}");
            assert!(!numbers[0].1, "{text}: a code, no finding");
        }
    }

    #[test]
    fn masks() {
        let m = |text: &str| find(text)[0].masked();
        assert_eq!(m("13912345678"), "139****5678");
        assert_eq!(m("11010519491231002x"), "1101**********002X");
        assert_eq!(m("zhangsan@qq.com"), "z***@qq.com");
    }
}
