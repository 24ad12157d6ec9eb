---- MODULE Toy ----
\* A counter with a history variable `last`, to test the TLC tooling (see ToySystem.java).
EXTENDS Naturals, Sequences, TLC
CONSTANTS Max, Proc
VARIABLES x, last
Init == x = 0 /\ last = [op |-> "init"]
Inc(p) == x < Max /\ x' = x + 1 /\ last' = [op |-> "inc", p |-> p, s |-> <<x, "a">>, f |-> [i \in 1..x |-> i > 1], g |-> (p :> x)]
Reset == x = Max /\ x' = 0 /\ last' = [op |-> "reset", set |-> {x, 0}]
Stay == x = Max /\ UNCHANGED <<x, last>>
Next == (\E p \in Proc : Inc(p)) \/ Reset \/ Stay
IncOnly == \E p \in Proc : Inc(p)
Spec == Init /\ [][Next]_<<x, last>>
TypeOK == x \in 0..Max
Small == x < 2
ReachesThree == <>(x = 3)
====
