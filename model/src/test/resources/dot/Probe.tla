---- MODULE Probe ----
EXTENDS Naturals, Integers, Sequences, TLC
CONSTANTS a, b
VARIABLES v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11
Init == /\ v1 = "q\"uo\\te\nnl\ttab"
        /\ v2 = 1..3
        /\ v3 = [s \in {"x", "y"} |-> 1]
        /\ v4 = -5
        /\ v5 = {[f |-> {a, b}, g |-> <<>>], [f |-> {}, g |-> <<TRUE>>]}
        /\ v6 = (0 :> a @@ 1 :> b)
        /\ v7 = (2 :> "z" @@ 1 :> "y")
        /\ v8 = [i \in 2..3 |-> i]
        /\ v9 = [i \in 1..30 |-> [proc |-> i, op |-> "someoperation", args |-> <<i, i+1>>]]
        /\ v10 = [x |-> 1, y |-> 2] @@ ("z" :> 3)
        /\ v11 = <<[e \in {} |-> 1], {}, <<1>>, {<<>>}, 3..2, (a :> 1), [x |-> (b :> a)]>>
Next == UNCHANGED <<v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11>>
====
