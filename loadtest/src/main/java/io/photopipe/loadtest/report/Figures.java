package io.photopipe.loadtest.report;

import io.photopipe.loadtest.E2eRecorder;
import io.photopipe.loadtest.LoadTestRunner;
import io.photopipe.loadtest.RunResult;
import io.photopipe.loadtest.Sample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headline figures of a run.
 *
 * @param photosCompleted   messages the worker completed (local) or photos seen ready (deployed)
 * @param sustainedPerSec   photos per second from the first photo in the queue to the last completion
 * @param peakPerSec        the best 10-second window, photos per second
 * @param maxEnvironments   execution environments alive at once, at most (-1 unknown)
 * @param maxBusy           invocations running at once, at most (-1 unknown)
 * @param maxPollers        event source mapping concurrency reached (-1 unknown)
 * @param coldStarts        environments created (-1 unknown)
 * @param e2e               per Gatling group: count, p50, p95, p99 in ms
 */
public record Figures(long photosCompleted, double sustainedPerSec, double peakPerSec, int maxEnvironments,
                      int maxBusy, int maxPollers, long coldStarts, Map<String, double[]> e2e) {

    public static Figures of(RunResult r) {
        List<Sample> s = r.samples();
        Sample last = s.isEmpty() ? null : s.getLast();
        long completed = last == null ? -1 : last.completed();
        if (completed < 0) {
            completed = r.e2e().stream().filter(e -> e.outcome().equals("ready")).count();
        }
        double sustained = 0;
        double peak = 0;
        if (last != null && last.completed() >= 0) {
            // from the first photo in the queue to the last one completed: the rate the run sustained end to end
            long firstAt = -1;
            long lastAt = -1;
            long prev = 0;
            for (Sample x : s) {
                if (firstAt < 0 && (x.queued() > 0 || x.inFlight() > 0 || x.completed() > 0)) {
                    firstAt = x.atMillis();
                }
                if (x.completed() > prev) {
                    lastAt = x.atMillis();
                }
                prev = x.completed();
            }
            if (firstAt >= 0 && lastAt > firstAt) {
                sustained = last.completed() / ((lastAt - firstAt) / 1000.0);
            }
            for (int i = 0; i < s.size(); i++) {
                for (int j = i + 1; j < s.size(); j++) {
                    double dt = (s.get(j).atMillis() - s.get(i).atMillis()) / 1000.0;
                    if (dt >= 10) {
                        peak = Math.max(peak, (s.get(j).completed() - s.get(i).completed()) / dt);
                        break;
                    }
                }
            }
        }
        int envs = s.stream().mapToInt(Sample::environments).max().orElse(-1);
        int busy = s.stream().mapToInt(Sample::busy).max().orElse(-1);
        int pollers = s.stream().mapToInt(Sample::pollers).max().orElse(-1);
        long cold = last == null ? -1 : last.coldStarts();
        Map<String, double[]> e2e = new LinkedHashMap<>();
        r.e2e().stream().map(E2eRecorder.Entry::group).distinct().sorted().forEach(g -> {
            List<E2eRecorder.Entry> list = r.e2e().stream().filter(e -> e.group().equals(g)).toList();
            e2e.put(g, new double[] {list.size(), LoadTestRunner.percentile(list, 0.50),
                    LoadTestRunner.percentile(list, 0.95), LoadTestRunner.percentile(list, 0.99)});
        });
        return new Figures(completed, sustained, peak, envs, busy, pollers, cold, e2e);
    }
}
