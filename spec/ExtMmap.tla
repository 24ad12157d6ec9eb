------------------------------ MODULE ExtMmap ------------------------------
(***************************************************************************)
(* Extended mmap() for pipes: mapping the read end claims a byte range of  *)
(* the stream; mapping the write end gives a window committed by msync().  *)
(* spec/README.md explains every rule in prose and names the definition    *)
(* here that states it.  The mechanism variables (buf, u, r, objs, refs)   *)
(* follow the data the way the kernel moves it; the ghost `stream` records *)
(* what was committed and is read only by the properties, so that they     *)
(* check the mechanism instead of restating it.                            *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    NProcs,   \* processes 1..NProcs; process 1 exists, the others are born by fork
    P,        \* page size in bytes
    C,        \* pipe capacity in bytes (F_GETPIPE_SZ): C \div P page slots
    MaxLen,   \* longest mapping length tried
    MaxIO,    \* longest read()/write() tried
    MaxW,     \* bound on the stream length (a model bound, not a rule)
    MaxObjs,  \* bound on the number of mappings made (a model bound)
    Alpha,    \* byte values writers use; must not contain Zero or None
    Ops,      \* the calls this configuration explores
    WakeAtOnce \* TRUE: a wake-up is the next step (Blocking and waking)

Zero == "0"                 \* a zero byte: window contents and zero fill
None == "-"                 \* a claimed byte not (or no longer) held by its mapping
Procs == 1..NProcs
ObjIds == 1..MaxObjs
Ends == {"r", "w"}
NPages(n) == (n + P - 1) \div P
Pages == 0..(NPages(MaxLen) - 1)
Min(a, b) == IF a < b THEN a ELSE b
Max(a, b) == IF a > b THEN a ELSE b
Idle == [op |-> "none"]
NSlots == C \div P         \* the pipe's ring: one page per slot (Capacity)
ASSUME C % P = 0 /\ NSlots > 0 /\ WakeAtOnce \in BOOLEAN

VARIABLES
    life,    \* [Procs -> {"unborn", "alive", "dead"}]
    fds,     \* [Procs -> SUBSET Ends]: the pipe descriptors a process holds
    pc,      \* [Procs -> call]: Idle, or the call the process is blocked in
    stream,  \* ghost: every byte committed so far, in order (S; W = Len(stream))
    buf,     \* bytes committed but not yet pulled (positions u .. W-1)
    slots,   \* the ring holding buf: <<[fill, len]>>, a page each: fill bytes
             \* were put in it, its last len bytes are still there
    u,       \* positions below u have been pulled out of the buffer
    r,       \* the read cursor R: next position read()/mmap hands out
    objs,    \* the mappings made, by id: claims (read end) and windows (write end)
    maps,    \* [Procs -> [ObjIds -> SUBSET Pages]]: pages each process maps
    mods,    \* [Procs -> [ObjIds -> set of <<offset, byte>>]]: MAP_PRIVATE stores
    rrefs,   \* references to the read end: descriptors plus mappings (VMAs)
    wrefs,   \* references to the write end: descriptors plus windows (VMAs)
    last     \* history: the step just taken, its arguments and its outcome

vars == <<life, fds, pc, stream, buf, slots, u, r, objs, maps, mods, rrefs, wrefs, last>>

W == u + Len(buf)           \* bytes committed, computed from the mechanism
EOF == wrefs = 0            \* no writer reference left (Lifetime)
Readers == rrefs > 0
FreeSlot(sl) == Len(sl) < NSlots  \* room for a new page (Capacity)

IsClaim(o) == o \in 1..Len(objs) /\ objs[o].kind = "claim"
IsWindow(o) == o \in 1..Len(objs) /\ objs[o].kind = "window"
MappedBy(p, o) == maps[p][o] # {}
MappedAnywhere(o, k) == \E q \in Procs : k \in maps[q][o]

(* Page k of a mapping of length n covers offsets [PageLo(k), PageHi(n, k)). *)
PageLo(k) == k * P
PageHi(n, k) == Min(k * P + P, n)

(* Where a load at offset i of claim ob pulls to.  A page already pulled  *)
(* needs nothing.  Otherwise the load pulls its page and every later page  *)
(* of the claim whose bytes have all been committed: it makes all of them  *)
(* resident at once (the kernel maps them in one fault).                   *)
ReadyHi(ob) == IF W >= ob.base + ob.len THEN ob.len
               ELSE ((W - ob.base) \div P) * P
LoadHi(ob, i) ==
    LET hi == ob.base + PageHi(ob.len, i \div P)
    IN IF hi <= u THEN hi ELSE Max(hi, ob.base + ReadyHi(ob))

-----------------------------------------------------------------------------
(* Pulling: positions [u, k) leave the buffer in order.  A byte whose      *)
(* claimed page is still mapped somewhere goes into that claim's store;    *)
(* any other byte is dropped (it was read, or its mapping is gone).        *)
(* Pull is applied to intermediate values, so it takes them as arguments.  *)
(* The ring gives bytes up from its head; an emptied slot is freed.        *)
RECURSIVE Consume(_, _)
Consume(sl, k) ==
    IF k = 0 \/ sl = <<>> THEN sl
    ELSE IF Head(sl).len <= k THEN Consume(Tail(sl), k - Head(sl).len)
    ELSE <<[Head(sl) EXCEPT !.len = @ - k]>> \o Tail(sl)

Pull(u0, buf0, sl0, objs0, k) ==
    LET nu == Max(u0, Min(k, u0 + Len(buf0)))
        Take(o, i) ==
            LET pos == objs0[o].base + i - 1
            IN IF pos >= u0 /\ pos < nu /\ MappedAnywhere(o, (i - 1) \div P)
               THEN buf0[pos - u0 + 1] ELSE objs0[o].got[i]
        no == [o \in 1..Len(objs0) |->
                IF objs0[o].kind = "claim"
                THEN [objs0[o] EXCEPT !.got = [i \in 1..objs0[o].len |-> Take(o, i)]]
                ELSE objs0[o]]
    IN [u |-> nu, buf |-> SubSeq(buf0, nu - u0 + 1, Len(buf0)),
        slots |-> Consume(sl0, nu - u0), objs |-> no]

(* Where a blocked call needs the stream to be pulled up to: a read()      *)
(* needs everything before the read cursor gone, a load its page's bytes.  *)
Demand(q) ==
    CASE pc[q].op = "read" -> r
      [] pc[q].op \in {"load", "store"} ->
            objs[pc[q].o].base + PageHi(objs[pc[q].o].len, pc[q].i \div P)
      [] OTHER -> 0

WaiterDemand(p) ==
    LET ds == {0} \cup {Demand(q) : q \in Procs \ {p}}
    IN CHOOSE d \in ds : \A e \in ds : e <= d

-----------------------------------------------------------------------------
(* The outcome of a load (or of the fault a MAP_PRIVATE store takes) at    *)
(* offset i of claim ob, seen by process p, once pulling has been done:    *)
(* a byte, "SIGBUS", or "block".  LoadRule states the page rule of         *)
(* semantics.md; LoadValue says which byte a resident page shows.          *)
LoadValue(p, o, ob, i, w) ==
    IF \E m \in mods[p][o] : m[1] = i
    THEN (CHOOSE m \in mods[p][o] : m[1] = i)[2]
    ELSE IF i >= ob.len \/ ob.base + i >= w THEN Zero
    ELSE ob.got[i + 1]

LoadRule(p, o, ob, i, w) ==
    LET k == i \div P
    IN IF w >= ob.base + PageHi(ob.len, k) THEN LoadValue(p, o, ob, i, w)
       ELSE IF EOF
            THEN IF ob.base + PageLo(k) >= w THEN "SIGBUS"
                 ELSE LoadValue(p, o, ob, i, w)
            ELSE "block"

-----------------------------------------------------------------------------
(* Reference counting (Lifetime).  A process holds one reference per      *)
(* descriptor and one per mapping it has any page of.                      *)
EndOf(o) == IF objs[o].kind = "claim" THEN "r" ELSE "w"
RefsOf(p, e) ==
    (IF e \in fds[p] THEN 1 ELSE 0)
  + Cardinality({o \in 1..Len(objs) : objs[o].kind # "gone" /\ EndOf(o) = e /\ MappedBy(p, o)})

(* What exit or kill of p leaves: no descriptors, no mappings.             *)
NoMaps == [o \in ObjIds |-> {}]
NoMods == [o \in ObjIds |-> {}]

(* After mappings went away: claim pages mapped nowhere forget their bytes *)
(* (the kernel frees those pages) and windows mapped nowhere are gone with *)
(* their uncommitted bytes.                                                *)
Collect(objs0, maps0) ==
    [o \in 1..Len(objs0) |->
        IF objs0[o].kind = "claim"
        THEN [objs0[o] EXCEPT !.got = [i \in 1..objs0[o].len |->
                IF \E q \in Procs : (i - 1) \div P \in maps0[q][o]
                THEN objs0[o].got[i] ELSE None]]
        ELSE IF objs0[o].kind = "window" /\ \A q \in Procs : maps0[q][o] = {}
        THEN [kind |-> "gone"]
        ELSE objs0[o]]

-----------------------------------------------------------------------------
(* Appending to the stream: write() and msync() commits, the way Linux's *)
(* pipe_write() fills its ring.  A new call first merges its last partial *)
(* page (Len(data) % P bytes) into the last slot when they fit behind the *)
(* bytes put there; the rest goes into new slots of up to P bytes while a *)
(* slot is free.  Bytes that blocked readers and loads are waiting for    *)
(* are pulled at once, so they free slots as they arrive and claims never *)
(* hold a writer up (NoHiddenDeadlock).  `fresh` is FALSE for a call that *)
(* resumes after blocking: Linux merges only on entry.                    *)
WithN(pl, n) == [u |-> pl.u, buf |-> pl.buf, slots |-> pl.slots, objs |-> pl.objs, n |-> n]

RECURSIVE Fill(_, _, _, _)
Fill(st, data, n, d) ==
    IF n = Len(data) \/ ~FreeSlot(st.slots) THEN [st EXCEPT !.n = n]
    ELSE LET m == Min(P, Len(data) - n)
             pl == Pull(st.u, st.buf \o SubSeq(data, n + 1, n + m),
                        Append(st.slots, [fill |-> m, len |-> m]), st.objs, d)
         IN Fill(WithN(pl, 0), data, n + m, d)

AppendData(p, data, fresh) ==
    LET d == WaiterDemand(p)
        chars == Len(data) % P
        lst == slots[Len(slots)]
        merge == fresh /\ chars > 0 /\ slots # <<>> /\ lst.fill + chars <= P
        m == IF merge THEN chars ELSE 0
        sl == IF merge
              THEN [slots EXCEPT ![Len(slots)] = [fill |-> lst.fill + chars, len |-> lst.len + chars]]
              ELSE slots
        pl == Pull(u, buf \o SubSeq(data, 1, m), sl, objs, d)
    IN Fill(WithN(pl, 0), data, m, d)

Appendable(p) == FreeSlot(slots) \/ ~Readers

(* Where the buffer, its ring and the claim stores stand after a pull or  *)
(* an append (a record with fields u, buf, slots, objs).                   *)
Mechanism(m) == u' = m.u /\ buf' = m.buf /\ slots' = m.slots /\ objs' = m.objs

(* The `last' records of read(), write() and msync().                     *)
ReadHist(p, n, ret, val) == [p |-> p, op |-> "read", n |-> n, pos |-> r, ret |-> ret, val |-> val]
WriteHist(p, data, sigpipe, ret, val) ==
    [p |-> p, op |-> "write", data |-> data, sigpipe |-> sigpipe, ret |-> ret, val |-> val]
MsyncHist(p, o, e, sigpipe, ret) ==
    [p |-> p, op |-> "msync", o |-> o, e |-> e, sigpipe |-> sigpipe, ret |-> ret, val |-> 0]

-----------------------------------------------------------------------------
ReadReady == W > r \/ EOF

(* A blocked call can complete (see Wake).  With WakeAtOnce, while one    *)
(* can, it is the only step: the kernel wakes the waiter, and a test      *)
(* waits for it.  Without, other steps may come first, as they do when    *)
(* processes run freely (trace validation of concurrent histories).       *)
CanWake(p) ==
    /\ life[p] = "alive"
    /\ pc[p].op # "none"
    /\ CASE pc[p].op = "read" -> ReadReady
         [] pc[p].op \in {"load", "store"} ->
                LoadRule(p, pc[p].o, objs[pc[p].o], pc[p].i, W) # "block"
         (* a commit is also done once another commit of the window took *)
         (* the shared commit point to its end (fork shares windows)       *)
         [] pc[p].op = "msync" -> Appendable(p) \/ objs[pc[p].o].c >= pc[p].e
         [] OTHER -> Appendable(p)

WakePending == \E q \in Procs : CanWake(q)

(* A process may make a call: it is alive, not blocked, and no wake-up is *)
(* pending; `op` must be among the calls this configuration explores.     *)
Ready(p, op) ==
    op \in Ops /\ life[p] = "alive" /\ pc[p] = Idle /\ (WakeAtOnce => ~WakePending)
Interruptible(p, op) ==
    op \in Ops /\ life[p] = "alive" /\ pc[p] # Idle /\ (WakeAtOnce => ~WakePending)

(* read(): returns bytes after every claimed range.                        *)
ReadDone(p, n) ==
    LET pl == Pull(u, buf, slots, objs, r)  \* pass claimed bytes on (or drop them)
        k == Min(n, W - r)
    IN IF W > r
       THEN /\ Mechanism([u |-> r + k, buf |-> SubSeq(pl.buf, k + 1, Len(pl.buf)),
                          slots |-> Consume(pl.slots, k), objs |-> pl.objs])
            /\ r' = r + k
            /\ last' = ReadHist(p, n, "ok", SubSeq(pl.buf, 1, k))
       ELSE /\ Mechanism(pl) /\ r' = r
            /\ last' = ReadHist(p, n, "ok", <<>>)

Read(p, n) ==
    /\ Ready(p, "read")
    /\ "r" \in fds[p]
    /\ IF ReadReady
       THEN ReadDone(p, n) /\ UNCHANGED pc
       ELSE LET pl == Pull(u, buf, slots, objs, r)
            IN /\ Mechanism(pl)
               /\ pc' = [pc EXCEPT ![p] = [op |-> "read", n |-> n]]
               /\ last' = ReadHist(p, n, "block", <<>>)
               /\ UNCHANGED r
    /\ UNCHANGED <<life, fds, stream, maps, mods, rrefs, wrefs>>

(* write(): blocks while full, EPIPE (and SIGPIPE) with no reader.         *)
WriteStep(p, data, done, fresh) ==
    IF ~Readers
    THEN /\ pc' = [pc EXCEPT ![p] = Idle]
         /\ last' = WriteHist(p, data, TRUE, IF done > 0 THEN "ok" ELSE "EPIPE", done)
         /\ UNCHANGED <<stream, buf, slots, u, objs>>
    ELSE LET a == AppendData(p, data, fresh)
             rest == SubSeq(data, a.n + 1, Len(data))
         IN /\ stream' = stream \o SubSeq(data, 1, a.n)
            /\ Mechanism(a)
            /\ IF rest = <<>>
               THEN /\ pc' = [pc EXCEPT ![p] = Idle]
                    /\ last' = WriteHist(p, data, FALSE, "ok", done + a.n)
               ELSE /\ pc' = [pc EXCEPT ![p] = [op |-> "write", data |-> rest,
                                                done |-> done + a.n]]
                    /\ last' = WriteHist(p, data, FALSE, "block", done + a.n)

Write(p, data) ==
    /\ Ready(p, "write")
    /\ "w" \in fds[p]
    /\ Len(stream) + Len(data) <= MaxW
    /\ WriteStep(p, data, 0, TRUE)
    /\ UNCHANGED <<life, fds, r, maps, mods, rrefs, wrefs>>

(* close(): drops one reference; the last writer reference means EOF.      *)
Close(p, e) ==
    /\ Ready(p, "close")
    /\ e \in fds[p]
    /\ fds' = [fds EXCEPT ![p] = @ \ {e}]
    /\ rrefs' = IF e = "r" THEN rrefs - 1 ELSE rrefs
    /\ wrefs' = IF e = "w" THEN wrefs - 1 ELSE wrefs
    /\ last' = [p |-> p, op |-> "close", end |-> e, ret |-> "ok", val |-> 0]
    /\ UNCHANGED <<life, pc, stream, buf, slots, u, r, objs, maps, mods>>

(* poll()/FIONREAD: readable exactly when read() would not block; only the *)
(* bytes read() could return are counted.                                  *)
Poll(p) ==
    /\ Ready(p, "poll")
    /\ "r" \in fds[p]
    /\ last' = [p |-> p, op |-> "poll",
                ret |-> "ok",
                val |-> [readable |-> ReadReady, nread |-> Max(0, W - r)]]
    /\ UNCHANGED <<life, fds, pc, stream, buf, slots, u, r, objs, maps, mods, rrefs, wrefs>>

(* The end query: ioctl(rfd, PIPE_IOC_CLAIM_END, &q), q.addr in a page of *)
(* claim o that p maps: how many of the claim's bytes are stream bytes so  *)
(* far (committed: W past the claim's base), and whether that count is     *)
(* final (EOF, or the whole claim is there).  It never blocks and changes  *)
(* nothing but `last`; the address of a window is no claim: EINVAL.        *)
ClaimEnd(p, o) ==
    /\ Ready(p, "claimend")
    /\ "r" \in fds[p]
    /\ o \in 1..Len(objs) /\ objs[o].kind # "gone" /\ MappedBy(p, o)
    /\ last' = IF IsClaim(o)
               THEN LET n == Min(objs[o].len, Max(0, W - objs[o].base))
                    IN [p |-> p, op |-> "claimend", o |-> o, ret |-> "ok",
                        val |-> [n |-> n, final |-> EOF \/ n = objs[o].len]]
               ELSE [p |-> p, op |-> "claimend", o |-> o, ret |-> "EINVAL",
                     val |-> [n |-> 0, final |-> FALSE]]
    /\ UNCHANGED <<life, fds, pc, stream, buf, slots, u, r, objs, maps, mods, rrefs, wrefs>>

-----------------------------------------------------------------------------
(* mmap(): the arguments tried are the valid combinations and, for each  *)
(* error, one call that deviates in exactly that way; MmapTries lists them *)
(* with the outcome each must have.                                        *)
ValidMmap == {[end |-> "r", prot |-> "r", flags |-> "shared"],
              [end |-> "r", prot |-> "r", flags |-> "private"],
              [end |-> "r", prot |-> "rw", flags |-> "private"],
              [end |-> "w", prot |-> "rw", flags |-> "shared"]}
Try(a, len, off, err) == [end |-> a.end, prot |-> a.prot, flags |-> a.flags,
                          len |-> len, off |-> off, err |-> err]
Exec(a) == [a EXCEPT !.prot = a.prot \o "x"]
MmapTries ==
    {Try(a, len, 0, "none") : a \in ValidMmap, len \in 1..MaxLen}
    \cup IF "mmaperr" \notin Ops THEN {} ELSE
      {Try(a, 0, 0, "EINVAL") : a \in ValidMmap}              \* len == 0
    \cup {Try(a, 1, P, "EINVAL") : a \in ValidMmap}          \* offset != 0
    \cup {Try(Exec(a), 1, 0, "EPERM") : a \in ValidMmap}     \* PROT_EXEC
    \cup {Try([end |-> "r", prot |-> "rw", flags |-> "shared"], 1, 0, "EACCES"),
          Try([end |-> "w", prot |-> "rw", flags |-> "private"], 1, 0, "EINVAL"),
          Try([end |-> "w", prot |-> "r", flags |-> "shared"], 1, 0, "EACCES")}

MmapOk(p, e, len, prot, fl) ==
    /\ Len(objs) < MaxObjs
    /\ LET o == Len(objs) + 1
       IN /\ objs' = Append(objs,
                IF e = "r"
                THEN [kind |-> "claim", base |-> r, len |-> len,
                      shared |-> fl = "shared", rw |-> prot = "rw",
                      got |-> [i \in 1..len |-> None]]
                ELSE [kind |-> "window", len |-> len,
                      data |-> [i \in 1..len |-> Zero], c |-> 0])
          /\ maps' = [maps EXCEPT ![p][o] = 0..(NPages(len) - 1)]
          /\ r' = IF e = "r" THEN r + len ELSE r   \* the claim (Exclusivity)
          /\ rrefs' = IF e = "r" THEN rrefs + 1 ELSE rrefs
          /\ wrefs' = IF e = "w" THEN wrefs + 1 ELSE wrefs
          /\ last' = [p |-> p, op |-> "mmap", end |-> e, len |-> len, prot |-> prot,
                      flags |-> fl, off |-> 0, ret |-> "ok", val |-> o]
    /\ UNCHANGED <<life, fds, pc, stream, buf, slots, u, mods>>

Mmap(p, t) ==
    /\ Ready(p, IF t.err = "none" THEN "mmap" ELSE "mmaperr")
    /\ t.end \in fds[p]
    /\ IF t.err = "none"
       THEN MmapOk(p, t.end, t.len, t.prot, t.flags)
       ELSE /\ last' = [p |-> p, op |-> "mmap", end |-> t.end, len |-> t.len,
                        prot |-> t.prot, flags |-> t.flags, off |-> t.off, ret |-> t.err,
                        val |-> 0]
            /\ UNCHANGED <<life, fds, pc, stream, buf, slots, u, r, objs, maps, mods, rrefs, wrefs>>

-----------------------------------------------------------------------------
(* Loads and stores.  Offsets run to the end of the last page: the bytes  *)
(* past the mapping's length read zero and are never another claim's.     *)

FaultCall(op, o, i, v) == [op |-> op, o |-> o, i |-> i, v |-> v]
FaultHist(p, call, ret, val) ==
    [p |-> p, op |-> call.op, o |-> call.o, i |-> call.i, v |-> call.v, ret |-> ret,
     val |-> val]

FaultStep(p, o, i, call) ==
    LET ob0 == objs[o]
        pl == Pull(u, buf, slots, objs, LoadHi(ob0, i))
        out == LoadRule(p, o, pl.objs[o], i, W)
    IN /\ Mechanism(pl)
       /\ IF out = "block"
          THEN /\ pc' = [pc EXCEPT ![p] = call]
               /\ last' = FaultHist(p, call, "block", None)
               /\ UNCHANGED mods
          ELSE /\ pc' = [pc EXCEPT ![p] = Idle]
               /\ IF call.op = "store" /\ out # "SIGBUS"
                  THEN /\ mods' = [mods EXCEPT ![p][o] =
                                     {m \in @ : m[1] # i} \cup {<<i, call.v>>}]
                       /\ last' = FaultHist(p, call, "ok", None)
                  ELSE /\ last' = FaultHist(p, call, IF out = "SIGBUS" THEN "SIGBUS" ELSE "ok",
                                                   IF out = "SIGBUS" THEN None ELSE out)
                       /\ UNCHANGED mods

Load(p, o, i) ==
    /\ Ready(p, "load")
    /\ IsClaim(o) /\ i \div P \in maps[p][o]
    /\ FaultStep(p, o, i, FaultCall("load", o, i, None))
    /\ UNCHANGED <<life, fds, stream, r, maps, rrefs, wrefs>>

(* A store to a MAP_PRIVATE claim faults the page in like a load, then    *)
(* changes this process's copy only.                                       *)
StorePrivate(p, o, i, v) ==
    /\ Ready(p, "store")
    /\ IsClaim(o) /\ objs[o].rw /\ i \div P \in maps[p][o]
    /\ FaultStep(p, o, i, FaultCall("store", o, i, v))
    /\ UNCHANGED <<life, fds, stream, r, maps, rrefs, wrefs>>

(* A store to a window changes the window only; readers see nothing yet.  *)
StoreWindow(p, o, i, v) ==
    /\ Ready(p, "store")
    /\ IsWindow(o) /\ MappedBy(p, o) /\ i < objs[o].len
    /\ objs' = [objs EXCEPT ![o].data[i + 1] = v]
    /\ last' = FaultHist(p, FaultCall("store", o, i, v), "ok", None)
    /\ UNCHANGED <<life, fds, pc, stream, buf, slots, u, r, maps, mods, rrefs, wrefs>>

-----------------------------------------------------------------------------
(* msync(start, e, MS_SYNC) on a window commits bytes [c, e) exactly.  It *)
(* is done once the window's commit point reaches e, whichever commit of  *)
(* the window (several processes share it after fork) moved it there.     *)
CommitStep(p, o, e, fresh) ==
    LET ob == objs[o]
        data == SubSeq(ob.data, ob.c + 1, e)
    IN IF ob.c >= e
       THEN /\ pc' = [pc EXCEPT ![p] = Idle]
            /\ last' = MsyncHist(p, o, e, FALSE, "ok")
            /\ UNCHANGED <<stream, buf, slots, u, objs>>
       ELSE IF ~Readers
       THEN /\ pc' = [pc EXCEPT ![p] = Idle]
            /\ last' = MsyncHist(p, o, e, TRUE, "EPIPE")
            /\ UNCHANGED <<stream, buf, slots, u, objs>>
       ELSE LET a == AppendData(p, data, fresh)
            IN /\ stream' = stream \o SubSeq(data, 1, a.n)
               /\ Mechanism([a EXCEPT !.objs = [@ EXCEPT ![o].c = ob.c + a.n]])
               /\ IF ob.c + a.n = e
                  THEN /\ pc' = [pc EXCEPT ![p] = Idle]
                       /\ last' = MsyncHist(p, o, e, FALSE, "ok")
                  ELSE /\ pc' = [pc EXCEPT ![p] = [op |-> "msync", o |-> o, e |-> e]]
                       /\ last' = MsyncHist(p, o, e, FALSE, "block")

Msync(p, o, e) ==
    /\ Ready(p, "msync")
    /\ IsWindow(o) /\ MappedBy(p, o) /\ e <= objs[o].len + 1
    /\ IF e > objs[o].len
       THEN /\ last' = MsyncHist(p, o, e, FALSE, "ENOMEM")
            /\ UNCHANGED <<pc, stream, buf, slots, u, objs>>
       ELSE IF e <= objs[o].c
       THEN /\ last' = MsyncHist(p, o, e, FALSE, "ok")
            /\ UNCHANGED <<pc, stream, buf, slots, u, objs>>
       ELSE /\ Len(stream) + e - objs[o].c <= MaxW
            /\ CommitStep(p, o, e, TRUE)
    /\ UNCHANGED <<life, fds, r, maps, mods, rrefs, wrefs>>

-----------------------------------------------------------------------------
(* munmap() of pages [a, b).  Read mappings split freely; a window is     *)
(* unmapped whole or not at all (EINVAL), and takes its uncommitted bytes  *)
(* with it.  mremap cannot grow a pipe mapping; mprotect cannot make a     *)
(* shared read mapping writable, nor any pipe mapping executable.          *)
Munmap(p, o, a, b) ==
    /\ Ready(p, "munmap")
    /\ o \in 1..Len(objs) /\ objs[o].kind # "gone" /\ MappedBy(p, o)
    /\ a < b /\ b <= NPages(objs[o].len)
    /\ (a..(b - 1)) \cap maps[p][o] # {}
    /\ IF IsWindow(o) /\ ~(maps[p][o] \subseteq a..(b - 1))
       THEN /\ last' = [p |-> p, op |-> "munmap", o |-> o, a |-> a, b |-> b,
                        ret |-> "EINVAL", val |-> 0]
            /\ UNCHANGED <<objs, maps, mods, rrefs, wrefs>>
       ELSE LET nm == [maps EXCEPT ![p][o] = @ \ (a..(b - 1))]
                gone == nm[p][o] = {}
            IN /\ maps' = nm
               /\ mods' = [mods EXCEPT ![p][o] = {m \in @ : m[1] \div P \notin a..(b - 1)}]
               /\ objs' = Collect(objs, nm)
               /\ rrefs' = IF gone /\ EndOf(o) = "r" THEN rrefs - 1 ELSE rrefs
               /\ wrefs' = IF gone /\ EndOf(o) = "w" THEN wrefs - 1 ELSE wrefs
               /\ last' = [p |-> p, op |-> "munmap", o |-> o, a |-> a, b |-> b, ret |-> "ok", val |-> 0]
    /\ UNCHANGED <<life, fds, pc, stream, buf, slots, u, r>>

MremapGrow(p, o) ==
    /\ Ready(p, "mremap")
    /\ o \in 1..Len(objs) /\ MappedBy(p, o)
    /\ last' = [p |-> p, op |-> "mremap", o |-> o, len |-> NPages(objs[o].len) * P + P,
                ret |-> "EFAULT", val |-> 0]
    /\ UNCHANGED <<life, fds, pc, stream, buf, slots, u, r, objs, maps, mods, rrefs, wrefs>>

MprotectRefused(p, o, prot) ==
    /\ Ready(p, "mprotect")
    /\ o \in 1..Len(objs) /\ MappedBy(p, o)
    /\ \/ prot = "rx"
       \/ prot = "rw" /\ IsClaim(o) /\ objs[o].shared
    /\ last' = [p |-> p, op |-> "mprotect", o |-> o, prot |-> prot, ret |-> "EACCES", val |-> 0]
    /\ UNCHANGED <<life, fds, pc, stream, buf, slots, u, r, objs, maps, mods, rrefs, wrefs>>

-----------------------------------------------------------------------------
(* fork(): the child gets the descriptors and the mappings; shared claims *)
(* and windows are the same objects, MAP_PRIVATE copies diverge (mods).    *)
Fork(p) ==
    /\ Ready(p, "fork")
    /\ \E q \in Procs : life[q] = "unborn"
    /\ LET q == CHOOSE x \in Procs : life[x] = "unborn" /\ \A y \in Procs :
                    life[y] = "unborn" => x <= y
       IN /\ life' = [life EXCEPT ![q] = "alive"]
          /\ fds' = [fds EXCEPT ![q] = fds[p]]
          /\ maps' = [maps EXCEPT ![q] = maps[p]]
          /\ mods' = [mods EXCEPT ![q] = mods[p]]
          /\ rrefs' = rrefs + RefsOf(p, "r")
          /\ wrefs' = wrefs + RefsOf(p, "w")
          /\ last' = [p |-> p, op |-> "fork", ret |-> "ok", val |-> q]
    /\ UNCHANGED <<pc, stream, buf, slots, u, r, objs>>

(* exit() of an idle process, or SIGKILL of a blocked one: every          *)
(* descriptor and mapping goes, as the kernel tears down the mm and files. *)
Vanish(p, how) ==
    /\ life' = [life EXCEPT ![p] = "dead"]
    /\ fds' = [fds EXCEPT ![p] = {}]
    /\ maps' = [maps EXCEPT ![p] = NoMaps]
    /\ mods' = [mods EXCEPT ![p] = NoMods]
    /\ objs' = Collect(objs, [maps EXCEPT ![p] = NoMaps])
    /\ pc' = [pc EXCEPT ![p] = Idle]
    /\ rrefs' = rrefs - RefsOf(p, "r")
    /\ wrefs' = wrefs - RefsOf(p, "w")
    /\ last' = [p |-> p, op |-> how, ret |-> "ok", val |-> 0]
    /\ UNCHANGED <<stream, buf, slots, u, r>>

(* A caught signal: a blocked fault runs the handler and restarts (the     *)
(* process stays blocked); a blocked read/write/msync returns EINTR, or    *)
(* the count a write already moved.                                        *)
Signal(p) ==
    /\ Interruptible(p, "signal")
    /\ pc[p].op # "none"
    /\ IF pc[p].op \in {"load", "store"}
       THEN /\ last' = [p |-> p, op |-> "signal", ret |-> "restart", val |-> 0]
            /\ UNCHANGED pc
       ELSE /\ pc' = [pc EXCEPT ![p] = Idle]
            /\ last' = [p |-> p, op |-> "signal",
                        ret |-> IF pc[p].op = "write" /\ pc[p].done > 0
                                THEN "ok" ELSE "EINTR",
                        val |-> IF pc[p].op = "write" THEN pc[p].done ELSE 0]
    /\ UNCHANGED <<life, fds, stream, buf, slots, u, r, objs, maps, mods, rrefs, wrefs>>

-----------------------------------------------------------------------------
(* A blocked call completes once the rule allows it.                     *)
Wake(p) ==
    /\ CanWake(p)
    /\ CASE pc[p].op = "read" ->
              ReadDone(p, pc[p].n) /\ pc' = [pc EXCEPT ![p] = Idle]
              /\ UNCHANGED <<stream, mods>>
         [] pc[p].op \in {"load", "store"} ->
              FaultStep(p, pc[p].o, pc[p].i, pc[p]) /\ UNCHANGED <<stream, r>>
         [] pc[p].op = "write" ->
              WriteStep(p, pc[p].data, pc[p].done, FALSE) /\ UNCHANGED <<r, mods>>
         [] OTHER ->
              CommitStep(p, pc[p].o, pc[p].e, FALSE) /\ UNCHANGED <<r, mods>>
    /\ UNCHANGED <<life, fds, maps, rrefs, wrefs>>

-----------------------------------------------------------------------------
Bytes == UNION {[1..n -> Alpha] : n \in 1..MaxIO}
MaxOffset == NPages(MaxLen) * P - 1

Exit(p) == Ready(p, "exit") /\ Vanish(p, "exit")
Kill(p) == Interruptible(p, "kill") /\ Vanish(p, "kill")

Init ==
    /\ life = [p \in Procs |-> IF p = 1 THEN "alive" ELSE "unborn"]
    /\ fds = [p \in Procs |-> IF p = 1 THEN Ends ELSE {}]
    /\ pc = [p \in Procs |-> Idle]
    /\ stream = <<>> /\ buf = <<>> /\ slots = <<>> /\ u = 0 /\ r = 0
    /\ objs = <<>>
    /\ maps = [p \in Procs |-> NoMaps]
    /\ mods = [p \in Procs |-> NoMods]
    /\ rrefs = 1 /\ wrefs = 1
    /\ last = [op |-> "init", ret |-> "ok", val |-> 0]

(* Every call is guarded by Ready (and by Ops) inside its own definition, *)
(* so that TLC labels each edge of the state graph with the call's name.   *)
Next ==
    \E p \in Procs :
        \/ Wake(p)
        \/ \E n \in 1..MaxIO : Read(p, n)
        \/ \E d \in Bytes : Write(p, d)
        \/ \E e \in Ends : Close(p, e)
        \/ Poll(p)
        \/ \E o \in ObjIds : ClaimEnd(p, o)
        \/ \E t \in MmapTries : Mmap(p, t)
        \/ \E o \in ObjIds, i \in 0..MaxOffset : Load(p, o, i)
        \/ \E o \in ObjIds, i \in 0..MaxOffset, v \in Alpha :
              StorePrivate(p, o, i, v) \/ StoreWindow(p, o, i, v)
        \/ \E o \in ObjIds, e \in 1..(MaxLen + 1) : Msync(p, o, e)
        \/ \E o \in ObjIds, a, b \in 0..NPages(MaxLen) : Munmap(p, o, a, b)
        \/ \E o \in ObjIds : MremapGrow(p, o)
        \/ \E o \in ObjIds, prot \in {"rw", "rx"} : MprotectRefused(p, o, prot)
        \/ Fork(p)
        \/ Exit(p)
        \/ Signal(p)
        \/ Kill(p)

Spec == Init /\ [][Next]_vars /\ \A p \in Procs : WF_vars(Wake(p))

=============================================================================
