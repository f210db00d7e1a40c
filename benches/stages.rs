//! Criterion benches for the hot stages, with byte throughput: normalise, match, confirm, and
//! a whole conversation. Input: the committed samples and evaluation corpus (real Chinese
//! customer-service text written for this project), about 1 MB of it.

use std::hint::black_box;

use callrisk::config::Engine;
use callrisk::context::Context;
use callrisk::lexicon::Lexicon;
use callrisk::normalize::{Normalized, normalize_into, normalize_text_into};
use callrisk::pipeline::scan_conversation;
use callrisk::privacy;
use callrisk::transcript::{Conversation, Utterance};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Utterance texts of every committed transcript, repeated to about 1 MB.
fn lines() -> Vec<String> {
    let mut lines = Vec::new();
    for dir in ["samples/calls", "tests/corpus/calls"] {
        let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            for line in std::fs::read_to_string(path).unwrap().lines() {
                if let Some((_, text)) = line.split_once(['：', ':']) {
                    lines.push(text.trim().to_string());
                }
            }
        }
    }
    let base = lines.clone();
    while lines.iter().map(String::len).sum::<usize>() < 1 << 20 {
        lines.extend(base.iter().cloned());
    }
    lines
}

fn stages(c: &mut Criterion) {
    let engine = Engine::new(Lexicon::builtin().unwrap());
    let lines = lines();
    let bytes: u64 = lines.iter().map(|l| l.len() as u64).sum();
    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(bytes));

    group.bench_function("normalise_text", |b| {
        let mut out = Normalized::default();
        b.iter(|| {
            for line in &lines {
                normalize_text_into(black_box(line), &mut out);
            }
        })
    });
    // ASR output without punctuation: the same lines with a space at every clause end, so
    // every line has pauses to record.
    let spaced: Vec<String> = lines.iter().map(|l| l.replace(['，', '。', '？', '！'], " ")).collect();
    group.bench_function("normalise_text_asr_spaced", |b| {
        let mut out = Normalized::default();
        b.iter(|| {
            for line in &spaced {
                normalize_text_into(black_box(line), &mut out);
            }
        })
    });
    group.bench_function("normalise_with_map", |b| {
        let mut out = Normalized::default();
        b.iter(|| {
            for line in &lines {
                normalize_into(black_box(line), &mut out);
            }
        })
    });

    let normalised: Vec<Normalized> = lines
        .iter()
        .map(|l| {
            let mut n = Normalized::default();
            normalize_into(l, &mut n);
            n
        })
        .collect();
    group.bench_function("match_terms", |b| {
        let mut found = Vec::new();
        b.iter(|| {
            for n in &normalised {
                found.clear();
                engine.matcher.candidates(black_box(&n.text), &mut found);
            }
        })
    });
    group.bench_function("match_numbers", |b| {
        b.iter(|| {
            for n in &normalised {
                black_box(privacy::find(black_box(&n.text)));
            }
        })
    });

    let context = Context::new(&engine.lexicon, &engine.segmenter);
    let with_candidates: Vec<(&Normalized, Vec<_>)> = normalised
        .iter()
        .filter_map(|n| {
            let mut found = Vec::new();
            engine.matcher.candidates(&n.text, &mut found);
            (!found.is_empty()).then_some((n, found))
        })
        .collect();
    group.bench_function("confirm", |b| {
        b.iter(|| {
            for (n, candidates) in &with_candidates {
                let mut findings = Vec::new();
                context.judge(
                    callrisk::category::Speaker::Unknown,
                    n,
                    "",
                    candidates,
                    callrisk::detect::terms::severity,
                    &mut findings,
                );
                black_box(findings);
            }
        })
    });

    let conversation = Conversation {
        id: "bench".into(),
        utterances: lines
            .iter()
            .enumerate()
            .map(|(i, text)| Utterance {
                line: i + 1,
                time: String::new(),
                start_ms: None,
                end_ms: None,
                speaker: if i % 2 == 0 {
                    callrisk::category::Speaker::Agent
                } else {
                    callrisk::category::Speaker::Customer
                },
                text: text.clone(),
                continued: false,
            })
            .collect(),
        ..Conversation::default()
    };
    group.bench_function("scan_conversation", |b| {
        b.iter(|| {
            black_box(scan_conversation(
                conversation.clone(),
                &engine,
                callrisk::category::Severity::Low,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
