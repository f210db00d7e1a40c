#!/usr/bin/env bash
# End-to-end benchmark: callrisk against `rg -o -F -f` (every term of the shipped
# dictionaries) and a Python jieba + pyahocorasick script, in the same run, on real
# customer-service sentences from ../shared/corpus shuffled into calls.
#
#   bench/run.sh            # 200 MB directory of ~64,000 calls and a 200 MB JSON Lines log
#   SIZE_MB=50 RUNS=3 bench/run.sh
#
# Needs ../shared/corpus; installs ripgrep, hyperfine and GNU time (apt) and jieba and
# pyahocorasick (pip) if they are missing. Results go to bench/out/results.md; BENCHMARKS.md
# records a run with its machine.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-200}
RUNS=${RUNS:-5}
OUT=bench/out
CORPUS=../shared/corpus

[ -d "$CORPUS" ] || { echo "bench/run.sh: $CORPUS not found (the benchmark reads real sentences from it)" >&2; exit 2; }
missing=()
command -v rg >/dev/null || missing+=(ripgrep)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -c "import jieba, ahocorasick" 2>/dev/null || pip install -q jieba pyahocorasick

cargo build --release --quiet
BIN=target/release/callrisk
mkdir -p "$OUT"
if [ ! -f "$OUT/.built-$SIZE_MB" ]; then
  rm -rf "$OUT/calls" "$OUT/slice" "$OUT"/chat*.jsonl "$OUT"/.built-*
  python3 bench/make_corpus.py "$OUT" --calls-mb "$SIZE_MB" --jsonl-mb "$SIZE_MB" --slice-mb 10
  touch "$OUT/.built-$SIZE_MB"
fi
$BIN lexicon terms > "$OUT/terms.txt"

