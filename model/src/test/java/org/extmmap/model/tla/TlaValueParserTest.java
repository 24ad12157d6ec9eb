package org.extmmap.model.tla;

import static org.extmmap.model.tla.TlaValue.function;
import static org.extmmap.model.tla.TlaValue.model;
import static org.extmmap.model.tla.TlaValue.of;
import static org.extmmap.model.tla.TlaValue.record;
import static org.extmmap.model.tla.TlaValue.seq;
import static org.extmmap.model.tla.TlaValue.set;
import static org.extmmap.model.tla.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlaValueParserTest {
    @Test
    void scalars() {
        assertEquals(of(-5), TlaValueParser.parseValue("-5"));
        assertEquals(TlaValue.TRUE, TlaValueParser.parseValue(" TRUE "));
        assertEquals(model("p1"), TlaValueParser.parseValue("p1"));
        assertEquals(str("q\"uo\\te\nnl\ttab"), TlaValueParser.parseValue("\"q\\\"uo\\\\te\\nnl\\ttab\""));
    }

    @Test
    void composites() {
        assertEquals(seq(), TlaValueParser.parseValue("<< >>"));
        assertEquals(seq(), TlaValueParser.parseValue("<<>>"));
        assertEquals(set(), TlaValueParser.parseValue("{}"));
        assertEquals(set(of(1), of(2), of(3)), TlaValueParser.parseValue("1..3"));
        assertEquals(set(), TlaValueParser.parseValue("3..2"));
        assertEquals(record("op", str("inc"), "s", seq(of(1), str("a")), "f", set()),
                TlaValueParser.parseValue("[op |-> \"inc\", s |-> <<1, \"a\">>, f |-> {}]"));
        assertEquals(function(Map.of(of(0), model("a"), of(1), model("b"))),
                TlaValueParser.parseValue("(0 :> a @@ 1 :> b)"));
        // TLC prints [i \in 2..3 |-> i] as a function, and (1 :> "y" @@ 2 :> "z") as a tuple
        assertEquals(seq(str("y"), str("z")), TlaValueParser.parseValue("(2 :> \"z\" @@ 1 :> \"y\")"));
        assertEquals(record("x", of(1)), TlaValueParser.parseValue("(\"x\" :> 1)"));
    }

    @Test
    void prettyPrinterLineBreaks() {
        assertEquals(seq(record("a", of(1)), record("a", of(2))),
                TlaValueParser.parseValue("<< [a |-> 1],\n   [a |-> 2] >>"));
    }

    @Test
    void states() {
        Map<String, TlaValue> s = TlaValueParser.parseState("/\\ last = [op |-> \"init\"]\n/\\ x = 0");
        assertEquals(Map.of("last", record("op", str("init")), "x", of(0)), s);
        assertEquals(Map.of("x", of(2)), TlaValueParser.parseState("x = 2"));
        assertEquals(Map.of("v", seq(of(1), of(2)), "w", TlaValue.FALSE),
                TlaValueParser.parseState("/\\ v = << 1,\n      2 >>\n/\\ w = FALSE\n"));
    }

    @Test
    void instanceSharesEqualVariableValues() {
        TlaValueParser p = new TlaValueParser();
        Map<String, TlaValue> a = p.state("/\\ big = [a |-> {1, 2}]\n/\\ x = 0");
        Map<String, TlaValue> b = p.state("/\\ big = [a |-> {1, 2}]\n/\\ x = 1");
        assertSame(a.get("big"), b.get("big"));
    }

    @Test
    void errorsSayWhere() {
        TlaParseException e = assertThrows(TlaParseException.class, () -> TlaValueParser.parseValue("<<1, 2"));
        assertTrue(e.getMessage().contains("'>>' expected"), e.getMessage());
        assertThrows(TlaParseException.class, () -> TlaValueParser.parseValue("[a |-> 1, a |-> 2]"));
        assertThrows(TlaParseException.class, () -> TlaValueParser.parseValue("1 2"));
        assertThrows(TlaParseException.class, () -> TlaValueParser.parseValue("\"open"));
        assertThrows(TlaParseException.class, () -> TlaValueParser.parseState("/\\ = 1"));
    }

    /** Every corner case of Probe.tla, as TLC 2.18 printed it into probe.dot. */
    @Test
    void realTlcOutput() throws IOException {
        DotGraph dot = DotGraph.read(Resources.path("dot/probe.dot"));
        Map<String, TlaValue> s = dot.state(0);
        assertEquals(str("q\"uo\\te\nnl\ttab"), s.get("v1"));
        assertEquals(set(of(1), of(2), of(3)), s.get("v2"));
        assertEquals(record("x", of(1), "y", of(1)), s.get("v3"));
        assertEquals(of(-5), s.get("v4"));
        assertEquals(set(record("f", set(model("a"), model("b")), "g", seq()), record("f", set(), "g",
                seq(TlaValue.TRUE))), s.get("v5"));
        assertEquals(function(Map.of(of(0), model("a"), of(1), model("b"))), s.get("v6"));
        assertEquals(seq(str("y"), str("z")), s.get("v7"));
        assertEquals(function(Map.of(of(2), of(2), of(3), of(3))), s.get("v8"));
        List<TlaValue> v9 = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            v9.add(record("proc", of(i), "op", str("someoperation"), "args", seq(of(i), of(i + 1))));
        }
        assertEquals(seq(v9), s.get("v9"));
        assertEquals(record("x", of(1), "y", of(2), "z", of(3)), s.get("v10"));
        assertEquals(seq(seq(), set(), seq(of(1)), set(seq()), set(), function(Map.of(model("a"), of(1))),
                record("x", function(Map.of(model("b"), model("a"))))), s.get("v11"));
        assertEquals(11, s.size());
        for (TlaValue v : s.values()) {
            assertEquals(v, TlaValueParser.parseValue(v.toString()), "canonical form reads back");
        }
    }
}
