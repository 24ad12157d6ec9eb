#!/usr/bin/env python3
"""The hardware cost model of issue 14: guest event counts x native event prices.

    bench/model.py COSTS_DIR COUNTS_DIR [--out FILE.md]

COSTS_DIR holds costs.csv from bench/costs.sh (native prices, this machine's
CPU, stock host kernel); COUNTS_DIR holds counts.csv from bench/counts.sh (or, for older runs, its printed table counts.txt)
(events per MiB in the TCG guest, bench kernel). For each path and chunk the
model sums, per MiB moved and per process, the events' prices:

  writer: fill, copies into the pipe, write()/vmsplice()/msync() calls, pipe
          pages allocated, window faults (c, e: a page allocated and zeroed)
  reader: verify, copies out of the pipe, read()/splice() calls, claim
          mmap+munmap, claim faults and the PTEs they map, zap and flush of
          unmapped claim pages, pipe pages freed

Predicted wall time per MiB = max(writer, reader): on two free CPUs the two
processes overlap, and the slower one sets the pace. Context switches are not
priced (they depend on timing; see bench/README.md). Paths a, d and f run
natively too (costs.csv section 7): the validation table compares the
prediction with that measurement and says whether it is within 15%.
"""
import argparse
import sys
from pathlib import Path

PAGES = 256          # 4 KiB pages per MiB
CHUNKS = {"4K": 4096, "64K": 65536, "1M": 1 << 20}


def prices(costs_dir):
    rows = {}
    with open(Path(costs_dir) / "costs.csv") as f:
        next(f)
        for line in f:
            # names may hold commas and are not quoted: the 5 fields after them are fixed
            name, _unit, median, _lo, _hi, _reps = line.rstrip("\n").rsplit(",", 5)
            rows[name] = float(median)

    def get(name):
        if name not in rows:
            sys.exit(f"model.py: costs.csv has no row '{name}' (rerun bench/costs.sh)")
        return rows[name]

    around = get("fault memfd read (fault-around)")
    around_pages = get("fault memfd read (fault-around): pages per fault")
    one = get("fault memfd read (1 cached page per 64K)")
    anon_w = get("fault anon write (alloc+zero)")
    anon_r = get("fault anon read (zero page)")
    touched = get("memset 4 KiB, touched page")
    return {
        "fill": get("xbench fill (writer's pattern)"),
        "verify": get("xbench verify (reader's check)"),
        "copy_in": get("rep movsb 4 KiB pages written by this core"),
        "copy_out": get("rep movsb 4 KiB pages written by the other core"),
        "syscall": get("getppid() system call"),
        "claim_fault": one,
        "extra_pte": (around - one) / (around_pages - 1),
        "window_fault": anon_w,
        # a page allocated (and freed) without zeroing: anon write fault less
        # the fault itself (zero-page read fault) less the zeroing (a memset
        # of a touched page); see bench/README.md
        "alloc": max(anon_w - anon_r - touched, 0.0),
        "mmap_munmap": get("mmap+munmap 64 KiB (untouched)"),
        "zap": get("munmap populated 1 MiB (zap + local TLB flush)"),
        "native": {k: v for k, v in rows.items() if k.startswith("pipe ")},
    }


def counts(counts_dir):
    """counts.csv as counts.sh wrote it; counts.txt (its printed table) for runs that kept only that."""
    csv_path, txt_path = Path(counts_dir) / "counts.csv", Path(counts_dir) / "counts.txt"
    if csv_path.exists():
        rows = [l.rstrip("\n").split(",") for l in open(csv_path) if l.strip()]
    else:
        rows = [l.split() for l in open(txt_path) if l.strip()]
    head = rows[0]
    out = {}
    for l in rows[1:]:
        row = dict(zip(head, l))
        out[(row["path"], row["chunk"])] = {k: float(v) for k, v in row.items()
                                            if k not in ("path", "chunk", "size")}
    return out


