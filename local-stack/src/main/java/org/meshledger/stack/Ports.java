package org.meshledger.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Port checks, so that a taken port fails with a sentence instead of a server's stack trace. */
public final class Ports {

    private Ports() {
    }

    /**
     * @param variable the setting that chooses this port, named in the error
     * @throws StackException when another program listens on the port
     */
    public static void requireFree(int port, String what, String variable) {
        if (!isFree(port)) {
            throw new StackException("Port " + port + " for " + what + " is taken by another program: stop it, or set "
                    + variable + " to a free port");
        }
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that is free now (for tests, which must not collide with anything on the machine). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("No free port on the loopback interface: " + e.getMessage());
        }
    }
}
