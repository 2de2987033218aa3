package io.photopipe.producer;

import io.photopipe.core.PipelineSettings;
import io.photopipe.producer.internal.Json;
import io.photopipe.producer.internal.Progress;
import io.photopipe.producer.internal.Terminal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code produce dlq list|show|purge}. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Inspect the dead-letter queue: what failed and why (the worker's photopipe-reason-code, "
                + "photopipe-reason and photopipe-object message attributes).",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.ShowCommand.class, DlqCommand.PurgeCommand.class},
        footer = {"%nExamples:", "  produce dlq list", "  produce dlq show 3f1c0c4e-...",
                "  produce dlq purge --reason not-an-image"})
final class DlqCommand implements Runnable {
    @ParentCommand
    ProducerCli cli;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "dlq needs a command: list, show or purge");
    }

    static String dlqUrl(AwsClients aws, CommonOptions common, String dlq) {
        PipelineSettings s = common.settings();
        return Queues.url(aws.sqs(), dlq != null ? dlq : s.queue().dlqName());
    }

    /** {@code dlq list}: messages grouped by reason. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Count the DLQ's messages by failure reason, with example objects. Messages are only peeked "
                    + "(made visible again at the end).")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand
        DlqCommand parent;
        @Spec
        CommandSpec spec;
        @Mixin
        CommonOptions common;
        @Option(names = "--dlq", paramLabel = "NAME_OR_URL", description = "DLQ; default: the settings' DLQ.")
        String dlq;
        @Option(names = "--max", paramLabel = "N", description = "Read at most N messages (default: ${DEFAULT-VALUE}).")
        int max = 10_000;
        @Option(names = "--messages", description = "Also list every message (id, reason code, object).")
        boolean messages;

        @Override
        public Integer call() {
            try (AwsClients aws = common.clients(parent.cli, 4)) {
                String url = dlqUrl(aws, common, dlq);
                long depth = Long.parseLong(Queues.attributes(aws.sqs(), url)
                        .getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
                List<DlqMessage> all;
                try (Progress p = Progress.bar(common.progress(), "reading DLQ", Math.min(depth, max), "msg")) {
                    all = new Dlq(aws.sqs(), url, 60).peek(max, p);
                }
                // Messages the queue moved without the worker's reason: named from the photos' attempt records.
                all = new DlqReasons(aws.s3(), common.settings(), java.time.Clock.systemUTC()).explain(all);
                List<Dlq.ReasonGroup> groups = Dlq.group(all);
                PrintWriter out = spec.commandLine().getOut();
                if (common.json) {
                    out.println(Json.write(Map.of("dlq", Queues.name(url), "messages", all.size(), "groups", groups)));
                } else {
                    out.printf(Locale.ROOT, "%s: %,d messages%s%n", Queues.name(url), all.size(),
                            all.size() >= max ? " (stopped at --max)" : "");
                    for (Dlq.ReasonGroup g : groups) {
                        out.printf(Locale.ROOT, "  %6d  %-24s %s%n", g.count(), g.reasonCode(), g.reason());
                        for (String o : g.objects()) {
                            out.println("          e.g. " + o);
                        }
                    }
                    if (messages) {
                        for (DlqMessage m : all) {
                            out.printf("  %s  %s  %s%n", m.messageId(), m.reasonCode(), m.object());
                        }
                    }
                }
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    /** {@code dlq show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one DLQ message (body, attributes, receive count) by message id or original message id.")
    static final class ShowCommand implements Callable<Integer> {
        @ParentCommand
        DlqCommand parent;
        @Spec
        CommandSpec spec;
        @Mixin
        CommonOptions common;
        @Option(names = "--dlq", paramLabel = "NAME_OR_URL", description = "DLQ; default: the settings' DLQ.")
        String dlq;
        @Option(names = "--max", paramLabel = "N", description = "Search at most N messages (default: ${DEFAULT-VALUE}).")
        int max = 10_000;
        @Parameters(paramLabel = "MESSAGE_ID")
        String id;

        @Override
        public Integer call() throws Exception {
            try (AwsClients aws = common.clients(parent.cli, 4)) {
                String url = dlqUrl(aws, common, dlq);
                DlqMessage m = new Dlq(aws.sqs(), url, 60).find(id, max)
                        .map(new DlqReasons(aws.s3(), common.settings(), java.time.Clock.systemUTC())).orElseThrow(() ->
                        ProducerException.usage("no message " + id + " in " + Queues.name(url)
                                + " (see produce dlq list --messages)"));
                PrintWriter out = spec.commandLine().getOut();
                if (common.json) {
                    out.println(Json.write(m));
                } else {
                    out.printf("message   %s%nreason    %s: %s%nfrom      %s%nobject    %s%nreceived  %d times%nsent at   %s%n",
                            m.messageId(), m.reasonCode(), m.reason(), m.reasonSource(), m.object(), m.receiveCount(),
                            m.sentAt());
                    m.attributes().forEach((k, v) -> out.printf("attribute %s = %s%n", k, v));
                    String body;
                    try {
                        body = Json.pretty(Json.MAPPER.readTree(m.body()));
                    } catch (Exception e) {
                        body = m.body();
                    }
                    out.println("body:");
                    out.println(body);
                }
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    /** {@code dlq purge}. */
    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = {"Delete the DLQ's messages, after confirmation (type the DLQ's name) or with --yes.",
                    "Without --reason this is SQS PurgeQueue (once a minute on AWS); with --reason only those messages "
                            + "are deleted."})
    static final class PurgeCommand implements Callable<Integer> {
        @ParentCommand
        DlqCommand parent;
        @Spec
        CommandSpec spec;
        @Mixin
        CommonOptions common;
        @Option(names = "--dlq", paramLabel = "NAME_OR_URL", description = "DLQ; default: the settings' DLQ.")
        String dlq;
        @Option(names = "--reason", paramLabel = "CODE", description = "Only messages with this reason code.")
        String reason;
        @Option(names = {"--yes", "-y"}, description = "Do not ask for confirmation (scripts).")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            try (AwsClients aws = common.clients(parent.cli, 4)) {
                String url = dlqUrl(aws, common, dlq);
                String name = Queues.name(url);
                long depth = Long.parseLong(Queues.attributes(aws.sqs(), url)
                        .getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
                if (!yes) {
                    if (!Terminal.isInteractive()) {
                        throw ProducerException.usage("purging needs confirmation: run at a terminal or pass --yes");
                    }
                    PrintWriter err = spec.commandLine().getErr();
                    err.printf(Locale.ROOT, "Delete %s%,d messages from %s? This cannot be undone. Type the queue name "
                            + "to confirm: ", reason == null ? "all " : "the '" + reason + "' ones of ", depth, name);
                    err.flush();
                    String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                            .readLine();
                    if (answer == null || !answer.trim().equals(name)) {
                        err.println("not confirmed; nothing deleted");
                        return ExitCodes.USAGE;
                    }
                }
                Dlq q = new Dlq(aws.sqs(), url, 60, new DlqReasons(aws.s3(), common.settings(),
                        java.time.Clock.systemUTC()));
                long deleted;
                if (reason == null) {
                    q.purgeAll();
                    deleted = depth;
                } else {
                    try (Progress p = Progress.bar(common.progress(), "purging", -1, "msg")) {
                        deleted = q.purgeReason(reason, p);
                    }
                }
                PrintWriter out = spec.commandLine().getOut();
                if (common.json) {
                    out.println(Json.write(Map.of("dlq", name, "deleted", deleted, "reason",
                            reason == null ? "all" : reason)));
                } else {
                    out.printf(Locale.ROOT, "%s: deleted %s%,d messages%n", name, reason == null ? "about " : "", deleted);
                }
                out.flush();
                return ExitCodes.OK;
            }
        }
    }
}
