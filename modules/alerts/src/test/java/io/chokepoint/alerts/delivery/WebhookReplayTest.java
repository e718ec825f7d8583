package io.chokepoint.alerts.delivery;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's check (here: {@link WebhookSignature#verify} and the README snippet
 * {@link IndependentVerifier}) accepts a signed request only within 5 minutes of its timestamp,
 * either way, and a hostile header is a plain rejection.
 */
class WebhookReplayTest {

    static final String SECRET = "whsec-0123456789abcdef";
    static final byte[] BODY = "{\"version\":\"4\",\"alerts\":[]}".getBytes(StandardCharsets.UTF_8);
    static final long SIGNED_AT = 1_775_808_000L;

    @Property(tries = 200)
    void a_replay_is_accepted_only_within_the_tolerance(@ForAll @LongRange(min = -100_000, max = 100_000) long delay) {
        String header = WebhookSignature.header(SECRET, SIGNED_AT, BODY);
        boolean inTolerance = Math.abs(delay) <= 300;
        assertThat(WebhookSignature.verify(SECRET, header, BODY, SIGNED_AT + delay, 300)).isEqualTo(inTolerance);
        assertThat(IndependentVerifier.verify(SECRET, header, BODY, SIGNED_AT + delay)).isEqualTo(inTolerance);
    }

    @Property(tries = 300)
    void any_header_without_the_secret_is_rejected_without_an_exception(@ForAll String header) {
        assertThat(WebhookSignature.verify(SECRET, header, BODY, SIGNED_AT, 300)).isFalse();
    }

    @Property(tries = 100)
    void a_timestamp_moved_into_the_window_breaks_the_signature(@ForAll @LongRange(min = 301, max = 1_000_000) long age) {
        // an attacker who re-stamps an old request to pass the time check no longer matches its HMAC
        String old = WebhookSignature.header(SECRET, SIGNED_AT - age, BODY);
        String restamped = old.replaceFirst("t=\\d+", "t=" + SIGNED_AT);
        assertThat(WebhookSignature.verify(SECRET, restamped, BODY, SIGNED_AT, 300)).isFalse();
    }
}
