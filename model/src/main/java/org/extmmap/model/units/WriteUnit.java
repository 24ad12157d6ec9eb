package org.extmmap.model.units;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.extmmap.model.Action;
import org.extmmap.model.ExtMmap;
import org.extmmap.model.SpecRecord;
import org.extmmap.model.State;
import org.extmmap.model.Bytes;
import org.extmmap.model.End;

/** write(data): appends what fits, blocks on the rest, EPIPE (and SIGPIPE) with no reader. */
final class WriteUnit extends BaseUnit<Action.Write> {
    WriteUnit() {
        super(Action.Write.class, When.IDLE, "Write WriteStep AppendData Fill WaiterDemand WriteHist",
                "Capacity EpipeOnlyWithoutReaders NoHiddenDeadlock", "pipe_write pipe_xmap_pull",
                "claims_do_not_block_writer stream_mixed");
    }

    @Override
    public void arguments(ExtMmap m, State s, int p, Consumer<? super Action.Write> out) {
        if (m.config().allows("write") && s.fds(p).contains(End.W)) {
            for (Bytes d : writeData(m, Math.min(m.config().maxIO(), m.config().maxW() - s.stream().length()))) {
                out.accept(new Action.Write(p, d));
            }
        }
    }

    // The spec's Bytes, limited to lengths that fit: every sequence over Alpha of length 1..max.
    private static List<Bytes> writeData(ExtMmap m, int max) {
        List<Bytes> out = new ArrayList<>();
        List<Bytes> level = List.of(Bytes.EMPTY);
        for (int len = 1; len <= max; len++) {
            List<Bytes> longer = new ArrayList<>();
            for (Bytes prefix : level) {
                for (byte v : m.config().alpha()) {
                    longer.add(prefix.append(Bytes.of(v)));
                }
            }
            out.addAll(longer);
            level = longer;
        }
        return out;
    }

    @Override
    public State step(ExtMmap m, State s, Action.Write a) {
        int p = a.p();
        Bytes data = a.data();
        if (!m.ready(s, p, "write") || !s.fds(p).contains(End.W) || data.length() < 1
                || data.length() > m.config().maxIO() || s.stream().length() + data.length() > m.config().maxW()) {
            return null;
        }
        for (int i = 0; i < data.length(); i++) {
            if (!m.letter(data.at(i))) {
                return null;
            }
        }
        return m.writeStep(s, p, data, 0, true);
    }

    @Override
    public Action.Write decode(SpecRecord last) {
        return new Action.Write(last.p(), last.bytes("data"));
    }
}