def predict(p, n, path, chunk):
    """Per-MiB CPU time (ns) of writer and reader, and the terms, for one path and chunk."""
    calls = (1 << 20) / CHUNKS[chunk]
    c = n[(path, chunk)]
    base = n[("a", chunk)]["pgfault"]                 # the run's own faults
    claim_faults = window_faults = 0.0
    if path in ("c", "e"):
        window_faults = n[("e", chunk)]["pgfault"] - base
    if path in ("b", "c"):
        claim_faults = c["pgfault"] - base - window_faults
    allocs = c["pgalloc_dma32"] + c["pgalloc_normal"]
    w, r = {}, {}
    w["fill"] = PAGES * p["fill"]
    if path in ("a", "b", "f"):
        w["copy into the pipe"] = PAGES * p["copy_in"]
    if path in ("c", "e"):
        w["commit copy"] = PAGES * p["copy_in"]
        w["window faults"] = window_faults * p["window_fault"]
    w["calls"] = calls * p["syscall"]
    w["pages allocated"] = max(allocs - window_faults, 0) * p["alloc"]
    if path != "f":
        r["verify"] = PAGES * p["verify"]
    if path in ("a", "d", "e"):
        r["copy out of the pipe"] = PAGES * p["copy_out"]
    r["calls"] = calls * p["syscall"]
    if path in ("b", "c"):
        r["claim mmap+munmap"] = calls * p["mmap_munmap"]
        r["claim faults"] = claim_faults * p["claim_fault"]
        r["PTEs mapped ahead"] = max(PAGES - claim_faults, 0) * p["extra_pte"]
        r["zap + flush"] = PAGES * p["zap"]
    return w, r


NATIVE = {"a": "pipe a write->read", "d": "pipe d vmsplice GIFT->read",
          "f": "pipe f write->splice /dev/null"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("costs")
    ap.add_argument("counts")
    ap.add_argument("--out")
    a = ap.parse_args()
    p, n = prices(a.costs), counts(a.counts)
    chunks = [ch for ch in CHUNKS if ("a", ch) in n]
    out = ["# Cost model: predicted hardware throughput", "",
           f"- prices: `{a.costs}/costs.csv`; counts: `{a.counts}/`",
           "- per MiB: writer and reader CPU time in µs; predicted MiB/s = 1 / max(writer, reader)", ""]
    out += ["## Validation: paths a, d, f predicted vs measured natively", "",
            "| path, chunk | writer µs | reader µs | predicted MiB/s | measured MiB/s | error | within 15% |",
            "|---|---|---|---|---|---|---|"]
    pred = {}
    for path in "abcdef":
        for ch in chunks:
            if (path, ch) not in n:
                continue
            w, r = predict(p, n, path, ch)
            ws, rs = sum(w.values()) / 1000, sum(r.values()) / 1000
            pred[(path, ch)] = (ws, rs, 1e6 / max(ws, rs), w, r)
    for path in "adf":
        for ch in chunks:
            if (path, ch) not in pred:
                continue
            ws, rs, mibs, _, _ = pred[(path, ch)]
            # costs.sh names the row with the size it moved ("... 64K (256 MiB)")
            meas = next((v for k, v in p["native"].items()
                         if k.startswith(f"{NATIVE[path]} {ch} (") and ":" not in k), None)
            if meas is None:
                out.append(f"| {path} {ch} | {ws:.0f} | {rs:.0f} | {mibs:.0f} | not measured | | |")
                continue
            err = mibs / meas - 1
            out.append(f"| {path} {ch} | {ws:.0f} | {rs:.0f} | {mibs:.0f} | {meas:.0f} | {err:+.0%} | "
                       f"{'yes' if abs(err) <= 0.15 else 'NO'} |")
    out += ["", "## Predicted ratios to path a (same chunk)", "",
            "| path | " + " | ".join(chunks) + " |", "|---|" + "---|" * len(chunks)]
    for path in "bcdef":
        cells = []
        for ch in chunks:
            if (path, ch) in pred and ("a", ch) in pred:
                cells.append(f"{pred[(path, ch)][2] / pred[('a', ch)][2]:.2f}")
            else:
                cells.append("")
        out.append(f"| {path} | " + " | ".join(cells) + " |")
    out += ["", "## Terms (µs per MiB)", ""]
    for (path, ch), (ws, rs, mibs, w, r) in pred.items():
        terms = "; ".join(f"{k} {v / 1000:.0f}" for k, v in w.items())
        rterms = "; ".join(f"{k} {v / 1000:.0f}" for k, v in r.items())
        out.append(f"- {path} {ch}: writer {ws:.0f} ({terms}); reader {rs:.0f} ({rterms})")
    text = "\n".join(out) + "\n"
    if a.out:
        Path(a.out).write_text(text)
    print(text, end="")


if __name__ == "__main__":
    main()
