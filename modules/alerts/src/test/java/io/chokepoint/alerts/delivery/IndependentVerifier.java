package io.chokepoint.alerts.delivery;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a receiver would write from the README alone (the documented Java snippet, line for
 * line), sharing no code with {@link WebhookSignature}: parse {@code t} and every {@code v1},
 * ignoring malformed parts, HMAC-SHA256 over {@code t + "." + body}, constant-time compare,
 * 5-minute tolerance.
 */
public final class IndependentVerifier {

    private IndependentVerifier() {
    }

    /** The snippet must not throw, whatever the header: an exception here fails the test. */
    public static boolean verify(String secret, String header, byte[] body, long nowEpochSeconds) {
        try {
            return snippet(secret, header, body, nowEpochSeconds);
        } catch (Exception e) {
            throw new AssertionError("the README's verification snippet threw on header '" + header + "'", e);
        }
    }

    static boolean snippet(String secret, String header, byte[] body, long nowEpochSeconds) throws Exception {
        if (header == null) return false;
        long t = -1;
        List<String> v1s = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) continue;
            String name = part.substring(0, eq).strip(), value = part.substring(eq + 1).strip();
            if (name.equals("t") && value.matches("\\d{1,12}")) t = Long.parseLong(value);
            else if (name.equals("v1")) v1s.add(value);
        }
        if (t < 0 || v1s.isEmpty() || Math.abs(nowEpochSeconds - t) > 300) return false;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String v1 : v1s) ok |= MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.US_ASCII));
        return ok;
    }
}
