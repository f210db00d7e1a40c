#!/usr/bin/env python3
"""Consistency checker for blind13.  Writes build/check_output.txt; last line is OK or the problems."""
import csv, collections, datetime, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import build  # noqa: E402  (re-parses the sources for first-line checks)

out, problems = [], []


def say(s=""):
    out.append(s)


def bad(s):
    problems.append(s)


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


CATS = [build.CATS[c] for c in build.THREATS + build.TABOOS]

# ---------------------------------------------------------------- calls and meta
meta = {r["conversation"]: r for r in read_csv(os.path.join(HERE, "meta.csv"))}
calls = {}
for conv in sorted(meta):
    path = os.path.join(ROOT, "calls", conv + ".txt")
    if not os.path.exists(path):
        bad("%s: file missing" % conv)
        continue
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    agent, cust = meta[conv]["speakers"].split("/")
    utts = []
    for i, l in enumerate(lines, 1):
        spk, sep, text = l.partition("：")
        if not sep or spk not in (agent, cust) or not text.strip():
            bad("%s line %d: malformed %r" % (conv, i, l[:30]))
        utts.append(("A" if spk == agent else "C", text))
    if not 5 <= len(utts) <= 9:
        bad("%s: %d lines (need 5-9)" % (conv, len(utts)))
    if "".join(s for s, _ in utts) != meta[conv]["speaker_pattern"]:
        bad("%s: speaker pattern differs from meta" % conv)
    calls[conv] = utts
files = sorted(f[:-4] for f in os.listdir(os.path.join(ROOT, "calls")) if f.endswith(".txt"))
if files != ["c%03d" % i for i in range(1, 201)]:
    bad("calls/ must hold exactly c001..c200 (has %d files)" % len(files))

# ---------------------------------------------------------------- labels
labels = read_csv(os.path.join(ROOT, "labels.csv"))
negs = read_csv(os.path.join(ROOT, "hard_negatives.csv"))
pairs = collections.Counter()
lab_by_call = collections.defaultdict(dict)
for r in labels:
    conv, cat, kind = r["conversation"], r["category"], r["kind"]
    if conv not in calls:
        bad("label for unknown call %s" % conv)
        continue
    if cat not in CATS:
        bad("%s: unknown category %s" % (conv, cat))
    if kind not in ("required", "optional"):
        bad("%s %s: bad kind %s" % (conv, cat, kind))
    if not r["note"].strip():
        bad("%s %s: empty note" % (conv, cat))
    line = int(r["line"])
    if not 1 <= line <= len(calls[conv]):
        bad("%s %s: line %d out of range" % (conv, cat, line))
        continue
    spk = calls[conv][line - 1][0]
    if cat.startswith("threat.") and spk != "C":
        bad("%s %s: threat on an agent line %d" % (conv, cat, line))
    if cat.startswith("taboo.") and spk != "A":
        bad("%s %s: taboo on a customer line %d" % (conv, cat, line))
    pairs[(conv, cat)] += 1
    lab_by_call[conv][cat] = r
for (conv, cat), n in pairs.items():
    if n > 1:
        bad("%s %s: %d rows (need one)" % (conv, cat, n))

# first-line rule and kind mixing, from the sources
src_of = {r["conversation"]: r["source"] for r in read_csv(os.path.join(HERE, "sources.csv"))}
by_src = {c["src"]: c for c in build.parse_sources()}
for conv, src in src_of.items():
    call = by_src[src]
    first = {}
    kinds = collections.defaultdict(set)
    for li, u in enumerate(call["utts"], 1):
        for cat, kind, note in u["labels"]:
            first.setdefault(cat, li)
            kinds[cat].add(kind)
            if not note:
                bad("%s (%s) line %d %s: label without note" % (conv, src, li, cat))
    for cat, li in first.items():
        r = lab_by_call[conv].get(cat)
        if r is None or int(r["line"]) != li:
            bad("%s %s: labels.csv line differs from first carrying utterance %d" % (conv, cat, li))
        if len(kinds[cat]) > 1:
            bad("%s %s: both required and optional in one call" % (conv, cat))
    if set(first) != set(lab_by_call[conv]):
        bad("%s: labels.csv categories differ from source" % conv)
    if len(call["utts"]) != len(calls[conv]):
        bad("%s: source and rendered line counts differ" % conv)

# hard negatives
neg_by_call = collections.defaultdict(set)
for r in negs:
    conv, cat = r["conversation"], r["category"]
    if conv not in calls:
        bad("hard negative for unknown call %s" % conv)
    if cat not in CATS:
        bad("%s: unknown hard-negative category %s" % (conv, cat))
    if cat in neg_by_call[conv]:
        bad("%s %s: duplicate hard negative" % (conv, cat))
    neg_by_call[conv].add(cat)
    if cat in lab_by_call[conv]:
        bad("%s %s: hard negative clashes with a label" % (conv, cat))
for conv in calls:
    if not lab_by_call[conv] and not neg_by_call[conv]:
        bad("%s: no label and no hard negative" % conv)

# ---------------------------------------------------------------- numbers
def valid_mobile(v):
    return re.fullmatch(r"1[3-9]\d{9}", v) is not None


