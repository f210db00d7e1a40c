#!/usr/bin/env python3
"""Write the real development set as transcripts, from ../shared/corpus, into a folder.

The corpus text has no open licence, so it is never committed: this script recreates the
same files, with the same names and line numbers, wherever `../shared/corpus` is present.
`labels.csv` beside it keys on the file stems and line numbers written here.

Selections (fixed, so labels stay valid), chosen by the third argument:
  dev (the default; labels.csv), the development set:
  * weibo_<id>.txt  every 6th dialogue of stc3_weibo_helpdesk/train_data_cn.json (617)
  * jd_<session>.txt every session of jddc2019_sample/chat_0.1per.txt (994)
  * cmcc_<id>.txt   every transcript of mobilecs_example/example.json (10)
  weibo2 (weibo2.csv), more development dialogues: every 6th Weibo dialogue from the 2nd
  and from the 6th (1,233)
  heldout (heldout.csv), never tuned on: every 6th Weibo dialogue from the 4th (617)
  heldout2 (heldout2.csv), never tuned on: every 6th Weibo dialogue from the 3rd and from the
  5th (1,233)

Every file is a plain transcript: one utterance per line, `客户：` or `客服：` first, no header,
so line N of the file is the Nth utterance.

usage: convert.py CORPUS_DIR OUT_DIR [dev|weibo2|heldout|heldout2]
"""
import json
import os
import sys
from collections import OrderedDict


def one_line(text):
    return " ".join(str(text).replace("\r", " ").split("\n")).strip()


def write(out, name, lines):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        for speaker, text in lines:
            f.write(f"{speaker}：{text}\n")


WEIBO_SLICES = {"dev": [0], "weibo2": [1, 5], "heldout": [3], "heldout2": [2, 4]}


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    selection = sys.argv[3] if len(sys.argv) > 3 else "dev"
    if selection not in WEIBO_SLICES:
        sys.exit(f"convert.py: unknown selection {selection!r}: dev, weibo2, heldout or heldout2")
    os.makedirs(out, exist_ok=True)
    weibo = json.load(open(os.path.join(corpus, "stc3_weibo_helpdesk", "train_data_cn.json"), encoding="utf-8"))
    for d in (d for first in WEIBO_SLICES[selection] for d in weibo[first::6]):
        lines = []
        for turn in d["turns"]:
            speaker = "客户" if turn["sender"] == "customer" else "客服"
            for u in turn["utterances"]:
                u = one_line(u)
                if u:
                    lines.append((speaker, u))
        write(out, f"weibo_{d['id']}.txt", lines)
    if selection != "dev":
        return

    sessions = OrderedDict()
    with open(os.path.join(corpus, "jddc2019_sample", "chat_0.1per.txt"), encoding="utf-8") as f:
        for raw in f:
            cols = raw.rstrip("\n").split("\t")
            if len(cols) < 7:
                continue
            text = one_line("\t".join(cols[6:]))
            if not text:
                continue
            speaker = "客服" if cols[2] == "1" else "客户"
            sessions.setdefault(cols[0], []).append((speaker, text))
    for sid, lines in sessions.items():
        write(out, f"jd_{sid}.txt", lines)

    cmcc = json.load(open(os.path.join(corpus, "mobilecs_example", "example.json"), encoding="utf-8"))
    for d in cmcc:
        lines = []
        for turn in d["content"]:
            for key, speaker in (("[SPEAKER 1]", "客服"), ("[SPEAKER 2]", "客户")):
                t = one_line(turn.get(key, ""))
                if t:
                    lines.append((speaker, t))
        write(out, f"cmcc_{d['id']}.txt", lines)


if __name__ == "__main__":
    main()
