package io.meridian.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Many HTTP/1.1 requests held open on one selector thread: the lightest client there is, so that a benchmark of
 * parked blocking queries measures the server, not the client. Records when each connection's first response bytes
 * arrive and what each response said.
 */
final class RawWatchers implements AutoCloseable {

    private static final int PER_SOURCE = 20_000;

    private final Selector selector = Selector.open();
    private final List<SocketChannel> channels = new ArrayList<>();
    private final long[] answeredAt;
    private final StringBuilder[] responses;

    private RawWatchers(int count) throws IOException {
        this.answeredAt = new long[count];
        this.responses = new StringBuilder[count];
    }

    /**
     * Opens {@code count} connections and sends a GET on each, connection {@code i} for the path
     * {@code pathsAndQueries.apply(i)}: with {@code Connection: close}, or kept alive as the watch loops of Consul's
     * client libraries keep theirs (the server then answers without closing). Connections come from successive
     * loopback addresses, {@value #PER_SOURCE} per address, so that more of them than there are ephemeral ports can be
     * open to one server port; each round (1 to 255) has addresses of its own ({@code 127.0.ROUND.x}), so that no
     * round waits on the last one's closed ports.
     */
    static RawWatchers park(InetSocketAddress server, IntFunction<String> pathsAndQueries, int count, int round,
                            boolean keepAlive) throws IOException {
        RawWatchers watchers = new RawWatchers(count);
        String connection = keepAlive ? "" : "Connection: close\r\n";
        for (int i = 0; i < count; i++) {
            byte[] request = ("GET " + pathsAndQueries.apply(i) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + connection
                    + "\r\n").getBytes(StandardCharsets.US_ASCII);
            SocketChannel channel = SocketChannel.open();
            channel.bind(new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {127, 0, (byte) round, (byte) (1 + i / PER_SOURCE)}), 0));
            channel.connect(server);
            channel.write(ByteBuffer.wrap(request));
            channel.configureBlocking(false);
            channel.register(watchers.selector, SelectionKey.OP_READ, i);
            watchers.channels.add(channel);
        }
        return watchers;
    }

    /** How many connections have had an answer so far, without waiting. */
    int answered() throws IOException {
        poll();
        int answered = 0;
        for (long at : answeredAt) {
            answered += at == 0 ? 0 : 1;
        }
        return answered;
    }

    /** Waits until every connection has an answer or the deadline passes; returns the answer times. */
    long[] awaitAll(long deadlineNanos) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (answered() < answeredAt.length && System.nanoTime() < deadlineNanos) {
            selector.select(100);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                read(key, buffer);
            }
        }
        return answeredAt.clone();
    }

    /** How many responses contain the marker. */
    long containing(String marker) {
        return containing(i -> marker);
    }

    /** How many responses contain their marker: connection {@code i}'s is {@code markers.apply(i)}. */
    long containing(IntFunction<String> markers) {
        long count = 0;
        for (int i = 0; i < responses.length; i++) {
            count += responses[i] != null && responses[i].indexOf(markers.apply(i)) >= 0 ? 1 : 0;
        }
        return count;
    }

    private void poll() throws IOException {
        if (selector.selectNow() > 0) {
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                read(key, buffer);
            }
        }
    }

    private void read(SelectionKey key, ByteBuffer buffer) throws IOException {
        int index = (Integer) key.attachment();
        buffer.clear();
        int read = ((SocketChannel) key.channel()).read(buffer);
        if (read > 0) {
            if (answeredAt[index] == 0) {
                answeredAt[index] = System.nanoTime();
                responses[index] = new StringBuilder();
            }
            responses[index].append(new String(buffer.array(), 0, read, StandardCharsets.UTF_8));
        }
        if (read < 0) {
            key.cancel();
        }
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel channel : channels) {
            channel.close();
        }
        selector.close();
    }
}
