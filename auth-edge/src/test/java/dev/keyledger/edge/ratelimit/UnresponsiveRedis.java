package dev.keyledger.edge.ratelimit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback address where a Redis client gets nowhere: either the port accepts connections and
 * never sends a byte ({@link #acceptingSilently}), or it never accepts them, its backlog full so
 * that a TCP connect hangs ({@link #neverAccepting}). Both are real sockets; nothing is mocked.
 */
final class UnresponsiveRedis implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    private UnresponsiveRedis(ServerSocket server) {
        this.server = server;
    }

    static UnresponsiveRedis acceptingSilently() throws IOException {
        UnresponsiveRedis redis = new UnresponsiveRedis(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(
                () -> {
                    while (!redis.server.isClosed()) {
                        try {
                            redis.held.add(redis.server.accept());
                        } catch (IOException closed) {
                            return;
                        }
                    }
                },
                "silent-redis-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return redis;
    }

    /** Backlog of one, never accepted, filled by our own connections until a connect times out. */
    static UnresponsiveRedis neverAccepting() throws IOException {
        UnresponsiveRedis redis = new UnresponsiveRedis(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        for (int i = 0; i < 8; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), redis.port()), 300);
                redis.held.add(filler);
            } catch (SocketTimeoutException full) {
                filler.close();
                return redis;
            }
        }
        throw new IllegalStateException("the backlog of the never-accepting port did not fill up");
    }

    int port() {
        return server.getLocalPort();
    }

    String uri() {
        return "redis://127.0.0.1:" + port();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
