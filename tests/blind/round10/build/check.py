#!/usr/bin/env python3
"""Checker for blind set round 10 (reads only /work/blind10)."""
import csv, os, re, sys, glob, collections
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
CATS = ['threat.regulator', 'threat.media', 'threat.online', 'threat.protest', 'threat.legal',
        'threat.management', 'threat.safety', 'threat.repeat', 'threat.extreme',
        'taboo.overpromise', 'taboo.admit_defect', 'taboo.privacy', 'taboo.impatience',
        'taboo.withdraw', 'taboo.incite', 'taboo.deflect']
HEAVY = {'threat.media', 'threat.protest', 'threat.extreme', 'threat.repeat', 'threat.management',
         'threat.online', 'taboo.admit_defect', 'taboo.deflect', 'taboo.impatience', 'taboo.incite'}
HEAVY_HN = {'threat.legal', 'threat.safety', 'threat.repeat', 'threat.regulator'}
errs, warns = [], []
def E(m): errs.append(m)
meta = {r['conversation']: r for r in csv.DictReader(open(os.path.join(ROOT, 'build', 'meta.csv'), encoding='utf-8'))}
files = sorted(glob.glob(os.path.join(ROOT, 'calls', '*.txt')))
names = [os.path.basename(f)[:-4] for f in files]
if names != ['c%03d' % i for i in range(1, 201)]: E('call files are not exactly c001..c200 (%d)' % len(names))
calls = {}
for f, n in zip(files, names):
    raw = open(f, encoding='utf-8').read()
    lines = raw.rstrip('\n').split('\n')
    if not 4 <= len(lines) <= 20: E(f'{n}: {len(lines)} lines')
    agent, cust = meta[n]['pair'].split('/')
    spk = []
    for i, l in enumerate(lines, 1):
        m = re.match(r'^([^：]{1,4})：(.+)$', l)
        if not m: E(f'{n}:{i} bad line format'); spk.append(None); continue
        if m.group(1) not in (agent, cust): E(f'{n}:{i} unknown speaker {m.group(1)}')
        spk.append(m.group(1))
    if len(set(spk)) != 2: E(f'{n}: speakers {set(spk)}')
    calls[n] = (lines, spk, agent, cust)
# ---- numbers
HZMAP = {'零': '0', '〇': '0', '幺': '1', '一': '1', '二': '2', '三': '3', '四': '4', '五': '5', '六': '6',
         '七': '7', '八': '8', '九': '9', '叉': 'X'}
def id_ok(s):
    if not re.fullmatch(r'\d{17}[\dX]', s): return False
    import datetime
    try: datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError: return False
    if not 1900 < int(s[6:10]) < 2026: return False
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return '10X98765432'[sum(int(a) * b for a, b in zip(s[:17], w)) % 11] == s[17]
def luhn_ok(s):
    tot = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            if d > 9: d -= 9
        tot += d
    return tot % 10 == 0
def numbers(text):
    t = ''.join(HZMAP.get(ch, ch) for ch in text)
    found = []
    for m in re.finditer(r'\d(?:[ \-]?\d)*(?:[ \-]?X)?', t):
        s = re.sub(r'[ \-]', '', m.group(0))
        if len(s) == 11 and s[0] == '1':
            found.append(('phone', s, bool(re.fullmatch(r'1[3-9]\d{9}', s))))
        elif len(s) == 18 and (s.endswith('X') or re.fullmatch(r'\d{6}(19|20)\d{2}[01]\d[0-3]\d\d{4}', s)):
            found.append(('id', s, id_ok(s)))
        elif 15 <= len(s) <= 19 and s.isdigit():
            found.append(('card', s, luhn_ok(s)))
        elif s.endswith('X') and len(s) > 6:
            found.append(('id', s, False))
    return found
full_numbers = collections.Counter()
agent_num_calls = set()
for n, (lines, spk, agent, cust) in calls.items():
    for i, l in enumerate(lines, 1):
        for kind, s, ok in numbers(l.split('：', 1)[-1]):
            full_numbers[kind] += 1
            if not ok: E(f'{n}:{i} invalid {kind} {s}')
            if spk[i - 1] == agent: agent_num_calls.add((n, i))
