package io.chokepoint.cli;

import io.chokepoint.devcluster.EmbeddedKafka;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throw-away certificate authority for tests of TLS listeners: it signs leaf certificates for
 * 127.0.0.1/localhost (a broker) or for a client principal (mutual TLS), and writes PKCS12 stores.
 */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    private TestCertificates(KeyPair caKeys, X509Certificate caCertificate) {
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
    }

    static TestCertificates newAuthority() throws Exception {
        KeyPair keys = keyPair();
        X500Name name = new X500Name("CN=Chokepoint Test CA");
        X509v3CertificateBuilder builder = builder(name, name, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new TestCertificates(keys, sign(builder, keys));
    }

    /** A trust store holding only this authority's certificate. */
    Path writeTrustStore(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", caCertificate);
        return save(store, file, password);
    }

    /** A key store for a broker reached at 127.0.0.1 or localhost. */
    Path writeServerKeyStore(Path file, String password) throws Exception {
        return writeKeyStore(file, password, "CN=localhost", new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
    }

    /**
     * Writes a broker key store and returns the broker settings that put it on the embedded
     * cluster's client listener ({@code listener.name.client.ssl.*}).
     */
    Map<String, String> brokerListenerKeyStore(Path file, String password) throws Exception {
        Path store = writeServerKeyStore(file, password);
        String prefix = "listener.name." + EmbeddedKafka.ClientListener.NAME.toLowerCase(Locale.ROOT) + ".ssl.";
        return Map.of(prefix + "keystore.location", store.toString(), prefix + "keystore.password", password,
                prefix + "keystore.type", "PKCS12", prefix + "key.password", password);
    }

    /** A key store for a client whose principal is {@code User:CN=<commonName>} under mutual TLS. */
    Path writeClientKeyStore(Path file, String password, String commonName) throws Exception {
        return writeKeyStore(file, password, "CN=" + commonName, null);
    }

    private Path writeKeyStore(Path file, String password, String subject, GeneralNames alternativeNames) throws Exception {
        KeyPair keys = keyPair();
        X509v3CertificateBuilder builder = builder(new X500Name(caCertificate.getSubjectX500Principal().getName()),
                new X500Name(subject), keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        if (alternativeNames != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
        }
        X509Certificate certificate = sign(builder, caKeys);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", keys.getPrivate(), password.toCharArray(), new Certificate[]{certificate, caCertificate});
        return save(store, file, password);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static Path save(KeyStore store, Path file, String password) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }
}
