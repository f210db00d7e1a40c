#!/usr/bin/env python3
"""Build the benchmark corpus from ../shared/corpus: real customer-service sentences shuffled
into calls, the way a night's traffic looks. Nothing of it is committed (bench/out is ignored).

  make_corpus.py OUT --calls-mb 200 --jsonl-mb 200 --slice-mb 10

writes OUT/calls/dNN/call_NNNNNN.txt (a directory of ~3.4 KB calls), OUT/chat.jsonl (one chat
log, sessions of 10-40 messages), OUT/slice/ (the first --slice-mb of calls, for the Python
baseline) and OUT/chat_50.jsonl, OUT/chat_100.jsonl (prefixes, for the scaling runs).
Deterministic: the same corpus files give the same bytes.
"""
import argparse
import json
import os
import random

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpus")


def sentences():
    customer, agent = [], []
    with open(os.path.join(SHARED, "stc3_weibo_helpdesk", "train_data_cn.json"), encoding="utf-8") as f:
        for dialogue in json.load(f):
            for turn in dialogue["turns"]:
                pool = customer if turn["sender"] == "customer" else agent
                pool.extend(u.replace("\n", " ").strip() for u in turn["utterances"] if u.strip())
    with open(os.path.join(SHARED, "jddc2019_sample", "chat_0.1per.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 7 and parts[6].strip():
                (customer if parts[2] == "0" else agent).append(parts[6].strip())
    with open(os.path.join(SHARED, "mobilecs_example", "example.json"), encoding="utf-8") as f:
        for call in json.load(f):
            for turn in call["content"]:
                if turn.get("[SPEAKER 1]"):
                    agent.append(turn["[SPEAKER 1]"])
                if turn.get("[SPEAKER 2]"):
                    customer.append(turn["[SPEAKER 2]"])
    return customer, agent


def call_lines(rng, customer, agent):
    lines, t = [], rng.randint(1, 5)
    for i in range(rng.randint(10, 40)):
        who, pool = (("坐席", agent) if i % 2 == 0 else ("客户", customer))
        lines.append("[%02d:%02d:%02d] %s：%s" % (t // 3600, t // 60 % 60, t % 60, who, rng.choice(pool)))
        t += rng.randint(2, 25)
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--calls-mb", type=float, default=200)
    parser.add_argument("--jsonl-mb", type=float, default=200)
    parser.add_argument("--slice-mb", type=float, default=10)
    args = parser.parse_args()
    rng = random.Random(20261123)
    customer, agent = sentences()

    calls_dir, slice_dir = os.path.join(args.out, "calls"), os.path.join(args.out, "slice")
    os.makedirs(calls_dir, exist_ok=True)
    os.makedirs(slice_dir, exist_ok=True)
    written, n = 0, 0
    while written < args.calls_mb * 1e6:
        data = ("\n".join(call_lines(rng, customer, agent)) + "\n").encode("utf-8")
        sub = os.path.join(calls_dir, "d%02d" % (n // 1000 % 100))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "call_%06d.txt" % n), "wb") as f:
            f.write(data)
        if written < args.slice_mb * 1e6:
            with open(os.path.join(slice_dir, "call_%06d.txt" % n), "wb") as f:
                f.write(data)
        written += len(data)
        n += 1
    print("calls: %d files, %.1f MB" % (n, written / 1e6))

    marks = {50: open(os.path.join(args.out, "chat_50.jsonl"), "wb"), 100: open(os.path.join(args.out, "chat_100.jsonl"), "wb")}
    written, session = 0, 0
    with open(os.path.join(args.out, "chat.jsonl"), "wb") as out:
        while written < args.jsonl_mb * 1e6:
            session += 1
            for i in range(rng.randint(10, 40)):
                role, pool = ("agent", agent) if i % 2 else ("customer", customer)
                record = {"session_id": "S%07d" % session, "role": role, "time": "2026-11-22 %02d:%02d:%02d" % (8 + i // 60, i % 60, rng.randint(0, 59)), "content": rng.choice(pool)}
                data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
                out.write(data)
                for mb, f in marks.items():
                    if written < mb * 1e6:
                        f.write(data)
                written += len(data)
    for f in marks.values():
        f.close()
    print("chat.jsonl: %d sessions, %.1f MB" % (session, written / 1e6))


if __name__ == "__main__":
    main()
