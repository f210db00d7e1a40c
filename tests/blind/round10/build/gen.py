#!/usr/bin/env python3
"""Generator for blind set round 10. Reads src/*.txt (DSL), writes calls/, labels.csv, hard_negatives.csv.
DSL: '@@ sector | agent/customer | asr?' starts a call; 'A: ' agent line, 'C: ' customer line;
label markers {abbr:note} required, {abbr?:note} optional; 'hn: abbr abbr' hard negatives.
Placeholders <PH#t> <PHS#t> <PHZ#t> <PHM#t> <ID#t> <IDS#t> <IDZ#t> <IDM#t> <CD#t> <CDS#t> <CDZ#t> <CDT#t>."""
import re, random, glob, csv, os, sys
SEED = 20261127
rng = random.Random(SEED)
AB = dict(reg='threat.regulator', med='threat.media', onl='threat.online', pro='threat.protest',
          leg='threat.legal', mgt='threat.management', saf='threat.safety', rep='threat.repeat',
          ext='threat.extreme', ovp='taboo.overpromise', adm='taboo.admit_defect', prv='taboo.privacy',
          imp='taboo.impatience', wdr='taboo.withdraw', inc='taboo.incite', dfl='taboo.deflect')
HZ = '零一二三四五六七八九'
def hz(s, yao=True):
    return ''.join(('幺' if (c == '1' and yao) else HZ[int(c)]) if c.isdigit() else c for c in s)
def mk_phone():
    return '1' + rng.choice('3456789') + ''.join(rng.choice('0123456789') for _ in range(9))
AREAS = ['110105', '310104', '440305', '510107', '230102', '420106', '330106', '370202', '610113',
         '320102', '350203', '430104', '500103', '210202', '130102', '410105', '450103', '520102']
def id_check(s17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return '10X98765432'[sum(int(a) * b for a, b in zip(s17, w)) % 11]
def mk_id():
    import datetime
    d = datetime.date(1952, 1, 1) + datetime.timedelta(days=rng.randrange(0, 19000))
    s17 = rng.choice(AREAS) + d.strftime('%Y%m%d') + '%03d' % rng.randrange(1, 999)
    return s17 + id_check(s17)
def luhn_digit(body):
    tot = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9: d -= 9
        tot += d
    return str((10 - tot % 10) % 10)
def mk_card():
    pre = rng.choice(['622202', '621700', '622848', '622588', '625967', '621226', '436742', '622155'])
    n = rng.choice([16, 19, 19])
    body = pre + ''.join(rng.choice('0123456789') for _ in range(n - 1 - len(pre)))
    return body + luhn_digit(body)
def fill(text, cache):
    def rep(m):
        kind, tag = m.group(1), m.group(2) or str(rng.random())
        fam = kind[:2]
        key = (fam, tag)
        if key not in cache:
            cache[key] = {'PH': mk_phone, 'ID': mk_id, 'CD': mk_card}[fam]()
        v = cache[key]
        fmt = kind[2:]
        if fam == 'PH':
            return {'': v, 'S': v[:3] + ' ' + v[3:7] + ' ' + v[7:], 'Z': hz(v), 'M': v[:3] + '****' + v[7:]}[fmt]
        if fam == 'ID':
            return {'': v, 'S': v[:6] + ' ' + v[6:14] + ' ' + v[14:], 'Z': hz(v, False).replace('X', '叉'),
                    'M': v[:3] + '*' * 11 + v[14:]}[fmt]
        if fam == 'CD':
            return {'': v, 'S': ' '.join(v[i:i + 4] for i in range(0, len(v), 4)), 'Z': hz(v, False),
                    'T': v[-4:]}[fmt]
    return re.sub(r'<(PH[SZM]?|ID[SZM]?|CD[SZT]?)(?:#(\w+))?>', rep, text)
LAB = re.compile(r'\{([a-z]{3})(\?)?:([^}]*)\}')
def parse():
    calls = []
    for f in sorted(glob.glob(os.path.join(os.path.dirname(__file__), 'src', '*.txt'))):
        cur = None
        for raw in open(f, encoding='utf-8'):
            line = raw.rstrip('\n').strip()
            if not line or line.startswith('//'):
                continue
            if line.startswith('@@'):
                parts = [p.strip() for p in line[2:].split('|')]
                sector, pair = parts[0], parts[1] or '客服/客户'
                asr = len(parts) > 2 and parts[2] == 'asr'
                cur = dict(sector=sector, pair=pair.split('/'), asr=asr, lines=[], labels=[], hn=[], src=f)
                calls.append(cur)
            elif line.startswith('hn:'):
                cur['hn'] += line[3:].split()
            else:
                who, text = line[0], line[2:].strip()
                assert who in 'AC' and line[1] == ':', (f, line)
                for m in LAB.finditer(text):
                    cur['labels'].append((AB[m.group(1)], len(cur['lines']) + 1,
                                          'optional' if m.group(2) else 'required', m.group(3).strip(), who))
                text = LAB.sub('', text).strip()
                cur['lines'].append((who, text))
    return calls
def main():
    calls = parse()
    rng.shuffle(calls)
    out = os.path.join(os.path.dirname(__file__), '..')
    for f in glob.glob(os.path.join(out, 'calls', '*.txt')):
        os.remove(f)
    labels, hns, meta = [], [], []
    for i, c in enumerate(calls, 1):
        cid = 'c%03d' % i
        cache = {}
        with open(os.path.join(out, 'calls', cid + '.txt'), 'w', encoding='utf-8') as fh:
            for who, text in c['lines']:
                t = fill(text, cache)
                if c['asr']:
                    t = re.sub(r'[，。？！、；：“”"…—·,\.\?!;]+', ' ', t)
                    t = re.sub(r'[《》（）()]', '', t)
                    t = re.sub(r' +', ' ', t).strip()
                spk = c['pair'][0] if who == 'A' else c['pair'][1]
                fh.write(f'{spk}：{t}\n')
        for cat, ln, kind, note, who in c['labels']:
            labels.append((cid, cat, ln, kind, note))
        for h in c['hn']:
            hns.append((cid, AB[h]))
        meta.append((cid, c['sector'], '/'.join(c['pair']), 'asr' if c['asr'] else 'plain'))
    with open(os.path.join(out, 'labels.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerow(['conversation', 'category', 'line', 'kind', 'note'])
        w.writerows(labels)
    with open(os.path.join(out, 'hard_negatives.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerow(['conversation', 'category'])
        w.writerows(hns)
    with open(os.path.join(os.path.dirname(__file__), 'meta.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerow(['conversation', 'sector', 'pair', 'style'])
        w.writerows(meta)
    print('calls', len(calls))
if __name__ == '__main__':
    main()