# ---- labels
labels = list(csv.DictReader(open(os.path.join(ROOT, 'labels.csv'), encoding='utf-8')))
seen = set(); lab = collections.defaultdict(dict)
for r in labels:
    n, c, k = r['conversation'], r['category'], r['kind']
    if n not in calls: E(f'label for unknown {n}'); continue
    if c not in CATS: E(f'{n}: bad category {c}')
    if k not in ('required', 'optional'): E(f'{n}: bad kind {k}')
    if (n, c) in seen: E(f'{n}: duplicate {c}')
    seen.add((n, c)); lab[n][c] = r
    lines, spk, agent, cust = calls[n]
    ln = int(r['line'])
    if not 1 <= ln <= len(lines): E(f'{n}: {c} line {ln} out of range'); continue
    if c.startswith('threat.') and spk[ln - 1] != cust: E(f'{n}: {c} on non-customer line {ln}')
    if c.startswith('taboo.') and spk[ln - 1] != agent: E(f'{n}: {c} on non-agent line {ln}')
    if not r['note'].strip(): E(f'{n}: {c} empty note')
# privacy consistency: an agent line with a full number must carry privacy
for n, i in sorted(agent_num_calls):
    r = lab[n].get('taboo.privacy')
    if not r: E(f'{n}:{i} agent reads a full number but no taboo.privacy label')
    elif int(r['line']) > i: E(f'{n}: privacy label line {r["line"]} after first full number at {i}')
# ---- hard negatives
hn = list(csv.DictReader(open(os.path.join(ROOT, 'hard_negatives.csv'), encoding='utf-8')))
hseen = set()
for r in hn:
    n, c = r['conversation'], r['category']
    if n not in calls: E(f'hn for unknown {n}')
    if c not in CATS: E(f'hn bad category {c}')
    if (n, c) in hseen: E(f'hn duplicate {n} {c}')
    hseen.add((n, c))
    if c in lab.get(n, {}): E(f'hn clashes with label {n} {c}')
    if c == 'taboo.privacy' and any(x == n for x, _ in agent_num_calls): E(f'hn privacy but agent reads number {n}')
# ---- minima
req = collections.Counter(r['category'] for r in labels if r['kind'] == 'required')
opt = collections.Counter(r['category'] for r in labels if r['kind'] == 'optional')
hnc = collections.Counter(r['category'] for r in hn)
for c in CATS:
    need = 22 if c in HEAVY else 15
    if req[c] < need: E(f'{c}: {req[c]} required < {need}')
    hneed = 12 if c in HEAVY_HN else 8
    if hnc[c] < hneed: E(f'{c}: {hnc[c]} hard negatives < {hneed}')
unl = [n for n in calls if n not in lab]
hn_calls = {r['conversation'] for r in hn}
if len(unl) < 60: E(f'only {len(unl)} unlabelled calls')
for n in unl:
    if n not in hn_calls: E(f'unlabelled {n} not listed in hard_negatives.csv')
asr = sum(1 for n in calls if meta[n]['style'] == 'asr')
if asr < 60: E(f'only {asr} ASR calls')
sectors = {meta[n]['sector'] for n in calls}
if len(sectors) < 20: E(f'only {len(sectors)} sectors')
kf = sum(1 for n in calls if meta[n]['pair'] == '客服/客户')
pairs = collections.Counter(meta[n]['pair'] for n in calls)
print('%-20s %8s %8s %8s' % ('category', 'required', 'optional', 'hardneg'))
for c in CATS:
    print('%-20s %8d %8d %8d' % (c, req[c], opt[c], hnc[c]))
print('%-20s %8d %8d %8d' % ('total', sum(req.values()), sum(opt.values()), sum(hnc.values())))
print(f'calls={len(calls)} labelled={len(calls)-len(unl)} unlabelled={len(unl)} asr={asr} sectors={len(sectors)} '
      f'客服/客户={kf} pairs={len(pairs)} full_numbers={dict(full_numbers)}')
for e in errs: print('ERROR', e)
print('OK' if not errs else f'FAIL ({len(errs)} errors)')
sys.exit(1 if errs else 0)
