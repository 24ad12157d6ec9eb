package org.extmmap.model.tla;

import static org.extmmap.model.tla.TlaValue.function;
import static org.extmmap.model.tla.TlaValue.model;
import static org.extmmap.model.tla.TlaValue.of;
import static org.extmmap.model.tla.TlaValue.record;
import static org.extmmap.model.tla.TlaValue.seq;
import static org.extmmap.model.tla.TlaValue.set;
import static org.extmmap.model.tla.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlaValueTest {
    @Test
    void functionOnOneToNIsTheSequence() {
        assertEquals(seq(str("y"), str("z")), function(Map.of(of(2), str("z"), of(1), str("y"))));
        assertEquals(seq(), function(Map.of()));
        assertEquals(SeqValue.EMPTY, record(Map.of()));
    }

    @Test
    void functionOnStringsIsTheRecord() {
        assertEquals(record("a", of(1), "b", of(2)), function(Map.of(str("b"), of(2), str("a"), of(1))));
    }

    @Test
    void otherDomainsStayFunctions() {
        assertInstanceOf(FunctionValue.class, function(Map.of(of(2), of(2), of(3), of(3))));
        assertInstanceOf(FunctionValue.class, function(Map.of(of(0), of(1))));
        assertInstanceOf(FunctionValue.class, function(Map.of(model("p1"), of(1))));
        assertThrows(IllegalArgumentException.class, () -> new FunctionValue(Map.of(of(1), of(5))));
    }

    @Test
    void recordFieldOrderAndSetOrderDoNotMatter() {
        Map<String, TlaValue> ab = new LinkedHashMap<>();
        ab.put("a", of(1));
        ab.put("b", str("x"));
        Map<String, TlaValue> ba = new LinkedHashMap<>();
        ba.put("b", str("x"));
        ba.put("a", of(1));
        assertEquals(record(ab), record(ba));
        assertEquals(record(ab).hashCode(), record(ba).hashCode());
        assertEquals(set(of(1), of(2)), set(List.of(of(2), of(1), of(2))));
        assertNotEquals(seq(of(1), of(2)), seq(of(2), of(1)));
        assertNotEquals(of(1), str("1"));
        assertNotEquals(str("p1"), model("p1"));
    }

    @Test
    void canonicalToStringSortsAndEscapes() {
        TlaValue v = record("b", set(of(3), of(-1), model("m")), "a", function(Map.of(model("q"), seq(), model("p"),
                TlaValue.TRUE)), "c", str("q\"\\\n"));
        assertEquals("[a |-> (p :> TRUE @@ q :> <<>>), b |-> {-1, 3, m}, c |-> \"q\\\"\\\\\\n\"]", v.toString());
    }

    @Test
    void toStringParsesBack() {
        TlaValue v = seq(record("x", set(seq(), set()), "y", function(Map.of(of(0), str("z")))), TlaValue.FALSE,
                of(-7));
        assertEquals(v, TlaValueParser.parseValue(v.toString()));
    }

    @Test
    void orderIsConsistentWithEquals() {
        List<TlaValue> vs = List.of(of(1), str("a"), TlaValue.TRUE, model("m"), seq(of(1)), record("a", of(1)),
                set(of(1)), function(Map.of(of(0), of(1))), seq(of(1), of(2)), set(of(2)));
        for (TlaValue a : vs) {
            for (TlaValue b : vs) {
                assertEquals(a.equals(b), a.compareTo(b) == 0, a + " vs " + b);
                assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)));
            }
        }
    }
}
