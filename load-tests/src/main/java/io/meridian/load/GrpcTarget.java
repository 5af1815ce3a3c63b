package io.meridian.load;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The gRPC target of the check benchmark, run in a JVM of its own by {@link CheckTargets}: a gRPC server on a loopback
 * port whose standard health service says SERVING. Prints {@code ready PORT} once listening, and exits when its
 * standard input closes, so it never outlives the benchmark that started it.
 */
final class GrpcTarget {

    private GrpcTarget() {
    }

    public static void main(String[] args) throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        InsecureServerCredentials.create()).addService(health.getHealthService()).build().start();
        System.out.println("ready " + server.getPort());
        System.out.flush();
        while (System.in.read() != -1) {
            // runs until the benchmark closes this process's input, or dies
        }
        server.shutdownNow();
    }
}
