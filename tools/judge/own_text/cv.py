"""Choose C and the C3 thresholds (veto, add) by cross-validation on OWN text only (blind rounds).

Model as tools/judge dlg13_C16: dialogue-level LogisticRegression (liblinear) over the customer's
lines joined by '\n', HashingVectorizer(analyzer='char', ngram_range=(1,3), n_features=2**18,
alternate_sign=False, norm='l2', lowercase=True). y = 1 if labels.csv has a threat.repeat row
(required or optional), as tools/judge trains. Scoring: tools/judge data.score (required only).
C3: (rules AND p > veto) OR p > add.
Grid: C in {1,4,16}, veto in {0,0.02,0.05}, add in {0.8,0.9,0.95}; OOF scores from 5-fold
StratifiedKFold (strata: round + label kind), repeated over fold seeds 0,1,2; criterion: mean F1
over the seeds (ties: fewer predictions, then the smaller C).
usage: nice python3 cv.py ROUNDS_LAST   (12 -> rounds 1..12; 13 -> rounds 1..13)
"""
import os, sys, json, itertools, collections
import numpy as np
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import roc_auc_score
import own
from data import score, prf   # tools/judge scoring, unchanged

CAT = own.CAT
CS, VETOS, ADDS = (1, 4, 16), (0.0, 0.02, 0.05), (0.8, 0.9, 0.95)


def vec():
    return HashingVectorizer(analyzer='char', ngram_range=(1, 3), n_features=2 ** 18,
                             alternate_sign=False, norm='l2', lowercase=True)


def own_rules(path=os.path.join(os.environ.get('JUDGE_DATA', '/tmp/callrisk-judge'), 'results', 'own_rules.txt')):
    R = collections.defaultdict(set)
    for l in open(path, encoding='utf-8'):
        c, cat, ln = l.split()
        R[(c, cat)].add(int(ln))
    return R


def combine(s, rules, veto, add):
    return (rules & (s > veto)) | (s > add)


def main(last):
    rounds = list(range(1, last + 1))
    D, L, src = own.load_rounds(rounds)
    R = own_rules()
    convs = sorted(D)
    X = vec().transform([own.customer_text(D[c]) for c in convs]).tocsr()
    y = np.array([1 if (c, CAT) in L else 0 for c in convs])
    req = np.array([L.get((c, CAT), (0, ''))[1] == 'required' for c in convs])
    rules = np.array([(c, CAT) in R for c in convs])
    strata = [f'{src[c]}{L.get((c, CAT), (0, "none"))[1]}' for c in convs]
    print(f'rounds 1..{last}: {len(convs)} calls, y=1: {y.sum()} (required {req.sum()})')
    tp, fp, fn = score({c for c, r in zip(convs, rules) if r}, L, convs, CAT)
    print('rules alone', (tp, fp, fn), 'P=%.3f R=%.3f F=%.3f' % prf(tp, fp, fn))
    res = collections.defaultdict(list)
    for seed in (0, 1, 2):
        for C in CS:
            oof = np.zeros(len(convs))
            for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(convs, strata):
                clf = LogisticRegression(C=C, solver='liblinear', max_iter=2000).fit(X[tr], y[tr])
                oof[te] = clf.predict_proba(X[te])[:, 1]
            m = y == req  # AUC over required positives vs unlabelled (optional left out)
            auc = roc_auc_score(req[m | ~y.astype(bool)], oof[m | ~y.astype(bool)])
            r = score({c for c, s in zip(convs, oof) if s > 0.5}, L, convs, CAT)
            print(f'seed {seed} C={C}: OOF AUC {auc:.3f}, model alone @0.5 {r} P=%.3f R=%.3f' % prf(*r)[:2])
            for v, a in itertools.product(VETOS, ADDS):
                pred = combine(oof, rules, v, a)
                r = score({c for c, p in zip(convs, pred) if p}, L, convs, CAT)
                res[(C, v, a)].append((prf(*r)[2], r, int(pred.sum())))
    rows = []
    for k, lst in res.items():
        f = np.mean([x[0] for x in lst]); npred = np.mean([x[2] for x in lst])
        rows.append((round(f, 6), -npred, -k[0], k, lst))
    rows.sort(reverse=True)
    print('grid (mean F1 over 3 fold seeds; counts per seed):')
    for f, npred, _, k, lst in rows:
        print(f'  C={k[0]:<3} veto={k[1]:<5} add={k[2]:<5} F1={f:.4f} ' + ' '.join(str(x[1]) for x in lst))
    best = rows[0][3]
    print('BEST', best)
    json.dump(dict(rounds=rounds, C=best[0], veto=best[1], add=best[2], meanF1=rows[0][0],
                   rules=[tp, fp, fn], n=len(convs), pos=int(y.sum()), required=int(req.sum())),
              open(f'{os.environ.get("JUDGE_DATA", "/tmp/callrisk-judge")}/results/cv_choice_r1-{last}.json', 'w'), indent=1)


if __name__ == '__main__':
    main(int(sys.argv[1]))
