#!/usr/bin/env python3
"""bench/pipe-regress.py RESULTS_DIR: the summary of bench/pipe-regress.sh.

Reads runs.csv and boots.csv of one run; prints, per pipe size, the MiB/s of
every measured run (rep 0, the warm-up, is left out) by boot, the median per
kernel, the ratio of the medians patched/stock, the per-round ratios (each
round is a stock boot and a patched boot next to each other in time), a 95%
bootstrap interval of the ratio, and the verdict against the criterion
patched >= 0.97 x stock. The bootstrap resamples rounds (pairs of boots),
then the runs within each chosen boot, so the variation between boots counts
as noise, not only the variation between runs of one boot.

Exit status: 0 PASS, 3 FAIL (regression shown), 4 INCONCLUSIVE (the interval
straddles 0.97: the noise is wider than the criterion).
"""
import csv
import os
import random
import statistics
import sys
from collections import defaultdict

from report import human

CRIT = 0.97
NBOOT = 4000


def size_key(s):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(s[:-1]) * units[s[-1]] if s[-1:] in units else int(s)


def main():
    d = sys.argv[1]
    with open(os.path.join(d, "runs.csv")) as f:
        rows = [r for r in csv.DictReader(f)]
    boots = {}
    bp = os.path.join(d, "boots.csv")
    if os.path.exists(bp):
        with open(bp) as f:
            boots = {int(r["boot"]): r for r in csv.DictReader(f)}
    for r in rows:
        for k in ("wall_s", "user_s", "sys_s", "mib_s"):
            r[k] = float(r[k])
        for k in ("round", "boot", "rep", "csw"):
            r[k] = int(r[k])
    meas = [r for r in rows if r["rep"] > 0]
    if not meas:
        sys.exit("pipe-regress.py: runs.csv has no measured runs")
    rng = random.Random(6)

    # per pipe size, per round, per kernel: list of MiB/s
    data = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    bootof = {}
    for r in meas:
        data[r["pipe"]][r["round"]][r["kernel"]].append(r)
        bootof[(r["round"], r["kernel"])] = r["boot"]
    rounds = sorted({r["round"] for r in meas})
    verdicts = []

    gs = [float(b["guest_s"]) for b in boots.values() if b.get("guest_s")]
    nrep = max(r["rep"] for r in meas)
    print(f"pipe throughput, xbench pipe a 65536 (write() -> read(), every byte checked); "
          f"{len(rounds)} rounds x 2 boots (stock, patched) x {nrep} reps per pipe size, after 1 warm-up")
    if gs:
        print(f"guest time: {sum(gs):.0f} s in {len(gs)} boots ({min(gs):.0f}-{max(gs):.0f} s per boot)")
    if boots:
        print("boots (order, host load 1-min before/after): " + ", ".join(
            f"{b['boot']}:{b['kernel'][0].upper()} {b['load_before']}/{b['load_after']}"
            for b in sorted(boots.values(), key=lambda b: int(b["boot"]))))
    print()

    for ps in sorted(data, key=size_key):
        byr = data[ps]
        print(f"== pipe size {ps} (F_SETPIPE_SZ), MiB/s per run ==")
        print(f"{'round':>5} {'boot':>4} {'kernel':<7} {'median':>8}  runs")
        for rd in rounds:
            for k in sorted(byr[rd], key=lambda k: bootof[(rd, k)]):
                v = [r["mib_s"] for r in byr[rd][k]]
                print(f"{rd:>5} {bootof[(rd, k)]:>4} {k:<7} {statistics.median(v):8.2f}  "
                      + " ".join(f"{x:.1f}" for x in v))
        allv = {k: [r["mib_s"] for rd in rounds for r in byr[rd].get(k, [])] for k in ("stock", "patched")}
        if not allv["stock"] or not allv["patched"]:
            print("   (only one kernel measured: no comparison)\n")
            verdicts.append("INCONCLUSIVE")
            continue
        med = {k: statistics.median(v) for k, v in allv.items()}
        print()
        print(f"{'kernel':<8} {'runs':>4} {'median MiB/s':>12} {'min-max':>15} {'sys s/run':>9} {'user s/run':>10} {'csw/run':>7}")
        for k in ("stock", "patched"):
            rs = [r for rd in rounds for r in byr[rd].get(k, [])]
            print(f"{k:<8} {len(rs):>4} {med[k]:12.2f} {min(allv[k]):7.1f}-{max(allv[k]):<7.1f} "
                  f"{statistics.median(r['sys_s'] for r in rs):9.3f} "
                  f"{statistics.median(r['user_s'] for r in rs):10.3f} "
                  f"{statistics.median(r['csw'] for r in rs):7.0f}")
        ratio = med["patched"] / med["stock"]
        paired = [rd for rd in rounds if byr[rd].get("stock") and byr[rd].get("patched")]
        per_round = [statistics.median(r["mib_s"] for r in byr[rd]["patched"]) /
                     statistics.median(r["mib_s"] for r in byr[rd]["stock"]) for rd in paired]
        bs = []
        for _ in range(NBOOT):
            pick = [rng.choice(paired) for _ in paired]
            s, p = [], []
            for rd in pick:
                for k, out in (("stock", s), ("patched", p)):
                    v = [r["mib_s"] for r in byr[rd][k]]
                    out.extend(rng.choice(v) for _ in v)
            bs.append(statistics.median(p) / statistics.median(s))
        bs.sort()
        lo, hi = bs[int(0.025 * NBOOT)], bs[int(0.975 * NBOOT) - 1]
        print()
        print(f"ratio patched/stock (of the medians): {ratio:.4f} ({(ratio - 1) * 100:+.1f}%)")
        print("per-round ratios: " + " ".join(f"{x:.3f}" for x in per_round)
              + f"  (min..max {min(per_round):.3f}..{max(per_round):.3f})")
        print(f"95% bootstrap interval (rounds, then runs resampled; {NBOOT}x): {lo:.4f}..{hi:.4f} "
              f"(width {(hi - lo) * 100:.1f}%)")
        if lo >= CRIT:
            v = "PASS"
            why = f"the whole interval is >= {CRIT}: no regression beyond 3%"
        elif hi < CRIT:
            v = "FAIL"
            why = f"the whole interval is < {CRIT}: patched is more than 3% slower"
        else:
            v = "INCONCLUSIVE"
            why = (f"the interval straddles {CRIT}: this run's noise is wider than the 3% criterion"
                   f" (point estimate {ratio:.3f}); more rounds or a quieter host are needed")
        print(f"verdict (pipe {ps}): {v}: {why}")
        print()
        verdicts.append(v)

    overall = "FAIL" if "FAIL" in verdicts else "PASS" if all(v == "PASS" for v in verdicts) else "INCONCLUSIVE"
    print(f"OVERALL: {overall} (criterion: patched >= {CRIT} x stock for every pipe size)")
    sys.exit({"PASS": 0, "FAIL": 3, "INCONCLUSIVE": 4}[overall])


if __name__ == "__main__":
    main()
