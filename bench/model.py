#!/usr/bin/env python3
"""The hardware cost model of issue 14: guest event counts x native event prices.

    bench/model.py COSTS_DIR COUNTS_DIR [--out FILE.md]

COSTS_DIR holds costs.csv from bench/costs.sh (native prices, this machine's
CPU, stock host kernel); COUNTS_DIR holds counts.csv from bench/counts.sh (or,
for older runs, its printed table counts.txt): events per MiB in the TCG
guest, bench kernel. For each path and chunk the model sums, per MiB moved,
the priced steps of the writer and of the reader. Prices (costs.csv):

  section 7 (steps timed one at a time in strict turns, writer and reader on
  two CPUs as in a stream, in the same repetitions as the native runs of a,
  d, f): xbench's fill and verify, write()/vmsplice() and read()/splice()
  of one chunk; sections 1, 2, 4 for the mapped paths' faults, mmap, zap
  and new pages.
  The mapped paths have no native run, so their steps are priced by analogy:
    b writer       = a's writer (the same write() calls)
    b, c reader    = verify + one claim mmap+munmap per chunk + claim faults
                     (1-PTE file fault) + PTEs mapped ahead (fault-around's
                     per-PTE price) + the claim's pull (f's splice(): takes
                     the buffers off the ring, copies nothing) + zap + free
                     + flush per page at munmap
    c, e writer    = fill + window faults (1-PTE fault) + new window pages
                     (MADV_POPULATE_WRITE: allocate + zero + PTE; as many
                     as the guest allocated beyond what path b allocates
                     besides its pipe pages) + recycled ones
                     (a memset of a touched page + a PTE) + the
                     commit's append of whole pages (d's vmsplice(): appends
                     pages by reference) + the lend's zap of each page that
                     stays allocated (MADV_DONTNEED on memfd pages)
    e reader       = d's reader (read() copies pages appended by reference)

The stream's steady state picks the step prices (costs.c section 7 prices
each step with the pipe empty and with it full): if the writer is faster with
the pipe full, it stays ahead and the pipe stays full; else the reader takes
each chunk as it comes (pipe empty). The faster side sleeps, and the slower
one pays a wake-up (section 5: the waker's cost) per context switch.

Two rules combine the writer's and the reader's time into wall time per MiB;
both are computed, neither is fitted:
  overlap: max(writer, reader). The two run on two CPUs and overlap fully.
  lock:    max(writer, reader, writer's pipe calls + reader's pipe calls).
           pipe_write(), pipe_read(), vmsplice and splice do their work under
           pipe->mutex, so the two sides' calls cannot overlap each other.
Paths a, d and f also run natively (costs.csv section 7): the validation table
compares each rule's prediction with that measurement, within 15% or not.
"""
import argparse
import sys
from pathlib import Path

PAGES = 256          # 4 KiB pages per MiB
CHUNKS = {"4K": 4096, "64K": 65536, "1M": 1 << 20}
NATIVE = {"a": "pipe a write->read", "d": "pipe d vmsplice GIFT->read",
          "f": "pipe f write->splice /dev/null"}


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

    def turns(path, chunk, step, regime):
        """A step of path a, d or f at CHUNK, priced in the same repetitions as its native run."""
        row = next((k for k in rows if k.startswith(f"{NATIVE[path]} {chunk} (") and ":" not in k), None)
        if row is None:
            sys.exit(f"model.py: costs.csv has no row '{NATIVE[path]} {chunk} (...)' (rerun bench/costs.sh)")
        if step == "context switches":
            return get(f"{row}: context switches")
        return get(f"{row}: steps, two CPUs, pipe {regime}: {step}") * 1000   # ns per MiB

    return {
        "turns": turns,
        "fault": one,
        "extra_pte": (around - one) / (around_pages - 1),
        "window_page": get("MADV_POPULATE_WRITE anon (alloc+zero+PTE, no fault)"),
        "zero_page": get("memset 4 KiB, touched page"),
        "mmap_munmap": get("mmap+munmap 64 KiB (untouched)"),
        "zap_free": get("munmap populated 1 MiB (zap + local TLB flush)"),
        "zap_keep": get("zap 64 KiB of memfd pages, pages kept (MADV_DONTNEED)"),
        "wake": get("wake-up of a reader asleep on the other CPU: the waker's cost"),
        "native": {k: v for k, v in rows.items() if k.startswith("pipe ")},
    }


