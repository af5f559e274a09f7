package dev.keyledger.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for tests that start servers on ports they must name up front. {@code new
 * ServerSocket(0)} hands out a port of the kernel's ephemeral range (32768-60999 on Linux), and
 * any outgoing connection of the test JVM (a Kafka or JDBC client) may take that port as its local
 * one before the server binds it: "Address already in use". These ports come from below that
 * range, are free when handed out, and are never handed out twice in one JVM.
 */
public final class TestPorts {

    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private TestPorts() {}

    public static int free() {
        for (int attempt = 0; attempt < 2_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!GIVEN.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IllegalStateException("no free port in " + LOW + "-" + HIGH);
    }
}
