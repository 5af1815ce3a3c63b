package io.meridian.load;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import io.meridian.health.check.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The targets of the check benchmark, run as a process of their own so that their cost is not the members': a
 * keep-alive HTTP/1.1 server on several ports answering {@code 200 ok} to every path, a TCP port that accepts and
 * closes, and a gRPC server whose standard health service says SERVING. All on loopback, on one Netty event loop
 * thread per HTTP port (epoll where it loads; gRPC on its own). Prints {@code ready http=P,P,... tcp=P grpc=P
 * transport=T} once listening, and exits when its standard input closes, so it never outlives the benchmark that
 * started it.
 * Usage: {@code CheckTargets [http ports]}.
 */
final class CheckTargets {

    private CheckTargets() {
    }

    public static void main(String[] args) throws Exception {
        int httpPorts = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(httpPorts, transport.ioHandlers());
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < httpPorts; i++) {
            ports.add(listen(loop, transport, loopback, new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                            new HttpObjectAggregator(64 * 1024), new Ok());
                }
            }));
        }
        int tcp = listen(loop, transport, loopback, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext context) {
                        context.close();
                    }
                });
            }
        });
        HealthStatusManager health = new HealthStatusManager();
        Server grpc = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(health.getHealthService()).build().start();
        System.out.println("ready http=" + ports.stream().map(String::valueOf).collect(Collectors.joining(","))
                + " tcp=" + tcp + " grpc=" + grpc.getPort()
                + " transport=" + transport.name().toLowerCase(Locale.ROOT));
        System.out.flush();
        while (System.in.read() != -1) {
            // runs until the benchmark closes this process's input, or dies
        }
        grpc.shutdownNow();
        loop.shutdownGracefully();
    }

    private static int listen(EventLoopGroup loop, NettyTransport transport, InetAddress address,
                              ChannelInitializer<SocketChannel> handler) throws InterruptedException {
        Channel server = new ServerBootstrap().group(loop).channel(transport.serverSocketChannel())
                .childHandler(handler)
                .bind(new InetSocketAddress(address, 0)).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Answers {@code 200 ok}, keeping the connection open when the client asks for it. */
    private static final class Ok extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 2);
            HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
            if (HttpUtil.isKeepAlive(request)) {
                context.writeAndFlush(response);
            } else {
                context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
