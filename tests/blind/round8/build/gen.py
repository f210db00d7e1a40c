#!/usr/bin/env python3
"""Generator for blind set round 8. Reads src/*.src, fills number placeholders,
shuffles (seed 20261125), writes calls/, labels.csv, hard_negatives.csv, build/meta.json."""
import csv, glob, json, os, random, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 20261125
rng = random.Random(SEED)
HZ = dict(zip('0123456789', '零幺二三四五六七八九'))
HZ1 = dict(zip('0123456789', '零一二三四五六七八九'))

def mobile():
    p = rng.choice(['13', '15', '17', '18', '19', '14', '16'])
    third = {'13': '0123456789', '15': '0123567889', '17': '135678', '18': '0123456789',
             '19': '1356789', '14': '579', '16': '6'}[p]
    return p + rng.choice(third) + ''.join(rng.choice('0123456789') for _ in range(8))

def id_check(s17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return '10X98765432'[sum(int(a) * b for a, b in zip(s17, w)) % 11]

def idnum():
    region = rng.choice(['110105', '310104', '440106', '510107', '210102', '330106', '420106',
                         '370202', '500103', '230103', '430102', '320106', '610113', '350203'])
    y = rng.randint(1958, 2003); m = rng.randint(1, 12); d = rng.randint(1, 28)
    s17 = f"{region}{y:04d}{m:02d}{d:02d}{rng.randint(0, 999):03d}"
    return s17 + id_check(s17)

def luhn_ok(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9: n -= 9
        t += n
    return t % 10 == 0

def card():
    n = rng.choice([16, 19])
    body = rng.choice(['622202', '621700', '622848', '623052', '621483', '622588', '625907']) \
        + ''.join(rng.choice('0123456789') for _ in range(n - 7))
    for c in '0123456789':
        if luhn_ok(body + c):
            return body + c

def spaced(s, groups):
    out, i = [], 0
    for g in groups:
        out.append(s[i:i + g]); i += g
    if i < len(s): out.append(s[i:])
    return ' '.join(x for x in out if x)

def fill(m):
    k = m.group(1)
    if k == 'MOB': return mobile()
    if k == 'MOBS': return spaced(mobile(), [3, 4, 4])
    if k == 'MOBH': return ''.join(HZ[c] for c in mobile())
    if k == 'MOBHS': return spaced(''.join(HZ[c] for c in mobile()), [3, 4, 4])
    if k == 'MOBM': x = mobile(); return x[:3] + '****' + x[-4:]
    if k == 'ID': return idnum()
    if k == 'IDS': return spaced(idnum(), [6, 8, 4])
    if k == 'IDM': x = idnum(); return x[:6] + '********' + x[-4:]
    if k == 'CARD': return card()
    if k == 'CARDS': c = card(); return spaced(c, [4] * 5)
    if k == 'CARDM': c = card(); return c[:4] + ' **** **** ' + c[-4:]
    if k == 'T4': return ''.join(rng.choice('0123456789') for _ in range(4))
    if k == 'T4H': return ''.join(HZ[rng.choice('0123456789')] for _ in range(4))
    raise SystemExit('unknown placeholder ' + k)

MARK = re.compile(r'\{\{(\??)([a-z_.]+)\|([^}]*)\}\}')

def parse():
    calls = []
    for fn in sorted(glob.glob(os.path.join(ROOT, 'build', 'src', '*.src'))):
        cur = None
        for raw in open(fn, encoding='utf-8'):
            raw = raw.rstrip('\n')
            if not raw.strip() or raw.startswith('#!'):
                continue
            if raw.startswith('## '):
                toks = raw[3:].split()
                cur = {'src': os.path.basename(fn), 'sector': toks[0], 'pair': toks[1].split('/'),
                       'asr': 'asr' in toks, 'neg': [], 'lines': [], 'labels': []}
                for t in toks[2:]:
                    if t.startswith('neg='):
                        cur['neg'] = t[4:].split(',')
                calls.append(cur)
                continue
            line = raw.strip()
            marks = MARK.findall(line)
            line = MARK.sub('', line).rstrip()
            line = re.sub(r'<([A-Z0-9]+)>', fill, line)
            cur['lines'].append(line)
            for opt, cat, note in marks:
                if any(l['category'] == cat for l in cur['labels']):
                    raise SystemExit(f'duplicate mark {cat} in {fn}: {line}')
                cur['labels'].append({'category': cat, 'line': len(cur['lines']),
                                      'kind': 'optional' if opt else 'required', 'note': note})
    return calls

def main():
    calls = parse()
    order = list(range(len(calls)))
    rng2 = random.Random(SEED)
    rng2.shuffle(order)
    for f in glob.glob(os.path.join(ROOT, 'calls', '*.txt')):
        os.remove(f)
    labels, negs, meta = [], [], {}
    for newi, oldi in enumerate(order, 1):
        c = calls[oldi]; cid = f'c{newi:03d}'
        with open(os.path.join(ROOT, 'calls', cid + '.txt'), 'w', encoding='utf-8') as fh:
            fh.write('\n'.join(c['lines']) + '\n')
        for l in c['labels']:
            labels.append([cid, l['category'], l['line'], l['kind'], l['note']])
        for n in c['neg']:
            negs.append([cid, n])
        meta[cid] = {'sector': c['sector'], 'pair': c['pair'], 'asr': c['asr'], 'src': c['src']}
    with open(os.path.join(ROOT, 'labels.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n'); w.writerow(['conversation', 'category', 'line', 'kind', 'note'])
        w.writerows(sorted(labels))
    with open(os.path.join(ROOT, 'hard_negatives.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n'); w.writerow(['conversation', 'category'])
        w.writerows(sorted(negs))
    json.dump(meta, open(os.path.join(ROOT, 'build', 'meta.json'), 'w', encoding='utf-8'),
              ensure_ascii=False, indent=1)
    print(len(calls), 'calls', len(labels), 'labels', len(negs), 'hard negatives')

if __name__ == '__main__':
    main()
