package io.photopipe.local.stack;

import io.photopipe.local.servers.LocalCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./photopipe aws ARGS}: the AWS CLI against the local stack, as LocalStack's {@code awslocal}. Debian's
 * aws-cli 2.9.19 predates the {@code AWS_ENDPOINT_URL_*} variables (added in 2.13), so the endpoint of the
 * command's service is passed as {@code --endpoint-url}; credentials and region are the local ones. Endpoints come
 * from {@code .photopipe/local.env} (written by a running {@code ./photopipe local}), else the default ports.
 */
public final class AwsCommand {
    /** Global options of the CLI that take a value (so their value is not mistaken for the service name). */
    private static final Set<String> VALUED_GLOBALS = Set.of("--region", "--output", "--profile", "--query",
            "--endpoint-url", "--cli-read-timeout", "--cli-connect-timeout", "--color", "--ca-bundle",
            "--cli-binary-format");

    private AwsCommand() {
    }

    /** The full command line: the CLI, then {@code --endpoint-url} for the service (unless given), then the args. */
    public static List<String> commandLine(String aws, List<String> args, Map<String, String> localEnv) {
        List<String> cmd = new ArrayList<>();
        cmd.add(aws);
        String service = serviceOf(args);
        String endpoint = service == null ? null : switch (service) {
            case "s3", "s3api" -> localEnv.getOrDefault("AWS_ENDPOINT_URL_S3",
                    "http://127.0.0.1:" + LocalOptions.DEFAULT_S3_PORT);
            case "sqs" -> localEnv.getOrDefault("AWS_ENDPOINT_URL_SQS",
                    "http://127.0.0.1:" + LocalOptions.DEFAULT_SQS_PORT);
            default -> null;
        };
        if (endpoint != null && !args.contains("--endpoint-url")) {
            cmd.add("--endpoint-url");
            cmd.add(endpoint);
        }
        cmd.addAll(args);
        return cmd;
    }

    /** The first argument that is not a global option or its value: the service ({@code s3}, {@code sqs}...). */
    static String serviceOf(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (VALUED_GLOBALS.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    /** The environment the CLI runs with: the local credentials and region, no profile, no pager. */
    public static Map<String, String> environment(Map<String, String> base) {
        Map<String, String> env = new LinkedHashMap<>(base);
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        env.put("AWS_ACCESS_KEY_ID", LocalCredentials.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", LocalCredentials.SECRET_ACCESS_KEY);
        env.put("AWS_REGION", LocalCredentials.REGION);
        env.put("AWS_DEFAULT_REGION", LocalCredentials.REGION);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        return env;
    }

    /** Reads the {@code export NAME='value'} lines of a local.env file; empty when there is none. */
    public static Map<String, String> readEnvFile(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return env;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("export ") && line.contains("=")) {
                    String name = line.substring(7, line.indexOf('='));
                    String value = line.substring(line.indexOf('=') + 1);
                    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                        value = value.substring(1, value.length() - 1).replace("'\\''", "'");
                    }
                    env.put(name, value);
                }
            }
        } catch (IOException e) {
            // unreadable: fall back to the default endpoints
        }
        return env;
    }

    /** The AWS CLI to run: Debian's /usr/bin/aws first (an older one may come first on PATH), else PATH. */
    public static Path findCli() {
        Path debian = Path.of("/usr/bin/aws");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "aws"))) {
                return Path.of(dir, "aws");
            }
        }
        return null;
    }

    public static void main(String[] args) throws Exception {
        Path cli = findCli();
        if (cli == null) {
            System.err.println("photopipe aws: the AWS CLI is not installed. On Debian/Ubuntu: sudo apt-get install"
                    + " awscli; elsewhere: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html");
            System.exit(127);
        }
        List<String> arguments = List.of(args);
        Path root = LocalOptions.findProjectRoot(Path.of(""));
        Map<String, String> local = readEnvFile(root.resolve(".photopipe").resolve("local.env"));
        String service = serviceOf(arguments);
        if (service != null && !Set.of("s3", "s3api", "sqs", "help", "configure").contains(service)) {
            System.err.println("photopipe aws: note: only s3, s3api and sqs are emulated locally; '" + service
                    + "' goes to its default endpoint");
        }
        ProcessBuilder pb = new ProcessBuilder(commandLine(cli.toString(), arguments, local)).inheritIO();
        pb.environment().clear();
        pb.environment().putAll(environment(System.getenv()));
        System.exit(pb.start().waitFor());
    }
}
