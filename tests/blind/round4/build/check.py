#!/usr/bin/env python3
"""Consistency checks for the blind4 set.  Independent of gen.py: it reads only
calls/, labels.csv and hard_negatives.csv (and build/meta.json for the ASR flag).
Exit status 1 if any error is found."""
import csv, json, re, sys, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATS = """threat.regulator threat.media threat.online threat.protest threat.legal
threat.management threat.safety threat.repeat threat.extreme taboo.overpromise
taboo.admit_defect taboo.privacy taboo.impatience taboo.withdraw taboo.incite
taboo.deflect""".split()
MIN_POS = {c: 14 for c in CATS}
for c in ("threat.repeat", "taboo.deflect", "taboo.overpromise", "taboo.impatience"):
    MIN_POS[c] = 18
AGENTS = set("客服 坐席 顾问 管家 专员 乘务员 理财经理 医生助理 工作人员 话务员 售后 老师 快递员 教练 店员".split())
CUSTOMERS = set("客户 用户 家长 业主 车主 旅客 持卡人 患者 市民 买家 学员 收件人 会员".split())

errors, warnings = [], []


def err(msg):
    errors.append(msg)


# ---------------- number validation ----------------
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHK = "10X98765432"


def valid_id(s):
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return False
    try:
        datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not (1900 <= int(s[6:10]) <= 2026):
        return False
    return CHK[sum(int(c) * w for c, w in zip(s[:17], W)) % 11] == s[17]


