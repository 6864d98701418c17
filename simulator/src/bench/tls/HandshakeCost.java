import io.latchkey.agent.mqtt.MqttTls;
/**
 * Full (or resumed) mutual-TLS handshakes plus MQTT CONNECT/CONNACK from one thread, with the agent's own MqttTls:
 * CPU of this thread per handshake (ThreadMXBean) and of the broker process (/proc/PID/stat). Args: PORT N MODE BROKER_PID,
 * MODE full (one SSLContext, session invalidated: a full handshake each time, as after a broker restart), shared
 * (resumption allowed) or fresh (a new SSLContext each time). -Dnodelay sets TCP_NODELAY. Run by handshake-cost.sh.
 */
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import javax.net.ssl.*;

public class HandshakeCost {
    static long mosqCpuTicks(int pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    static SSLContext ctx(MqttTls tls) throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(tls.keyManagerFactory().getKeyManagers(), tls.trustManagerFactory().getTrustManagers(), null);
        return c;
    }
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]); int n = Integer.parseInt(a[1]); String mode = a[2]; int mosq = Integer.parseInt(a[3]);
        MqttTls tls = MqttTls.load(Path.of("dev.crt"), Path.of("dev.key"), Path.of("platform-ca.pem"));
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // setup cost
        long c0 = bean.getCurrentThreadCpuTime();
        for (int i = 0; i < 50; i++) ctx(tls);
        long c1 = bean.getCurrentThreadCpuTime();
        System.out.printf("SSLContext+KMF+TMF build: %.2f ms CPU each (cold incl.)%n", (c1 - c0) / 1e6 / 50);
        SSLContext shared = ctx(tls);
        String proto = null, suite = null;
        for (int round = 0; round < 2; round++) {
            long cpu = bean.getCurrentThreadCpuTime(); long m0 = mosqCpuTicks(mosq); long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                SSLContext c = mode.equals("fresh") ? ctx(tls) : shared;
                java.net.Socket raw = new java.net.Socket("127.0.0.1", port); raw.setTcpNoDelay(System.getProperty("nodelay") != null);
                try (SSLSocket s = (SSLSocket) c.getSocketFactory().createSocket(raw, "localhost", port, true)) {
                    SSLParameters p = s.getSSLParameters(); p.setEndpointIdentificationAlgorithm("HTTPS"); s.setSSLParameters(p);
                    s.startHandshake();
                    proto = s.getSession().getProtocol(); suite = s.getSession().getCipherSuite();
                    // MQTT CONNECT (v5, clean start, id dev-1) and read CONNACK
                    byte[] connect = {0x10, 0x12, 0,4,'M','Q','T','T',5,2,0,60,0, 0,5,'d','e','v','-','1'};
                    s.getOutputStream().write(connect); s.getOutputStream().flush();
                    int b = s.getInputStream().read(); if (b != 0x20) throw new IllegalStateException("no CONNACK: " + b);
                    if (mode.equals("full")) s.getSession().invalidate();
                }
            }
            long cpuUsed = bean.getCurrentThreadCpuTime() - cpu; long m = mosqCpuTicks(mosq) - m0; double wall = (System.nanoTime() - t) / 1e6;
            System.out.printf("%s round %d: %d handshakes %s %s: client %.2f ms CPU/handshake (thread), mosquitto %.2f ms CPU/handshake, wall %.2f ms each%n",
                    mode, round, n, proto, suite, cpuUsed / 1e6 / n, m * 10.0 / n, wall / n);
        }
    }
}
