"""Fit the frozen own-text choices (FROZEN.md) and score them ONCE on the real sets.
Real sets: tools/judge/data.py load() with (scans with the release
binary); scoring: tools/judge data.score (per conversation and category; required labels only).
Also: model alone (AUC required-vs-unlabelled, P/R at 0.5), the primary model on own round 13,
and the 20 real dialogues where the primary model disagrees most with the labels (ids only).
usage: nice python3 score_real.py
"""
import os, sys, json
import numpy as np
os.environ.setdefault('JUDGE_DATA', '/tmp/callrisk-judge')
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from data import load, score, prf, rules_and_model
import own
from cv import vec, own_rules, combine

CAT = own.CAT
OUT = os.path.join(os.environ.get('JUDGE_DATA', '/tmp/callrisk-judge'), 'results')
VARIANTS = {'r1-12': (12, 16, 0.05, 0.80), 'r1-13': (13, 16, 0.05, 0.90)}


def fit(last, C):
    D, L, src = own.load_rounds(range(1, last + 1))
    convs = sorted(D)
    X = vec().transform([own.customer_text(D[c]) for c in convs])
    y = np.array([1 if (c, CAT) in L else 0 for c in convs])
    clf = LogisticRegression(C=C, solver='liblinear', max_iter=2000).fit(X, y)
    return clf


def fmt(r):
    P, R, F = prf(*r)
    return f'{r[0]:4d} / {r[1]:3d} / {r[2]:3d}  P={P:.3f} R={R:.3f} F1={F:.3f}'


def evaluate(convs, L, C, s, veto, add):
    hr = np.array([(c, CAT) in C for c in convs])
    pm = combine(s, hr, veto, add)
    out = rules_and_model(convs, L, C, CAT, pm, 'rules+model')
    added = [c for c, p, r in zip(convs, pm, hr) if p and not r]
    vetoed = [c for c, p, r in zip(convs, pm, hr) if r and not p]
    return out, added, vetoed


def model_alone(convs, L, s):
    kind = [L.get((c, CAT), (0, 'none'))[1] for c in convs]
    m = np.array([k != 'optional' for k in kind])
    yreq = np.array([k == 'required' for k in kind])
    auc = roc_auc_score(yreq[m], s[m]) if 0 < yreq[m].sum() < m.sum() else float('nan')
    r = score({c for c, p in zip(convs, s) if p > 0.5}, L, convs, CAT)
    return auc, r


def main():
    models = {v: fit(last, C) for v, (last, C, _, _) in VARIANTS.items()}
    summary = {}
    # own round 13 with the primary model (never seen by it)
    D, L, _ = own.load_rounds([13]); R = own_rules(); convs = sorted(D)
    s = models['r1-12'].predict_proba(vec().transform([own.customer_text(D[c]) for c in convs]))[:, 1]
    Cown = {k: v for k, v in R.items() if k[0] in D}
    out, add, veto = evaluate(convs, L, Cown, s, 0.05, 0.80)
    auc, r = model_alone(convs, L, s)
    print(f'== own round13 ({len(convs)} calls), model r1-12')
    for k, v in out.items(): print(f'  {k[0]:12s} {k[1]:14s} {fmt(v)}')
    print(f'  model alone: AUC {auc:.3f}; @0.5 {fmt(r)}; added {add}; vetoed {veto}')
    worst = []
    for name in ('heldout', 'heldout2', 'dev', 'w2'):
        D, L, C, U = load(name)
        convs = sorted(D)
        txt = ['\n'.join(t for ln, sp, t in D[c] if sp == 'customer') for c in convs]
        Xr = vec().transform(txt)
        nreq = sum(1 for c in convs if L.get((c, CAT), (0, ''))[1] == 'required')
        nopt = sum(1 for c in convs if L.get((c, CAT), (0, ''))[1] == 'optional')
        print(f'== {name}: {len(convs)} dialogues, threat.repeat required {nreq}, optional {nopt}')
        for v, (last, Cc, vt, ad) in VARIANTS.items():
            s = models[v].predict_proba(Xr)[:, 1]
            out, add, vet = evaluate(convs, L, C, s, vt, ad)
            auc, r = model_alone(convs, L, s)
            print(f' -- model {v} (veto {vt}, add {ad})')
            for k, val in out.items(): print(f'  {k[0]:12s} {k[1]:14s} {fmt(val)}')
            print(f'  model alone: AUC {auc:.3f}; @0.5 {fmt(r)}; p quantiles (50/90/99%) '
                  f'{np.quantile(s, [.5, .9, .99]).round(3).tolist()}')
            print(f'  added {[(c, L.get((c, CAT), (0, "none"))[1]) for c in add]}')
            print(f'  vetoed {[(c, L.get((c, CAT), (0, "none"))[1]) for c in vet]}')
            summary[(name, v)] = dict(out={f'{a}|{b}': x for (a, b), x in out.items()}, auc=auc,
                                      alone=r, added=len(add), vetoed=len(vet))
            if v == 'r1-12':
                for c, p in zip(convs, s):
                    k = L.get((c, CAT), (0, 'none'))[1]
                    if k == 'required': worst.append((1 - p, name, c, 'labelled, low p', float(p), (c, CAT) in C))
                    elif k == 'none': worst.append((p, name, c, 'unlabelled, high p', float(p), (c, CAT) in C))
    worst.sort(reverse=True)
    print('== 20 largest disagreements (model r1-12): set, id, kind, p, rules flag')
    for d, n, c, k, p, rf in worst[:20]:
        print(f'  {n:9s} {c:28s} {k:20s} p={p:.3f} rules={rf}')
    json.dump({f'{a}|{b}': v for (a, b), v in summary.items()}, open(f'{OUT}/real_summary.json', 'w'), indent=1)


if __name__ == '__main__':
    main()
