package org.extmmap.conformance.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.extmmap.conformance.graph.SpecGraphs.SpecGraph;
import org.extmmap.model.Action;
import org.extmmap.model.Bytes;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C reproducers are real programs: one for a plain-pipe path of the Quick graph compiles and
 * agrees with the kernel this build runs on (plain pipes behave alike everywhere), and the same
 * program with one expected byte changed reports the difference with exit status 1.
 */
class CReproducerTest {
    @TempDir
    Path dir;

    private static List<SpecStep> plainPathWithARead(SpecGraph sg) {
        for (TestPath p : GraphReplayTest.paths(sg)) {
            List<SpecStep> steps = new ArrayList<>();
            boolean plain = true;
            boolean reads = false;
            for (var e : p.edges()) {
                SpecStep s = EdgeDecoder.decode(e.label(), sg.graph().state(e.to()).get("last"));
                plain &= s.action() instanceof Action.Read || s.action() instanceof Action.Write
                        || s.action() instanceof Action.Poll;
                reads |= s.expected() instanceof Outcome.Read r && r.val().length() == 1;
                steps.add(s);
            }
            if (plain && reads && steps.size() >= 3) {
                return steps;
            }
        }
        throw new AssertionError("no plain path reading a byte in the Quick graph");
    }

    private int compileAndRun(String program) throws IOException, InterruptedException {
        Path c = dir.resolve("repro.c");
        Files.writeString(c, program);
        Process cc = new ProcessBuilder("gcc", "-O0", "-pthread", "-o", dir.resolve("repro").toString(), c.toString())
                .inheritIO().start();
        assertEquals(0, cc.waitFor(), "gcc failed on the generated program");
        Process run = new ProcessBuilder(dir.resolve("repro").toString()).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes());
        int status = run.waitFor();
        System.out.print(out);
        return status;
    }

    @Test
    void aPlainPathAgreesAndAWrongExpectationIsReported() throws Exception {
        SpecGraph sg = SpecGraphs.of("Quick");
        List<SpecStep> steps = plainPathWithARead(sg);
        assertEquals(0, compileAndRun(CReproducer.of(sg.config(), steps, "test: a plain path")));

        List<SpecStep> wrong = new ArrayList<>(steps);
        for (int i = 0; i < wrong.size(); i++) {
            if (wrong.get(i).expected() instanceof Outcome.Read r && r.val().length() == 1) {
                Bytes other = Bytes.of(new byte[] {(byte) (r.val().at(0) == 'a' ? 'b' : 'a')});
                wrong.set(i, new SpecStep(wrong.get(i).action(), new Outcome.Read(r.p(), r.n(), r.pos(), Ret.OK, other)));
                break;
            }
        }
        int status = compileAndRun(CReproducer.of(sg.config(), wrong, "test: one expected byte wrong"));
        assertTrue(status == 1, "the program must report the difference with status 1, got " + status);
    }
}
