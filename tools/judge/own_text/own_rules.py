"""The rules' counted findings on the blind rounds, for cv.py and score_real.py: one line per
finding, `r<round>_<call> <category> <line>`, written to $JUDGE_DATA/results/own_rules.txt.
usage: nice python3 own_rules.py   (after cargo build --release; or CALLRISK=path/to/callrisk)"""
import glob, json, os, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
BIN = os.environ.get('CALLRISK', os.path.join(ROOT, 'target', 'release', 'callrisk'))
OUT = os.path.join(os.environ.get('JUDGE_DATA', '/tmp/callrisk-judge'), 'results')

if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for calls in sorted(glob.glob(os.path.join(ROOT, 'tests', 'blind', 'round*', 'calls'))):
        r = os.path.basename(os.path.dirname(calls))[len('round'):]
        run = subprocess.run([BIN, 'scan', '--json', '-q', '--no-reports', calls],
                             capture_output=True, text=True)
        for line in run.stdout.splitlines():
            o = json.loads(line)
            if o.get('type') == 'finding' and o['counted']:
                stem = os.path.splitext(os.path.basename(o['file']))[0]
                rows.append(f"r{r}_{stem} {o['category']} {o['line']}")
    with open(os.path.join(OUT, 'own_rules.txt'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(rows) + '\n')
    print(len(rows), 'findings')
