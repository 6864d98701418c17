package io.latchkey.agent.cli;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The agent's logging as {@link AgentLogging} configures logback (standard output, {@code io.latchkey} at INFO,
 * everything else at WARN, the same line: UTC time, level, thread, logger abbreviated to 24 characters, message, and
 * logback's rendering of a stack trace), as an SLF4J provider of a few classes instead of logback's ~80, which are
 * resident on a Pi for the agent's whole life (issue 17, docs/benchmarks-agent.md "Fewer classes"). Chosen through
 * SLF4J's {@value #SLF4J_PROVIDER} property, which {@link io.latchkey.agent.AgentMain} sets together with
 * {@link AgentLogging#PROPERTY} when no {@code logback.configurationFile} is given; an installer who names a logback
 * file gets logback as before, and the simulator and tests keep theirs. {@code AgentLogProviderTest} holds the line to
 * {@link AgentLogging.Line}'s.
 */
public final class AgentLogProvider implements SLF4JServiceProvider {
    /** SLF4J's own property (2.0.9 and later) naming the provider class, which skips its service look-up. */
    public static final String SLF4J_PROVIDER = "slf4j.provider";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, Log::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    /** {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{24} - %msg%n} and the stack trace, if any. */
    static String line(Instant time, Level level, String thread, String abbreviatedLogger, String message, Throwable thrown) {
        StringBuilder line = new StringBuilder(128);
        TIME.formatTo(time, line);
        String name = level.toString();
        line.append(' ').append(name);
        for (int i = name.length(); i < 5; i++) {
            line.append(' ');
        }
        line.append(" [").append(thread).append("] ").append(abbreviatedLogger).append(" - ").append(message).append('\n');
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(new ThrowableProxy(thrown))).append('\n');
        }
        return line.toString();
    }

    /** What the configuration said: {@code io.latchkey} and below at INFO, everything else at WARN. */
    static boolean infoEnabled(String name) {
        return name.equals("io.latchkey") || name.startsWith("io.latchkey.");
    }

    static final class Log extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        private static final PrintStream OUT = System.out;
        private final boolean info;
        private final String abbreviated;

        Log(String name) {
            this.name = name;
            this.info = infoEnabled(name);
            this.abbreviated = new TargetLengthBasedClassNameAbbreviator(24).abbreviate(name);
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return info;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                Throwable thrown) {
            String message = arguments == null ? pattern : MessageFormatter.basicArrayFormat(pattern, arguments);
            String text = line(Instant.now(), level, Thread.currentThread().getName(), abbreviated, message, thrown);
            synchronized (OUT) {
                OUT.print(text);
                OUT.flush();
            }
        }
    }
}
