//! Compiles jieba's dictionary (`vendor/jieba/dict.txt`, `word frequency tag` a line) into an
//! `fst::Map` word → frequency in `OUT_DIR`, which `src/segment.rs` uses in place through
//! `include_bytes!`: the run never parses the dictionary. Also writes the figures the
//! segmenter needs besides the words (the sum of all frequencies). Needs no network.
//!
//! The reading is jieba-rs 0.11's `load_default_dict`: lines split on ASCII whitespace, blank
//! lines skipped, a missing frequency read as 0, and a word listed twice keeps its last
//! frequency while the total counts both (jieba-rs adds both records).

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
                format!("{DICT} line {}: frequency `{field}` is not a whole number: {e}", number + 1)
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
        return Err(format!("the built word map has {} words, not {}", check.len(), words.len()));
    }

    let out = Path::new(&out_dir);
    std::fs::write(out.join("jieba_dict.fst"), &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    let figures = format!(
        "/// Sum of the frequencies of every line of jieba's dictionary.\npub const TOTAL: u64 = {total};\n"
    );
    std::fs::write(out.join("jieba_dict.rs"), figures).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(())
}