def valid_id(v):
    if not re.fullmatch(r"\d{17}[\dX]", v):
        return False
    try:
        datetime.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return False
    return build.id_check(v[:17]) == v[17]


nums = read_csv(os.path.join(HERE, "numbers.csv"))
unmasked_lines = collections.defaultdict(set)
for r in nums:
    conv, line, typ, form, v, rend = r["conversation"], int(r["line"]), r["type"], r["form"], r["value"], r["rendered"]
    ok = {"MOBILE": valid_mobile, "ID": valid_id, "CARD": lambda s: re.fullmatch(r"\d{16,19}", s) and build.luhn_ok(s)}[typ](v)
    if not ok:
        bad("%s line %d: invalid %s %s" % (conv, line, typ, v))
    if conv in calls and rend not in calls[conv][line - 1][1]:
        bad("%s line %d: rendered number not found" % (conv, line))
    if form in ("DIGITS", "SPACED", "HANZI"):
        unmasked_lines[(conv, line)].add(typ)
    if form == "HANZI":
        back = rend.replace(" ", "").replace("幺", "1").replace("叉", "X")
        back = "".join(str("零一二三四五六七八九".index(c)) if c in "零一二三四五六七八九" else c for c in back)
        if back != v:
            bad("%s line %d: hanzi number does not read back" % (conv, line))
    if form == "SPACED" and rend.replace(" ", "") != v:
        bad("%s line %d: spaced number does not read back" % (conv, line))
for conv, utts in calls.items():
    for i, (spk, text) in enumerate(utts, 1):
        for run in re.findall(r"\d{7,}", text):
            if not any(r["conversation"] == conv and int(r["line"]) == i and run in r["rendered"].replace(" ", "")
                       for r in nums):
                bad("%s line %d: stray long digit run %s" % (conv, i, run))

ADDR = re.compile(r"(号楼|单元|室|栋|幢|路|街|弄|巷|小区|村|组|号|苑|花园|公寓)")
for conv, cats in lab_by_call.items():
    r = cats.get("taboo.privacy")
    if r:
        line = int(r["line"])
        text = calls[conv][line - 1][1]
        if (conv, line) not in unmasked_lines and not ("地址" in r["note"] and ADDR.search(text)):
            bad("%s: privacy label on line %d has no unmasked number or third-party address" % (conv, line))
for (conv, line), typs in unmasked_lines.items():
    if calls[conv][line - 1][0] == "A" and "taboo.privacy" not in lab_by_call[conv]:
        bad("%s line %d: agent reads an unmasked number but the call has no privacy label" % (conv, line))

# ---------------------------------------------------------------- style
PUNCT = re.compile(r"[，。？！、；：“”‘’（）…—,.?!;:()\"]")
texts = collections.Counter()
for conv, utts in calls.items():
    asr = meta[conv]["asr"] == "yes"
    for i, (spk, text) in enumerate(utts, 1):
        texts[text] += 1
        if asr and PUNCT.search(text):
            bad("%s line %d: punctuation in an ASR-style call" % (conv, i))
        if asr and re.search(r"[0-9*]", text):
            bad("%s line %d: ASCII digits or mask stars in an ASR-style call" % (conv, i))
    if not asr and not any(PUNCT.search(t) for _, t in utts):
        bad("%s: written call without punctuation" % conv)
for t, n in texts.items():
    if n > 1 and len(t) > 8:
        bad("utterance used %d times: %s" % (n, t[:20]))

# ---------------------------------------------------------------- counts
say("calls: %d" % len(calls))
labelled = [c for c in calls if lab_by_call[c]]
say("calls with labels: %d, without: %d" % (len(labelled), len(calls) - len(labelled)))
say("ASR-style calls: %d" % sum(1 for c in calls if meta[c]["asr"] == "yes"))
sectors = collections.Counter(meta[c]["sector"] for c in calls)
pairs_sp = collections.Counter(meta[c]["speakers"] for c in calls)
say("sectors: %d, speaker pairs: %d" % (len(sectors), len(pairs_sp)))
say("")
say("%-22s %8s %8s %8s" % ("category", "required", "optional", "hardneg"))
req = collections.Counter(r["category"] for r in labels if r["kind"] == "required")
opt = collections.Counter(r["category"] for r in labels if r["kind"] == "optional")
hn = collections.Counter(r["category"] for r in negs)
for c in CATS:
    say("%-22s %8d %8d %8d" % (c, req[c], opt[c], hn[c]))
    if not 17 <= req[c] <= 25:
        bad("%s: %d required labels (target 17-25)" % (c, req[c]))
    if not 7 <= hn[c] <= 14:
        bad("%s: %d hard negatives (target ~8-13)" % (c, hn[c]))
say("%-22s %8d %8d %8d" % ("total", sum(req.values()), sum(opt.values()), sum(hn.values())))
say("")
if problems:
    for p in problems:
        say("PROBLEM: " + p)
    say("%d problems" % len(problems))
else:
    say("OK")
text = "\n".join(out) + "\n"
with open(os.path.join(HERE, "check_output.txt"), "w", encoding="utf-8") as f:
    f.write(text)
print(text, end="")
sys.exit(1 if problems else 0)
