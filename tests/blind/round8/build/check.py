#!/usr/bin/env python3
"""Checker for blind set round 8 (reads calls/, labels.csv, hard_negatives.csv, build/meta.json)."""
import collections, csv, json, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATS = ['threat.regulator', 'threat.media', 'threat.online', 'threat.protest', 'threat.legal',
        'threat.management', 'threat.safety', 'threat.repeat', 'threat.extreme',
        'taboo.overpromise', 'taboo.admit_defect', 'taboo.privacy', 'taboo.impatience',
        'taboo.withdraw', 'taboo.incite', 'taboo.deflect']
HEAVY = {'threat.online', 'threat.protest', 'threat.extreme', 'threat.repeat', 'threat.management',
         'taboo.admit_defect', 'taboo.deflect', 'taboo.impatience', 'taboo.incite'}
HZ = {'零': '0', '〇': '0', '幺': '1', '一': '1', '二': '2', '三': '3', '四': '4', '五': '5',
      '六': '6', '七': '7', '八': '8', '九': '9'}
errs = []
def err(s): errs.append(s)

def luhn_ok(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9: n -= 9
        t += n
    return t % 10 == 0

def id_ok(s):
    import datetime
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    if not re.fullmatch(r'\d{17}[\dX]', s): return False
    try:
        d = datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not (1900 <= d.year <= 2025): return False
    return '10X98765432'[sum(int(a) * b for a, b in zip(s[:17], w)) % 11] == s[17]

def numbers(text):
    """digit runs after hanzi->digit conversion; single spaces/hyphens between groups are joined."""
    t = ''.join(HZ.get(ch, ch) for ch in text)
    out = []
    for m in re.finditer(r'\d[\d \-]*[\dXx]|\d', t):
        raw = m.group(0)
        out.append(re.sub(r'[ \-]', '', raw).upper())
    return out

def classify(n):
    if len(n) == 11 and n[0] == '1': return 'mobile'
    if len(n) == 18 and id_ok(n): return 'id'
    if 16 <= len(n) <= 19: return 'card'
    return None

def num_valid(n):
    k = classify(n)
    if k == 'mobile': return re.fullmatch(r'1[3-9]\d{9}', n) is not None
    if k == 'id': return True
    if k == 'card': return n.isdigit() and luhn_ok(n)
    if len(n) >= 11: return False   # long unexplained digit run
    return True

meta = json.load(open(os.path.join(ROOT, 'build', 'meta.json'), encoding='utf-8'))
files = sorted(f for f in os.listdir(os.path.join(ROOT, 'calls')) if f.endswith('.txt'))
expect = [f'c{i:03d}.txt' for i in range(1, 201)]
if files != expect: err(f'call files: {len(files)} found, expected c001..c200')
calls = {}
for f in files:
    cid = f[:-4]
    lines = open(os.path.join(ROOT, 'calls', f), encoding='utf-8').read().split('\n')
    if lines and lines[-1] == '': lines = lines[:-1]
    if not 4 <= len(lines) <= 20: err(f'{cid}: {len(lines)} lines')
    pair = meta[cid]['pair']
    spk = []
    for i, l in enumerate(lines, 1):
        m = re.match(r'^([^：:]{1,6})：(.+)$', l)
        if not m: err(f'{cid}:{i} bad line format'); spk.append(None); continue
        if m.group(1) not in pair: err(f'{cid}:{i} speaker {m.group(1)} not in {pair}')
        spk.append(m.group(1))
        for n in numbers(m.group(2)):
            if not num_valid(n): err(f'{cid}:{i} invalid number {n}')
    if len(set(spk)) < 2: err(f'{cid}: only one speaker')
    calls[cid] = (lines, spk, pair)

labels = list(csv.DictReader(open(os.path.join(ROOT, 'labels.csv'), encoding='utf-8')))
seen = set(); labelled = collections.defaultdict(set)
req = collections.Counter(); opt = collections.Counter()
for r in labels:
    cid, cat = r['conversation'], r['category']
    if cid not in calls: err(f'label for unknown {cid}'); continue
    if cat not in CATS: err(f'{cid}: bad category {cat}')
    if r['kind'] not in ('required', 'optional'): err(f'{cid}: bad kind {r["kind"]}')
    if (cid, cat) in seen: err(f'{cid}: duplicate {cat}')
    seen.add((cid, cat)); labelled[cid].add(cat)
    lines, spk, pair = calls[cid]
    ln = int(r['line'])
    if not 1 <= ln <= len(lines): err(f'{cid}: line {ln} out of range'); continue
    if cat.startswith('threat.') and spk[ln - 1] != pair[1]: err(f'{cid}:{ln} threat {cat} not on customer line')
    if cat.startswith('taboo.') and spk[ln - 1] != pair[0]: err(f'{cid}:{ln} taboo {cat} not on agent line')
    if cat == 'taboo.privacy':
        kinds = [classify(n) for n in numbers(lines[ln - 1].split('：', 1)[1])]
        if not any(kinds) and '住' not in lines[ln - 1] and '地址' not in lines[ln - 1] and '电话' not in lines[ln - 1]:
            err(f'{cid}:{ln} privacy label without full number or third-party contact')
    if not r['note'].strip(): err(f'{cid}: empty note')
    (req if r['kind'] == 'required' else opt)[cat] += 1

negs = list(csv.DictReader(open(os.path.join(ROOT, 'hard_negatives.csv'), encoding='utf-8')))
hn = collections.Counter(); negcalls = set(); nseen = set()
for r in negs:
    cid, cat = r['conversation'], r['category']
    if cid not in calls: err(f'hard negative for unknown {cid}'); continue
    if cat not in CATS: err(f'{cid}: bad hard-negative category {cat}')
    if (cid, cat) in nseen: err(f'{cid}: duplicate hard negative {cat}')
    nseen.add((cid, cat))
    if cat in labelled[cid]: err(f'{cid}: hard negative {cat} clashes with label')
    hn[cat] += 1
    if not labelled[cid]: negcalls.add(cid)

unlabelled = [c for c in calls if not labelled[c]]
missing = [c for c in unlabelled if c not in negcalls]
if missing: err(f'unlabelled calls not in hard_negatives.csv: {missing}')
if len(negcalls) < 60: err(f'only {len(negcalls)} unlabelled hard-negative calls')
asr = sum(1 for c in calls if meta[c]['asr'])
if asr < 60: err(f'only {asr} ASR-style calls')
sectors = collections.Counter(meta[c]['sector'] for c in calls)
if len(sectors) < 20: err(f'only {len(sectors)} sectors')
pairs = collections.Counter('/'.join(meta[c]['pair']) for c in calls)
for cat in CATS:
    need = 22 if cat in HEAVY else 15
    if req[cat] < need: err(f'{cat}: {req[cat]} required < {need}')
    if hn[cat] < 8: err(f'{cat}: {hn[cat]} hard negatives < 8')

print('| category | required | optional | hard negatives |')
print('|---|---:|---:|---:|')
for cat in CATS:
    print(f'| {cat} | {req[cat]} | {opt[cat]} | {hn[cat]} |')
print(f'| **total** | {sum(req.values())} | {sum(opt.values())} | {sum(hn.values())} |')
print(f'calls {len(calls)}; labelled {len(calls) - len(unlabelled)}; unlabelled hard-negative calls {len(negcalls)}; '
      f'ASR-style {asr}; sectors {len(sectors)}; 客服/客户 pairs {pairs.get("客服/客户", 0)}')
if '-v' in sys.argv:
    print(dict(sectors)); print(dict(pairs))
if errs:
    print('ERRORS (%d):' % len(errs)); print('\n'.join(errs[:80])); sys.exit(1)
print('CHECK OK')
