package org.meshledger.connect.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A host a hostile (or broken) system names in its answers, for tests that a connector sends nothing
 * there: a plain socket on loopback that records every connection and whatever bytes arrive on it
 * (a request line, an {@code Authorization} header), and answers nothing. Any connection at all is
 * already a failure of the test.
 */
public final class DecoyServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private DecoyServer() throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.acceptor = new Thread(this::accept, "decoy-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts on a free port of 127.0.0.1. */
    public static DecoyServer start() throws IOException {
        return new DecoyServer();
    }

    /** Its base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** What reached it: one entry per connection, the bytes that came (empty if none did). */
    public List<String> received() {
        return List.copyOf(received);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout(500);
                StringBuilder text = new StringBuilder();
                byte[] buffer = new byte[4096];
                try (InputStream in = client.getInputStream()) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException e) {
                    // a timeout: it sent what it sent
                }
                received.add(text.toString());
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                received.add("(a connection that failed: " + e.getMessage() + ")");
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
