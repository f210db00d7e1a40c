//! Compiles jieba's dictionary (`vendor/jieba/dict.txt`, `word frequency tag` a line) into an
//! `fst::Map` word → frequency in `OUT_DIR`, which `src/segment.rs` uses in place through
//! `include_bytes!`: the run never parses the dictionary. Also writes the figures the
//! segmenter needs besides the words (the sum of all frequencies), and, for each character of
//! the main CJK block, where the fst's walk stands after it (the first step of nearly every
//! walk, taken here once rather than per character of every clause). Needs no network.
//!
//! The reading is jieba-rs 0.11's `load_default_dict`: lines split on ASCII whitespace, blank
//! lines skipped, a missing frequency read as 0, and a word listed twice keeps its last
//! frequency while the total counts both (jieba-rs adds both records).
//!
//! Also asks fast2s, once, what each CJK character becomes in simplified Chinese and writes
//! the characters it changes (`simplified.bin`), so the normaliser's table (`src/normalize.rs`)
//! is filled from a list rather than by 30,000 conversions at every start.

use std::collections::BTreeMap;
use std::path::Path;

const DICT: &str = "vendor/jieba/dict.txt";

fn main() {
    println!("cargo:rerun-if-changed={DICT}");
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(message) = build() {
        // A build script reports by failing the build; this is the one place it can.
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn build() -> Result<(), String> {
    let out_dir = std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR is not set: {e}"))?;
    let text = std::fs::read_to_string(DICT).map_err(|e| {
        format!("{DICT}: {e} (the dictionary jieba-rs 0.11 embeds; vendor/jieba/LICENSE says where it comes from)")
    })?;

    let mut words: BTreeMap<&[u8], u64> = BTreeMap::new();
    let mut total: u64 = 0;
    for (number, line) in text.lines().enumerate() {
        let mut fields = line.split_ascii_whitespace();
        let Some(word) = fields.next() else { continue };
        let freq = match fields.next() {
            Some(field) => field.parse::<u64>().map_err(|e| {
                format!(
                    "{DICT} line {}: frequency `{field}` is not a whole number: {e}",
                    number + 1
                )
            })?,
            None => 0,
        };
        total = total
            .checked_add(freq)
            .ok_or_else(|| format!("{DICT} line {}: the frequencies add up past u64", number + 1))?;
        words.insert(word.as_bytes(), freq);
    }

    // A BTreeMap iterates its keys in byte order, which is the order an fst is built in.
    let map = fst::Map::from_iter(words.iter().map(|(word, freq)| (*word, *freq)))
        .map_err(|e| format!("{DICT}: could not build the word map: {e}"))?;
    let bytes = map.into_fst().into_inner();
    let check = fst::Map::new(bytes.as_slice()).map_err(|e| format!("the built word map does not load: {e}"))?;
    if check.len() != words.len() {
        return Err(format!(
            "the built word map has {} words, not {}",
            check.len(),
            words.len()
        ));
    }

    let first_steps = first_steps(&check)?;

    let out = Path::new(&out_dir);
    std::fs::write(out.join("jieba_first.bin"), first_steps).map_err(|e| format!("{}: {e}", out.display()))?;
    std::fs::write(out.join("jieba_dict.fst"), &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    std::fs::write(out.join("simplified.bin"), simplified()).map_err(|e| format!("{}: {e}", out.display()))?;
    let figures =
        format!("/// Sum of the frequencies of every line of jieba's dictionary.\npub const TOTAL: u64 = {total};\n");
    std::fs::write(out.join("jieba_dict.rs"), figures).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(())
}

/// The CJK blocks the normaliser asks fast2s about (`src/normalize.rs`, `CJK`).
const CJK: [std::ops::Range<u32>; 3] = [0x2E80..0xA000, 0xF900..0xFB00, 0xFE30..0xFE50];

/// For each character of [`CJK`] that fast2s changes on its own, two little-endian u32: the
/// character and its simplified form.
fn simplified() -> Vec<u8> {
    let mut pairs = Vec::new();
    for code in CJK.into_iter().flatten() {
        let Some(c) = char::from_u32(code) else { continue };
        let Some(simple) = fast2s::convert(c.encode_utf8(&mut [0u8; 4])).chars().next() else {
            continue;
        };
        if simple != c {
            pairs.extend_from_slice(&code.to_le_bytes());
            pairs.extend_from_slice(&(simple as u32).to_le_bytes());
        }
    }
    pairs
}

/// For each character U+4E00..=U+9FFF, three little-endian u32: the address of the fst node
/// after the character's bytes (`u32::MAX` if no word starts with it), the output gathered on
/// the way, and the character's own frequency plus one (0 if it is not a word).
fn first_steps(map: &fst::Map<&[u8]>) -> Result<Vec<u8>, String> {
    let fst = map.as_fst();
    let mut table = Vec::new();
    for c in '\u{4E00}'..='\u{9FFF}' {
        let mut node = fst.root();
        let mut out = fst::raw::Output::zero();
        let mut alive = true;
        for &b in c.encode_utf8(&mut [0; 4]).as_bytes() {
            let Some(i) = node.find_input(b) else {
                alive = false;
                break;
            };
            let transition = node.transition(i);
            out = out.cat(transition.out);
            node = fst.node(transition.addr);
        }
        let narrow =
            |x: u64, what: &str| u32::try_from(x).map_err(|_| format!("{DICT}: {what} of {c} does not fit in 32 bits"));
        let (addr, gathered, own) = match alive {
            false => (u32::MAX, 0, 0),
            true => {
                let own = match node.is_final() {
                    true => narrow(out.cat(node.final_output()).value(), "the frequency")? as u64 + 1,
                    false => 0,
                };
                (
                    narrow(node.addr() as u64, "the fst address")?,
                    narrow(out.value(), "the output")?,
                    narrow(own, "the frequency")?,
                )
            }
        };
        if addr == u32::MAX && alive {
            return Err(format!("{DICT}: the fst is too large for 32-bit addresses"));
        }
        for x in [addr, gathered, own] {
            table.extend_from_slice(&x.to_le_bytes());
        }
    }
    Ok(table)
}
