"""Nested cross-validation on the two development sets (dev + w2, pooled, 5 outer folds by dialogue).

Per category modelled (threat.repeat, threat.regulator): thresholds are chosen inside each outer
training fold by an inner 4-fold CV; the outer test fold is scored once.  Options:
  A       rules alone (callrisk counted findings)
  B       line-level LR over hashed char n-grams of customer lines; dialogue = max line score > t
  Bd      dialogue-level LR over all customer text of the dialogue; score > t
  C1      B plus rule features on the line (counted hit / uncounted hit of this category)
  C2      union: rules OR B score > t
  C3      override: (rules AND B score > t_lo) OR B score > t_hi
Usage: nice python3 experiment.py [--cats threat.repeat,threat.regulator] [--configs ...]
"""
import sys, json, argparse, itertools
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from data import load, score, prf, RESULTS

NF = 2 ** 18


def vectorizer(ng):
    return HashingVectorizer(analyzer='char', ngram_range=ng, n_features=NF,
                             alternate_sign=False, norm='l2', lowercase=True)


class Pool:
    def __init__(self, names=('dev', 'w2')):
        self.D, self.L, self.C, self.U, self.src = {}, {}, {}, {}, {}
        for n in names:
            D, L, C, U = load(n)
            self.D.update(D); self.L.update(L); self.C.update(C); self.U.update(U)
            for c in D: self.src[c] = n
        self.convs = sorted(self.D)
        # customer lines table
        self.rows = []  # (conv, line_no, text)
        for c in self.convs:
            for ln, spk, txt in self.D[c]:
                if spk == 'customer':
                    self.rows.append((c, ln, txt))
        self.row_conv = np.array([r[0] for r in self.rows])
        self.conv_index = {c: i for i, c in enumerate(self.convs)}
        self.row_ci = np.array([self.conv_index[r[0]] for r in self.rows])
        self._X = {}

    def X(self, ng):
        if ng not in self._X:
            self._X[ng] = vectorizer(ng).transform([r[2] for r in self.rows]).tocsr()
        return self._X[ng]

    def rulefeat(self, cat):
        f = np.zeros((len(self.rows), 2))
        for i, (c, ln, _) in enumerate(self.rows):
            f[i, 0] = ln in self.C.get((c, cat), ())
            f[i, 1] = ln in self.U.get((c, cat), ())
        return sp.csr_matrix(f)

    def line_targets(self, cat, optional):
        """y per customer line: 1 labelled line, 0 negative, -1 excluded (after the first
        labelled line: unknown; or whole dialogue when optional='skip' and label optional)."""
        y = np.zeros(len(self.rows), dtype=int)
        for i, (c, ln, _) in enumerate(self.rows):
            lab = self.L.get((c, cat))
            if lab is None: continue
            lline, kind = lab
            if kind == 'optional' and optional == 'skip':
                y[i] = -1
            elif ln == lline:
                y[i] = 1
            elif ln > lline:
                y[i] = -1
        return y

    def rule_pred(self, cat):
        return np.array([(c, cat) in self.C for c in self.convs])


def dialogue_max(pool, line_scores, rows_mask):
    s = np.full(len(pool.convs), -1.0)
    np.maximum.at(s, pool.row_ci[rows_mask], line_scores)
    return s


def counts(pool, pred_bool, conv_idx, cat):
    convs = [pool.convs[i] for i in conv_idx]
    pred = {pool.convs[i] for i in conv_idx if pred_bool[i]}
    return score(pred, pool.L, convs, cat)


def fit_line(pool, cat, cfg, train_ci):
    X = pool.X(cfg['ng'])
    if cfg.get('rules'):
        X = sp.hstack([X, pool.rulefeat(cat) * cfg.get('rw', 1.0)]).tocsr()
    y = pool.line_targets(cat, cfg.get('optional', 'pos'))
    m = np.isin(pool.row_ci, train_ci) & (y >= 0)
    kw = dict(l1_ratio=1.0) if cfg.get('pen') == 'l1' else {}
    clf = LogisticRegression(C=cfg['C'], solver='liblinear', class_weight=cfg.get('cw'), max_iter=2000, **kw)
    clf.fit(X[m], y[m])
    return clf, X


def dlg_matrix(pool, ng):
    key = ('dlg', ng)
    if key not in pool._X:
        txt = {c: [] for c in pool.convs}
        for c, ln, t in pool.rows: txt[c].append(t)
        pool._X[key] = vectorizer(ng).transform(['\n'.join(txt[c]) for c in pool.convs]).tocsr()
    return pool._X[key]


def scores_for(pool, cat, cfg, train_ci, test_ci):
    """Dialogue scores (array over all convs; only test_ci meaningful)."""
    if cfg['level'] == 'dialogue':
        X = dlg_matrix(pool, cfg['ng'])
        y = np.array([1 if (c, cat) in pool.L else 0 for c in pool.convs])
        skip = np.array([pool.L.get((c, cat), (0, ''))[1] == 'optional' for c in pool.convs])
        tr = np.array([i for i in train_ci if not (skip[i] and cfg.get('optional') == 'skip')])
        clf = LogisticRegression(C=cfg['C'], solver='liblinear', max_iter=2000).fit(X[tr], y[tr])
        s = np.full(len(pool.convs), -1.0)
        s[test_ci] = clf.predict_proba(X[test_ci])[:, 1]
        return s
    clf, X = fit_line(pool, cat, cfg, train_ci)
    m = np.isin(pool.row_ci, test_ci)
    return dialogue_max(pool, clf.predict_proba(X[m])[:, 1], m)