def counts(counts_dir):
    """counts.csv as counts.sh wrote it; counts.txt (its printed table) for runs that kept only that."""
    csv_path, txt_path = Path(counts_dir) / "counts.csv", Path(counts_dir) / "counts.txt"
    if csv_path.exists():
        rows = [l.rstrip("\n").split(",") for l in open(csv_path) if l.strip()]
    else:
        rows = [l.split() for l in open(txt_path) if l.strip()]
    head = [h.split()[0] if h.strip() else h for h in rows[0]]   # "csw (all but ...)": csw
    out = {}
    for l in rows[1:]:
        row = dict(zip(head, l))
        out[(row["path"], row["chunk"])] = {k: float(v) for k, v in row.items()
                                            if k not in ("path", "chunk", "size")}
    return out


def predict(p, n, path, chunk, regime):
    """Per-MiB time (ns) of writer and reader as {term: (ns, under pipe->mutex)}."""
    calls = (1 << 20) / CHUNKS[chunk]
    t = lambda a, step: p["turns"](a, chunk, step, regime)
    base = n[("a", chunk)]["pgfault"]                 # the run's own faults
    window_faults = claim_faults = 0.0
    if path in ("c", "e"):
        window_faults = max(n[("e", chunk)]["pgfault"] - base, 0)
    if path in ("b", "c"):
        claim_faults = max(n[(path, chunk)]["pgfault"] - base - window_faults, 0)
    w, r = {}, {}
    if path in ("a", "d", "f"):
        w["fill"] = (t(path, "writer fill"), False)
        call = "writer vmsplice()" if path == "d" else "writer write()"
        w[call] = (t(path, call), True)
        if path == "f":
            r["reader splice()"] = (t("f", "reader splice()"), True)
        else:
            r["reader read()"] = (t(path, "reader read()"), True)
            r["verify"] = (t(path, "reader verify"), False)
        return w, r
    w["fill"] = (t("a", "writer fill"), False)
    if path == "b":
        w["writer write()"] = (t("a", "writer write()"), True)
    else:
        w["window faults"] = (window_faults * p["fault"], False)
        # New window pages: what the guest allocated beyond what path b
        # allocates besides its pipe pages (one per page moved: claims take
        # them over). The rest came back from the pipe's pool (patch 6)
        # and are only zeroed and mapped.
        def allocs(q):
            return n[(q, chunk)]["pgalloc_dma32"] + n[(q, chunk)]["pgalloc_normal"]
        new = min(max(allocs(path) - (allocs("b") - PAGES), 0), PAGES)
        w["window pages (alloc + zero + PTE)"] = (new * p["window_page"], False)
        w["recycled window pages (zero + PTE)"] = (
            (PAGES - new) * (p["zero_page"] + p["extra_pte"]), False)
        w["commit: append pages (as vmsplice)"] = (t("d", "writer vmsplice()"), True)
        w["commit: zap lent pages"] = (PAGES * p["zap_keep"], False)
    if path == "e":
        r["reader read()"] = (t("d", "reader read()"), True)
        r["verify"] = (t("d", "reader verify"), False)
    else:
        r["verify"] = (t("a", "reader verify"), False)
        r["claim mmap+munmap"] = (calls * p["mmap_munmap"], False)
        r["claim faults"] = (claim_faults * p["fault"], False)
        r["PTEs mapped ahead"] = (max(PAGES - claim_faults, 0) * p["extra_pte"], False)
        r["pull (as splice)"] = (t("f", "reader splice()"), True)
        r["zap + free + flush"] = (PAGES * p["zap_free"], False)
    return w, r


def steady(p, n, path, chunk):
    """The stream's steady state: if the writer is the faster side with the pipe
    full, it stays ahead and the pipe stays full; else the reader keeps up and
    takes each chunk as it is written (pipe empty). Returns (regime, w, r)."""
    w, r = predict(p, n, path, chunk, "full")
    regime = "full"
    if sum(v for v, _ in w.values()) > sum(v for v, _ in r.values()):
        regime = "empty"
        w, r = predict(p, n, path, chunk, regime)
    # The faster side sleeps (on a full or an empty pipe); the other wakes it.
    # Context switches depend on timing: a, d, f take them from their native
    # run, the mapped paths from the guest (xbench's rusage there).
    if path in NATIVE:
        csw = p["turns"](path, chunk, "context switches", regime)
    else:
        csw = n[(path, chunk)]["csw"]
    (w if regime == "empty" else r)["wake-ups"] = (csw * p["wake"], False)
    return regime, w, r


