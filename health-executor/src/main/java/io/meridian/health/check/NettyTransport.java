package io.meridian.health.check;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The Netty transport for short-lived check connections: Linux's epoll where its native library loads, which costs
 * fewer system calls and less garbage per connection than the JDK's selector, and the JDK's selector elsewhere. Event
 * loops, client channels and server channels must all come from here, since the two transports do not mix.
 */
public enum NettyTransport {
    /** Linux's edge-triggered epoll, through Netty's native library. */
    EPOLL,
    /** The JDK's NIO selector, available everywhere. */
    NIO;

    /** Epoll where it loads, NIO otherwise. */
    public static NettyTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** What event loops of this transport run on. */
    public IoHandlerFactory ioHandlers() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** The class of client connections. */
    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The class of listening sockets. */
    public Class<? extends ServerChannel> serverSocketChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
