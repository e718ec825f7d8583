package io.chokepoint.events.serde;

import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry client settings read from the same keys Confluent's serdes use, so a config written
 * for Confluent's serde works unchanged with ours and the other way round.
 */
public record RegistrySettings(
        List<String> urls,
        Optional<String> userInfo,
        Optional<String> bearerToken,
        Optional<TlsSettings> tls,
        boolean autoRegisterSchemas,
        boolean useLatestVersion,
        boolean specificAvroReader,
        Duration requestTimeout) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";

    /** TLS material for an HTTPS registry (trust store and, for mutual TLS, a key store). */
    public record TlsSettings(String truststoreLocation, String truststorePassword, String truststoreType,
                              String keystoreLocation, String keystorePassword, String keystoreType,
                              String keyPassword) {
    }

    public static RegistrySettings from(Map<String, ?> configs) {
        String urlList = string(configs, URL);
        if (urlList == null || urlList.isBlank()) {
            throw new ConfigException(URL, urlList, "the schema registry URL is required (e.g. http://localhost:8081)");
        }
        List<String> urls = Arrays.stream(urlList.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                .toList();
        for (String url : urls) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new ConfigException(URL, url, "must start with http:// or https://");
            }
        }
        String source = Optional.ofNullable(string(configs, BASIC_AUTH_SOURCE)).orElse("USER_INFO");
        Optional<String> userInfo = switch (source) {
            case "USER_INFO" -> Optional.ofNullable(string(configs, BASIC_AUTH_USER_INFO)).filter(s -> !s.isBlank());
            case "URL" -> Optional.empty(); // credentials travel in the URL's user-info part
            default -> throw new ConfigException(BASIC_AUTH_SOURCE, source, "supported: USER_INFO, URL");
        };
        String bearerSource = Optional.ofNullable(string(configs, BEARER_AUTH_SOURCE)).orElse("STATIC_TOKEN");
        if (!bearerSource.equals("STATIC_TOKEN")) {
            throw new ConfigException(BEARER_AUTH_SOURCE, bearerSource, "supported: STATIC_TOKEN");
        }
        Optional<String> bearerToken = Optional.ofNullable(string(configs, BEARER_AUTH_TOKEN)).filter(s -> !s.isBlank());
        if (bearerToken.isPresent() && userInfo.isPresent()) {
            throw new ConfigException(BEARER_AUTH_TOKEN, "[redacted]", "set either a bearer token or " + BASIC_AUTH_USER_INFO + ", not both");
        }
        Optional<TlsSettings> tls = Optional.ofNullable(string(configs, TRUSTSTORE_LOCATION))
                .or(() -> Optional.ofNullable(string(configs, KEYSTORE_LOCATION)))
                .map(any -> new TlsSettings(
                        string(configs, TRUSTSTORE_LOCATION), string(configs, TRUSTSTORE_PASSWORD),
                        Optional.ofNullable(string(configs, TRUSTSTORE_TYPE)).orElse("JKS"),
                        string(configs, KEYSTORE_LOCATION), string(configs, KEYSTORE_PASSWORD),
                        Optional.ofNullable(string(configs, KEYSTORE_TYPE)).orElse("JKS"),
                        string(configs, KEY_PASSWORD)));
        return new RegistrySettings(
                urls, userInfo, bearerToken, tls,
                bool(configs, AUTO_REGISTER, true),
                bool(configs, USE_LATEST_VERSION, false),
                bool(configs, SPECIFIC_AVRO_READER, true),
                Duration.ofMillis(Long.parseLong(Optional.ofNullable(string(configs, REQUEST_TIMEOUT_MS)).orElse("10000"))));
    }

    private static String string(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof org.apache.kafka.common.config.types.Password password) {
            return password.value();
        }
        return value.toString();
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
        String value = string(configs, key);
        return value == null ? fallback : Boolean.parseBoolean(value.strip());
    }

    @Override
    public String toString() {
        // never print credentials
        return "RegistrySettings[urls=" + urls + ", auth=" + (userInfo.isPresent() ? "basic" : bearerToken.isPresent() ? "bearer" : "none")
                + ", tls=" + tls.isPresent() + ", autoRegisterSchemas=" + autoRegisterSchemas
                + ", useLatestVersion=" + useLatestVersion + "]";
    }
}
