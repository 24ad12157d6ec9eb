---- MODULE Toy ----
\* A tiny counter with a history variable, used to test the TLC tooling.
EXTENDS Naturals, Sequences, TLC
CONSTANTS Max, Proc
VARIABLES x, last
Init == x = 0 /\ last = [op |-> "init"]
Inc(p) == x < Max /\ x' = x + 1 /\ last' = [op |-> "inc", p |-> p, s |-> <<x, "a">>, f |-> [i \in 1..x |-> i > 1], g |-> (p :> x)]
Reset == x = Max /\ x' = 0 /\ last' = [op |-> "reset", set |-> {x, 0}]
Stay == x = Max /\ UNCHANGED <<x, last>>
Next == (\E p \in Proc : Inc(p)) \/ Reset \/ Stay
Spec == Init /\ [][Next]_<<x, last>>
TypeOK == x \in 0..Max
====
