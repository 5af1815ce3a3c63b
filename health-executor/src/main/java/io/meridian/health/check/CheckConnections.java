package io.meridian.health.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The connections of one network prober: a new one for every run, all opened and driven by one Netty event loop
 * thread (on epoll where it loads, {@link NettyTransport}), so a run costs a few system calls, not a thread. A run's
 * deadline counts the time that loop could wait for it: time the loop was stalled ({@link LoopStalls}: no CPU for
 * its thread, or more work than it can do) moves the deadline on, up to the timeout again, so an overloaded checker
 * reports late rather than reporting healthy targets as failed (and, by writing those failures, starving itself more).
 * Thread-safe; {@link #close()} stops the loop.
 */
final class CheckConnections implements AutoCloseable {

    private final NettyTransport transport = NettyTransport.best();
    private final EventLoopGroup loop;
    private final LoopStalls stalls;

    CheckConnections(String threadName) {
        this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true),
                transport.ioHandlers());
        this.stalls = LoopStalls.watch(loop.next());
    }

    /**
     * Connects to {@code address} for a run: {@code pipeline} sets up the new channel, the run is completed with
     * {@code timedOut} once its deadline passes unanswered, and the channel is closed once the run is complete.
     *
     * @return the connect, for the caller to act on its outcome
     */
    ChannelFuture connect(InetSocketAddress address, Duration timeout, CompletableFuture<CheckResult> run,
                          Supplier<CheckResult> timedOut, Consumer<SocketChannel> pipeline) {
        long timeoutNanos = timeout.toNanos();
        // Netty's connect timeout is only a backstop: the run's own deadline, which allows for stalls, ends it first.
        ChannelFuture connecting = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        2 * timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // The deadline starts when the loop takes the run up, not when it was asked for: a checker
                        // behind on its work delays its verdicts (its scheduling lag shows it).
                        stalls.timeOut(run, timedOut, timeoutNanos);
                        pipeline.accept(channel);
                    }
                })
                .connect(address);
        Channel channel = connecting.channel();
        run.whenComplete((done, error) -> channel.close());
        return connecting;
    }

    /** The loop thread, where runs are best started: it connects them with no hand-over. */
    ScheduledExecutorService loop() {
        return loop.next();
    }

    @Override
    public void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
