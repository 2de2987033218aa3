package io.photopipe.api;

import io.photopipe.core.ApiAuth;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who is calling, as API Gateway's authorizer established it (never as the request claims it): the owner of the
 * uploads it starts, and the client its upload rate is counted for.
 *
 * @param kind     how the caller was authenticated; {@link ApiAuth#NONE} for an anonymous caller
 * @param owner    what an upload ticket records and a status request must match: {@code iam:<principal ARN>},
 *                 {@code jwt:<iss>|<sub>}, or "" for anonymous callers
 * @param sourceIp the client's address as API Gateway saw it ({@code requestContext.http.sourceIp}), or ""
 */
public record Identity(ApiAuth kind, String owner, String sourceIp) {

    public Identity {
        kind = kind == null ? ApiAuth.NONE : kind;
        owner = owner == null ? "" : owner;
        sourceIp = sourceIp == null ? "" : sourceIp;
        if ((kind == ApiAuth.NONE) != owner.isEmpty()) {
            throw new IllegalArgumentException("an anonymous caller has no owner, an authenticated one has one");
        }
    }

    /** A caller nobody authenticated. */
    public static Identity anonymous(String sourceIp) {
        return new Identity(ApiAuth.NONE, "", sourceIp);
    }

    /**
     * A caller with a token of {@code issuer} about {@code subject}. A subject is unique only within its issuer
     * (OpenID Connect Core, section 2), so both make the owner: a new issuer never inherits the old one's photos.
     */
    public static Identity jwt(String issuer, String subject, String sourceIp) {
        return new Identity(ApiAuth.JWT, "jwt:" + (issuer == null ? "" : issuer) + "|" + subject, sourceIp);
    }

    /** An IAM principal; for an assumed role its ARN names the session too, as API Gateway reports it. */
    public static Identity iam(String principalArn, String sourceIp) {
        return new Identity(ApiAuth.IAM, "iam:" + principalArn, sourceIp);
    }

    public boolean isAnonymous() {
        return kind == ApiAuth.NONE;
    }

    /**
     * Whether this caller's uploads are counted: every authenticated caller, and an anonymous one by its source
     * address, except on the loopback interface, which is where the local stack's only user (its developer) is.
     */
    boolean rateLimited() {
        return !isAnonymous() || !(sourceIp.isEmpty() || loopback(sourceIp));
    }

    /**
     * The client's name in key names: 32 hex digits of SHA-256 of the owner (or of the address, when anonymous), so
     * a key listing shows no identity and any owner fits in one key segment.
     */
    String clientKey() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((isAnonymous() ? "ip:" + sourceIp : owner).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static boolean loopback(String address) {
        // Only literal addresses: API Gateway and the local HTTP API report the peer's IP, never a name to resolve
        if (!address.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
