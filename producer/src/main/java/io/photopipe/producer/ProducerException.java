package io.photopipe.producer;

/**
 * A failure that ends a command with a specific exit code and a message the user can act on (no stack trace).
 */
public final class ProducerException extends RuntimeException {
    private final int exitCode;

    public ProducerException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ProducerException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad input from the user: exit code {@link ExitCodes#USAGE}. */
    public static ProducerException usage(String message) {
        return new ProducerException(ExitCodes.USAGE, message);
    }

    /** AWS refused or is unreachable: exit code {@link ExitCodes#AWS}. */
    public static ProducerException aws(String message, Throwable cause) {
        return new ProducerException(ExitCodes.AWS, message, cause);
    }

    /** The exit code the CLI ends with. */
    public int exitCode() {
        return exitCode;
    }
}
