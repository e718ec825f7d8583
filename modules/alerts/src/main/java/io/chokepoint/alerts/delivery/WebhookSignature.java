package io.chokepoint.alerts.delivery;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The {@code Chokepoint-Signature} header, Stripe's scheme: {@code t=<unix seconds>,v1=<hex>} where
 * v1 = HMAC-SHA256(secret, t + "." + body). The timestamp inside the signed text lets receivers
 * reject replays older than a tolerance; each retry is signed afresh with the current time.
 */
public final class WebhookSignature {

    public static final String HEADER = "Chokepoint-Signature";

    /** One per sending thread: looking up the JCA provider for every notification showed in profiles. */
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    });

    private WebhookSignature() {
    }

    public static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds, body);
    }

    static String hmacHex(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = HMAC.get();
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Checks a header as a receiver would: a v1 matches and t is within {@code toleranceSeconds} of now. */
    public static boolean verify(String secret, String header, byte[] body, long nowUnixSeconds, long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        long t = -1;
        String expectedSig = null;
        boolean ok = false;
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                try {
                    t = Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return false;
                }
                expectedSig = hmacHex(secret, t, body);
            }
        }
        if (t < 0 || Math.abs(nowUnixSeconds - t) > toleranceSeconds) {
            return false;
        }
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("v1")) {
                ok |= MessageDigest.isEqual(expectedSig.getBytes(StandardCharsets.US_ASCII), kv[1].getBytes(StandardCharsets.US_ASCII));
            }
        }
        return ok;
    }
}
