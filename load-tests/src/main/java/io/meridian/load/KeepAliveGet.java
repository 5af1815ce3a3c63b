package io.meridian.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection sending the same prepared GET over and over, reading each answer by its
 * {@code Content-Length}: a client as light as wrk's, so that a lookup load measures the server rather than
 * {@link java.net.http.HttpClient}, which tops out near 2,000 requests/s here. Not thread-safe: one per load thread.
 */
final class KeepAliveGet implements AutoCloseable {

    private static final String CONTENT_LENGTH = "content-length:";

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] request;

    KeepAliveGet(InetSocketAddress server, String pathAndQuery) throws IOException {
        this.socket = new Socket();
        socket.connect(server, 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.request = ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends the GET and reads its whole answer.
     *
     * @throws IOException if the answer is not a 200 with a {@code Content-Length}
     */
    void get() throws IOException {
        out.write(request);
        out.flush();
        String status = line();
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("answered " + status);
        }
        long length = -1;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.regionMatches(true, 0, CONTENT_LENGTH, 0, CONTENT_LENGTH.length())) {
                length = Long.parseLong(header.substring(CONTENT_LENGTH.length()).trim());
            }
        }
        if (length < 0) {
            throw new IOException("an answer without Content-Length");
        }
        in.skipNBytes(length);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
