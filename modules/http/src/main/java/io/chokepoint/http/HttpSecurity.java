package io.chokepoint.http;

import io.chokepoint.events.config.ChokepointConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Who may call a Chokepoint HTTP server and how much: the {@code http.*} settings shared by the
 * alert dispatcher and the dashboard. Reads are open unless {@code http.auth.reads} asks for
 * credentials; writes (any method but GET, HEAD, OPTIONS) always need them, so a server without
 * credentials configured is read-only. Health probes stay open for orchestrators. The rate limit
 * ({@code http.rate.limit}) counts writes and refused credentials per client address, not reads.
 */
public record HttpSecurity(
        Optional<String> bearerToken,
        Optional<String> basicUser,
        Optional<String> basicPassword,
        boolean authenticateReads,
        List<String> corsOrigins,
        long maxRequestBytes,
        int requestsPerSecond) {

    public static final String AUTH_TOKEN = "http.auth.token";
    public static final String AUTH_BASIC_USER = "http.auth.basic.user";
    public static final String AUTH_BASIC_PASSWORD = "http.auth.basic.password";
    public static final String AUTH_READS = "http.auth.reads";
    public static final String CORS_ORIGINS = "http.cors.origins";
    public static final String MAX_REQUEST_BYTES = "http.max.request.bytes";
    public static final String RATE_LIMIT = "http.rate.limit";

    public static final long DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
    public static final int DEFAULT_REQUESTS_PER_SECOND = 20;

    public HttpSecurity {
        if (basicUser.isPresent() != basicPassword.isPresent()) {
            throw new ChokepointConfig.ConfigProblem(basicUser.isPresent() ? AUTH_BASIC_PASSWORD : AUTH_BASIC_USER,
                    "must be set together with " + (basicUser.isPresent() ? AUTH_BASIC_USER : AUTH_BASIC_PASSWORD));
        }
        if (authenticateReads && !hasCredentials(bearerToken, basicUser)) {
            throw new ChokepointConfig.ConfigProblem(AUTH_READS, "is true but no credentials are set ("
                    + AUTH_TOKEN + ", or " + AUTH_BASIC_USER + " and " + AUTH_BASIC_PASSWORD + ")");
        }
        if (maxRequestBytes < 1) {
            throw new ChokepointConfig.ConfigProblem(MAX_REQUEST_BYTES, "must be at least 1, got " + maxRequestBytes);
        }
        if (requestsPerSecond < 0) {
            throw new ChokepointConfig.ConfigProblem(RATE_LIMIT, "must be 0 (no limit) or more, got " + requestsPerSecond);
        }
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** No credentials (read-only), no CORS, 64 KiB requests, 20 writes or refused logins per second per client. */
    public static HttpSecurity defaults() {
        return new HttpSecurity(Optional.empty(), Optional.empty(), Optional.empty(), false, List.of(),
                DEFAULT_MAX_REQUEST_BYTES, DEFAULT_REQUESTS_PER_SECOND);
    }

    public static HttpSecurity from(ChokepointConfig config) {
        return new HttpSecurity(
                config.find(AUTH_TOKEN),
                config.find(AUTH_BASIC_USER),
                config.find(AUTH_BASIC_PASSWORD),
                config.getBoolean(AUTH_READS, false),
                config.find(CORS_ORIGINS).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                        .orElse(List.of()),
                config.getLong(MAX_REQUEST_BYTES, DEFAULT_MAX_REQUEST_BYTES),
                config.getInt(RATE_LIMIT, DEFAULT_REQUESTS_PER_SECOND));
    }

    public boolean hasCredentials() {
        return hasCredentials(bearerToken, basicUser);
    }

    private static boolean hasCredentials(Optional<String> token, Optional<String> user) {
        return token.isPresent() || user.isPresent();
    }

    /** Whether an {@code Authorization} header value carries the configured token or user and password. */
    boolean accepts(String authorization) {
        if (authorization == null) {
            return false;
        }
        if (bearerToken.isPresent() && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return sameSecret(authorization.substring(7).strip(), bearerToken.get());
        }
        if (basicUser.isPresent() && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            return sameSecret(decoded, basicUser.get() + ":" + basicPassword.orElseThrow());
        }
        return false;
    }

    /** What this process sends to its peers (the dashboard forwarding to the owner of a key). */
    public Optional<String> clientAuthorization() {
        return bearerToken.map(t -> "Bearer " + t).or(() -> basicUser.map(u -> "Basic " + Base64.getEncoder()
                .encodeToString((u + ":" + basicPassword.orElseThrow()).getBytes(StandardCharsets.UTF_8))));
    }

    /** Constant time, so response timing does not reveal how much of a guess was right. */
    private static boolean sameSecret(String offered, String expected) {
        return MessageDigest.isEqual(offered.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        // never print credentials
        return "HttpSecurity[auth=" + (bearerToken.isPresent() ? "bearer" : "") + (basicUser.isPresent() ? " basic" : "")
                + ", authenticateReads=" + authenticateReads + ", corsOrigins=" + corsOrigins
                + ", maxRequestBytes=" + maxRequestBytes + ", requestsPerSecond=" + requestsPerSecond + "]";
    }
}
