package io.photopipe.producer;

import io.photopipe.core.SettingsException;
import io.photopipe.producer.internal.Units;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * {@code ./photopipe produce ...}: the producer CLI. Each subcommand is a thin picocli adapter over a plain class.
 * Tests run it in-process with {@link #commandLine(ProducerCli)} and a {@link ClientFactory} pointing at embedded
 * servers.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, versionProvider = ProducerCli.Version.class,
        description = {"Feeds and looks after the photopipe queue, on AWS or the local stack.",
                "AWS credentials and region come from the standard SDK chains; the local stack is reached through "
                        + "AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_SQS (source .photopipe/local.env) or "
                        + "--endpoint-s3 / --endpoint-sqs."},
        subcommands = {BackfillCommand.class, BurstCommand.class, DlqCommand.class, RedriveCommand.class,
                StatusCommand.class, BenchEnqueueCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything asked for was done",
            "1:partial failure: some objects, uploads or messages failed (listed in the summary)",
            "2:usage or configuration error (bad flags, settings or checkpoint); nothing was done",
            "3:AWS refused or was unreachable (missing queue or bucket, access denied, no credentials)",
            "4:status --wait-empty timed out",
            "70:internal error (a bug: please report it with the stack trace)",
            "130:stopped by Ctrl-C after saving progress (backfill --resume continues)"})
public final class ProducerCli implements Runnable {
    /** Unexpected failure (sysexits EX_SOFTWARE). */
    public static final int INTERNAL = 70;

    /** Creates the AWS clients of a command; tests substitute one that points at embedded servers. */
    @FunctionalInterface
    public interface ClientFactory {
        AwsClients create(AwsClients.Options options);
    }

    private final ClientFactory clientFactory;
    private final Function<String, String> env;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The CLI against the real environment. */
    public ProducerCli() {
        this(AwsClients::create, System::getenv);
    }

    /**
     * @param clientFactory how commands get their AWS clients
     * @param env           the environment (endpoint variables)
     */
    public ProducerCli(ClientFactory clientFactory, Function<String, String> env) {
        this.clientFactory = clientFactory;
        this.env = env;
    }

    ClientFactory clientFactory() {
        return clientFactory;
    }

    Function<String, String> env() {
        return env;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** A configured command line: converters for sizes, durations and times, exit codes for our exceptions. */
    public static CommandLine commandLine(ProducerCli cli) {
        CommandLine cl = new CommandLine(cli);
        cl.registerConverter(Duration.class, Units::parseDuration);
        cl.registerConverter(Instant.class, Units::parseInstant);
        cl.setExecutionExceptionHandler(ProducerCli::handle);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        Throwable e = ex;
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            err.println("photopipe produce: " + e.getMessage() + ": " + e.getCause());
            return ExitCodes.PARTIAL;
        }
        switch (e) {
            case ProducerException pe -> {
                err.println("photopipe produce: " + pe.getMessage());
                return pe.exitCode();
            }
            case SettingsException se -> {
                err.println("photopipe produce: settings: " + se.getMessage());
                return ExitCodes.USAGE;
            }
            case AwsServiceException ae -> {
                err.println("photopipe produce: AWS refused: " + ae.awsErrorDetails().serviceName() + " "
                        + ae.awsErrorDetails().errorCode() + " (HTTP " + ae.statusCode() + "): "
                        + ae.awsErrorDetails().errorMessage());
                return ExitCodes.AWS;
            }
            case SdkClientException ce -> {
                err.println("photopipe produce: cannot use AWS: " + ce.getMessage());
                return ExitCodes.AWS;
            }
            default -> {
                err.println("photopipe produce: internal error, please report it:");
                e.printStackTrace(err);
                return INTERNAL;
            }
        }
    }

    /** Runs the CLI and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine(new ProducerCli()).execute(args));
    }

    /** The version from the jar's manifest, or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ProducerCli.class.getPackage().getImplementationVersion();
            return new String[] {"photopipe producer " + (v == null ? "dev" : v)};
        }
    }
}
