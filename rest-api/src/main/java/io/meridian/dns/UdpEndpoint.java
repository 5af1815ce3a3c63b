package io.meridian.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * DNS over UDP on one Netty event loop thread. On Linux's epoll, where Netty's native library loads, the thread reads
 * up to {@value #BATCH} waiting queries with one {@code recvmmsg} and sends the answers it has for them with one
 * {@code sendmmsg}, where a socket of the JDK costs one {@code recvfrom} and one {@code sendto} per query (elsewhere
 * it runs on the JDK's selector, one query per call). A query with an answer at hand is answered on the event loop;
 * the others go to the caller's workers, whose answers the loop sends as they come. Thread-safe; {@link #close()}
 * stops the socket and its thread, once however often it is called.
 */
final class UdpEndpoint implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(UdpEndpoint.class.getName());
    private static final int BATCH = 16;

    /** How the endpoint gets its answers. */
    interface Answers {

        /** The answer to send at once, with no read and no wait; {@code null} if a worker must make it. */
        byte[] atOnce(byte[] request);

        /** The answer made on a worker; {@code null} to drop the query. */
        byte[] afresh(byte[] request);
    }

    private final Answers answers;
    private final Executor workers;
    private final EventLoopGroup loop;
    private final Channel channel;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean taking = true;

    private UdpEndpoint(InetSocketAddress at, int maxQuerySize, Answers answers, Executor workers,
                        ThreadFactory threads) throws IOException {
        this.answers = answers;
        this.workers = workers;
        boolean epoll = Epoll.isAvailable();
        this.loop = new MultiThreadIoEventLoopGroup(1, threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap().group(loop)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(epoll ? maxQuerySize * BATCH : maxQuerySize))
                .handler(new Receiver());
        if (epoll) {
            // A slot of this size per query in the receive buffer: what makes Netty read them with recvmmsg.
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxQuerySize);
        }
        ChannelFuture bound = bootstrap.bind(at).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw bound.cause() instanceof IOException cause ? cause : new IOException(bound.cause());
        }
        this.channel = bound.channel();
    }

    /**
     * Binds the address and port (0 picks a free one) and starts answering queries of up to {@code maxQuerySize}
     * bytes; {@link Answers#afresh} runs on {@code workers}, which may refuse it (the query is then dropped).
     *
     * @throws IOException if the port cannot be bound
     */
    static UdpEndpoint open(InetAddress address, int port, int maxQuerySize, Answers answers, Executor workers,
                            ThreadFactory threads) throws IOException {
        return new UdpEndpoint(new InetSocketAddress(address, port), maxQuerySize, answers, workers, threads);
    }

    /** Answers each query of a batch as it is read, and sends the batch's answers together once it is read. */
    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {

        @Override
        protected void channelRead0(ChannelHandlerContext context, DatagramPacket packet) {
            if (taking) {
                received(ByteBufUtil.getBytes(packet.content()), packet.sender());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            context.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            LOG.log(Level.FINE, "DNS over UDP: a read failed", cause);
        }
    }

    private void received(byte[] request, InetSocketAddress client) {
        byte[] answer = answers.atOnce(request);
        if (answer != null) {
            send(answer, client, false);
            return;
        }
        workers.execute(() -> {
            byte[] made = answers.afresh(request);
            if (made != null) {
                send(made, client, true);
            }
        });
    }

    /**
     * Queues the answer on the socket, flushed with the batch it answers or at once. Dropped, as the network may drop
     * it, while the socket's queue is over its high-water mark: a client that floods gets no unbounded buffer.
     */
    private void send(byte[] answer, InetSocketAddress client, boolean flush) {
        if (!channel.isWritable()) {
            return;
        }
        DatagramPacket packet = new DatagramPacket(Unpooled.wrappedBuffer(answer), client);
        if (flush) {
            channel.writeAndFlush(packet, channel.voidPromise());
        } else {
            channel.write(packet, channel.voidPromise());
        }
    }

    /** The port the socket is bound to. */
    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Drops every query from now on; answers already made are still sent. */
    void stopTaking() {
        taking = false;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channel.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
