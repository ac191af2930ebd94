package io.sandbox.devnet.orderer;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** In-memory JSSE key and trust managers for the listeners. */
public final class TlsContexts {

    private static final char[] PASSWORD = "devnet".toCharArray();

    private TlsContexts() {}

    public static KeyManagerFactory keyManagers(List<X509Certificate> chain, PrivateKey key) throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, PASSWORD, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, PASSWORD);
            return factory;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    public static TrustManagerFactory trustManagers(List<X509Certificate> roots) throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root-" + i, roots.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    public static SSLContext serverContext(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientRoots)
            throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(chain, key).getKeyManagers(),
                clientRoots.isEmpty() ? null : trustManagers(clientRoots).getTrustManagers(), null);
        return context;
    }
}
