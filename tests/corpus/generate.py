#!/usr/bin/env python3
"""Assemble the evaluation corpus from utterances.py: calls/*.txt and labels.csv.

Deterministic (seeded): rerun after editing utterances.py and commit the result.
Each labelled utterance gets its own call, among ordinary talk; speaker labels, timestamp
styles and colons rotate; about one call in five is rendered the way ASR engines write
(no punctuation, pauses as spaces). labels.csv lists every (file, line, category) that must
be counted; anything else counted is a false positive.
"""
import csv
import os
import random
import re

from utterances import FILLER_AGENT, FILLER_CUSTOMER, NEGATIVE, POSITIVE, SEQUENCES

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = [("坐席", "客户"), ("客服", "用户"), ("agent", "customer"), ("客服(工号1024)", "来电人"),
          ("座席", "顾客"), ("工号3312", "客戶")]
COLONS = ["：", ": ", ":"]


def asr(text):
    """How an ASR engine writes it: no punctuation, pauses as spaces."""
    return re.sub(r"[，。？！,.?!]+", " ", text).strip()


def clock(seconds, style):
    h, m, s = seconds // 3600, seconds // 60 % 60, seconds % 60
    return ["[%02d:%02d:%02d] " % (h, m, s), "%02d:%02d:%02d " % (h, m, s),
            "[%02d:%02d] " % (m, s), "[%02d:%02d:%02d.%03d] " % (h, m, s, 120 * (s % 8)), ""][style]


def build(rng, events, index):
    """events: list of (speaker, text, [categories]) to place among fillers, in order."""
    agent, customer = LABELS[index % len(LABELS)]
    colon = COLONS[index % len(COLONS)]
    style = index % 5
    spoken = rng.random() < 0.2
    lines, labels = [], []
    if index % 3 == 0:
        lines.append("# conversation: QA-%04d" % index)
        lines.append("# agent: %d" % (1000 + index % 37))
    talk = [("a", rng.choice(FILLER_AGENT[:1] + FILLER_AGENT), [])]
    for _ in range(rng.randint(1, 3)):
        talk.append((rng.choice("ac"), None, []))
    at = rng.randint(1, len(talk))
    talk[at:at] = events
    for _ in range(rng.randint(1, 2)):
        talk.append((rng.choice("ac"), None, []))
    seconds = rng.randint(1, 5)
    for speaker, text, categories in talk:
        if text is None:
            text = rng.choice(FILLER_AGENT if speaker == "a" else FILLER_CUSTOMER)
        if spoken:
            text = asr(text)
        label = agent if speaker == "a" else customer
        lines.append("%s%s%s%s" % (clock(seconds, style), label, colon, text))
        for category in categories:
            labels.append((len(lines), category))
        seconds += rng.randint(3, 20)
    return lines, labels


def main():
    rng = random.Random(20261122)
    calls = []
    for category, utterances in POSITIVE.items():
        for speaker, text in utterances:
            events = [(speaker, text, [category])]
            if rng.random() < 0.3:
                neg = rng.choice(NEGATIVE)
                events.append((neg[0], neg[1], []))
            calls.append(events)
    for speaker, text in NEGATIVE:
        calls.append([(speaker, text, [])])
    for sequence in SEQUENCES:
        calls.append([(s, t, list(c)) for s, t, c in sequence])
    rng.shuffle(calls)

    out = os.path.join(HERE, "calls")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        os.remove(os.path.join(out, name))
    rows = []
    for index, events in enumerate(calls):
        lines, labels = build(rng, events, index)
        name = "call_%03d.txt" % index
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        rows.extend((name, line, category) for line, category in labels)
    with open(os.path.join(HERE, "labels.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file", "line", "category"])
        writer.writerows(rows)
    print("%d calls, %d labelled findings" % (len(calls), len(rows)))


if __name__ == "__main__":
    main()
