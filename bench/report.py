#!/usr/bin/env python3
"""bench/report.py RESULTS_DIR: runs.csv -> results.md, medians.csv, chart-*.dat

Medians over the repetitions of every (section, method, chunk, size), with
min-max; throughput = size / median wall time; ratios = speedups against the
baseline of the section (wall time of the baseline / wall time of the
method), as the ratio of the medians and as the range of the per-repetition
ratios (both ran in the same repetition, next to each other in time).
"""
import csv
import os
import statistics
import sys
from collections import defaultdict

MiB = 1048576


def human(b):
    b = int(b)
    for unit, f in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if b and b % f == 0:
            return f"{b // f}{unit}"
    return str(b)


def load(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for k in ("wall_s", "user_s", "sys_s", "mib_s"):
            r[k] = float(r[k])
        for k in ("chunk", "size", "rep"):
            r[k] = int(r[k])
        for k in ("minflt", "csw"):	# columns added later: optional
            r[k] = int(r[k]) if r.get(k) not in (None, "") else None
    return rows


def main():
    d = sys.argv[1]
    rows = load(os.path.join(d, "runs.csv"))
    if not rows:
        sys.exit("report.py: runs.csv has no runs")
    groups = defaultdict(list)
    order = []
    for r in rows:
        key = (r["section"], r["method"], r["chunk"], r["size"])
        if key not in groups:
            order.append(key)
        groups[key].append(r)
    sec_rank = {"file": 0, "pipe": 1, "transfer": 2, "scaling": 3}
    progs = {"cat": 0, "wc": 1, "grep": 2}

    def mkey(method):
        w = method.split()
        if w[0] == "GNU":
            return (progs.get(w[1], 9), 2)
        return (progs.get(w[0][1:], 9), 0 if w[-1] == "mmap" else 1)

    order.sort(key=lambda k: (sec_rank.get(k[0], 9), k[3] if k[0] == "scaling" else 0, k[2],
                              mkey(k[1]) if k[0] in ("file", "pipe") else (0, 0), k[1]))

    med = {}
    for key in order:
        g = groups[key]
        walls = [r["wall_s"] for r in g]
        med[key] = {
            "n": len(g),
            "wall": statistics.median(walls),
            "wmin": min(walls),
            "wmax": max(walls),
            "user": statistics.median(r["user_s"] for r in g),
            "sys": statistics.median(r["sys_s"] for r in g),
            "mibs": key[3] / MiB / statistics.median(walls),
            "mibs_min": key[3] / MiB / max(walls),
            "mibs_max": key[3] / MiB / min(walls),
            "byrep": {r["rep"]: r["wall_s"] for r in g},
            "minflt": statistics.median(r["minflt"] for r in g) if g[0]["minflt"] is not None else None,
            "csw": statistics.median(r["csw"] for r in g) if g[0]["csw"] is not None else None,
            "verified": ",".join(sorted({r["verified"] for r in g})),
        }

    def speedup(key, base):
        if base not in med or key == base:
            return None
        a, b = med[base], med[key]
        per = [a["byrep"][k] / b["byrep"][k] for k in b["byrep"] if k in a["byrep"]]
        return a["wall"] / b["wall"], (min(per), max(per)) if per else None

    def baseline(key):
        sec, method, chunk, size = key
        if sec in ("file", "pipe"):
            prog = method.split()[0]
            if not prog.startswith("m"):
                # GNU tool: compare with the read() version of our program
                prog = "m" + method.split()[1]
            return (sec, prog + " read()", chunk, size)
        if sec in ("transfer", "scaling"):
            return (sec, "a write->read", chunk, size)
        return None

    def fmt_ratio(sp):
        if not sp:
            return "1 (base)"
        r, rng = sp
        return f"{r:.2f}x" + (f" ({rng[0]:.2f}-{rng[1]:.2f})" if rng else "")

    with open(os.path.join(d, "medians.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["section", "method", "chunk", "size", "runs", "wall_median_s", "wall_min_s",
                    "wall_max_s", "user_median_s", "sys_median_s", "mib_s", "speedup_vs",
                    "speedup", "speedup_min", "speedup_max", "minflt_median", "csw_median",
                    "verified"])
        for key in order:
            m = med[key]
            b = baseline(key)
            sp = speedup(key, b) if b else None
            w.writerow([*key, m["n"], f"{m['wall']:.4f}", f"{m['wmin']:.4f}", f"{m['wmax']:.4f}",
                        f"{m['user']:.4f}", f"{m['sys']:.4f}", f"{m['mibs']:.2f}",
                        b[1] if b and sp else "", f"{sp[0]:.3f}" if sp else "",
                        f"{sp[1][0]:.3f}" if sp and sp[1] else "",
                        f"{sp[1][1]:.3f}" if sp and sp[1] else "",
                        "" if m["minflt"] is None else int(m["minflt"]),
                        "" if m["csw"] is None else int(m["csw"]), m["verified"]])

    out = []
    reps = max(r["rep"] for r in rows)
    out.append(f"Medians of {reps} repetitions (min-max in parentheses). Wall = first fork to "
               "last wait4(); user/sys = CPU of both processes (writer or feeder, and "
               "reader or program). Speedup = baseline's median wall / this median wall "
               "(range: per-repetition ratios)."
               + (" Faults = minor page faults, ctx sw = context switches, both processes, "
                  "per MiB moved (medians)." if any(r["minflt"] is not None for r in rows) else "")
               + "\n")
    titles = {
        "file": "1. Files on tmpfs (baseline: the program's read() version)",
        "pipe": "2. Programs reading a pipe fed by write() of 64 KiB (baseline: read() version)",
        "transfer": "3. Pipe transfer, consumer verifies every byte (baseline: path a at the same chunk)",
        "scaling": "4. Scaling, 64 KiB chunks (baseline: path a at the same size)",
    }
    counters = any(med[k]["minflt"] is not None for k in order)
    cur = None
    for key in order:
        sec, method, chunk, size = key
        if sec != cur:
            cur = sec
            out.append(f"\n#### {titles.get(sec, sec)}\n")
            if counters:
                out.append("| method | chunk | size | wall s | user s | sys s | MiB/s | speedup "
                           "| faults/MiB | ctx sw/MiB | verified |")
                out.append("|---|---|---|---|---|---|---|---|---|---|---|")
            else:
                out.append("| method | chunk | size | wall s | user s | sys s | MiB/s | speedup | verified |")
                out.append("|---|---|---|---|---|---|---|---|---|")
        m = med[key]
        b = baseline(key)
        sp = speedup(key, b) if b else None
        out.append(f"| {method} | {human(chunk) if chunk else '-'} | {human(size)} | "
                   f"{m['wall']:.2f} ({m['wmin']:.2f}-{m['wmax']:.2f}) | {m['user']:.2f} | "
                   f"{m['sys']:.2f} | {m['mibs']:.1f} ({m['mibs_min']:.1f}-{m['mibs_max']:.1f}) | "
                   f"{fmt_ratio(sp)} | "
                   + (f"{m['minflt'] / (size / MiB):.0f} | {m['csw'] / (size / MiB):.1f} | "
                      if counters and m["minflt"] is not None else ("- | - | " if counters else ""))
                   + f"{m['verified']} |")

    # scaling: time per MiB and the marginal cost between sizes
    sc = [k for k in order if k[0] == "scaling"]
    if sc:
        out.append("\nCost per MiB (median wall / size) and marginal cost between "
                   "consecutive sizes:\n")
        out.append("| path | size | s/MiB | marginal s/MiB |")
        out.append("|---|---|---|---|")
        for meth in sorted({k[1] for k in sc}):
            ks = sorted((k for k in sc if k[1] == meth), key=lambda k: k[3])
            prev = None
            for k in ks:
                spm = med[k]["wall"] / (k[3] / MiB)
                marg = ""
                if prev:
                    marg = f"{(med[k]['wall'] - med[prev]['wall']) / ((k[3] - prev[3]) / MiB):.4f}"
                out.append(f"| {meth} | {human(k[3])} | {spm:.4f} | {marg} |")
                prev = k

    # the goals of issue 5
    goals = []

    def goal(name, key, base, want):
        if key in med and base in med:
            r, rng = speedup(key, base)
            verdict = "met" if r >= want else f"MISSED (needs {want / r:.2f}x more)"
            goals.append(f"| {name} | {want}x | {r:.2f}x ({rng[0]:.2f}-{rng[1]:.2f}) | {verdict} |")
        else:
            goals.append(f"| {name} | {want}x | not measured | - |")

    tsize = max((k[3] for k in order if k[0] == "transfer"), default=0)
    psize = max((k[3] for k in order if k[0] == "pipe"), default=0)
    goal("path c vs path a, 64 KiB", ("transfer", "c window->mmap", 65536, tsize),
         ("transfer", "a write->read", 65536, tsize), 2.0)
    goal("path b vs path a, 64 KiB", ("transfer", "b write->mmap", 65536, tsize),
         ("transfer", "a write->read", 65536, tsize), 1.3)
    goal("mwc on a pipe, mmap vs read()", ("pipe", "mwc mmap", 65536, psize),
         ("pipe", "mwc read()", 65536, psize), 1.3)
    goal("mgrep on a pipe, mmap vs read()", ("pipe", "mgrep mmap", 65536, psize),
         ("pipe", "mgrep read()", 65536, psize), 1.3)
    out.append("\n#### Goals of issue 5 (speedup = median wall of the baseline / median wall)\n")
    out.append("| goal | wanted | measured (per-rep range) | verdict |")
    out.append("|---|---|---|---|")
    out.extend(goals)

    with open(os.path.join(d, "results.md"), "w") as f:
        f.write("\n".join(out) + "\n")

    # chart data: transfer (rows = chunk, columns = paths), programs, scaling
    tr = [k for k in order if k[0] == "transfer"]
    if tr:
        paths = sorted({k[1] for k in tr})
        with open(os.path.join(d, "chart-transfer.dat"), "w") as f:
            f.write("chunk " + " ".join(f'"{p}" min max' for p in paths) + "\n")
            for c in sorted({k[2] for k in tr}):
                vals = []
                for p in paths:
                    m = med.get(("transfer", p, c, tsize))
                    vals += [f"{m['mibs']:.2f}", f"{m['mibs_min']:.2f}", f"{m['mibs_max']:.2f}"] if m else ["NaN"] * 3
                f.write(f"{human(c)} " + " ".join(vals) + "\n")
    pr = [k for k in order if k[0] in ("file", "pipe")]
    if pr:
        with open(os.path.join(d, "chart-programs.dat"), "w") as f:
            f.write('method "file (tmpfs)" min max "pipe (write 64K)" min max\n')
            for meth in [k[1] for k in order if k[0] == "file"] or sorted({k[1] for k in pr}):
                vals = []
                for sec in ("file", "pipe"):
                    ks = [k for k in pr if k[0] == sec and k[1] == meth]
                    m = med[ks[0]] if ks else None
                    vals += [f"{m['mibs']:.2f}", f"{m['mibs_min']:.2f}", f"{m['mibs_max']:.2f}"] if m else ["NaN"] * 3
                f.write(f'"{meth}" ' + " ".join(vals) + "\n")
    if sc:
        with open(os.path.join(d, "chart-scaling.dat"), "w") as f:
            meths = sorted({k[1] for k in sc})
            f.write("size_mib " + " ".join(f'"{m}"' for m in meths) + "\n")
            for s in sorted({k[3] for k in sc}):
                vals = []
                for meth in meths:
                    m = med.get(("scaling", meth, 65536, s))
                    vals.append(f"{m['mibs']:.2f}" if m else "NaN")
                f.write(f"{s / MiB:g} " + " ".join(vals) + "\n")
    print(f"report.py: {len(rows)} runs, {len(order)} configurations -> {d}/results.md")


if __name__ == "__main__":
    main()
