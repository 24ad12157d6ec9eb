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
import org.extmmap.model.Config;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.Outcome;
import org.extmmap.model.Ret;
import org.extmmap.model.State;
import org.extmmap.model.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C reproducers are real programs: one for a plain-pipe path of the Quick graph, and one for
 * a path of several processes (fork, a blocked read woken by another process, a caught signal,
 * SIGKILL, exit, a writer blocked at capacity), compile and agree with the kernel this build runs
 * on (plain pipes and processes behave alike everywhere); the same programs with one expectation
 * changed report the difference with exit status 1.
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

    /** Two processes, P = 2, one page slot: the Fork configuration with room for a longer stream. */
    private static final Config TWO = new Config(2, 2, 2, 2, 1, 8, 2, List.of((byte) 'a', (byte) 'b'),
            Config.ALL_OPS);

    /** Steps with the model's outcomes: only plain-pipe calls and processes. */
    private static List<SpecStep> processes() {
        ExtMmap m = new ExtMmap(TWO);
        Bytes a = Bytes.of("a");
        Bytes b = Bytes.of("b");
        List<Action> actions = List.of(new Action.Fork(1), new Action.Read(2, 1), new Action.Write(1, a),
                new Action.Wake(2), new Action.Read(2, 1), new Action.Signal(2), new Action.Write(1, b),
                new Action.Write(1, a), new Action.Write(1, b), new Action.Read(2, 1), new Action.Read(2, 1),
                new Action.Wake(1), new Action.Read(2, 1), new Action.Read(2, 1), new Action.Kill(2),
                new Action.Exit(1));
        List<SpecStep> steps = new ArrayList<>();
        State s = m.initial();
        for (Action x : actions) {
            Step st = m.take(s, x).orElseThrow(() -> new AssertionError("the spec does not enable " + x));
            steps.add(new SpecStep(x, st.outcome()));
            s = st.next();
        }
        return steps;
    }

    @Test
    void aPathOfSeveralProcessesAgreesAndWrongExpectationsAreReported() throws Exception {
        List<SpecStep> steps = processes();
        // the path has what it is meant to show: a wake-up by another process, EINTR, a blocked writer
        assertTrue(steps.stream().anyMatch(x -> x.expected() instanceof Outcome.Signal g && g.ret() == Ret.EINTR));
        assertTrue(steps.stream().anyMatch(x -> x.expected() instanceof Outcome.Write w && w.ret() == Ret.BLOCK));
        assertEquals(0, compileAndRun(CReproducer.of(TWO, steps, "test: several processes")));

        List<SpecStep> wrongByte = new ArrayList<>(steps);
        SpecStep woken = wrongByte.get(3); // process 2's read, woken by process 1's write
        Outcome.Read r = (Outcome.Read) woken.expected();
        wrongByte.set(3, new SpecStep(woken.action(), new Outcome.Read(r.p(), r.n(), r.pos(), Ret.OK, Bytes.of("b"))));
        assertEquals(1, compileAndRun(CReproducer.of(TWO, wrongByte, "test: a woken read's byte wrong")));

        List<SpecStep> restarts = new ArrayList<>(steps);
        restarts.set(5, new SpecStep(steps.get(5).action(), new Outcome.Signal(2, Ret.RESTART, 0)));
        assertEquals(1, compileAndRun(CReproducer.of(TWO, restarts, "test: a signal expected to restart a read")));
    }
}
