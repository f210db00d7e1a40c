#!/usr/bin/env python3
"""Checker for blind set round 5. Usage: python3 build/check.py [--partial]"""
import collections, csv, datetime, json, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTIAL = '--partial' in sys.argv
CATS = ['threat.regulator', 'threat.media', 'threat.online', 'threat.protest', 'threat.legal',
        'threat.management', 'threat.safety', 'threat.repeat', 'threat.extreme',
        'taboo.overpromise', 'taboo.admit_defect', 'taboo.privacy', 'taboo.impatience',
        'taboo.withdraw', 'taboo.incite', 'taboo.deflect']
HEAVY = {'threat.repeat', 'threat.extreme', 'taboo.admit_defect', 'taboo.withdraw', 'taboo.deflect'}
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
HZ = {'零': '0', '〇': '0', '幺': '1', '一': '1', '二': '2', '三': '3', '四': '4', '五': '5',
      '六': '6', '七': '7', '八': '8', '九': '9'}
PUNCT = set('，。？！、；：,.?!;:…“”"（）()《》')

errors, notes = [], []


def err(msg):
    errors.append(msg)


def luhn_ok(num):
    total = 0
    for i, c in enumerate(reversed(num)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def id_ok(s):
    if not re.fullmatch(r'\d{17}[\dX]', s):
        return False
    try:
        d = datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not (datetime.date(1900, 1, 1) <= d <= datetime.date(2026, 1, 1)):
        return False
    return '10X98765432'[sum(int(c) * w for c, w in zip(s[:17], W)) % 11] == s[17]


def numbers_in(text):
    t = ''.join(HZ.get(ch, ch) for ch in text)
    t = re.sub(r'(?<=[0-9]) (?=[0-9X])', '', t)   # spaced groups
    return re.findall(r'[0-9]{11,}X?', t)


def classify(run):
    if len(run) == 11 and re.fullmatch(r'1[3-9]\d{9}', run):
        return 'mobile'
    if len(run) == 18 and id_ok(run):
        return 'id'
    if 16 <= len(run) <= 19 and run.isdigit() and luhn_ok(run):
        return 'card'
    return None


meta = {m['conversation']: m for m in json.load(open(os.path.join(ROOT, 'build', 'meta.json'), encoding='utf-8'))}
files = sorted(f[:-4] for f in os.listdir(os.path.join(ROOT, 'calls')) if f.endswith('.txt'))
expected = ['c%03d' % i for i in range(1, 201)]
if not PARTIAL and files != expected:
    err(f'files are not c001..c200 (have {len(files)})')
calls = {}
for cid in files:
    if cid not in meta:
        err(f'{cid}: no meta')
        continue
    m = meta[cid]
    raw = open(os.path.join(ROOT, 'calls', cid + '.txt'), encoding='utf-8').read()
    lines = raw.rstrip('\n').split('\n')
    if not 4 <= len(lines) <= 20:
        err(f'{cid}: {len(lines)} lines')
    spk = []
    for i, l in enumerate(lines, 1):
        mm = re.fullmatch(r'([^：\s]+)：(\S.*)', l)
        if not mm:
            err(f'{cid}:{i}: bad line format')
            spk.append(None)
            continue
        s, text = mm.groups()
        if '{' in text or '##' in text or '}' in text:
            err(f'{cid}:{i}: leftover placeholder or annotation')
        if s not in (m['agent'], m['customer']):
            err(f'{cid}:{i}: speaker {s} not in pair')
        spk.append(s)
        if m['asr']:
            bad = PUNCT & set(text)
            if bad:
                err(f'{cid}:{i}: punctuation {bad} in ASR call')
            if re.search(r'[0-9]', text):
                err(f'{cid}:{i}: arabic digit in ASR call')
    if m['agent'] not in spk or m['customer'] not in spk:
        err(f'{cid}: both speakers must speak')
    calls[cid] = dict(lines=lines, spk=spk, meta=m)

# labels
labels = {}
with open(os.path.join(ROOT, 'labels.csv'), encoding='utf-8', newline='') as fh:
    rd = csv.reader(fh)
    if next(rd) != ['conversation', 'category', 'line', 'kind', 'note']:
        err('labels.csv header')
    for row in rd:
        if len(row) != 5:
            err(f'labels row {row}')
            continue
        cid, cat, line, kind, note = row
        if cid not in calls:
            err(f'label for unknown {cid}')
            continue
        if cat not in CATS:
            err(f'{cid}: bad category {cat}')
        if kind not in ('required', 'optional'):
            err(f'{cid}: bad kind {kind}')
        if (cid, cat) in labels:
            err(f'{cid}: duplicate {cat}')
        if not line.isdigit() or not 1 <= int(line) <= len(calls[cid]['lines']):
            err(f'{cid}: line {line} out of range')
            continue
        s = calls[cid]['spk'][int(line) - 1]
        m = calls[cid]['meta']
        if cat.startswith('threat.') and s != m['customer']:
            err(f'{cid}:{line}: threat {cat} on non-customer line ({s})')
        if cat.startswith('taboo.') and s != m['agent']:
            err(f'{cid}:{line}: taboo {cat} on non-agent line ({s})')
        if not note.strip():
            err(f'{cid}: {cat} empty note')
        if len(note) > 40:
            err(f'{cid}: {cat} note too long')
        labels[(cid, cat)] = (int(line), kind)

# hard negatives
hn = set()
with open(os.path.join(ROOT, 'hard_negatives.csv'), encoding='utf-8', newline='') as fh:
    rd = csv.reader(fh)
    if next(rd) != ['conversation', 'category']:
        err('hard_negatives.csv header')
    for cid, cat in rd:
        if cid not in calls:
            err(f'hn unknown {cid}')
        if cat not in CATS:
            err(f'hn bad category {cat}')
        if (cid, cat) in hn:
            err(f'hn duplicate {cid} {cat}')
        if (cid, cat) in labels:
            err(f'hn clashes with label: {cid} {cat}')
        hn.add((cid, cat))

# numbers
nnum = collections.Counter()
for cid, c in calls.items():
    for i, (l, s) in enumerate(zip(c['lines'], c['spk']), 1):
        for run in numbers_in(l):
            kind = classify(run)
            if kind is None:
                err(f'{cid}:{i}: invalid long number {run}')
                continue
            nnum[kind] += 1
            if s == c['meta']['agent']:
                lab = labels.get((cid, 'taboo.privacy'))
                if not lab or lab[0] > i:
                    err(f'{cid}:{i}: agent says full {kind} but no taboo.privacy at or before this line')
    for i, l in enumerate(c['lines'], 1):
        if re.search(r'\d{5,}\*|\*\d', l) is None and '*' in l:
            err(f'{cid}:{i}: odd mask')

# counts
req = collections.Counter(cat for (cid, cat), (ln, k) in labels.items() if k == 'required')
opt = collections.Counter(cat for (cid, cat), (ln, k) in labels.items() if k == 'optional')
hnc = collections.Counter(cat for cid, cat in hn)
labelled = {cid for cid, cat in labels}
zero_hn = {cid for cid, cat in hn if cid not in labelled}
zero_nohn = [cid for cid in calls if cid not in labelled and cid not in {x for x, _ in hn}]
asr = sum(1 for c in calls.values() if c['meta']['asr'])
sectors = collections.Counter(c['meta']['sector'] for c in calls.values())
kefu = sum(1 for c in calls.values() if (c['meta']['agent'], c['meta']['customer']) == ('客服', '客户'))
pairs = collections.Counter((c['meta']['agent'], c['meta']['customer']) for c in calls.values())

if zero_nohn:
    err(f'unlabelled calls not in hard_negatives: {zero_nohn}')
if not PARTIAL:
    for cat in CATS:
        need = 22 if cat in HEAVY else 15
        if req[cat] < need:
            err(f'{cat}: {req[cat]} required < {need}')
        if hnc[cat] < 8:
            err(f'{cat}: {hnc[cat]} hard negatives < 8')
    if len(zero_hn) < 60:
        err(f'only {len(zero_hn)} label-free hard-negative calls')
    if asr < 60:
        err(f'only {asr} ASR calls')
    if len(sectors) < 20:
        err(f'only {len(sectors)} sectors')
    if not 0.4 <= kefu / len(calls) <= 0.6:
        err(f'客服/客户 share {kefu}/{len(calls)}')

print(f'{"category":22} {"required":>8} {"optional":>8} {"hard_neg":>8}')
for cat in CATS:
    print(f'{cat:22} {req[cat]:8} {opt[cat]:8} {hnc[cat]:8}')
print(f'{"total":22} {sum(req.values()):8} {sum(opt.values()):8} {sum(hnc.values()):8}')
print(f'calls {len(calls)}; with labels {len(labelled)}; label-free hard negatives {len(zero_hn)}; '
      f'ASR-style {asr}; sectors {len(sectors)}; 客服/客户 {kefu}; speaker pairs {len(pairs)}; numbers {dict(nnum)}')
if errors:
    print(f'FAIL: {len(errors)} problem(s)')
    for e in errors:
        print('  ' + e)
    sys.exit(1)
print('OK')
