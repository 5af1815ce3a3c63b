package io.meridian.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.security.KeyStore;

/**
 * The HTTPS connector that replaces the plain one when the API serves TLS: HTTP/1.1 over TLS 1.2 or 1.3 with the
 * key and certificate of the PEM files. The host and port are those {@link ConsulHttpServer#start} is given.
 */
final class TlsConnector {

    private final KeyStore keyStore;
    private volatile String host;
    private volatile int port;

    /** @throws IllegalArgumentException if the PEM files cannot be read */
    TlsConnector(PemFiles files) {
        this.keyStore = PemKeyStore.load(files);
    }

    void bindTo(String bindHost, int bindPort) {
        this.host = bindHost;
        this.port = bindPort;
    }

    ServerConnector create(Server server, HttpConfiguration plain) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
        tls.setIncludeProtocols("TLSv1.2", "TLSv1.3");
        HttpConfiguration https = new HttpConfiguration(plain);
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        // Clients reach nodes by IP address as often as by name; the certificate decides who may trust it.
        customizer.setSniHostCheck(false);
        https.addCustomizer(customizer);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
