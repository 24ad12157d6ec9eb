package org.extmmap.conformance.targets;

import java.io.ByteArrayOutputStream;
import org.extmmap.conformance.graph.CProgram;
import org.extmmap.conformance.sys.Errno;
import org.extmmap.conformance.sys.ReadResult;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.End;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;

/** read(n): whole runs of real bytes, each decoded to the letter committed at its position. */
final class ReadCall implements KernelCall<Action.Read> {
    @Override
    public Outcome perform(KernelProcess k, Action.Read a) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        // a run may arrive in pieces: read on until whole runs (or EOF)
        do {
            ReadResult r = k.sys.read(k.fd(End.R), a.n() * k.run - got.size());
            if (!r.ok() && r.result().errno() == Errno.EINTR && got.size() == 0) {
                // a caught signal (Signal); where a blocked read() reads is known only now (a claim moves it)
                return new Outcome.Read(a.p(), a.n(), k.stream.readCursor, Ret.EINTR, Bytes.EMPTY);
            }
            if (!r.ok()) {
                throw new OutsideSpec("read() failed with " + Errno.name(r.result().errno()));
            }
            if (r.data().length == 0) {
                break;
            }
            got.writeBytes(r.data());
        } while (got.size() % k.run != 0);
        if (got.size() % k.run != 0) {
            throw new OutsideSpec("read() returned " + got.size() + " bytes, not whole runs of " + k.run);
        }
        byte[] data = got.toByteArray();
        int n = data.length / k.run;
        if (n == 0) {
            return new Outcome.Read(a.p(), a.n(), k.stream.readCursor, Ret.OK, Bytes.EMPTY); // EOF
        }
        // the bytes say where they came from: reads woken together may return in either order
        int pos = k.stream.locate(data, n);
        if (pos < 0) {
            // at no free position: say what differs at the read cursor, where the bytes belonged
            for (int j = 0; j < n; j++) {
                int at = k.stream.readCursor + j;
                k.decodeRun(data, j * k.run, at, "read() at position " + at);
            }
            throw new OutsideSpec("read() returned runs that are at no position still to be read (stale, duplicated,"
                    + " claimed or foreign data)");
        }
        // locate() matched every run against the stream record at pos and found none taken
        byte[] letters = new byte[n];
        for (int j = 0; j < n; j++) {
            letters[j] = (byte) k.book.letter(pos + j);
        }
        k.stream.take(pos, n);
        k.stream.readCursor = Math.max(k.stream.readCursor, pos + n);
        return new Outcome.Read(a.p(), a.n(), pos, Ret.OK, Bytes.of(letters));
    }

    @Override
    public Outcome blocked(KernelProcess k, Action.Read a, int queuedBefore) {
        return new Outcome.Read(a.p(), a.n(), k.stream.readCursor, Ret.BLOCK, Bytes.EMPTY);
    }

    @Override
    public boolean reproduce(CProgram c, int n, Action.Read a, Outcome spec) {
        Outcome.Read o = (Outcome.Read) spec;
        int k = o.val().length();
        if (c.readCursor + k > c.book.size()) {
            return false; // bytes a blocked msync() committed in part: C does not know how many
        }
        StringBuilder keys = new StringBuilder("(long[]){ 0");
        for (int i = 0; i < k; i++) {
            keys.append(", ").append(c.book.get(c.readCursor + i));
        }
        keys.append(" }");
        String data = k == 0 ? "1" : "runs_are(r.buf, " + CProgram.str(CProgram.letters(o.val())) + ", " + keys + " + 1)";
        c.step(n, a, spec, "READ, " + a.n(), CProgram.retIs(o.ret(), "r.ret == " + k * c.run + " && " + data));
        if (o.ret() == Ret.OK) {
            c.readCursor += k;
        }
        return true;
    }
}
