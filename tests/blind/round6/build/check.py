#!/usr/bin/env python3
"""Checker for blind set round 6. Prints OK or a list of problems."""
import csv, os, re, sys, collections
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATS = ['threat.regulator','threat.media','threat.online','threat.protest','threat.legal','threat.management',
        'threat.safety','threat.repeat','threat.extreme','taboo.overpromise','taboo.admit_defect','taboo.privacy',
        'taboo.impatience','taboo.withdraw','taboo.incite','taboo.deflect']
HEAVY = {'threat.online','threat.protest','threat.regulator','threat.extreme','threat.repeat',
         'taboo.admit_defect','taboo.withdraw','taboo.deflect'}
errs = []
def err(*a): errs.append(' '.join(str(x) for x in a))

def luhn_ok(s):
    t = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2: d = d*2 - 9 if d*2 > 9 else d*2
        t += d
    return t % 10 == 0
def id_ok(s):
    if not re.fullmatch(r'\d{17}[\dX]', s): return False
    import datetime
    try: datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError: return False
    if not (1900 <= int(s[6:10]) <= 2025): return False
    w = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
    return '10X98765432'[sum(int(a)*b for a, b in zip(s[:17], w)) % 11] == s[17]
def num_ok(s):
    if len(s) == 11: return bool(re.fullmatch(r'1[3-9]\d{9}', s)), 'mobile'
    if len(s) == 18: return id_ok(s), 'id'
    if len(s) in (16, 19) and s.isdigit(): return luhn_ok(s), 'card'
    return False, 'len%d' % len(s)
HZ = {'零':'0','〇':'0','一':'1','幺':'1','二':'2','三':'3','四':'4','五':'5','六':'6','七':'7','八':'8','九':'9','叉':'X'}
def numbers(text):
    out = []
    for m in re.finditer(r'\d(?:\d|[ -](?=\d))*[Xx]?', text):
        out.append(re.sub(r'[ -]', '', m.group()).upper())
    for m in re.finditer(r'[零〇一幺二三四五六七八九](?:[零〇一幺二三四五六七八九]| (?=[零〇一幺二三四五六七八九]))*叉?', text):
        out.append(''.join(HZ[c] for c in m.group() if c != ' '))
    return [n for n in out if len(n) >= 11]

meta = {r['conversation']: r for r in csv.DictReader(open(os.path.join(ROOT,'build','meta.csv'), encoding='utf-8'))}
files = sorted(f[:-4] for f in os.listdir(os.path.join(ROOT,'calls')) if f.endswith('.txt'))
if files != ['c%03d' % i for i in range(1, 201)]: err('files: expected c001..c200, got', len(files))
lines = {}
asr = 0; pairs = collections.Counter(); sectors = collections.Counter(); nums = collections.Counter()
PUNCT = re.compile(r'[，。？！、；：“”‘’,.?!;…—（）]')
for cid in files:
    m = meta[cid]; sectors[m['sector']] += 1; pairs[(m['agent'], m['customer'])] += 1
    ls = open(os.path.join(ROOT,'calls',cid+'.txt'), encoding='utf-8').read().split('\n')
    if ls[-1] == '': ls = ls[:-1]
    if not 4 <= len(ls) <= 20: err(cid, 'line count', len(ls))
    spk = []
    for i, l in enumerate(ls, 1):
        if '：' not in l: err(cid, i, 'no full-width colon'); spk.append(None); continue
        s, t = l.split('：', 1)
        if s not in (m['agent'], m['customer']): err(cid, i, 'bad speaker', s)
        if not t.strip(): err(cid, i, 'empty utterance')
        spk.append('agent' if s == m['agent'] else 'cust')
        if m['style'] == 'asr' and PUNCT.search(t): err(cid, i, 'punctuation in ASR call', t)
        for n in numbers(t):
            ok, kind = num_ok(n)
            nums[kind] += 1
            if not ok: err(cid, i, 'invalid number', n, kind)
    if len(set(spk)) < 2: err(cid, 'only one speaker')
    asr += m['style'] == 'asr'
    lines[cid] = spk

req = collections.Counter(); opt = collections.Counter(); seen = set(); labelled = set()
for r in csv.DictReader(open(os.path.join(ROOT,'labels.csv'), encoding='utf-8')):
    cid, cat, kind = r['conversation'], r['category'], r['kind']
    if cid not in lines: err('label: unknown call', cid); continue
    if cat not in CATS: err(cid, 'bad category', cat)
    if kind not in ('required','optional'): err(cid, 'bad kind', kind)
    if (cid, cat) in seen: err(cid, 'duplicate', cat)
    seen.add((cid, cat)); labelled.add(cid)
    ln = int(r['line'])
    if not 1 <= ln <= len(lines[cid]): err(cid, cat, 'line out of range', ln); continue
    want = 'cust' if cat.startswith('threat.') else 'agent'
    if lines[cid][ln-1] != want: err(cid, cat, 'label on wrong speaker line', ln)
    if not r['note'].strip(): err(cid, cat, 'empty note')
    (req if kind == 'required' else opt)[cat] += 1
hn = collections.Counter(); hnseen = set(); hncalls = set()
for r in csv.DictReader(open(os.path.join(ROOT,'hard_negatives.csv'), encoding='utf-8')):
    cid, cat = r['conversation'], r['category']
    if cid not in lines: err('hn: unknown call', cid); continue
    if cat not in CATS: err(cid, 'hn bad category', cat)
    if (cid, cat) in seen: err(cid, 'hard negative clashes with label', cat)
    if (cid, cat) in hnseen: err(cid, 'duplicate hn', cat)
    hnseen.add((cid, cat)); hncalls.add(cid); hn[cat] += 1
unl = [c for c in files if c not in labelled]
if len(unl) < 60: err('unlabelled calls', len(unl), '< 60')
for c in unl:
    if c not in hncalls: err(c, 'unlabelled call not in hard_negatives.csv')
if asr < 60: err('ASR calls', asr, '< 60')
if len(sectors) < 20: err('sectors', len(sectors), '< 20')
ks = sum(v for (a, b), v in pairs.items() if (a, b) == ('客服', '客户'))
if not 80 <= ks <= 120: err('客服/客户 calls', ks, 'not about half')
for c in CATS:
    need = 22 if c in HEAVY else 15
    if req[c] < need: err(c, 'required', req[c], '<', need)
    if hn[c] < 8: err(c, 'hard negatives', hn[c], '< 8')
if '-v' in sys.argv or not errs:
    print('%-20s %8s %8s %8s' % ('category', 'required', 'optional', 'hard_neg'))
    for c in CATS: print('%-20s %8d %8d %8d' % (c, req[c], opt[c], hn[c]))
    print('%-20s %8d %8d %8d' % ('total', sum(req.values()), sum(opt.values()), sum(hn.values())))
    print('calls', len(files), 'labelled', len(labelled), 'unlabelled', len(unl), 'asr', asr,
          'sectors', len(sectors), '客服/客户', ks, 'numbers checked', dict(nums))
if errs:
    print('\n'.join(errs[:80])); print('FAIL', len(errs), 'problems'); sys.exit(1)
print('OK')