def walls(w, r):
    """Wall ns per MiB under the two rules: (overlap, lock)."""
    ws, rs = sum(v for v, _ in w.values()), sum(v for v, _ in r.values())
    locked = sum(v for v, l in w.values() if l) + sum(v for v, l in r.values() if l)
    return ws, rs, max(ws, rs), max(ws, rs, locked)



def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("costs")
    ap.add_argument("counts")
    ap.add_argument("--out")
    a = ap.parse_args()
    p, n = prices(a.costs), counts(a.counts)
    chunks = [ch for ch in CHUNKS if ("a", ch) in n]
    pred = {}
    for path in "abcdef":
        for ch in chunks:
            if (path, ch) in n:
                regime, w, r = steady(p, n, path, ch)
                pred[(path, ch)] = (w, r) + walls(w, r) + (regime,)
    out = ["# Cost model: predicted hardware throughput", "",
           f"- prices: `{a.costs}/costs.csv`; counts: `{a.counts}/`",
           "- per MiB: writer's and reader's time in µs; MiB/s = 1 / wall time per MiB under each rule",
           "  (overlap: max(writer, reader); lock: max(writer, reader, both sides' pipe calls))", "",
           "## Validation: paths a, d, f predicted vs measured natively", "",
           "| path, chunk | pipe | writer µs | reader µs | measured MiB/s | overlap: MiB/s, error | lock: MiB/s, error |",
           "|---|---|---|---|---|---|---|"]
    hits = {"overlap": 0, "lock": 0}
    rows = 0
    for path in "adf":
        for ch in chunks:
            if (path, ch) not in pred:
                continue
            _, _, ws, rs, ov, lk, regime = pred[(path, ch)]
            # costs.sh names the row with the size it moved ("... 64K (256 MiB)")
            meas = next((v for k, v in p["native"].items()
                         if k.startswith(f"{NATIVE[path]} {ch} (") and ":" not in k), None)
            if meas is None:
                out.append(f"| {path} {ch} | {regime} | {ws / 1e3:.0f} | {rs / 1e3:.0f} | not measured | | |")
                continue
            rows += 1
            cells = []
            for rule, wall in (("overlap", ov), ("lock", lk)):
                mibs = 1e9 / wall
                err = mibs / meas - 1
                ok = abs(err) <= 0.15
                hits[rule] += ok
                cells.append(f"{mibs:.0f}, {err:+.0%}{'' if ok else ' (over 15%)'}")
            out.append(f"| {path} {ch} | {regime} | {ws / 1e3:.0f} | {rs / 1e3:.0f} | {meas:.0f} | " + " | ".join(cells) + " |")
    out += ["", f"Within 15%: overlap {hits['overlap']} of {rows}, lock {hits['lock']} of {rows}.",
            "The model is validated only if one rule gets every row within 15%.", "",
            "## Predicted ratios to path a (same chunk, same rule): overlap / lock", "",
            "| path | " + " | ".join(chunks) + " |", "|---|" + "---|" * len(chunks)]
    for path in "bcdef":
        cells = []
        for ch in chunks:
            if (path, ch) in pred and ("a", ch) in pred:
                cells.append(f"{pred[('a', ch)][4] / pred[(path, ch)][4]:.2f} / "
                             f"{pred[('a', ch)][5] / pred[(path, ch)][5]:.2f}")
            else:
                cells.append("")
        out.append(f"| {path} | " + " | ".join(cells) + " |")
    out += ["", "## Terms (µs per MiB; * under pipe->mutex)", ""]
    for (path, ch), (w, r, ws, rs, _, _, regime) in pred.items():
        fmt = lambda d: "; ".join(f"{k}{'*' if l else ''} {v / 1000:.0f}" for k, (v, l) in d.items())
        out.append(f"- {path} {ch}, pipe {regime}: writer {ws / 1e3:.0f} ({fmt(w)}); reader {rs / 1e3:.0f} ({fmt(r)})")
    text = "\n".join(out) + "\n"
    if a.out:
        Path(a.out).write_text(text)
    print(text, end="")


if __name__ == "__main__":
    main()
