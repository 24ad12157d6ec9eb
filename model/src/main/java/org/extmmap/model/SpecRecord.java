package org.extmmap.model;

import java.util.Arrays;
import org.extmmap.model.tla.BoolValue;
import org.extmmap.model.tla.IntValue;
import org.extmmap.model.tla.RecordValue;
import org.extmmap.model.tla.SeqValue;
import org.extmmap.model.tla.StringValue;
import org.extmmap.model.tla.TlaValue;

/**
 * A record of the spec as TLC prints it (the variable {@code last}), read field by field into
 * the model's types. Reading never runs the model, so what is decoded comes from the spec.
 */
public record SpecRecord(RecordValue value) {
    public static SpecRecord of(TlaValue v) {
        return new SpecRecord((RecordValue) v);
    }

    public int p() {
        return integer("p");
    }

    public int integer(String field) {
        return Math.toIntExact(((IntValue) value.get(field)).value());
    }

    public String string(String field) {
        return ((StringValue) value.get(field)).value();
    }

    public boolean bool(String field) {
        return ((BoolValue) value.get(field)).value();
    }

    public SpecRecord record(String field) {
        return of(value.get(field));
    }

    /** A byte field: "0" zero, "-" none, else a one-letter string. */
    public int letter(String field) {
        return letter(value.get(field));
    }

    public Bytes bytes(String field) {
        return bytes(value.get(field));
    }

    public Ret ret() {
        String s = string("ret");
        return Arrays.stream(Ret.values()).filter(x -> x.tla().equals(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown ret " + s));
    }

    public End end() {
        return string("end").equals("r") ? End.R : End.W;
    }

    public Prot prot() {
        String s = string("prot");
        return Arrays.stream(Prot.values()).filter(x -> x.tla().equals(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown prot " + s));
    }

    public Flags flags() {
        return string("flags").equals("shared") ? Flags.SHARED : Flags.PRIVATE;
    }

    /** A byte as the spec writes it: "0" zero, "-" none, else a one-letter string. */
    public static int letter(TlaValue v) {
        String s = ((StringValue) v).value();
        if (s.equals("0")) {
            return Bytes.ZERO;
        } else if (s.equals("-")) {
            return Bytes.NONE;
        } else if (s.length() == 1) {
            return s.charAt(0);
        }
        throw new IllegalArgumentException("not a byte of the spec: " + v);
    }

    public static Bytes bytes(TlaValue v) {
        SeqValue s = (SeqValue) v;
        byte[] b = new byte[s.size()];
        for (int i = 0; i < b.length; i++) {
            int x = letter(s.get(i + 1));
            if (x == Bytes.NONE) {
                throw new IllegalArgumentException("no byte in a byte sequence: " + v);
            }
            b[i] = (byte) x;
        }
        return Bytes.of(b);
    }
}
