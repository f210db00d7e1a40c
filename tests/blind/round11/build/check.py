#!/usr/bin/env python3
"""Checker for blind set round 11 (reads only /work/blind11 outputs)."""
import csv, glob, os, re, sys, datetime, collections
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATS = [f'threat.{x}' for x in 'regulator media online protest legal management safety repeat extreme'.split()] + \
       [f'taboo.{x}' for x in 'overpromise admit_defect privacy impatience withdraw incite deflect'.split()]
HEAVY = ['threat.media', 'threat.protest', 'threat.extreme', 'threat.repeat', 'threat.management', 'threat.online',
         'taboo.admit_defect', 'taboo.deflect', 'taboo.impatience', 'taboo.incite']
HN12 = ['threat.legal', 'threat.safety', 'threat.repeat', 'threat.regulator']
errs = []
def err(m): errs.append(m)

meta = {r['conversation']: r for r in csv.DictReader(open(os.path.join(ROOT, 'build', 'meta.csv'), encoding='utf-8'))}
files = sorted(glob.glob(os.path.join(ROOT, 'calls', '*.txt')))
if len(files) != 200: err(f'{len(files)} call files, want 200')
names = ['c%03d' % i for i in range(1, 201)]
if [os.path.basename(f)[:-4] for f in files] != names: err('file names not c001..c200')

def luhn_ok(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2: d = d * 2 - 9 if d > 4 else d * 2
        t += d
    return t % 10 == 0
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def id_ok(s):
    if not re.fullmatch(r'\d{17}[\dX]', s): return False
    try: datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError: return False
    if not (1900 <= int(s[6:10]) <= 2025): return False
    return '10X98765432'[sum(int(a) * w for a, w in zip(s[:17], W)) % 11] == s[17]
HZ = {'零': '0', '〇': '0', '幺': '1', '一': '1', '二': '2', '三': '3', '四': '4', '五': '5', '六': '6', '七': '7', '八': '8', '九': '9'}

calls = {}; speakers = {}
nlong = 0; nnum = collections.Counter()
for f in files:
    cid = os.path.basename(f)[:-4]
    txt = open(f, encoding='utf-8').read()
    try: txt.encode('utf-8')
    except Exception: err(f'{cid} not utf-8')
    lines = txt.rstrip('\n').split('\n')
    if not 4 <= len(lines) <= 20: err(f'{cid}: {len(lines)} lines')
    if len(lines) >= 10: nlong += 1
    m = meta.get(cid)
    if not m: err(f'{cid} no meta'); continue
    roles = []
    for i, l in enumerate(lines, 1):
        if '：' not in l: err(f'{cid}:{i} no full-width colon'); roles.append(None); continue
        sp, t = l.split('：', 1)
        if not t.strip(): err(f'{cid}:{i} empty text')
        if sp == m['agent']: roles.append('agent')
        elif sp == m['customer']: roles.append('customer')
        else: err(f'{cid}:{i} unknown speaker {sp}'); roles.append(None)
        # numbers
        norm = ''.join(HZ.get(ch, ch) for ch in t)
        for mm in re.finditer(r'(?<![\d*])\d(?:[ -]?\d){6,}(?:[ -]?[Xx])?(?![\d*])', norm):
            s = re.sub(r'[ -]', '', mm.group()).upper()
            if len(s) < 11: continue
            if len(s) == 11 and re.fullmatch(r'1[3-9]\d{9}', s): nnum['mobile'] += 1
            elif len(s) == 18 and id_ok(s): nnum['id'] += 1
            elif len(s) in (16, 17, 19) and s.isdigit() and luhn_ok(s): nnum['card'] += 1
            else: err(f'{cid}:{i} invalid long number {mm.group()!r}')
    if set(roles) != {'agent', 'customer'}: err(f'{cid}: both roles must speak')
    calls[cid] = lines; speakers[cid] = roles

labs = list(csv.DictReader(open(os.path.join(ROOT, 'labels.csv'), encoding='utf-8')))
seen = set(); req = collections.Counter(); opt = collections.Counter(); labelled = set()
for r in labs:
    cid, cat, kind = r['conversation'], r['category'], r['kind']
    if cid not in calls: err(f'label unknown call {cid}'); continue
    if cat not in CATS: err(f'{cid} bad category {cat}')
    if kind not in ('required', 'optional'): err(f'{cid} bad kind {kind}')
    if (cid, cat) in seen: err(f'dup {cid} {cat}')
    seen.add((cid, cat)); labelled.add(cid)
    ln = int(r['line'])
    if not 1 <= ln <= len(calls[cid]): err(f'{cid} {cat} line {ln} out of range'); continue
    role = speakers[cid][ln - 1]
    if cat.startswith('threat.') and role != 'customer': err(f'{cid} {cat} line {ln} not customer')
    if cat.startswith('taboo.') and role != 'agent': err(f'{cid} {cat} line {ln} not agent')
    if not r['note'].strip(): err(f'{cid} {cat} empty note')
    (req if kind == 'required' else opt)[cat] += 1
hns = list(csv.DictReader(open(os.path.join(ROOT, 'hard_negatives.csv'), encoding='utf-8')))
hnc = collections.Counter(); hnseen = set(); hncalls = set()
for r in hns:
    cid, cat = r['conversation'], r['category']
    if cid not in calls: err(f'hn unknown {cid}')
    if cat not in CATS: err(f'hn bad cat {cat}')
    if (cid, cat) in seen: err(f'hn clashes with label {cid} {cat}')
    if (cid, cat) in hnseen: err(f'hn dup {cid} {cat}')
    hnseen.add((cid, cat)); hnc[cat] += 1; hncalls.add(cid)
nolabel = [c for c in calls if c not in labelled]
unlisted = [c for c in nolabel if c not in hncalls]
if unlisted: err(f'no-label calls not in hard_negatives: {unlisted}')
if len(nolabel) < 60: err(f'only {len(nolabel)} no-label calls')
nasr = sum(int(m['asr']) for m in meta.values())
if nasr < 60: err(f'only {nasr} ASR calls')
if nlong < 40: err(f'only {nlong} calls with >=10 lines')
sectors = {m['sector'] for m in meta.values()}
if len(sectors) < 20: err(f'only {len(sectors)} sectors')
for c in CATS:
    need = 22 if c in HEAVY else 15
    if req[c] < need: err(f'{c}: {req[c]} required < {need}')
    hneed = 12 if c in HN12 else 8
    if hnc[c] < hneed: err(f'{c}: {hnc[c]} hard negatives < {hneed}')
print(f'{"category":22s} required optional hard_neg')
for c in CATS: print(f'{c:22s} {req[c]:8d} {opt[c]:8d} {hnc[c]:8d}')
print(f'{"total":22s} {sum(req.values()):8d} {sum(opt.values()):8d} {sum(hnc.values()):8d}')
print(f'calls={len(calls)} no-label={len(nolabel)} asr={nasr} long(>=10)={nlong} sectors={len(sectors)} numbers={dict(nnum)}')
if errs:
    print('ERRORS (%d):' % len(errs)); [print(' ', e) for e in errs[:80]]; sys.exit(1)
print('CHECK OK')
