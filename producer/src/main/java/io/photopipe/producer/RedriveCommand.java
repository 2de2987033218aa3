package io.photopipe.producer;

import io.photopipe.core.PipelineSettings;
import io.photopipe.producer.internal.Json;
import io.photopipe.producer.internal.Progress;
import io.photopipe.producer.internal.Units;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code produce redrive}: DLQ messages back to the queue. */
@Command(name = "redrive", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Move DLQ messages back to the queue so the worker tries them again.",
                "Uses SQS StartMessageMoveTask (server-side) when the DLQ is a queue's dead-letter target and neither "
                        + "--reason nor --max is given; otherwise receives, sends and deletes in batches (a message is "
                        + "deleted from the DLQ only once the queue has it)."},
        footer = {"%nExamples:", "  produce redrive", "  produce redrive --reason too-many-pixels --max 1000 --rate 50   # after raising limits.maxPixels",
                "  produce redrive --reason retries-exhausted   # every retries-exhausted:<cause>, e.g. after an S3 outage",
                "  produce redrive --reason crashed-during-render --max 10   # after raising the function's memory"})
final class RedriveCommand implements Callable<Integer> {
    @ParentCommand
    ProducerCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;

    @Option(names = "--dlq", paramLabel = "NAME_OR_URL", description = "DLQ; default: the settings' DLQ.")
    String dlq;
    @Option(names = "--to", paramLabel = "NAME_OR_URL", description = "Target queue; default: the settings' queue.")
    String to;
    @Option(names = "--reason", paramLabel = "CODE", description = "Only messages with this reason code, or of this "
            + "family (retries-exhausted takes retries-exhausted:<cause>); messages the queue moved without the "
            + "worker's reason are named from the photo's attempt record (crashed-during-render, timed-out).")
    String reason;
    @Option(names = "--max", paramLabel = "N", description = "Move at most N messages (default: all).")
    long max = 0;
    @Option(names = "--rate", paramLabel = "N[/s]", converter = BackfillCommand.RateConverter.class,
            description = "At most N messages per second (move tasks accept up to 500).")
    double rate = 0;
    @Option(names = "--manual", description = "Never use StartMessageMoveTask.")
    boolean manual;

    @Override
    public Integer call() throws Exception {
        PipelineSettings settings = common.settings();
        try (AwsClients aws = common.clients(cli, 8)) {
            String dlqUrl = Queues.url(aws.sqs(), dlq != null ? dlq : settings.queue().dlqName());
            String target = Queues.url(aws.sqs(), to != null ? to : settings.queue().name());
            long depth = Long.parseLong(Queues.attributes(aws.sqs(), dlqUrl)
                    .getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
            Redrive redrive = new Redrive(aws.sqs(), BatchSender.withDefaults(SendBatchPort.of(aws.sqs())),
                    new Redrive.Options(dlqUrl, target, reason, max, rate, manual), Duration.ofMillis(500),
                    new DlqReasons(aws.s3(), settings, java.time.Clock.systemUTC()));
            Thread hook = new Thread(redrive::stop, "redrive-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            RedriveSummary s;
            try (Progress p = Progress.bar(common.progress(), "redrive", max > 0 ? Math.min(max, depth) : depth, "msg")) {
                s = redrive.run(p);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (common.json) {
                out.println(Json.write(s));
            } else {
                out.printf(Locale.ROOT, "redrive (%s) %s -> %s: moved %,d, failed %,d, left %,d with other reasons%s in %s%n",
                        s.method(), s.from(), s.to(), s.moved(), s.failed(), s.skipped(),
                        s.duplicated() > 0 ? ", " + s.duplicated() + " now in both queues" : "",
                        Units.duration(s.elapsed()));
                if (s.taskHandle() != null) {
                    out.println("  move task " + s.taskStatus() + " " + s.taskHandle());
                }
                s.failures().forEach(f -> out.printf("  FAILED %s: %s %s%n", f.id(), f.code(), f.message()));
            }
            out.flush();
            return s.failed() > 0 || s.duplicated() > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
    }
}
