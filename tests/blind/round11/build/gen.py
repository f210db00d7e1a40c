#!/usr/bin/env python3
"""Generator for blind set round 11. Reads build/src/*.txt, fills number placeholders
with valid invented numbers, shuffles call order (seed 20261128), writes calls/, labels.csv,
hard_negatives.csv and build/meta.csv."""
import csv, glob, os, random, re, datetime

SEED = 20261128
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rng = random.Random(SEED)
HZ = dict(zip('0123456789', '零幺二三四五六七八九'))

def luhn_ok(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9: d -= 9
        t += d
    return t % 10 == 0

def make_card():
    pre = rng.choice(['622202', '621700', '622848', '625965', '436742', '622588', '621483'])
    n = rng.choice([16, 19])
    body = pre + ''.join(rng.choice('0123456789') for _ in range(n - len(pre) - 1))
    for c in '0123456789':
        if luhn_ok(body + c): return body + c

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def id_check(s17):
    return '10X98765432'[sum(int(a) * w for a, w in zip(s17, W)) % 11]

def make_id():
    area = rng.choice(['110105', '310104', '440106', '510107', '330106', '420102', '210102', '370202', '500103', '610113'])
    d = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 55))
    s17 = area + d.strftime('%Y%m%d') + '%03d' % rng.randrange(1, 999)
    return s17 + id_check(s17)

def make_mob():
    return rng.choice(['13', '15', '18', '17', '19', '16', '14']) + rng.choice('0123456789') + ''.join(rng.choice('0123456789') for _ in range(8))

MAKERS = {'MOB': make_mob, 'ID': make_id, 'CARD': make_card}

def fmt(kind, v, f):
    if f == 'plain': return v
    if f == 'tail': return v[-4:]
    if f == 'hz': return ''.join(HZ.get(c, c) for c in v)
    if f == 'hzsp':
        g = [v[:3], v[3:7], v[7:]] if kind == 'MOB' else [v[i:i+4] for i in range(0, len(v), 4)]
        return ' '.join(''.join(HZ.get(c, c) for c in x) for x in g)
    if f == 'sp':
        if kind == 'MOB': return ' '.join([v[:3], v[3:7], v[7:]])
        if kind == 'ID': return ' '.join([v[:6], v[6:14], v[14:]])
        return ' '.join(v[i:i+4] for i in range(0, len(v), 4))
    if f == 'dash': return '-'.join([v[:3], v[3:7], v[7:]])
    if f == 'mask':
        if kind == 'MOB': return v[:3] + '****' + v[-4:]
        if kind == 'ID': return v[:4] + '*' * 10 + v[-4:]
        return v[:4] + ' **** **** ' + v[-4:]
    raise ValueError(f)

CATS = [f'threat.{x}' for x in 'regulator media online protest legal management safety repeat extreme'.split()] + \
       [f'taboo.{x}' for x in 'overpromise admit_defect privacy impatience withdraw incite deflect'.split()]

def parse():
    calls = []
    for fn in sorted(glob.glob(os.path.join(ROOT, 'build', 'src', '*.txt'))):
        cur = None
        for raw in open(fn, encoding='utf-8'):
            raw = raw.rstrip('\n')
            if not raw.strip() or raw.startswith('#!'): continue
            if raw.startswith('## '):
                parts = [p.strip() for p in raw[3:].split('|')]
                sector, tags, pair = parts[0], parts[1], parts[2]
                hn = []
                for p in parts[3:]:
                    if p.startswith('hn='): hn = [x.strip() for x in p[3:].split(',') if x.strip()]
                agent, cust = pair.split('/')
                cur = dict(src=os.path.basename(fn), sector=sector, asr='asr' in tags.split(','), agent=agent, cust=cust, hn=hn, lines=[], labels={})
                calls.append(cur)
                continue
            marks = re.findall(r'\[\[(\??)([a-z_.]+)\|?([^\]]*)\]\]', raw)
            text = re.sub(r'\s*\[\[[^\]]*\]\]', '', raw).rstrip()
            cur['lines'].append(text)
            ln = len(cur['lines'])
            for opt, cat, note in marks:
                assert cat in CATS, (fn, cat)
                if cat not in cur['labels']:
                    cur['labels'][cat] = (ln, 'optional' if opt else 'required', note.strip())
    return calls

def fill(call):
    vals = {}
    def rep(m):
        kind, name, f = m.group(1), m.group(2), m.group(3)
        key = (kind, name)
        if key not in vals: vals[key] = MAKERS[kind]()
        return fmt(kind, vals[key], f)
    call['lines'] = [re.sub(r'\{(MOB|ID|CARD):(\w+):(\w+)\}', rep, l) for l in call['lines']]

def main():
    calls = parse()
    for c in calls: fill(c)
    order = list(range(len(calls)))
    rng.shuffle(order)
    outc = os.path.join(ROOT, 'calls')
    for f in glob.glob(os.path.join(outc, '*.txt')): os.remove(f)
    lab, hn, meta = [], [], []
    for i, idx in enumerate(order, 1):
        c = calls[idx]; cid = 'c%03d' % i
        with open(os.path.join(outc, cid + '.txt'), 'w', encoding='utf-8') as f:
            f.write('\n'.join(c['lines']) + '\n')
        for cat in CATS:
            if cat in c['labels']:
                ln, kind, note = c['labels'][cat]
                lab.append([cid, cat, ln, kind, note])
        for cat in c['hn']: hn.append([cid, cat])
        meta.append([cid, c['sector'], int(c['asr']), c['agent'], c['cust'], len(c['lines']), c['src']])
    with open(os.path.join(ROOT, 'labels.csv'), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f); w.writerow(['conversation', 'category', 'line', 'kind', 'note']); w.writerows(lab)
    with open(os.path.join(ROOT, 'hard_negatives.csv'), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f); w.writerow(['conversation', 'category']); w.writerows(hn)
    with open(os.path.join(ROOT, 'build', 'meta.csv'), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f); w.writerow(['conversation', 'sector', 'asr', 'agent', 'customer', 'lines', 'src']); w.writerows(meta)
    print('calls', len(calls))

if __name__ == '__main__':
    main()
