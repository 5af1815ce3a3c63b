package io.meridian.health.check;

import io.meridian.registry.Check;
import io.meridian.registry.HealthStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP checks as Consul runs them: the check's method, headers and body; 2xx is passing, 429 warning, anything else
 * (redirects included: they are not followed) or no answer within the timeout critical; the first 4 KiB of the body
 * become the output. Every run opens a new connection and closes it after the answer, as Consul's checks do (they
 * disable keep-alive): a reused connection would hide a listener that no longer accepts. {@link CheckConnections}
 * opens the connections, on one event loop thread, and keeps the deadlines, which count only the time it could wait.
 * Thread-safe; {@link #close()} stops the event loop.
 */
public final class HttpProber extends ConnectingProber {

    /** How much of a response body is kept as output. */
    public static final int MAX_OUTPUT_BYTES = 4096;

    /** Methods whose requests say how long their body is even when it is empty, as servers expect of them. */
    private static final Set<HttpMethod> BODY_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private final SslContext verifying;
    private final SslContext trusting;

    public HttpProber() {
        super("meridian-http-checks");
        try {
            this.verifying = SslContextBuilder.forClient().build();
            this.trusting = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    @Override
    public CompletableFuture<CheckResult> probe(WatchedCheck watched) {
        Check check = watched.check();
        Target target;
        try {
            target = Target.of(check);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new CheckResult(HealthStatus.CRITICAL,
                    "cannot build the request for " + check.target() + ": " + e.getMessage()));
        }
        InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
        if (address.isUnresolved()) {
            return CompletableFuture.completedFuture(failure(check, new UnknownHostException(target.host())));
        }
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        Duration timeout = check.effectiveTimeout();
        ChannelFuture connecting = connections.connect(address, timeout, result,
                () -> new CheckResult(HealthStatus.CRITICAL, describe(check) + ": timed out after "
                        + timeout.toMillis() + " ms"),
                channel -> {
                    if (target.tls()) {
                        channel.pipeline().addLast(tls(channel, target, check.http().tlsSkipVerify()));
                    }
                    channel.pipeline().addLast(new HttpClientCodec(), new ResponseReader(check, result));
                });
        connecting.addListener(connected -> {
            if (connected.isSuccess()) {
                connecting.channel().writeAndFlush(request(check, target));
            } else {
                result.complete(failure(check, connected.cause()));
            }
        });
        return result;
    }

    private SslHandler tls(SocketChannel channel, Target target, boolean skipVerify) {
        SslHandler handler = (skipVerify ? trusting : verifying).newHandler(channel.alloc(), target.host(),
                target.port());
        if (!skipVerify) {
            SSLParameters parameters = handler.engine().getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            handler.engine().setSSLParameters(parameters);
        }
        return handler;
    }

    private static FullHttpRequest request(Check check, Target target) {
        ByteBuf body = Unpooled.copiedBuffer(check.http().body(), StandardCharsets.UTF_8);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                HttpMethod.valueOf(check.http().method()), target.pathAndQuery(), body);
        request.headers().set(HttpHeaderNames.HOST, target.hostHeader())
                .set(HttpHeaderNames.USER_AGENT, "Meridian health check")
                .set(HttpHeaderNames.ACCEPT, "text/plain, text/*, */*")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (body.isReadable() || BODY_METHODS.contains(request.method())) {
            request.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
        for (Map.Entry<String, List<String>> header : check.http().headers().entrySet()) {
            request.headers().remove(header.getKey());
            header.getValue().forEach(value -> request.headers().add(header.getKey(), value));
        }
        return request;
    }

    private static CheckResult answered(Check check, int code, byte[] body, int length) {
        HealthStatus status = code >= 200 && code < 300 ? HealthStatus.PASSING
                : code == 429 ? HealthStatus.WARNING : HealthStatus.CRITICAL;
        return new CheckResult(status, describe(check) + ": " + code + " Output: "
                + new String(body, 0, length, StandardCharsets.UTF_8));
    }

    private static CheckResult failure(Check check, Throwable error) {
        Throwable cause = error.getCause() != null && error.getMessage() == null ? error.getCause() : error;
        return new CheckResult(HealthStatus.CRITICAL, describe(check) + ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    private static String describe(Check check) {
        return "HTTP " + check.http().method() + " " + check.target();
    }

    /** Where a check's request goes. */
    private record Target(boolean tls, String host, int port, String pathAndQuery, String hostHeader) {

        static Target of(Check check) throws URISyntaxException {
            URI uri = new URI(check.target());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("the scheme must be http or https");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            boolean tls = scheme.equals("https");
            int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            String host = uri.getHost().replace("[", "").replace("]", "");
            return new Target(tls, host, port, path + query, uri.getHost() + (uri.getPort() == -1 ? "" : ":" + port));
        }
    }

    /** Reads the status and the first {@value #MAX_OUTPUT_BYTES} bytes of the body, then completes the result. */
    private static final class ResponseReader extends SimpleChannelInboundHandler<HttpObject> {

        private final Check check;
        private final CompletableFuture<CheckResult> result;
        /** What is kept of the body so far, grown as it arrives: most answers are a few bytes, not 4 KiB. */
        private byte[] body = new byte[0];
        private int kept;
        private int code = -1;

        ResponseReader(Check check, CompletableFuture<CheckResult> result) {
            this.check = check;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, HttpObject message) {
            if (message instanceof HttpResponse response) {
                code = response.status().code();
            }
            if (message instanceof HttpContent content) {
                ByteBuf bytes = content.content();
                int keep = Math.min(bytes.readableBytes(), MAX_OUTPUT_BYTES - kept);
                body = Arrays.copyOf(body, kept + keep);
                bytes.readBytes(body, kept, keep);
                kept += keep;
                if (message instanceof LastHttpContent || kept == MAX_OUTPUT_BYTES) {
                    result.complete(answered(check, code, body, kept));
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            result.complete(code == -1
                    ? new CheckResult(HealthStatus.CRITICAL, describe(check) + ": connection closed without an answer")
                    : answered(check, code, body, kept));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            result.complete(failure(check, cause));
            context.close();
        }
    }
}
