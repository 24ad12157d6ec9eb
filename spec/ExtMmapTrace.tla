---------------------------- MODULE ExtMmapTrace ----------------------------
(***************************************************************************)
(* Trace validation: a concurrent history of real processes               *)
(* (conformance/histories.md) as a constraint on the behaviours of        *)
(* ExtMmap with WakeAtOnce = FALSE.  Each step of TraceNext is a step of  *)
(* the spec taken by the process of a recorded call: the call's own first *)
(* step, then its Wake (or, as often as a caught signal was recorded,     *)
(* Signal) steps until the spec says it is done, and it must then return  *)
(* what the history recorded.  A call steps only while no call that       *)
(* completed before its invocation is unfinished (the tickets' real-time  *)
(* order).  The history is explained when a state is reachable where every *)
(* completed call is done: TLC finds it as a violation of NotDone.        *)
(* conformance's TraceModule writes a module with the history (HCalls) and *)
(* a configuration; the Java checker (HistoryChecker) searches the same    *)
(* space with the model, and the two must agree.                           *)
(***************************************************************************)
EXTENDS ExtMmap, TLC

CONSTANTS
    HProcs,   \* the history's process names; 0 is the conductor (process 1 of Init)
    HCalls,   \* HCalls[h]: h's calls in order, records made by TraceModule
    Handles,  \* the mapping handles the history names
    HPending  \* the completion ticket of a pending call: after every ticket

VARIABLES
    nxt,      \* [HProcs -> Nat]: the index of h's current call
    started,  \* [HProcs -> BOOLEAN]: h's current call took its first step
    sigs,     \* [HProcs -> Nat]: Signal steps h's current call took
    acc,      \* [HProcs -> Seq]: the bytes a load run has returned so far
    pidOf,    \* [HProcs -> 0..NProcs]: h's spec process (0: not born yet)
    objOf     \* [Handles -> Nat]: the spec's mapping id of a handle (0: none)

tvars == <<nxt, started, sigs, acc, pidOf, objOf>>

Cur(h) == HCalls[h][nxt[h]]
Open(h) == nxt[h] <= Len(HCalls[h])

(* No call may step whose invocation came after an unfinished call's     *)
(* completion.                                                             *)
Horizon ==
    LET rets == {Cur(h).ret : h \in {x \in HProcs : Open(x)}} \cup {HPending}
    IN CHOOSE t \in rets : \A x \in rets : t <= x

(* The spec step that starts call c of process p; a run of bytes starts   *)
(* with its first.                                                         *)
StartStep(c, p) ==
    LET o == IF c.handle \in Handles THEN objOf[c.handle] ELSE 0
    IN CASE c.op = "read" -> Read(p, c.n)
         [] c.op = "write" -> Write(p, c.data)
         [] c.op = "close" -> Close(p, c.end)
         [] c.op \in {"poll", "fionread"} -> Poll(p)
         [] c.op = "claimend" -> ClaimEnd(p, o)
         [] c.op = "mmap" -> Mmap(p, c.try)
         [] c.op = "load" -> Load(p, o, c.off)
         [] c.op = "store" -> StoreWindow(p, o, c.off, c.run[1])
         [] c.op = "pstore" -> StorePrivate(p, o, c.off, c.run[1])
         [] c.op = "msync" -> Msync(p, o, c.e)
         [] c.op = "munmap" -> Munmap(p, o, c.a, c.b)
         [] c.op = "mprotect" -> MprotectRefused(p, o, c.prot)
         [] c.op = "mremap" -> MremapGrow(p, o)
         [] c.op = "fork" -> Fork(p)
         [] c.op = "exit" -> Exit(p)

(* Byte k (from 0) of a load or store run. *)
ByteStep(c, p, k) ==
    LET o == objOf[c.handle]
    IN CASE c.op = "load" -> Load(p, o, c.off + k)
         [] c.op = "store" -> StoreWindow(p, o, c.off + k, c.run[k + 1])
         [] c.op = "pstore" -> StorePrivate(p, o, c.off + k, c.run[k + 1])

(* What the spec returned, in the terms TraceModule gives c.want: a ret   *)
(* and a sequence (numbers as one-element sequences, so that TLC compares *)
(* values of one kind only).                                               *)
Got(c, l, bytes) ==
    [ret |-> l.ret,
     val |-> CASE l.op = "signal" -> IF l.ret = "ok" THEN <<l.val>> ELSE <<>>
               [] l.ret # "ok" -> <<>>
               [] c.op = "read" -> l.val
               [] c.op = "write" -> <<l.val>>
               [] c.op = "poll" -> <<IF l.val.readable THEN 1 ELSE 0>>
               [] c.op = "fionread" -> <<l.val.nread>>
               [] c.op = "claimend" -> <<l.val.n, IF l.val.final THEN 1 ELSE 0>>
               [] c.op = "load" -> bytes
               [] OTHER -> <<>>]

SigpipeOk(c, l) ==
    (l.op \in {"write", "msync"} /\ l.sigpipe) = c.sigpipe

IsRun(c) == c.op \in {"load", "store", "pstore"}

(* The first byte of a longer run is done: the rest follow (RunByte).      *)
RunGoesOn(c, l) == IsRun(c) /\ c.n > 1 /\ l.ret = "ok" /\ l.op # "signal"

(* After a step of h's current call c: still blocked, or done as recorded. *)
Finish(h, c, p, signal) ==
    IF pc'[p] # Idle
    THEN /\ started' = [started EXCEPT ![h] = TRUE]
         /\ sigs' = [sigs EXCEPT ![h] = @ + (IF signal THEN 1 ELSE 0)]
         /\ UNCHANGED <<nxt, acc, pidOf, objOf>>
    ELSE IF RunGoesOn(c, last')
    THEN /\ acc' = [acc EXCEPT ![h] = <<last'.val>>]
         /\ started' = [started EXCEPT ![h] = TRUE]
         /\ UNCHANGED <<nxt, sigs, pidOf, objOf>>
    ELSE /\ c.pending \/ Got(c, last', <<last'.val>>) = c.want
         /\ c.pending \/ SigpipeOk(c, last')
         /\ nxt' = [nxt EXCEPT ![h] = @ + 1]
         /\ started' = [started EXCEPT ![h] = FALSE]
         /\ sigs' = [sigs EXCEPT ![h] = 0]
         /\ acc' = [acc EXCEPT ![h] = <<>>]
         /\ objOf' = IF c.op = "mmap" /\ last'.ret = "ok" /\ ~c.pending
                     THEN [objOf EXCEPT ![c.bind] = last'.val] ELSE objOf
         /\ pidOf' = IF c.op = "fork" /\ ~c.pending
                     THEN [pidOf EXCEPT ![c.bind] = last'.val] ELSE pidOf

(* The rest of a run: byte Len(acc[h]) of it, which must not block.        *)
RunByte(h, c, p) ==
    /\ Len(acc[h]) > 0
    /\ ByteStep(c, p, Len(acc[h]))
    /\ pc'[p] = Idle /\ last'.ret = "ok"
    /\ LET got == Append(acc[h], last'.val)
       IN IF Len(got) < c.n
          THEN /\ acc' = [acc EXCEPT ![h] = got]
               /\ UNCHANGED <<nxt, started, sigs, pidOf, objOf>>
          ELSE /\ c.pending \/ Got(c, last', got) = c.want
               /\ nxt' = [nxt EXCEPT ![h] = @ + 1]
               /\ started' = [started EXCEPT ![h] = FALSE]
               /\ acc' = [acc EXCEPT ![h] = <<>>]
               /\ UNCHANGED <<sigs, pidOf, objOf>>

Step(h) ==
    LET c == Cur(h)
        p == pidOf[h]
    IN /\ Open(h) /\ p # 0 /\ c.inv < Horizon /\ life[p] = "alive"
       /\ \/ /\ c.op = "kill"
             \* killed seconds after the others stopped: a wake-up the spec
             \* owes it here was lost
             /\ IF pc[p] # Idle THEN ~CanWake(p) /\ Kill(p) ELSE Exit(p)
             /\ nxt' = [nxt EXCEPT ![h] = @ + 1]
             /\ UNCHANGED <<started, sigs, acc, pidOf, objOf>>
          \/ /\ c.op # "kill" /\ ~started[h]
             /\ StartStep(c, p)
             /\ Finish(h, c, p, FALSE)
          \/ /\ c.op # "kill" /\ started[h] /\ acc[h] = <<>>
             /\ \/ Wake(p) /\ Finish(h, c, p, FALSE)
                \/ sigs[h] < c.sig /\ Signal(p) /\ Finish(h, c, p, TRUE)
          \/ /\ c.op # "kill" /\ started[h] /\ acc[h] # <<>>
             /\ RunByte(h, c, p)
          \/ \* killed in this call, seconds after it began
             /\ c.pending /\ started[h] /\ nxt[h] < Len(HCalls[h])
             /\ nxt' = [nxt EXCEPT ![h] = @ + 1]
             /\ started' = [started EXCEPT ![h] = FALSE]
             /\ sigs' = [sigs EXCEPT ![h] = 0]
             /\ acc' = [acc EXCEPT ![h] = <<>>]
             /\ UNCHANGED <<pidOf, objOf>> /\ UNCHANGED vars

TraceInit ==
    /\ Init
    /\ nxt = [h \in HProcs |-> 1]
    /\ started = [h \in HProcs |-> FALSE]
    /\ sigs = [h \in HProcs |-> 0]
    /\ acc = [h \in HProcs |-> <<>>]
    /\ pidOf = [h \in HProcs |-> IF h = 0 THEN 1 ELSE 0]
    /\ objOf = [x \in Handles |-> 0]

TraceNext == \E h \in HProcs : Step(h)

(* Every completed call is done: the history is explained.                 *)
Done == \A h \in HProcs : \A j \in nxt[h]..Len(HCalls[h]) : HCalls[h][j].pending
NotDone == ~Done
=============================================================================
