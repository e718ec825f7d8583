package io.chokepoint.events.serde;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistrySettingsTest {

    @Test
    void readsConfluentKeys() {
        RegistrySettings settings = RegistrySettings.from(Map.of(
                "schema.registry.url", "http://a:8081/, http://b:8081",
                "auto.register.schemas", "false",
                "use.latest.version", "true",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:s3cret"));

        assertThat(settings.urls()).containsExactly("http://a:8081", "http://b:8081");
        assertThat(settings.autoRegisterSchemas()).isFalse();
        assertThat(settings.useLatestVersion()).isTrue();
        assertThat(settings.userInfo()).contains("svc:s3cret");
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void aMissingOrMalformedUrlIsAConfigError() {
        assertThatThrownBy(() -> RegistrySettings.from(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url", "localhost:8081")))
                .hasMessageContaining("http://");
    }

    @Test
    void wireFormatRejectsForeignBytesWithAReason() {
        assertThatThrownBy(() -> WireFormat.schemaId("t", new byte[]{'{', '"', 'a', '"', ':'}))
                .hasMessageContaining("0x7b").hasMessageContaining("magic byte");
        assertThatThrownBy(() -> WireFormat.schemaId("t", new byte[]{0, 1}))
                .hasMessageContaining("too short");
        assertThat(WireFormat.schemaId("t", new byte[]{0, 0, 0, 1, 2, 9})).isEqualTo(258);
    }
}
