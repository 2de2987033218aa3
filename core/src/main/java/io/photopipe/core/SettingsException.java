package io.photopipe.core;

/**
 * A setting is missing or invalid. The message always names the setting (a JSON path such as
 * {@code worker.batchSize} or an environment variable such as {@code PHOTOPIPE_BUCKET}), the bad value and what is
 * allowed, so a user can fix it without reading code.
 */
public final class SettingsException extends IllegalArgumentException {
    private final String setting;

    public SettingsException(String setting, String message) {
        super(setting + ": " + message);
        this.setting = setting;
    }

    public SettingsException(String setting, String message, Throwable cause) {
        super(setting + ": " + message, cause);
        this.setting = setting;
    }

    /** The name of the offending setting, as the user wrote it. */
    public String setting() {
        return setting;
    }

    static void require(boolean condition, String setting, String message) {
        if (!condition) {
            throw new SettingsException(setting, message);
        }
    }
}
