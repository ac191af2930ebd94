package io.sandbox.core.fabric.admin;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.sandbox.core.fabric.identity.CertifiedKey;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** In-memory JSSE trust and key managers, and TLS gRPC channels sized as Fabric's. */
final class Tls {

    /** Fabric's default maximum gRPC message size (100 MiB). */
    static final int MAX_MESSAGE_SIZE = 100 * 1024 * 1024;

    private static final char[] PASSWORD = "sandbox-admin".toCharArray();

    private Tls() {}

    static TrustManager[] trustManagers(List<X509Certificate> roots) {
        try {
            KeyStore store = emptyStore();
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root-" + i, roots.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable TLS root certificates: " + e.getMessage(), e);
        }
    }

    static KeyManager[] keyManagers(CertifiedKey client) {
        if (client == null) {
            return null;
        }
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry("client", client.privateKey(), PASSWORD, new X509Certificate[] {client.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, PASSWORD);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable TLS client certificate: " + e.getMessage(), e);
        }
    }

    static SSLContext sslContext(List<X509Certificate> roots, CertifiedKey client) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(client), trustManagers(roots), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    /** A TLS channel to {@code host:port} trusting {@code roots}, presenting {@code client} when asked. */
    static ManagedChannel channel(String host, int port, List<X509Certificate> roots, CertifiedKey client) {
        TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder().trustManager(trustManagers(roots));
        if (client != null) {
            credentials.keyManager(keyManagers(client));
        }
        ChannelCredentials built = credentials.build();
        return Grpc.newChannelBuilderForAddress(host, port, built).maxInboundMessageSize(MAX_MESSAGE_SIZE).build();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
