"""Load dialogues, labels and callrisk rule findings for the experiment."""
import csv, glob, os, subprocess, collections

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
LAB = f'{ROOT}/tests/devset'
BIN = os.environ.get('CALLRISK', f'{ROOT}/target/release/callrisk')
# The dialogues, written by `tests/devset/convert.py` (run.sh does it): never committed.
DATA = os.environ.get('JUDGE_DATA', '/tmp/callrisk-judge')
SETS = {
    'dev': (f'{DATA}/dev', f'{LAB}/labels.csv'),
    'w2': (f'{DATA}/weibo2', f'{LAB}/weibo2.csv'),
    'heldout': (f'{DATA}/heldout', f'{LAB}/heldout.csv'),
    'heldout2': (f'{DATA}/heldout2', f'{LAB}/heldout2.csv'),
}
SCAN = f'{DATA}/scan'
RESULTS = f'{DATA}/results'


def scan(name):
    folder, _ = SETS[name]
    out = f'{SCAN}/{name}'
    if not os.path.exists(f'{out}/hits.csv'):
        subprocess.run(['nice', BIN, 'scan', '-q', '--reports', 'csv', '-o', out, folder], check=False)
    return out


def load(name):
    folder, labfile = SETS[name]
    dialogues = {}
    for p in sorted(glob.glob(f'{folder}/*.txt')):
        stem = os.path.basename(p)[:-4]
        lines = []
        for i, raw in enumerate(open(p, encoding='utf-8').read().split('\n')):
            if not raw.strip():
                continue
            if raw.startswith('客户：'):
                spk, txt = 'customer', raw[3:]
            elif raw.startswith('客服：'):
                spk, txt = 'agent', raw[3:]
            else:
                spk, txt = 'other', raw
            lines.append((i + 1, spk, txt))
        dialogues[stem] = lines
    labels = {}
    for r in csv.DictReader(open(labfile, encoding='utf-8')):
        labels[(r['conversation'], r['category'])] = (int(r['line']), r['kind'])
    out = scan(name)
    counted = collections.defaultdict(set)      # (conv,cat) -> set(lines)
    uncounted = collections.defaultdict(set)    # (conv,cat) -> set(lines)
    # callrisk masks ID-like digit runs in its reports (weibo_3477********8002): map back
    masked = collections.defaultdict(list)
    for stem in dialogues:
        masked[(len(stem), stem[:10], stem[-4:])].append(stem)
    with open(f'{out}/hits.csv', encoding='utf-8') as f:
        for r in csv.DictReader(f):
            stem = os.path.basename(r['file']).rsplit('.', 1)[0]
            if stem not in dialogues:
                cands = [s for s in masked[(len(stem), stem[:10], stem[-4:])]
                         if all(a == b or a == '*' for a, b in zip(stem, s))]
                if len(cands) > 1:  # disambiguate by the hit's line text
                    ln = int(r['line'])
                    cands = [s for s in cands if any(l[0] == ln and r['matched'] in l[2] for l in dialogues[s])] or cands
                assert len(cands) == 1, (stem, cands)
                stem = cands[0]
            key = (stem, r['category'])
            (counted if r['counted'] == 'true' else uncounted)[key].add(int(r['line']))
    return dialogues, labels, counted, uncounted


def score(pred, labels, convs, cat):
    """pred: set of conv predicted positive for cat. Official callrisk eval scoring."""
    tp = fp = fn = 0
    for c in convs:
        lab = labels.get((c, cat))
        p = c in pred
        if lab and lab[1] == 'required':
            if p: tp += 1
            else: fn += 1
        elif lab is None and p:
            fp += 1
    return tp, fp, fn


def prf(tp, fp, fn):
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return P, R, F


def rules_and_model(convs, labels, rules, cat, flagged, label):
    """tp/fp/fn of the rules alone and of the rules with `cat` decided by `flagged` (a flag per
    conversation, in `convs` order), for `cat` and over every category: a dict keyed by
    ('rules' or `label`, `cat` or 'overall')."""
    cats = sorted({k for (_, k) in labels} | {k for (_, k) in rules})
    out = {}
    for name, replaced in (('rules', None), (label, flagged)):
        total = [0, 0, 0]
        for k in cats:
            if k == cat and replaced is not None:
                pred = {c for c, p in zip(convs, replaced) if p}
            else:
                pred = {c for (c, kk) in rules if kk == k}
            r = tuple(int(x) for x in score(pred, labels, convs, k))
            total = [a + b for a, b in zip(total, r)]
            if k == cat:
                out[(name, cat)] = r
        out[(name, 'overall')] = tuple(total)
    return out
