package io.photopipe.infra;

import io.photopipe.core.PipelineSettings;
import io.photopipe.core.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;

/**
 * The CDK app: {@code cdk.json} runs it for {@code npx aws-cdk@2 synth|deploy|destroy}, and
 * {@code ./photopipe infra synth} runs it directly to write {@code infra/cdk.out/} offline.
 *
 * <p>Settings come from {@code photopipe.json} at the project root (merged over the built-in defaults) or the file
 * named by context {@code settings}; the stack is environment-agnostic, so synthesis needs no AWS credentials.
 * Arguments {@code -c name=value} (or {@code --context name=value}) set context when run without the CDK CLI.
 */
public final class PhotopipeApp {

    private PhotopipeApp() {
    }

    public static void main(String[] args) {
        try {
            Path root = projectRoot(Path.of("").toAbsolutePath());
            String cdkOutdir = System.getenv("CDK_OUTDIR");
            Path outdir = cdkOutdir != null ? Path.of(cdkOutdir) : root.resolve("infra/cdk.out");
            Path written = synth(root, FunctionJars.under(root), parseContext(args), outdir);
            if (cdkOutdir == null) {
                System.out.println("Wrote the CloudFormation template(s) to " + written);
            }
        } catch (SettingsException | IllegalStateException e) {
            System.err.println("photopipe infra: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Synthesizes the stack into {@code outdir} (context from the CDK CLI's {@code CDK_CONTEXT_JSON} is merged in by
     * the CDK itself) and returns the cloud assembly's directory.
     */
    static Path synth(Path root, FunctionJars jars, Map<String, Object> context, Path outdir) {
        App app = new App(AppProps.builder().context(context).outdir(outdir.toString()).build());
        DeployOptions options = DeployOptions.fromContext(key -> app.getNode().tryGetContext(key));
        if (options.allowAnonymousUploads()) {
            // Always, under the CDK CLI too (it shows the app's stderr), and first, before anything can scroll it away
            String bar = "!".repeat(100);
            System.err.println(bar + "\n!! " + UploadApi.ANONYMOUS_WARNING.replace(". ", ".\n!! ") + "\n" + bar);
        }
        PipelineSettings settings = settings(root, app.getNode().tryGetContext("settings"));
        new PhotopipeStack(app, settings, options, jars.forWorkerArchitecture(settings.worker().architecture()), StackProps.builder()
                .description("photopipe: S3 -> SQS -> Lambda photo renditions, with an upload API")
                .build());
        CloudAssembly assembly = app.synth();
        // The CDK CLI prints these itself; without it nobody would see them.
        if (System.getenv("CDK_OUTDIR") == null) {
            for (CloudFormationStackArtifact stack : assembly.getStacks()) {
                for (SynthesisMessage m : stack.getMessages()) {
                    if (m.getLevel() != SynthesisMessageLevel.INFO) {
                        System.err.println(m.getLevel() + " " + m.getId() + ": " + m.getEntry().getData());
                    }
                }
            }
        }
        return Path.of(assembly.getDirectory());
    }

    /** {@code [synth] (-c|--context) name=value ...} */
    static Map<String, Object> parseContext(String[] args) {
        Map<String, Object> context = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("-c") || args[i].equals("--context")) && i + 1 < args.length) {
                String kv = args[++i];
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new SettingsException(kv, "context must be given as name=value");
                }
                context.put(kv.substring(0, eq), kv.substring(eq + 1));
            } else if (!args[i].equals("synth")) {
                throw new SettingsException(args[i], "unknown argument; usage: [synth] [-c name=value]...");
            }
        }
        return context;
    }

    /** The settings file named by context {@code settings}, else {@code photopipe.json} at the root, else defaults. */
    static PipelineSettings settings(Path root, Object settingsContext) {
        if (settingsContext != null) {
            Path file = root.resolve(settingsContext.toString());
            if (!Files.isRegularFile(file)) {
                throw new SettingsException("settings", "context names " + file + ", which is not a file");
            }
            return PipelineSettings.load(file);
        }
        Path file = root.resolve("photopipe.json");
        return Files.isRegularFile(file) ? PipelineSettings.load(file) : PipelineSettings.defaults();
    }

    /** The project root: the nearest directory up from {@code start} holding {@code core/pom.xml} and {@code mvnw}. */
    static Path projectRoot(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("core/pom.xml")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the photopipe project root (a directory with core/pom.xml and "
                + "mvnw) at or above " + start + "; run from inside the project");
    }
}
