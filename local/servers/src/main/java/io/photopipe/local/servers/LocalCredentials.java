package io.photopipe.local.servers;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The one identity of the local stack. Both embedded servers accept exactly these credentials (S3Proxy checks
 * SigV4 signatures for real, so a client with other keys gets {@code 403 SignatureDoesNotMatch}), and the local
 * runtime writes the same values into {@code .photopipe/local.env}.
 */
public final class LocalCredentials {
    /** Access key id of the local identity. */
    public static final String ACCESS_KEY_ID = "photopipe";
    /** Secret key of the local identity. Not a secret: it only opens servers bound to the loopback interface. */
    public static final String SECRET_ACCESS_KEY = "photopipe-local-secret";
    /** Region the servers claim to be in (it appears in queue ARNs and in SigV4 scopes). */
    public static final String REGION = "us-east-1";
    /** Account id in queue URLs and ARNs; the all-zero id makes it obvious a resource is not a real one. */
    public static final String ACCOUNT_ID = "000000000000";

    private static final AwsCredentialsProvider PROVIDER =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));

    private LocalCredentials() {
    }

    /** A credentials provider for the local identity, for SDK clients pointed at the embedded servers. */
    public static AwsCredentialsProvider provider() {
        return PROVIDER;
    }
}
