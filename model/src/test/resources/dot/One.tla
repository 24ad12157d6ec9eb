---- MODULE One ----
EXTENDS Naturals
VARIABLES x
Init == x \in {0, 1}
A == x < 2 /\ x' = x + 1
Next == A \/ (x = 2 /\ x' = 0)
====
