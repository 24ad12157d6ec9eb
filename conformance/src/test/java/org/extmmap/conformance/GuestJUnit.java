package org.extmmap.conformance;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs test classes through the JUnit Platform without Maven, for the guest (whose file system
 * is the host's, read-only). Prints JUnit's summary with every failure; aborted (skipped) tests
 * are counted as such, never as passed. With {@code -Dextmmap.junitReport=FILE.md} it also writes
 * a Markdown table of every test with its result and, for jqwik properties, the tries and seed
 * jqwik reported (jqwik hands them to JUnit only with -Djqwik.reporting.usejunitplatform=true).
 * Exit status 0 only when nothing failed and nothing was aborted.
 *
 * <pre>java -cp TESTCLASSPATH org.extmmap.conformance.GuestJUnit CLASS...</pre>
 */
public final class GuestJUnit {
    private GuestJUnit() {
    }

    /** One test's row: its result, and what jqwik said about it. */
    private static final class Row {
        String result = "not run";
        String tries = "";
        String seed = "";
        long startNanos;
        double seconds;
        String failure = "";
    }

    private static final Pattern TRIES = Pattern.compile("(?m)^tries\\s*=\\s*(\\d+)");
    private static final Pattern SEED = Pattern.compile("(?m)^seed\\s*=\\s*(-?\\d+)");

    /** Collects the rows; jqwik publishes tries and seed as a report entry of each property. */
    private static final class Collector implements TestExecutionListener {
        final Map<String, Row> rows = new LinkedHashMap<>();

        private Row row(TestIdentifier id) {
            return rows.computeIfAbsent(id.getLegacyReportingName() + " (" + className(id) + ")", k -> new Row());
        }

        private static String className(TestIdentifier id) {
            String u = id.getUniqueId();
            Matcher m = Pattern.compile("\\[class:([^\\]]+)\\]").matcher(u);
            String c = m.find() ? m.group(1) : u;
            return c.substring(c.lastIndexOf('.') + 1);
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                row(id).startNanos = System.nanoTime();
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                row(id).result = "skipped: " + reason;
            }
        }

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            for (String v : entry.getKeyValuePairs().values()) {
                Matcher t = TRIES.matcher(v);
                Matcher s = SEED.matcher(v);
                Row r = row(id);
                if (t.find()) {
                    r.tries = t.group(1);
                }
                if (s.find()) {
                    r.seed = s.group(1);
                }
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
                return;
            }
            Row r = row(id);
            r.seconds = (System.nanoTime() - r.startNanos) / 1e9;
            r.result = switch (result.getStatus()) {
                case SUCCESSFUL -> "passed";
                case ABORTED -> "ABORTED (not run)";
                case FAILED -> "FAILED";
            };
            result.getThrowable().ifPresent(t -> r.failure = String.valueOf(t.getMessage()));
        }

        String markdown() {
            StringBuilder md = new StringBuilder("| test | result | jqwik tries | seed | time |\n|---|---|---|---|---|\n");
            long tries = 0;
            List<String> failures = new ArrayList<>();
            for (Map.Entry<String, Row> e : rows.entrySet()) {
                Row r = e.getValue();
                md.append("| ").append(e.getKey()).append(" | ").append(r.result).append(" | ").append(r.tries)
                        .append(" | ").append(r.seed).append(" | ").append(String.format("%.1f s", r.seconds))
                        .append(" |\n");
                if (!r.tries.isEmpty() && r.result.equals("passed")) {
                    tries += Long.parseLong(r.tries);
                }
                if (r.result.equals("FAILED")) {
                    failures.add("### " + e.getKey() + "\n\n```\n" + r.failure + "\n```\n");
                }
            }
            md.append("\njqwik tries in passing properties: ").append(tries).append("\n\n");
            failures.forEach(f -> md.append(f).append('\n'));
            return md.toString();
        }
    }

    public static void main(String[] args) throws ClassNotFoundException, IOException {
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request();
        for (String name : args) {
            b.selectors(selectClass(Class.forName(name)));
        }
        LauncherDiscoveryRequest request = b.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Collector rows = new Collector();
        launcher.execute(request, summary, rows);
        TestExecutionSummary s = summary.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        s.printTo(out);
        s.printFailuresTo(out, 25);
        System.out.println("[guest-junit] " + Arrays.toString(args) + ": " + s.getTestsSucceededCount() + " passed, "
                + s.getTestsFailedCount() + " failed, " + s.getTestsAbortedCount() + " aborted (not run), "
                + s.getTestsSkippedCount() + " skipped");
        String report = System.getProperty("extmmap.junitReport");
        if (report != null) {
            Files.writeString(Path.of(report), "Tests: " + s.getTestsSucceededCount() + " passed, "
                    + s.getTestsFailedCount() + " failed, " + s.getTestsAbortedCount() + " aborted (not run), "
                    + s.getTestsSkippedCount() + " skipped.\n\n" + rows.markdown());
        }
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsAbortedCount() == 0 ? 0 : 1);
    }
}
