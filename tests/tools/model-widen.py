#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""canister test tool: a model file widened with N more coefficients.

model-widen.py IN OUT N [--bad-at LINE]

Reads the model file IN (as `canister model export` writes it), adds N
coefficients made from a fixed seed (so the same N gives the same file), and
writes OUT in the order the parser wants (ascending), without IN's state line
(the file's state would no longer match; a file may leave it out).  With
--bad-at LINE, that line of OUT becomes a coefficient of 63 hex digits: a
malformed large file whose refusal must name the line.
"""
import hashlib
import sys


def main(argv):
    if len(argv) not in (4, 6) or (len(argv) == 6 and argv[4] != "--bad-at"):
        sys.exit("usage: model-widen.py IN OUT N [--bad-at LINE]")
    src, dst, count = argv[1], argv[2], int(argv[3])
    bad_at = int(argv[5]) if len(argv) == 6 else 0
    head, pseudonyms, coefficients = [], [], set()
    with open(src, encoding="ascii") as f:
        for line in f:
            line = line.rstrip("\n")
            word = line.split(" ", 1)[0]
            if word == "coefficient":
                coefficients.add(line.split(" ", 1)[1])
            elif word == "pseudonym":
                pseudonyms.append(line)
            elif word in ("state", "end") or not line:
                continue
            else:
                head.append(line)
    for i in range(count):
        coefficients.add(hashlib.sha256(b"model-widen %d" % i).hexdigest())
    lines = head + pseudonyms + ["coefficient " + c for c in sorted(coefficients)] + ["end"]
    if bad_at:
        if not len(head) + len(pseudonyms) < bad_at < len(lines):
            sys.exit("model-widen.py: --bad-at must name a coefficient line")
        lines[bad_at - 1] = lines[bad_at - 1][:-1]
    with open(dst, "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv)
