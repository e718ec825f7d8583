package io.chokepoint.events.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of the Confluent Schema Registry REST API — the API Confluent Schema Registry,
 * Apicurio ({@code /apis/ccompat/v7}), Karapace and Redpanda all serve. Caches ids and schemas:
 * a schema is registered or looked up once per subject, a schema id is fetched once.
 */
public final class SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A schema as registered under a subject. */
    public record RegisteredSchema(String subject, int id, int version, Schema schema) {
    }

    /** Outcome of a compatibility check, with the registry's reasons when it says no. */
    public record Compatibility(boolean compatible, List<String> messages) {
    }

    private final RegistrySettings settings;
    private final HttpClient http;
    private final List<Endpoint> endpoints;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private record Endpoint(String baseUrl, Optional<String> authorization) {
    }

    public SchemaRegistryClient(RegistrySettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .version(HttpClient.Version.HTTP_1_1);
        settings.tls().ifPresent(tls -> builder.sslContext(sslContext(tls)));
        this.http = builder.build();
        this.endpoints = settings.urls().stream().map(url -> endpoint(url, settings.userInfo(), settings.bearerToken())).toList();
    }

    public RegistrySettings settings() {
        return settings;
    }

    /** Registers the schema under the subject (idempotent) and returns its global id. */
    public int register(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode response;
        try {
            response = send("POST", "/subjects/" + encode(subject) + "/versions", body, subject, "register a schema");
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() != 409) {
                throw e;
            }
            // Apicurio also answers 409 ("already exists") to the losers of concurrent first registrations
            // of one schema: if the schema is there now, that was the race, and its id is the answer
            return registeredMeanwhile(subject, schema).orElseThrow(() -> e);
        }
        int id = response.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("schema registry answered the registration for subject '" + subject
                    + "' without an id: " + response, subject, 200, 0, null);
        }
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    private Optional<Integer> registeredMeanwhile(String subject, Schema schema) {
        try {
            return Optional.of(lookup(subject, schema));
        } catch (SchemaRegistryException notThere) {
            return Optional.empty();
        }
    }

    /** The id of a schema already registered under the subject; fails with 404 when it is not. */
    public int lookup(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode response = send("POST", "/subjects/" + encode(subject), body, subject, "look up a schema");
        int id = response.path("id").asInt();
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The schema with the given global id. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode response = send("GET", "/schemas/ids/" + id, null, "id " + id, "fetch a schema by id");
        Schema schema = new Schema.Parser().parse(response.path("schema").asText());
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    public RegisteredSchema latest(String subject) {
        JsonNode response = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null, subject, "fetch the latest schema");
        Schema schema = new Schema.Parser().parse(response.path("schema").asText());
        int id = response.path("id").asInt();
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(subject, id, response.path("version").asInt(), schema);
    }

    /** Asks whether the schema could be registered under the subject, without registering it. */
    public Compatibility checkCompatibility(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode response;
        try {
            response = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                    body, subject, "check compatibility");
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                return new Compatibility(true, List.of()); // nothing registered yet: anything is compatible
            }
            throw e;
        }
        List<String> messages = new ArrayList<>();
        response.path("messages").forEach(m -> messages.add(m.asText()));
        return new Compatibility(response.path("is_compatible").asBoolean(false), messages);
    }

    /** The registry-wide compatibility level. */
    public String globalCompatibilityLevel() {
        return send("GET", "/config", null, "*", "read the global compatibility level").path("compatibilityLevel").asText();
    }

    /** The subject's compatibility level, falling back to the global level. */
    public String compatibilityLevel(String subject) {
        try {
            return send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null, subject, "read the compatibility level")
                    .path("compatibilityLevel").asText();
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
            return send("GET", "/config", null, subject, "read the global compatibility level")
                    .path("compatibilityLevel").asText();
        }
    }

    public void setCompatibilityLevel(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        send("PUT", "/config/" + encode(subject), body, subject, "set the compatibility level");
    }

    public List<String> subjects() {
        JsonNode response = send("GET", "/subjects", null, "*", "list subjects");
        List<String> subjects = new ArrayList<>();
        response.forEach(s -> subjects.add(s.asText()));
        return subjects;
    }

    private JsonNode send(String method, String path, JsonNode body, String subject, String action) {
        SchemaRegistryException lastFailure = null;
        for (Endpoint endpoint : endpoints) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + path))
                    .timeout(settings.requestTimeout())
                    .header("Accept", CONTENT_TYPE + ", application/json");
            endpoint.authorization().ifPresent(a -> request.header("Authorization", a));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE)
                        .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return interpret(response, endpoint, subject, action);
            } catch (HttpTimeoutException e) {
                lastFailure = unreachable(endpoint, subject, action, "timed out after " + settings.requestTimeout().toMillis() + " ms", e);
            } catch (ConnectException e) {
                lastFailure = unreachable(endpoint, subject, action, "connection refused", e);
            } catch (IOException e) {
                lastFailure = unreachable(endpoint, subject, action, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while trying to " + action + " for subject '" + subject + "'",
                        subject, 0, 0, e);
            }
        }
        throw lastFailure;
    }

    private static JsonNode interpret(HttpResponse<String> response, Endpoint endpoint, String subject, String action) {
        int status = response.statusCode();
        JsonNode json = parse(response.body());
        if (status >= 200 && status < 300) {
            return json;
        }
        int errorCode = json.path("error_code").asInt(status);
        String registryMessage = json.path("message").asText(response.body());
        String reason = switch (status) {
            case 409 -> "the schema is incompatible with the subject's earlier versions";
            case 404 -> "not found";
            case 401, 403 -> "access denied (check basic.auth.user.info)";
            case 422 -> "the registry rejected the schema as invalid";
            default -> "HTTP " + status;
        };
        throw new SchemaRegistryException("schema registry at " + endpoint.baseUrl() + " refused to " + action
                + " for subject '" + subject + "': " + reason + " (HTTP " + status + ", error " + errorCode + ": "
                + registryMessage + ")", subject, status, errorCode, null);
    }

    private static SchemaRegistryException unreachable(Endpoint endpoint, String subject, String action, String why, Exception cause) {
        return new SchemaRegistryException("schema registry at " + endpoint.baseUrl() + " is unreachable (" + why
                + ") while trying to " + action + " for subject '" + subject + "'; check schema.registry.url",
                subject, 0, 0, cause);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    private static Endpoint endpoint(String url, Optional<String> userInfo, Optional<String> bearerToken) {
        URI uri = URI.create(url);
        Optional<String> credentials = userInfo;
        String base = url;
        if (uri.getUserInfo() != null) {
            credentials = Optional.of(uri.getUserInfo());
            base = url.replace(uri.getRawUserInfo() + "@", "");
        }
        return new Endpoint(base, credentials.map(c -> "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)))
                .or(() -> bearerToken.map(t -> "Bearer " + t)));
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static SSLContext sslContext(RegistrySettings.TlsSettings tls) {
        try {
            TrustManagerFactory tmf = null;
            if (tls.truststoreLocation() != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(loadStore(tls.truststoreLocation(), tls.truststorePassword(), tls.truststoreType()));
            }
            KeyManagerFactory kmf = null;
            if (tls.keystoreLocation() != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = tls.keyPassword() != null ? tls.keyPassword() : tls.keystorePassword();
                kmf.init(loadStore(tls.keystoreLocation(), tls.keystorePassword(), tls.keystoreType()),
                        keyPassword == null ? null : keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new org.apache.kafka.common.config.ConfigException(
                    "cannot set up TLS for the schema registry: " + e.getMessage());
        }
    }

    private static KeyStore loadStore(String location, String password, String type) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}
