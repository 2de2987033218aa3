package io.photopipe.local.lambda.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an environment's output goes (what CloudWatch Logs gets in Lambda): each line prefixed with the function and
 * environment, to our log (logger {@code lambda.FUNCTION}) and, when a directory is set, to
 * {@code DIR/FUNCTION-ENV.log}.
 */
public final class EnvironmentLog implements AutoCloseable {
    private final Logger logger;
    private final String prefix;
    private final BufferedWriter file;

    private EnvironmentLog(String function, String env, BufferedWriter file) {
        this.logger = LoggerFactory.getLogger("lambda." + function);
        this.prefix = "[" + env + "] ";
        this.file = file;
    }

    public static EnvironmentLog open(String function, String env, Path dir) {
        BufferedWriter w = null;
        if (dir != null) {
            try {
                Files.createDirectories(dir);
                w = Files.newBufferedWriter(dir.resolve(env + ".log"), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                LoggerFactory.getLogger(EnvironmentLog.class).warn("cannot write {}'s log under {}: {}", env, dir,
                        e.toString());
            }
        }
        return new EnvironmentLog(function, env, w);
    }

    public void line(String text) {
        logger.info("{}{}", prefix, text);
        if (file != null) {
            synchronized (this) {
                try {
                    file.write(text);
                    file.newLine();
                    file.flush();
                } catch (IOException e) {
                    // closed while the process still printed: our log line above has it
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