GRID = np.round(np.concatenate([np.arange(0.02, 0.2, 0.01), np.arange(0.2, 0.96, 0.025)]), 3)


def choose(pool, cat, s, rules, ci, mode):
    """Pick threshold(s) maximising F1 on the given dialogues (ties: fewer predictions)."""
    best = None
    if mode == 'C3':
        cands = [(lo, hi) for lo in [0.0] + list(GRID[::2]) for hi in list(GRID[::2]) + [1.01] if lo <= hi]
    else:
        cands = [(t,) for t in GRID]
    for th in cands:
        pred = combine(s, rules, mode, th)
        tp, fp, fn = counts(pool, pred, ci, cat)
        f = prf(tp, fp, fn)[2]
        key = (round(f, 6), -(tp + fp))
        if best is None or key > best[0]:
            best = (key, th)
    return best[1]


def combine(s, rules, mode, th):
    if mode == 'A': return rules
    if mode in ('B', 'C1', 'Bd'): return s > th[0]
    if mode == 'C2': return rules | (s > th[0])
    if mode == 'C3': return (rules & (s > th[0])) | (s > th[1])
    raise ValueError(mode)


def strat_key(pool, cat, idx):
    return [pool.src[pool.convs[i]] + str(pool.L.get((pool.convs[i], cat), (0, 'none'))[1]) for i in idx]


def nested_cv(pool, cat, cfg, modes, seed=0, k_out=5, k_in=4):
    n = len(pool.convs)
    idx = np.arange(n)
    rules = pool.rule_pred(cat)
    outer = StratifiedKFold(k_out, shuffle=True, random_state=seed)
    pred = {m: np.zeros(n, bool) for m in modes}
    oof = np.full(n, -1.0)
    chosen = {m: [] for m in modes}
    for tr, te in outer.split(idx, strat_key(pool, cat, idx)):
        inner = StratifiedKFold(k_in, shuffle=True, random_state=seed + 1)
        s_in = np.full(n, -1.0)
        for itr, ite in inner.split(tr, strat_key(pool, cat, tr)):
            si = scores_for(pool, cat, cfg, tr[itr], tr[ite])
            s_in[tr[ite]] = si[tr[ite]]
        s_out = scores_for(pool, cat, cfg, tr, te)
        oof[te] = s_out[te]
        for m in modes:
            th = choose(pool, cat, s_in, rules, tr, m) if m != 'A' else ()
            chosen[m].append(th)
            pred[m][te] = combine(s_out, rules, m, th)[te]
    return pred, oof, chosen


def report(pool, cat, pred):
    out = {}
    for part in ('dev', 'w2', 'all'):
        ci = [i for i, c in enumerate(pool.convs) if part == 'all' or pool.src[c] == part]
        out[part] = counts(pool, pred, ci, cat)
    return out


CONFIGS = {
    'ng13_C4': dict(level='line', ng=(1, 3), C=4),
    'ng13_C16': dict(level='line', ng=(1, 3), C=16),
    'ng13_C1': dict(level='line', ng=(1, 3), C=1),
    'ng24_C4': dict(level='line', ng=(2, 4), C=4),
    'ng13_C4_optskip': dict(level='line', ng=(1, 3), C=4, optional='skip'),
    'ng13_C4_rules': dict(level='line', ng=(1, 3), C=4, rules=True),
    'ng13_C16_rules': dict(level='line', ng=(1, 3), C=16, rules=True),
    'ng13_C4_bal': dict(level='line', ng=(1, 3), C=4, cw='balanced'),
    'ng13_C16_l1': dict(level='line', ng=(1, 3), C=16, pen='l1'),
    'dlg13_C4': dict(level='dialogue', ng=(1, 3), C=4),
    'dlg13_C16': dict(level='dialogue', ng=(1, 3), C=16),
}

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--cats', default='threat.repeat,threat.regulator')
    ap.add_argument('--configs', default=','.join(CONFIGS))
    ap.add_argument('--out', default=f'{RESULTS}/cv.jsonl')
    a = ap.parse_args()
    import os; os.makedirs(os.path.dirname(a.out), exist_ok=True)
    pool = Pool()
    for cat in a.cats.split(','):
        base = report(pool, cat, pool.rule_pred(cat))
        print(cat, 'A rules', base, flush=True)
        for name in a.configs.split(','):
            cfg = CONFIGS[name]
            modes = ['C1'] if cfg.get('rules') else (['Bd', 'C2', 'C3'] if cfg['level'] == 'dialogue' else ['B', 'C2', 'C3'])
            pred, oof, chosen = nested_cv(pool, cat, cfg, modes)
            for m in modes:
                r = report(pool, cat, pred[m])
                tp, fp, fn = r['all']
                P, R, F = prf(tp, fp, fn)
                print(f'{cat} {name:18s} {m:3s} all={r["all"]} P={P:.3f} R={R:.3f} F={F:.3f} dev={r["dev"]} w2={r["w2"]} th={chosen[m]}', flush=True)
                with open(a.out, 'a') as f:
                    f.write(json.dumps(dict(cat=cat, config=name, mode=m, **r, th=[list(map(float, t)) for t in chosen[m]])) + '\n')
