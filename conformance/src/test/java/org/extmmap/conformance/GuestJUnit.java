package org.extmmap.conformance;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.util.Arrays;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs test classes through the JUnit Platform without Maven, for the guest (whose file system
 * is the host's, read-only). Prints JUnit's summary with every failure; aborted (skipped) tests
 * are counted as such, never as passed. Exit status 0 only when nothing failed.
 *
 * <pre>java -cp TESTCLASSPATH org.extmmap.conformance.GuestJUnit CLASS...</pre>
 */
public final class GuestJUnit {
    private GuestJUnit() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request();
        for (String name : args) {
            b.selectors(selectClass(Class.forName(name)));
        }
        LauncherDiscoveryRequest request = b.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, summary);
        TestExecutionSummary s = summary.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        s.printTo(out);
        s.printFailuresTo(out, 25);
        System.out.println("[guest-junit] " + Arrays.toString(args) + ": " + s.getTestsSucceededCount() + " passed, "
                + s.getTestsFailedCount() + " failed, " + s.getTestsAbortedCount() + " aborted (not run), "
                + s.getTestsSkippedCount() + " skipped");
        System.exit(s.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
