#!/usr/bin/env python3
"""Build blind set round 5 from hand-written sources in build/src/*.txt.

Source format (one block per call):
    ### key | sector | agent/customer | asr|plain | hn=cat,cat
    speaker：text ## category kind note ;; category kind note
Lines starting with // are comments. kind: r = required, o = optional.
Number placeholders (same key -> same number inside one call):
    {M:a} mobile, {I:a} ID number, {C:a} bank card; suffix :s spaced, :h hanzi,
    :t last four digits, :th last four in hanzi (for masked mentions).
Calls are shuffled with a fixed seed and renamed c001..c200.
"""
import csv, glob, json, os, random, re, sys

SEED = 20260505
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, 'build', 'src')

CATS = ['threat.regulator', 'threat.media', 'threat.online', 'threat.protest', 'threat.legal',
        'threat.management', 'threat.safety', 'threat.repeat', 'threat.extreme',
        'taboo.overpromise', 'taboo.admit_defect', 'taboo.privacy', 'taboo.impatience',
        'taboo.withdraw', 'taboo.incite', 'taboo.deflect']

HZ = dict(zip('0123456789', '零幺二三四五六七八九'))
HZ_CARD = dict(zip('0123456789', '零一二三四五六七八九'))
REGIONS = ['110105', '310104', '440305', '510107', '210102', '330106', '420106', '320102',
           '370202', '500103', '610113', '430104', '350203', '120101', '230103']
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_check(body17):
    return '10X98765432'[sum(int(c) * w for c, w in zip(body17, W)) % 11]


def luhn_ok(num):
    total = 0
    for i, c in enumerate(reversed(num)):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def gen_mobile(rng):
    return '1' + str(rng.randint(3, 9)) + ''.join(str(rng.randint(0, 9)) for _ in range(9))


def gen_id(rng, no_x=False):
    import datetime
    while True:
        y = rng.randint(1952, 2004)
        d = datetime.date(y, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
        body = rng.choice(REGIONS) + d.strftime('%Y%m%d') + '%03d' % rng.randint(1, 999)
        full = body + id_check(body)
        if not (no_x and full.endswith('X')):
            return full


def gen_card(rng):
    n = rng.choice([16, 19])
    while True:
        body = '62' + ''.join(str(rng.randint(0, 9)) for _ in range(n - 3))
        for c in '0123456789':
            if luhn_ok(body + c):
                return body + c


def fmt(kind, num, style):
    if style == 't':
        return num[-4:]
    if style == 'th':
        return ''.join(HZ[c] for c in num[-4:])
    if style == 's':
        if kind == 'M':
            return f'{num[:3]} {num[3:7]} {num[7:]}'
        if kind == 'I':
            return f'{num[:6]} {num[6:14]} {num[14:]}'
        return ' '.join(num[i:i + 4] for i in range(0, len(num), 4))
    if style == 'h':
        table = HZ if kind in 'MI' else HZ_CARD
        return ''.join(table.get(c, c) for c in num)
    return num


def parse():
    calls = []
    cur = None
    for path in sorted(glob.glob(os.path.join(SRC, '*.txt'))):
        for ln, raw in enumerate(open(path, encoding='utf-8'), 1):
            line = raw.rstrip('\n').strip()
            if not line or line.startswith('//'):
                continue
            if line.startswith('###'):
                parts = [p.strip() for p in line[3:].split('|')]
                key, sector, pair, style = parts[:4]
                hn = []
                for p in parts[4:]:
                    if p.startswith('hn='):
                        hn = [c.strip() for c in p[3:].split(',') if c.strip()]
                agent, cust = pair.split('/')
                cur = dict(key=key, sector=sector, agent=agent, customer=cust,
                           asr=(style == 'asr'), hn=hn, lines=[], labels=[], src=f'{os.path.basename(path)}:{ln}')
                calls.append(cur)
                continue
            text, _, ann = line.partition('##')
            text = text.rstrip()
            cur['lines'].append(text)
            for item in ann.split(';;'):
                item = item.strip()
                if not item:
                    continue
                bits = item.split(None, 2)
                cat, kind = bits[0], bits[1]
                note = bits[2] if len(bits) > 2 else ''
                cur['labels'].append(dict(category=cat, line=len(cur['lines']),
                                          kind={'r': 'required', 'o': 'optional'}[kind], note=note))
    return calls


def fill_numbers(call):
    rng = random.Random(f'{SEED}-{call["key"]}')
    pool = {}
    out = []
    for text in call['lines']:
        def rep(m):
            kind, name, style = m.group(1), m.group(2), m.group(3) or ''
            k = (kind, name)
            if k not in pool:
                if kind == 'M':
                    pool[k] = gen_mobile(rng)
                elif kind == 'I':
                    pool[k] = gen_id(rng, no_x=True)
                else:
                    pool[k] = gen_card(rng)
            return fmt(kind, pool[k], style.lstrip(':'))
        out.append(re.sub(r'\{([MIC]):(\w+)(:(?:s|h|t|th))?\}', rep, text))
    call['lines'] = out
    call['numbers'] = {f'{k[0]}:{k[1]}': v for k, v in pool.items()}


def main():
    calls = parse()
    keys = [c['key'] for c in calls]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        sys.exit(f'duplicate keys: {dup}')
    rng = random.Random(SEED)
    order = list(range(len(calls)))
    rng.shuffle(order)
    for newi, idx in enumerate(order, 1):
        calls[idx]['id'] = 'c%03d' % newi
    calls.sort(key=lambda c: c['id'])
    cdir = os.path.join(ROOT, 'calls')
    os.makedirs(cdir, exist_ok=True)
    for f in glob.glob(os.path.join(cdir, '*.txt')):
        os.remove(f)
    for c in calls:
        fill_numbers(c)
        with open(os.path.join(cdir, c['id'] + '.txt'), 'w', encoding='utf-8') as fh:
            fh.write('\n'.join(c['lines']) + '\n')
    with open(os.path.join(ROOT, 'labels.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerow(['conversation', 'category', 'line', 'kind', 'note'])
        for c in calls:
            for lab in sorted(c['labels'], key=lambda l: (l['line'], CATS.index(l['category']) if l['category'] in CATS else 99)):
                w.writerow([c['id'], lab['category'], lab['line'], lab['kind'], lab['note']])
    with open(os.path.join(ROOT, 'hard_negatives.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerow(['conversation', 'category'])
        for c in calls:
            for cat in c['hn']:
                w.writerow([c['id'], cat])
    meta = [dict(conversation=c['id'], key=c['key'], sector=c['sector'], agent=c['agent'],
                 customer=c['customer'], asr=c['asr'], src=c['src']) for c in calls]
    with open(os.path.join(ROOT, 'build', 'meta.json'), 'w', encoding='utf-8') as fh:
        json.dump(meta, fh, ensure_ascii=False, indent=1)
    print(f'built {len(calls)} calls')


if __name__ == '__main__':
    main()
