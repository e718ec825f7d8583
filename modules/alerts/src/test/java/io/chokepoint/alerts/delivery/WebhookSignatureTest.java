package io.chokepoint.alerts.delivery;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {

    static final String SECRET = "whsec-test-0123456789abcdef";
    final byte[] body = "{\"version\":\"4\",\"alerts\":[]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void the_header_verifies_with_an_independent_implementation_and_fails_when_tampered() {
        String header = WebhookSignature.header(SECRET, 1_775_808_000L, body);

        assertThat(header).matches("t=1775808000,v1=[0-9a-f]{64}");
        assertThat(IndependentVerifier.verify(SECRET, header, body, 1_775_808_010L)).isTrue();
        assertThat(IndependentVerifier.verify(SECRET, header, "{\"version\":\"4\",\"alerts\":[1]}".getBytes(StandardCharsets.UTF_8), 1_775_808_010L)).isFalse();
        assertThat(IndependentVerifier.verify("another-secret-0123456789", header, body, 1_775_808_010L)).isFalse();
        assertThat(IndependentVerifier.verify(SECRET, header, body, 1_775_808_000L + 301)).as("replayed too late").isFalse();
        assertThat(WebhookSignature.verify(SECRET, header, body, 1_775_808_010L, 300)).isTrue();
    }

    @Test
    void the_readme_snippet_rejects_malformed_headers_without_throwing_and_accepts_any_of_several_v1() {
        String header = WebhookSignature.header(SECRET, 1_775_808_000L, body);
        String v1 = header.substring(header.indexOf("v1=") + 3);
        long now = 1_775_808_010L;
        for (String malformed : new String[]{"", "garbage", "t", "t=,v1=", "t=abc,v1=" + v1, "v1=" + v1, "t=1775808000",
                "t=99999999999999999999,v1=" + v1, ",,,", "t=1775808000,v1"}) {
            assertThat(IndependentVerifier.verify(SECRET, malformed, body, now)).as(malformed).isFalse();
        }
        assertThat(IndependentVerifier.verify(SECRET, "t=1775808000,v1=" + "0".repeat(64) + ",v1=" + v1, body, now))
                .as("a rotated secret: one of several v1 matches").isTrue();
        assertThat(IndependentVerifier.verify(SECRET, "junk, t=1775808000 ,v1=" + v1, body, now)).as("stray parts and spaces").isTrue();
    }

    @Test
    void retry_after_accepts_seconds_and_http_dates() {
        Clock clock = Clock.fixed(Instant.parse("2026-04-10T08:00:00Z"), ZoneOffset.UTC);
        assertThat(HttpSender.parseRetryAfter("7", clock)).isEqualTo(Duration.ofSeconds(7));
        assertThat(HttpSender.parseRetryAfter("Fri, 10 Apr 2026 08:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpSender.parseRetryAfter("soon", clock)).isNull();
    }
}
