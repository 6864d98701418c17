package io.latchkey.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the agent's start-up time goes (docs/benchmarks-agent.md, "Start to connected, phase by phase"): with
 * {@code -Dlatchkey.startup.trace=true} the agent notes the moment it passes each phase (main, configuration and keys,
 * hardware, TLS context, agent built, connect called, socket open, CONNACK, SUBACK) and, once connected for the first
 * time, prints one line to standard error with each phase's time since JVM start and since the phase before, the CPU
 * time the process used until then (all threads; unlike the times, it hardly depends on what else the machine runs) and
 * the number of classes loaded. Off (the default), {@link #mark} costs one read of a static final field and loads nothing.
 */
public final class StartupTrace {
    /** The system property that turns the trace on. */
    public static final String PROPERTY = "latchkey.startup.trace";
    private static final boolean ON = Boolean.getBoolean(PROPERTY);
    private static final List<String> NAMES = new ArrayList<>();
    private static final List<Long> TIMES = new ArrayList<>();
    private static boolean reported;

    private StartupTrace() {
    }

    /** Notes that start-up has reached {@code phase} (the first time only; reconnections are not start-up). */
    public static void mark(String phase) {
        if (!ON) {
            return;
        }
        long now = System.currentTimeMillis();
        synchronized (NAMES) {
            if (!reported && !NAMES.contains(phase)) {
                NAMES.add(phase);
                TIMES.add(now);
            }
        }
    }

    /** Notes the last phase, "connected" (subscriptions confirmed), and prints the trace once. */
    public static void connected() {
        if (!ON) {
            return;
        }
        mark("connected");
        String line;
        synchronized (NAMES) {
            if (reported) {
                return;
            }
            reported = true;
            // loaded only now, so that the trace does not time the management classes' loading
            long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            StringBuilder b = new StringBuilder("startup trace (ms since JVM start, +ms since the phase before):");
            long before = jvmStart;
            for (int i = 0; i < NAMES.size(); i++) {
                long t = TIMES.get(i);
                b.append(' ').append(NAMES.get(i)).append('=').append(t - jvmStart).append("(+").append(t - before).append(')');
                before = t;
            }
            // CPU time used so far by all of the JVM's threads: the work done, whatever else the machine was doing
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                b.append("; cpu ").append(sun.getProcessCpuTime() / 1_000_000).append(" ms");
            }
            b.append("; at ").append(TIMES.get(TIMES.size() - 1)).append(" ms since the epoch; classes loaded: ")
                    .append(java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
            line = b.toString();
        }
        System.err.println(line);
    }
}
