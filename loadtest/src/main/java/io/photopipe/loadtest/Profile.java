package io.photopipe.loadtest;

/** How upload-burst injects its virtual users. */
public enum Profile {
    /** All users within the duration along a smooth step ({@code stressPeakUsers}); at once when the duration is 0. */
    SPIKE,
    /** Users arrive at a linearly growing count over the duration ({@code rampUsers}). */
    RAMP,
    /** A constant arrival rate ({@code constantUsersPerSec}) for the duration. */
    SUSTAINED
}
