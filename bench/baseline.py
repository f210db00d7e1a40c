#!/usr/bin/env python3
"""The script a team writes without callrisk: jieba segmentation plus a pyahocorasick
automaton of every term, over every line of every file in a folder. Prints the hits and
the throughput, for comparison in bench/run.sh.

  baseline.py TERMS.txt DIR
"""
import os
import sys
import time

import ahocorasick
import jieba


def main():
    terms_path, folder = sys.argv[1], sys.argv[2]
    automaton = ahocorasick.Automaton()
    with open(terms_path, encoding="utf-8") as f:
        for term in f:
            term = term.strip()
            if term:
                automaton.add_word(term, term)
    automaton.make_automaton()
    jieba.initialize()
    started = time.time()
    total, hits = 0, 0
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            with open(os.path.join(root, name), encoding="utf-8") as f:
                text = f.read()
            total += len(text.encode("utf-8"))
            for line in text.splitlines():
                words = set(jieba.lcut(line))
                for _, term in automaton.iter(line):
                    if term in words or len(term) > 2:
                        hits += 1
    elapsed = time.time() - started
    print("baseline: %d hits, %.1f MB in %.2f s, %.2f MB/s" % (hits, total / 1e6, elapsed, total / 1e6 / elapsed))


if __name__ == "__main__":
    main()
