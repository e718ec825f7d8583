package io.chokepoint.events.admin;

import io.chokepoint.events.config.ChokepointConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first contact of a command with Kafka: fails within {@code bootstrap.timeout} (default 10 s)
 * with one line naming the bootstrap addresses and why each is unusable, instead of letting every
 * client retry for its own minute. A TCP probe of each address answers "connection refused" or
 * "unknown host" at once; a cluster that accepts connections must then answer a metadata request.
 */
public final class KafkaReachability {

    /** How long a command waits for the first answer from Kafka. */
    public static final String TIMEOUT = "bootstrap.timeout";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Kafka did not answer; the message names the addresses and the reason. */
    public static final class KafkaUnreachableException extends IllegalStateException {
        public KafkaUnreachableException(String message) {
            super(message);
        }
    }

    private KafkaReachability() {
    }

    public static Duration timeout(ChokepointConfig config) {
        Duration timeout = config.getDuration(TIMEOUT, DEFAULT_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ChokepointConfig.ConfigProblem(TIMEOUT, "must be a positive duration, got " + ChokepointConfig.formatDuration(timeout));
        }
        return timeout;
    }

    /** Returns once Kafka answered; throws {@link KafkaUnreachableException} within {@link #timeout} otherwise. */
    public static void require(ChokepointConfig config) {
        Duration timeout = timeout(config);
        String servers = config.get(ChokepointConfig.BOOTSTRAP_SERVERS);
        List<String> addresses = addressesOf(servers);
        long deadline = System.nanoTime() + timeout.toNanos();

        List<String> failures = new ArrayList<>();
        for (String address : addresses) {
            String problem = probe(address, remaining(deadline));
            if (problem == null) {
                answersMetadata(config, servers, timeout, deadline);
                return;
            }
            failures.add(address + " " + problem);
        }
        throw unreachable(servers, failures);
    }

    /**
     * Fails like {@link #require} when no bootstrap address resolves, without connecting: Kafka's
     * clients refuse to be created then ("No resolvable bootstrap urls"), so a command that builds
     * its clients before {@link #require} checks this first.
     */
    public static void requireResolvable(ChokepointConfig config) {
        String servers = config.get(ChokepointConfig.BOOTSTRAP_SERVERS);
        List<String> failures = new ArrayList<>();
        for (String address : addressesOf(servers)) {
            try {
                InetAddress.getByName(hostOf(address));
                return;
            } catch (UnknownHostException e) {
                failures.add(address + " is an unknown host");
            }
        }
        throw unreachable(servers, failures);
    }

    private static List<String> addressesOf(String servers) {
        return Arrays.stream(servers.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static KafkaUnreachableException unreachable(String servers, List<String> failures) {
        return new KafkaUnreachableException("cannot reach Kafka at " + servers + " (bootstrap.servers): " + String.join("; ", failures)
                + "; check the address and that the brokers are up");
    }

    private static String hostOf(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new ChokepointConfig.ConfigProblem(ChokepointConfig.BOOTSTRAP_SERVERS, "must be host:port[,host:port...], got '" + address + "'");
        }
        return address.substring(0, colon).replace("[", "").replace("]", "");
    }

    /** Null when something accepts TCP connections at {@code host:port}, else what went wrong. */
    private static String probe(String address, Duration timeout) {
        String host = hostOf(address);
        int colon = address.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ChokepointConfig.ConfigProblem(ChokepointConfig.BOOTSTRAP_SERVERS, "has a port that is not a number in '" + address + "'");
        }
        if (timeout.isZero()) {
            return "was not tried (time ran out)";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return null;
        } catch (UnknownHostException e) {
            return "is an unknown host";
        } catch (SocketTimeoutException e) {
            return "did not answer within " + ChokepointConfig.formatDuration(timeout);
        } catch (ConnectException e) {
            return "refused the connection";
        } catch (IOException | IllegalArgumentException e) {
            return "cannot be connected to: " + e.getMessage();
        }
    }

    /** A listener is up; it must also speak Kafka (right protocol, TLS and SASL settings) in time. */
    private static void answersMetadata(ChokepointConfig config, String servers, Duration timeout, long deadline) {
        int millis = (int) Math.max(1_000, remaining(deadline).toMillis());
        Properties props = config.kafkaClientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(millis));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(millis));
        Admin admin = null;
        try {
            admin = Admin.create(props);
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).clusterId().get(millis + 1_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new KafkaUnreachableException("Kafka at " + servers + " (bootstrap.servers) accepts connections but did not answer within "
                        + ChokepointConfig.formatDuration(timeout) + ": is it a Kafka listener, and do security.protocol / SASL / TLS "
                        + "(kafka.* settings) match it?");
            }
            if (cause instanceof SaslAuthenticationException) {
                throw new KafkaUnreachableException("Kafka at " + servers + " (bootstrap.servers): authentication failed for "
                        + saslUser(props) + " with " + props.getProperty("sasl.mechanism", "GSSAPI")
                        + "; check the user and password in kafka.sasl.jaas.config");
            }
            if (cause instanceof SslAuthenticationException) {
                throw new KafkaUnreachableException("Kafka at " + servers + " (bootstrap.servers): the TLS handshake failed ("
                        + rootMessage(cause) + "); check kafka.ssl.truststore.* (and kafka.ssl.keystore.* for mutual TLS)");
            }
            throw new KafkaUnreachableException("Kafka at " + servers + " (bootstrap.servers) refused us: " + cause.getMessage());
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException("Kafka at " + servers + " (bootstrap.servers) did not answer within "
                    + ChokepointConfig.formatDuration(timeout));
        } catch (KafkaException e) {
            throw new KafkaUnreachableException("cannot connect to Kafka at " + servers + ": " + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnreachableException("interrupted while contacting Kafka at " + servers);
        } finally {
            if (admin != null) {
                admin.close(Duration.ZERO); // nothing left to wait for, whatever the outcome
            }
        }
    }

    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    /** The user named in the JAAS line (never its password), for an error a user can act on. */
    private static String saslUser(Properties props) {
        Matcher m = JAAS_USER.matcher(props.getProperty("sasl.jaas.config", ""));
        return m.find() ? "user '" + m.group(1) + "'" : "the configured user";
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