# 20,000 more terms, for the lexicon-size run, from jieba's dictionary: four-character words
# jieba rates rare (like the specific phrases a risk dictionary holds), and, as a harder case,
# the first 20,000 four-character words of any frequency (common words: many more findings).
mkdir -p "$OUT/lexicon20k" "$OUT/lexicon20k-common"
python3 - "$OUT" <<'PY'
import os, sys, jieba
rows = [l.split() for l in open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8")]
four = [r for r in rows if len(r[0]) == 4 and '"' not in r[0] and '\\' not in r[0]]
rare = [r[0] for r in four if int(r[1]) <= 3][:20000]
common = [r[0] for r in four][:20000]
for folder, words in (("lexicon20k", rare), ("lexicon20k-common", common)):
    with open(os.path.join(sys.argv[1], folder, "extra.toml"), "w", encoding="utf-8") as f:
        f.write('category = "threat.management"\nseverity = "low"\n\n[[rule]]\nterms = [\n')
        f.writelines('  "%s",\n' % w for w in words)
        f.write("]\n")
PY

results="$OUT/results.md"
{
  echo "# callrisk benchmark run, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "- callrisk $($BIN --version | cut -d' ' -f2), $(rg --version | head -1), Python $(python3 -c 'import sys; print(sys.version.split()[0])')"
  echo "- corpus: $(find "$OUT/calls" -type f | wc -l) call files, $(du -sm "$OUT/calls" | cut -f1) MB on disk; chat.jsonl $(du -m "$OUT/chat.jsonl" | cut -f1) MB; $(wc -l < "$OUT/terms.txt") terms"
  echo
} > "$results"

compare() { # name, then hyperfine commands
  local name=$1; shift
  hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$OUT/$name.md" "$@" > "$OUT/$name.log" 2>&1
  { echo "## $name"; echo; cat "$OUT/$name.md"; echo; } >> "$results"
}

# 0. Start-up: a one-line call with one finding (the dictionaries, the automaton and the word
#    list all needed), and the same with no finding.
printf '客户：你们再不退款我就去12315投诉\n' > "$OUT/one-finding.txt"
printf '客户：好的谢谢\n' > "$OUT/one-clean.txt"
hyperfine -N --warmup 3 --runs 30 --export-markdown "$OUT/startup.md" \
  "$BIN scan -q --reports csv -o $OUT/s1 $OUT/one-finding.txt" \
  "$BIN scan -q -o $OUT/s2 $OUT/one-finding.txt" \
  "$BIN scan -q --reports csv -o $OUT/s3 $OUT/one-clean.txt" > "$OUT/startup.log" 2>&1
{ echo "## startup"; echo; cat "$OUT/startup.md"; echo; } >> "$results"

# 1. callrisk vs rg on the same inputs and terms (rg writes its matches to a file: with
#    stdout on /dev/null it would stop at the first match of each file).
compare dir "rg -o -F -f $OUT/terms.txt $OUT/calls > $OUT/rg.out" "$BIN scan -q -o $OUT/report-dir $OUT/calls"
compare jsonl "rg -o -F -f $OUT/terms.txt $OUT/chat.jsonl > $OUT/rg.out" "$BIN scan -q -o $OUT/report-jsonl $OUT/chat.jsonl"

# 2. Threads, input size and lexicon size.
compare threads "$BIN scan -q -j 1 -o $OUT/r1 $OUT/chat.jsonl" "$BIN scan -q -j 2 -o $OUT/r2 $OUT/chat.jsonl"
compare threads-dir "$BIN scan -q -j 1 -o $OUT/r1d $OUT/calls" "$BIN scan -q -j 2 -o $OUT/r2d $OUT/calls"
compare size "$BIN scan -q -o $OUT/r50 $OUT/chat_50.jsonl" "$BIN scan -q -o $OUT/r100 $OUT/chat_100.jsonl" "$BIN scan -q -o $OUT/r200 $OUT/chat.jsonl"
compare lexicon "$BIN scan -q -o $OUT/rl1 $OUT/chat.jsonl" "$BIN scan -q -o $OUT/rl2 --lexicon $OUT/lexicon20k $OUT/chat.jsonl" "$BIN scan -q -o $OUT/rl3 --lexicon $OUT/lexicon20k-common $OUT/chat.jsonl"
{
  echo "Findings written: shipped $(($(wc -l < $OUT/rl1/hits.csv) - 1)), +20k rare $(($(wc -l < $OUT/rl2/hits.csv) - 1)), +20k common $(($(wc -l < $OUT/rl3/hits.csv) - 1))."
  echo
} >> "$results"

# 2b. What the reports for people (report.xlsx, report.html) add to a 200 MB run: hyperfine's
#     means, then (the machine is shared and noisy) PAIRS runs of the two commands taken in
#     turn, the first of each pair alternating, as medians of wall and CPU (user + system)
#     time.
compare reports "$BIN scan -q --reports csv -o $OUT/rc $OUT/chat.jsonl" "$BIN scan -q -o $OUT/ra $OUT/chat.jsonl"
PAIRS=${PAIRS:-12}
rm -f "$OUT/pairs.txt"
csv_run() { /usr/bin/time -f "csv %e %U %S" "$BIN" scan -q --reports csv -o "$OUT/rc" "$OUT/chat.jsonl" 2>> "$OUT/pairs.txt"; }
all_run() { /usr/bin/time -f "all %e %U %S" "$BIN" scan -q -o "$OUT/ra" "$OUT/chat.jsonl" 2>> "$OUT/pairs.txt"; }
for i in $(seq "$PAIRS"); do
  if [ $((i % 2)) -eq 1 ]; then csv_run; all_run; else all_run; csv_run; fi
done
python3 - "$OUT/pairs.txt" "$PAIRS" >> "$results" <<'PY'
import statistics, sys
runs = {"csv": [], "all": []}
for line in open(sys.argv[1]):
    kind, wall, user, system = line.split()
    runs[kind].append((float(wall), float(user) + float(system)))
med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
print(f"In turn, {sys.argv[2]} pairs, medians: `--reports csv` {med['csv'][0]:.2f} s wall, {med['csv'][1]:.2f} s CPU; "
      f"every report {med['all'][0]:.2f} s wall, {med['all'][1]:.2f} s CPU: "
      f"**{100 * (med['all'][0] / med['csv'][0] - 1):+.1f}% wall, {100 * (med['all'][1] / med['csv'][1] - 1):+.1f}% CPU**.\n")
PY
rm -f "$OUT/pairs.txt"

# 3. Peak memory.
{
  echo "## max RSS"
  echo
  for input in "$OUT/calls" "$OUT/chat_50.jsonl" "$OUT/chat.jsonl"; do
    /usr/bin/time -f "%M" "$BIN" scan -q -o "$OUT/rss" "$input" 2> "$OUT/rss.txt"
    echo "- callrisk scan $input: $(( $(tail -1 "$OUT/rss.txt") / 1024 )) MB"
  done
  /usr/bin/time -f "%M" rg -o -F -f "$OUT/terms.txt" "$OUT/chat.jsonl" > "$OUT/rg.out" 2> "$OUT/rss.txt"
  echo "- rg on chat.jsonl: $(( $(tail -1 "$OUT/rss.txt") / 1024 )) MB"
  echo
} >> "$results"

# 4. The Python script on the 10 MB slice, and callrisk on the same slice.
{
  echo "## Python jieba + pyahocorasick, 10 MB slice"
  echo
  echo "- $(python3 bench/baseline.py "$OUT/terms.txt" "$OUT/slice")"
  start=$(date +%s.%N); $BIN scan -q -o "$OUT/rslice" "$OUT/slice"; end=$(date +%s.%N)
  mb=$(du -sb "$OUT/slice" | cut -f1)
  echo "- callrisk on the same slice: $(python3 -c "print('%.2f s, %.1f MB/s' % ($end - $start, $mb / 1e6 / ($end - $start)))")"
  echo
} >> "$results"
cat "$results"
