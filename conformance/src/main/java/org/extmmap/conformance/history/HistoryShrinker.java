package org.extmmap.conformance.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shortest failing prefix of a rejected history: every event up to a ticket, a call not
 * completed by then pending. A prefix of an explained history is explained (the same order,
 * cut), so rejection is monotone in the cut and a binary search finds the first ticket at which
 * no order of the spec explains what was seen.
 */
public final class HistoryShrinker {
    private HistoryShrinker() {
    }

    /** The events up to ticket t. */
    public static History upTo(History h, long t) {
        Map<Integer, List<History.Call>> out = new LinkedHashMap<>();
        h.calls().forEach((proc, calls) -> {
            List<History.Call> kept = new ArrayList<>();
            for (History.Call c : calls) {
                if (c.invoked() > t) {
                    break;
                }
                if (c.completed() <= t) {
                    kept.add(c);
                } else if (!c.op().equals("kill")) {
                    kept.add(new History.Call(c.proc(), c.index(), c.op(), c.args(), c.invoked(), History.PENDING,
                            List.of(), c.signals(), 0));
                }
            }
            out.put(proc, kept);
        });
        return new History(h.name() + "@" + t, h.header(), out);
    }

    /** The first ticket at which the history is rejected (budget as the checker's), with its verdict. */
    public static Map.Entry<History, HistoryChecker.Verdict> shortestFailing(History h, long budget) {
        long lo = 0;
        long hi = 0;
        for (History.Call c : h.allCalls()) {
            hi = Math.max(hi, c.pending() ? c.invoked() : c.completed());
        }
        HistoryChecker.Verdict worst = new HistoryChecker(h, budget).check();
        History at = h;
        while (lo < hi) {
            long mid = (lo + hi) / 2;
            History cut = upTo(h, mid);
            HistoryChecker.Verdict v = new HistoryChecker(cut, budget).within(java.time.Duration.ofMinutes(2)).check();
            if (v.accepted()) {
                lo = mid + 1;
            } else {
                hi = mid;
                worst = v;
                at = cut;
            }
        }
        return Map.entry(at, worst);
    }
}
