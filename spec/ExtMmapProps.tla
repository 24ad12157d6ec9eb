---------------------------- MODULE ExtMmapProps ----------------------------
(***************************************************************************)
(* The properties semantics.md asks for.  They judge the mechanism of      *)
(* ExtMmap (buffer, pulls, claim stores, reference counts) against the     *)
(* ghost `stream` and against facts derived from descriptors and mappings, *)
(* never against the mechanism's own bookkeeping.                          *)
(***************************************************************************)
EXTENDS ExtMmap

(* Types: every variable, `last' included, stays in its set.  The sets   *)
(* of `last' list every record a step writes, field for field.            *)
Byte == Alpha \cup {Zero}
Offsets == 0..MaxOffset
Prots == {"r", "rw", "rx", "rwx"}
Calls ==
    {Idle}
    \cup [op : {"read"}, n : 1..MaxIO]
    \cup [op : {"write"}, data : Seq(Alpha), done : Nat]
    \cup [op : {"load"}, o : ObjIds, i : Offsets, v : {None}]
    \cup [op : {"store"}, o : ObjIds, i : Offsets, v : Alpha]
    \cup [op : {"msync"}, o : ObjIds, e : 1..(MaxLen + 1)]
Objs ==
    [kind : {"claim"}, base : Nat, len : 1..MaxLen, shared : BOOLEAN, rw : BOOLEAN,
     got : Seq(Byte \cup {None})]
    \cup [kind : {"window"}, len : 1..MaxLen, data : Seq(Byte), c : 0..MaxLen]
    \cup {[kind |-> "gone"]}
Hists ==
    {[op |-> "init", ret |-> "ok", val |-> 0]}
    \cup [p : Procs, op : {"read"}, n : 1..MaxIO, pos : Nat, ret : {"ok", "block"},
          val : Seq(Byte)]
    \cup [p : Procs, op : {"write"}, data : Seq(Alpha), sigpipe : BOOLEAN,
          ret : {"ok", "block", "EPIPE"}, val : Nat]
    \cup [p : Procs, op : {"close"}, end : Ends, ret : {"ok"}, val : {0}]
    \cup [p : Procs, op : {"poll"}, ret : {"ok"}, val : [readable : BOOLEAN, nread : Nat]]
    \cup [p : Procs, op : {"claimend"}, o : ObjIds, ret : {"ok", "EINVAL"},
          val : [n : 0..MaxLen, final : BOOLEAN]]
    \cup [p : Procs, op : {"mmap"}, end : Ends, len : 0..MaxLen, prot : Prots,
          flags : {"shared", "private"}, off : {0, P}, ret : {"ok", "EINVAL", "EPERM", "EACCES"},
          val : 0..MaxObjs]
    \cup [p : Procs, op : {"load", "store"}, o : ObjIds, i : Offsets, v : Alpha \cup {None},
          ret : {"ok", "block", "SIGBUS"}, val : Byte \cup {None}]
    \cup [p : Procs, op : {"msync"}, o : ObjIds, e : 1..(MaxLen + 1), sigpipe : BOOLEAN,
          ret : {"ok", "block", "EPIPE", "ENOMEM"}, val : {0}]
    \cup [p : Procs, op : {"munmap"}, o : ObjIds, a : 0..NPages(MaxLen), b : 0..NPages(MaxLen),
          ret : {"ok", "EINVAL"}, val : {0}]
    \cup [p : Procs, op : {"mremap"}, o : ObjIds, len : Nat, ret : {"EFAULT"}, val : {0}]
    \cup [p : Procs, op : {"mprotect"}, o : ObjIds, prot : {"rw", "rx"}, ret : {"EACCES"},
          val : {0}]
    \cup [p : Procs, op : {"fork"}, ret : {"ok"}, val : Procs]
    \cup [p : Procs, op : {"exit", "kill"}, ret : {"ok"}, val : {0}]
    \cup [p : Procs, op : {"signal"}, ret : {"restart", "EINTR", "ok"}, val : Nat]

TypeOK ==
    /\ life \in [Procs -> {"unborn", "alive", "dead"}]
    /\ fds \in [Procs -> SUBSET Ends]
    /\ pc \in [Procs -> Calls]
    /\ stream \in Seq(Byte) /\ buf \in Seq(Byte)
    /\ slots \in Seq([fill : Nat, len : Nat])  \* their bounds are Capacity's
    /\ u \in Nat /\ r \in Nat /\ rrefs \in Nat /\ wrefs \in Nat
    /\ objs \in Seq(Objs) /\ Len(objs) <= MaxObjs
    /\ maps \in [Procs -> [ObjIds -> SUBSET Pages]]
    /\ mods \in [Procs -> [ObjIds -> SUBSET (Offsets \X Alpha)]]
    /\ last \in Hists
    /\ \A p \in Procs : life[p] # "alive" => fds[p] = {} /\ pc[p] = Idle

Claims == {o \in 1..Len(objs) : objs[o].kind = "claim"}

(* Lifetime, derived from what processes hold rather than from counters.  *)
RefSet(e) ==
    {<<q, 0>> : q \in {x \in Procs : e \in fds[x]}}
    \cup {<<q, o>> \in Procs \X (1..Len(objs)) :
            objs[o].kind = (IF e = "r" THEN "claim" ELSE "window") /\ maps[q][o] # {}}
NoWriterLeft == RefSet("w") = {}
NoReaderLeft == RefSet("r") = {}

(* Integrity: the buffer is exactly the unpulled suffix of the stream, and *)
(* every byte a claim holds is the committed byte at its position.         *)
BufferIsUnpulledStream ==
    /\ u + Len(buf) = Len(stream)
    /\ buf = SubSeq(stream, u + 1, Len(stream))

ClaimStoreIntegrity ==
    \A o \in Claims : \A i \in 1..objs[o].len :
        objs[o].got[i] # None =>
            /\ objs[o].base + i <= Len(stream)
            /\ objs[o].got[i] = stream[objs[o].base + i]

(* Exclusivity: claims are disjoint, lie before the read cursor, and only  *)
(* positions already handed out have been pulled.                          *)
ClaimsExclusive ==
    /\ u <= r
    /\ \A o \in Claims : objs[o].base + objs[o].len <= r
    /\ \A o1, o2 \in Claims : o1 < o2 =>
          \/ objs[o1].base + objs[o1].len <= objs[o2].base
          \/ objs[o2].base + objs[o2].len <= objs[o1].base

InClaim(pos) == \E o \in Claims : objs[o].base <= pos /\ pos < objs[o].base + objs[o].len

ReadIntegrity ==
    (last.op = "read" /\ last.ret # "block") =>
        /\ last.val = SubSeq(stream, last.pos + 1, last.pos + Len(last.val))
        /\ \A j \in 0..(Len(last.val) - 1) : ~InClaim(last.pos + j)
        /\ last.val = <<>> => NoWriterLeft /\ Len(stream) <= last.pos

(* The end query against the ghost stream: never more than is there, no  *)
(* less either, and final exactly when no writer is left or the whole     *)
(* claim is there.                                                         *)
ClaimEndExact ==
    (last.op = "claimend" /\ last.ret = "ok") =>
        LET ob == objs[last.o]
        IN /\ IsClaim(last.o)
           /\ ob.base + last.val.n <= Len(stream)
           /\ last.val.n < ob.len => ob.base + last.val.n >= Len(stream)
           /\ last.val.final <=> (NoWriterLeft \/ last.val.n = ob.len)

(* What a load must show, computed from the ghost stream.                  *)
Modded(p, o, i) == \E m \in mods[p][o] : m[1] = i
Expected(p, o, i) ==
    IF Modded(p, o, i) THEN (CHOOSE m \in mods[p][o] : m[1] = i)[2]
    ELSE IF i >= objs[o].len \/ objs[o].base + i >= Len(stream) THEN Zero
    ELSE stream[objs[o].base + i + 1]

FaultOp == last.op \in {"load", "store"} /\ IsClaim(last.o)

LoadIntegrity ==
    (FaultOp /\ last.op = "load" /\ last.ret = "ok") =>
        last.val = Expected(last.p, last.o, last.i)

(* Zero fill: a load past F (or past the mapping's end) returns zero, and *)
(* only in a page that holds a stream byte, and past F only at EOF.        *)
(* SIGBUS only at EOF on a page with no stream byte.                       *)
ZeroFillAndSigbus ==
    FaultOp =>
        LET ob == objs[last.o]
            lo == ob.base + PageLo(last.i \div P)
            past == /\ last.i >= ob.len \/ ob.base + last.i >= Len(stream)
                    /\ ~Modded(last.p, last.o, last.i)
        IN /\ (last.op = "load" /\ last.ret = "ok" /\ past =>
                  /\ last.val = Zero
                  /\ lo < Len(stream)
                  /\ (last.i < ob.len => NoWriterLeft))
           /\ (last.ret = "SIGBUS" => NoWriterLeft /\ lo >= Len(stream))

(* Blocking: a call blocks only when the rule forbids completing it.      *)
BlockOnlyWhenAllowed ==
    last.ret = "block" =>
        CASE last.op = "read" -> ~NoWriterLeft /\ Len(stream) <= last.pos
          [] last.op \in {"load", "store"} ->
                ~NoWriterLeft
                /\ Len(stream) < objs[last.o].base
                                 + PageHi(objs[last.o].len, last.i \div P)
          [] OTHER -> Len(slots) = NSlots /\ ~NoReaderLeft

(* Capacity: never more than C unpulled bytes, held in at most C \div P   *)
(* slots of a page each, whose lengths add up to the buffer.               *)
RECURSIVE SlotBytes(_)
SlotBytes(sl) == IF sl = <<>> THEN 0 ELSE Head(sl).len + SlotBytes(Tail(sl))
Capacity ==
    /\ Len(buf) <= C
    /\ Len(slots) <= NSlots
    /\ SlotBytes(slots) = Len(buf)
    /\ \A k \in 1..Len(slots) : 0 < slots[k].len /\ slots[k].len <= slots[k].fill
                                /\ slots[k].fill <= P

(* Lifetime: the kernel's reference counts equal the references held, so  *)
(* EOF and EPIPE happen exactly when the last one goes.                    *)
RefsExact ==
    /\ rrefs = Cardinality(RefSet("r"))
    /\ wrefs = Cardinality(RefSet("w"))
EpipeOnlyWithoutReaders ==
    (last.op \in {"write", "msync"} /\ last.sigpipe) => NoReaderLeft

(* No hidden deadlock: a writer never waits for room while a reader or    *)
(* load waits for data; pulling on behalf of waiters prevents it.          *)
Blocked(p) == life[p] = "alive" /\ pc[p] # Idle /\ ~CanWake(p)
NoHiddenDeadlock ==
    ~(\E p, q \in Procs :
        /\ Blocked(p) /\ pc[p].op \in {"write", "msync"}
        /\ Blocked(q) /\ pc[q].op \in {"read", "load", "store"})

(* Liveness: once the data or EOF is there, a blocked read() or load       *)
(* completes (under weak fairness of Wake).  The conditions are stable:    *)
(* the stream only grows and EOF is final.                                 *)
DataFor(p) ==
    CASE pc[p].op = "read" -> Len(stream) > r
      [] pc[p].op \in {"load", "store"} ->
            Len(stream) >= objs[pc[p].o].base
                           + PageHi(objs[pc[p].o].len, pc[p].i \div P)
      [] OTHER -> FALSE

BlockedCallsComplete ==
    \A p \in Procs :
        (pc[p].op \in {"read", "load", "store"} /\ (DataFor(p) \/ NoWriterLeft))
            ~> (pc[p].op \notin {"read", "load", "store"})

(* A commit waiting for room is done once the window's commit point has   *)
(* reached its end, whichever commit of the shared window moved it there  *)
(* (stable: the commit point only grows, and a window being committed is  *)
(* mapped by its committer, so it cannot go).                              *)
CommitsComplete ==
    \A p \in Procs :
        (pc[p].op = "msync" /\ objs[pc[p].o].c >= pc[p].e) ~> (pc[p].op # "msync")

=============================================================================
