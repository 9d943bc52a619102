package org.lesiontriage.triage.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on loopback that a test can close and open again: a real network outage between the service and
 * one of its peers (the registry), on the same port throughout, without stopping the peer.
 */
public final class TcpGate implements AutoCloseable {

    private final int port;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    public TcpGate(int targetPort) {
        this.targetPort = targetPort;
        this.port = open(0);
    }

    public int port() {
        return port;
    }

    /** Refuses new connections and cuts the open ones. */
    public synchronized void shut() {
        closeQuietly(server);
        server = null;
        sockets.forEach(TcpGate::closeQuietly);
        sockets.clear();
    }

    /** Accepts and forwards again, on the same port. */
    public synchronized void reopen() {
        if (server == null) {
            open(port);
        }
    }

    private synchronized int open(int onPort) {
        try {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
            server = listening;
            Thread acceptor = new Thread(() -> accept(listening), "tcp-gate-" + listening.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return listening.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(target);
                pipe(client, target);
                pipe(target, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException cut) {
                // the gate was shut or a side closed: close both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-gate-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception ignored) {
            // closing is all that is wanted
        }
    }

    @Override
    public void close() {
        shut();
    }
}
