package io.photopipe.producer;

import io.photopipe.core.PipelineSettings;
import io.photopipe.producer.internal.Json;
import io.photopipe.producer.internal.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code produce status}: queue depth, in flight, DLQ depth, age of oldest message; watch or wait until empty. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Queue depth, messages in flight, DLQ depth and the age of the oldest message.",
                "--watch refreshes until Ctrl-C; --wait-empty returns 0 as soon as the queue has no message waiting, "
                        + "in flight or delayed (the demo and load tests use it), 4 on --timeout."},
        footer = {"%nExamples:", "  produce status", "  produce status --watch --interval 2s",
                "  produce status --wait-empty --timeout 10m --json"})
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    ProducerCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    @Option(names = "--queue", paramLabel = "NAME_OR_URL", description = "Queue; default: the settings' queue.")
    String queue;
    @Option(names = "--dlq", paramLabel = "NAME_OR_URL",
            description = "DLQ; default: the queue's RedrivePolicy target, else the settings' DLQ.")
    String dlq;
    @Option(names = "--peek", description = "Also peek the main queue for the age of its oldest message (counts as a "
            + "receive towards maxReceiveCount; the DLQ is always peeked).")
    boolean peek;
    @Option(names = "--watch", description = "Refresh every --interval until Ctrl-C.")
    boolean watch;
    @Option(names = "--wait-empty", description = "Wait until nothing is waiting, in flight or delayed.")
    boolean waitEmpty;
    @Option(names = "--interval", paramLabel = "DURATION", description = "Refresh interval (default: ${DEFAULT-VALUE}).")
    Duration interval = Duration.ofSeconds(2);
    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "--wait-empty gives up after this long, exit code 4 (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofMinutes(30);
    @Option(names = "--stable", paramLabel = "N", description = "--wait-empty needs N empty readings in a row, since "
            + "SQS counts are approximate (default: ${DEFAULT-VALUE}).")
    int stable = 2;
    @Option(names = "--iterations", hidden = true, description = "Stop --watch after N refreshes (tests).")
    int iterations = Integer.MAX_VALUE;

    @Override
    public Integer call() throws Exception {
        PipelineSettings settings = common.settings();
        if (watch && waitEmpty) {
            throw ProducerException.usage("--watch and --wait-empty exclude each other");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw ProducerException.usage("--interval " + interval + " must be positive");
        }
        try (AwsClients aws = common.clients(cli, 4)) {
            String queueUrl = Queues.url(aws.sqs(), queue != null ? queue : settings.queue().name());
            String dlqUrl = dlq != null ? Queues.url(aws.sqs(), dlq)
                    : QueueStatus.findDlq(aws.sqs(), queueUrl, settings.queue().dlqName());
            QueueStatus status = new QueueStatus(aws.sqs(), queueUrl, dlqUrl, peek);
            if (waitEmpty) {
                return waitEmpty(status);
            }
            for (int i = 0; i < (watch ? iterations : 1); i++) {
                if (i > 0) {
                    Thread.sleep(interval);
                }
                print(status.snapshot());
            }
            return ExitCodes.OK;
        }
    }

    private int waitEmpty(QueueStatus status) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        int emptyInARow = 0;
        long maxSeen = 0;
        long done = 0;
        QueueSnapshot s;
        try (Progress progress = Progress.bar(common.progress(), "draining", -1, "msg")) {
            while (true) {
                s = status.snapshot();
                long depth = s.visible() + s.inFlight() + s.delayed();
                if (depth > maxSeen) {
                    maxSeen = depth;
                    progress.maxHint(maxSeen);
                }
                if (maxSeen - depth > done) {
                    progress.step(maxSeen - depth - done);
                    done = maxSeen - depth;
                }
                emptyInARow = s.empty() ? emptyInARow + 1 : 0;
                if (emptyInARow >= stable || Instant.now().isAfter(deadline)) {
                    break;
                }
                Thread.sleep(interval);
            }
        }
        print(s);
        if (emptyInARow >= stable) {
            return ExitCodes.OK;
        }
        spec.commandLine().getErr().printf("queue %s not empty after %s%n", s.queue(), timeout);
        return ExitCodes.TIMEOUT;
    }

    private void print(QueueSnapshot s) {
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            out.println(Json.write(s));
        } else {
            out.printf(Locale.ROOT, "%s %s: %,d waiting, %,d in flight, %,d delayed, oldest %s | DLQ %s%n",
                    s.at().toString().substring(11, 19), s.queue(), s.visible(), s.inFlight(), s.delayed(),
                    s.oldestAgeSeconds() == null ? (peek ? "-" : "n/a (--peek)") : s.oldestAgeSeconds() + " s",
                    s.dlq() == null ? "none" : String.format(Locale.ROOT, "%s: %,d%s", s.dlq(), s.dlqVisible(),
                            s.dlqOldestAgeSeconds() == null ? "" : ", oldest " + s.dlqOldestAgeSeconds() + " s"));
        }
        out.flush();
    }
}
