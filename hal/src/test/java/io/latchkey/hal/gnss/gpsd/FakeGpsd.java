package io.latchkey.hal.gnss.gpsd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A loopback server that speaks gpsd's side of the protocol: a VERSION banner on connect, then, once the
 * client has sent its WATCH command, the lines of one script per connection, then it hangs up.
 */
final class FakeGpsd implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;
    final BlockingQueue<String> commands = new LinkedBlockingQueue<>();

    FakeGpsd(List<List<String>> scriptPerConnection) throws IOException {
        server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(scriptPerConnection), "fake-gpsd");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private void serve(List<List<String>> scripts) {
        for (List<String> script : scripts) {
            try (Socket client = server.accept()) {
                PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                out.print("{\"class\":\"VERSION\",\"release\":\"3.22\",\"rev\":\"3.22\",\"proto_major\":3,\"proto_minor\":14}\r\n");
                out.flush();
                commands.add(in.readLine());
                out.print("{\"class\":\"DEVICES\",\"devices\":[]}\r\n{\"class\":\"WATCH\",\"enable\":true,\"json\":true}\r\n");
                for (String line : script) {
                    out.print(line + "\r\n");
                }
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