def luhn(s):
    total = 0
    for i, c in enumerate(reversed(s)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def valid_card(s):
    return s.isdigit() and 16 <= len(s) <= 19 and luhn(s)


def valid_mobile(s):
    return re.fullmatch(r"1[3-9]\d{9}", s) is not None


HZ = str.maketrans({"零": "0", "〇": "0", "一": "1", "幺": "1", "二": "2", "三": "3", "四": "4",
                    "五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "叉": "X"})


def digit_runs(text):
    t = text.translate(HZ)
    prev = None
    while prev != t:  # join digit groups separated by a space / hyphen
        prev = t
        t = re.sub(r"(?<=[\dX])[ \-　](?=[\dX])", "", t)
    return re.findall(r"\d[\dX]*", t)


def classify(run):
    """-> list of (kind, valid) for long digit runs that look like personal numbers."""
    out = []
    if len(run) == 11 and run.startswith("1"):
        out.append(("mobile", valid_mobile(run)))
    if len(run) == 18 and re.fullmatch(r"\d{17}[\dX]", run) and run[6:8] in ("19", "20"):
        out.append(("id", valid_id(run)))
    elif 16 <= len(run) <= 19 and run.isdigit():
        out.append(("card", valid_card(run)))
    return out


# ---------------- load ----------------
calls = {}
for p in sorted((ROOT / "calls").glob("*.txt")):
    calls[p.stem] = p.read_text(encoding="utf-8").splitlines()
expected = [f"c{i:03d}" for i in range(1, 201)]
if sorted(calls) != expected:
    err(f"call files: expected c001..c200, got {len(calls)} files")

roles = {}
for cid, lines in calls.items():
    if not 4 <= len(lines) <= 20:
        err(f"{cid}: {len(lines)} lines (want 4-20)")
    spk = []
    for i, l in enumerate(lines, 1):
        m = re.match(r"^([^：]+)：(.+)$", l)
        if not m:
            err(f"{cid}:{i}: not 'speaker：text'")
            continue
        spk.append(m.group(1))
        if re.search(r"##|\{|\}|\|(r|o)\||threat\.|taboo\.", l):
            err(f"{cid}:{i}: label marker or placeholder left in call text")
    a = set(spk) & AGENTS
    c = set(spk) & CUSTOMERS
    if len(a) != 1 or len(c) != 1 or set(spk) - AGENTS - CUSTOMERS:
        err(f"{cid}: speakers {sorted(set(spk))} not exactly one agent + one customer role")
    roles[cid] = (a.pop() if a else None, c.pop() if c else None)

with open(ROOT / "labels.csv", encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
if rows[0] != ["conversation", "category", "line", "kind", "note"]:
    err("labels.csv header wrong")
labels = {}
for r in rows[1:]:
    if len(r) != 5:
        err(f"labels.csv bad row {r}")
        continue
    cid, cat, line, kind, note = r
    if cid not in calls:
        err(f"label for missing call {cid}")
        continue
    if cat not in CATS:
        err(f"{cid}: unknown category {cat}")
    if kind not in ("required", "optional"):
        err(f"{cid}: bad kind {kind}")
    if not note.strip():
        err(f"{cid} {cat}: empty note")
    if (cid, cat) in labels:
        err(f"{cid} {cat}: duplicate label")
    if not line.isdigit() or not 1 <= int(line) <= len(calls[cid]):
        err(f"{cid} {cat}: line {line} out of range")
        continue
    ln = int(line)
    labels[(cid, cat)] = (ln, kind, note)
    speaker = calls[cid][ln - 1].split("：", 1)[0]
    want = roles[cid][1] if cat.startswith("threat.") else roles[cid][0]
    if speaker != want:
        err(f"{cid} {cat}: line {ln} spoken by {speaker}, expected {want}")
    if len(note.strip()) >= 10 and note in calls[cid][ln - 1]:
        warnings.append(f"{cid} {cat}: note copies the utterance")

with open(ROOT / "hard_negatives.csv", encoding="utf-8", newline="") as f:
    hrows = list(csv.reader(f))
if hrows[0] != ["conversation", "category"]:
    err("hard_negatives.csv header wrong")
hn = set()
for r in hrows[1:]:
    cid, cat = r
    if cid not in calls:
        err(f"hard negative for missing call {cid}")
    if cat not in CATS:
        err(f"hard negative {cid}: unknown category {cat}")
    if (cid, cat) in hn:
        err(f"hard negative {cid} {cat} duplicated")
    hn.add((cid, cat))
    if (cid, cat) in labels:
        err(f"hard negative {cid} {cat} clashes with a label")

# ---------------- privacy numbers ----------------
for cid, lines in calls.items():
    agent = roles[cid][0]
    for i, l in enumerate(lines, 1):
        spk, _, text = l.partition("：")
        for run in digit_runs(text):
            for kind, ok in classify(run):
                if not ok:
                    err(f"{cid}:{i}: {kind}-like number {run} is not valid")
                    continue
                if spk == agent:
                    lab = labels.get((cid, "taboo.privacy"))
                    if lab is None:
                        err(f"{cid}:{i}: agent line holds valid {kind} {run} but no taboo.privacy label")
                    elif lab[0] > i:
                        err(f"{cid}:{i}: agent discloses {kind} before labelled line {lab[0]}")
for (cid, cat), (ln, kind, note) in labels.items():
    if cat != "taboo.privacy":
        continue
    text = calls[cid][ln - 1].partition("：")[2]
    has_num = any(ok for run in digit_runs(text) for _, ok in classify(run))
    if not has_num and not re.search(r"住|地址|小区|号楼|单元|门牌|栋|村|路", text):
        err(f"{cid}: taboo.privacy line {ln} has neither a valid number nor an address")

# ---------------- coverage ----------------
meta = json.loads((ROOT / "build" / "meta.json").read_text(encoding="utf-8"))
stat = {c: [0, 0, 0] for c in CATS}
for (cid, cat), (ln, kind, note) in labels.items():
    stat[cat][0 if kind == "required" else 1] += 1
for cid, cat in hn:
    stat[cat][2] += 1
for c in CATS:
    if stat[c][0] < MIN_POS[c]:
        err(f"{c}: only {stat[c][0]} required positives (want {MIN_POS[c]})")
    if stat[c][2] < 6:
        err(f"{c}: only {stat[c][2]} hard negatives (want 6)")
labelled = {cid for cid, _ in labels}
unl = [c for c in calls if c not in labelled]
asr = sum(1 for c in calls if meta.get(c, {}).get("asr"))
kefu = sum(1 for c in calls if roles[c] == ("客服", "客户"))
if len(unl) < 45:
    err(f"only {len(unl)} unlabelled calls (want >= 45)")
if not 55 <= asr <= 65:
    err(f"{asr} ASR-style calls (want about 60)")
unl_no_hn = [c for c in unl if not any(h[0] == c for h in hn)]
if unl_no_hn:
    warnings.append(f"unlabelled calls without a hard-negative row: {unl_no_hn}")

print(f"calls={len(calls)} asr={asr} unlabelled={len(unl)} 客服/客户={kefu} labels={len(labels)} hn={len(hn)}")
print(f"{'category':20s} req opt  hn")
for c in CATS:
    print(f"{c:20s} {stat[c][0]:3d} {stat[c][1]:3d} {stat[c][2]:3d}")
for w in warnings:
    print("WARN", w)
for e in errors:
    print("ERROR", e)
print("OK" if not errors else f"{len(errors)} error(s)")
sys.exit(1 if errors else 0)
