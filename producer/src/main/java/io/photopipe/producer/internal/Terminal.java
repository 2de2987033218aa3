package io.photopipe.producer.internal;

import java.io.Console;

/** Whether the user is at a terminal. */
public final class Terminal {
    private Terminal() {
    }

    /**
     * True when there is an interactive terminal. Since JDK 22 {@link System#console()} also returns a console when
     * output is redirected, so {@link Console#isTerminal()} decides.
     */
    public static boolean isInteractive() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }
}
