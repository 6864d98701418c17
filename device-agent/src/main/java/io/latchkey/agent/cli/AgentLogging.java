package io.latchkey.agent.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The agent's logging, set up in code: what {@code latchkey-agent-logback.xml} says (standard output, {@code io.latchkey}
 * at INFO, everything else at WARN, one line per event: UTC time, level, thread, logger, message), without logback's XML
 * configurator. Reading that file costs the agent about 450 classes (Joran's actions and model, the JDK's XML parser)
 * and several MB of resident memory on a Pi (docs/benchmarks-agent.md, "Where the memory goes").
 *
 * <p>Found by logback through {@code META-INF/services}; it acts only when the system property
 * {@value #PROPERTY} is {@code builtin}, which {@link io.latchkey.agent.AgentMain} sets when no
 * {@code logback.configurationFile} is given. Anything else that has the agent's jar on its class path (the simulator,
 * tests) keeps its own {@code logback.xml}; an installer who wants another configuration passes
 * {@code -Dlogback.configurationFile=...} in {@code JAVA_OPTS} and gets logback's usual XML handling.
 */
public final class AgentLogging extends ContextAwareBase implements Configurator {
    /** {@code builtin}: this configuration; anything else: logback's own (logback.xml, logback.configurationFile). */
    public static final String PROPERTY = "latchkey.agent.logging";
    public static final String BUILTIN = "builtin";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (!BUILTIN.equals(System.getProperty(PROPERTY))) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Line layout = new Line();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(context);
        out.setName("OUT");
        out.setEncoder(encoder);
        out.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(out);
        context.getLogger("io.latchkey").setLevel(Level.INFO);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{24} - %msg%n} and the stack trace, if any. */
    static final class Line extends LayoutBase<ILoggingEvent> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")
                .withZone(ZoneOffset.UTC);
        private final TargetLengthBasedClassNameAbbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(24);

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128);
            TIME.formatTo(event.getInstant(), line);
            String level = event.getLevel().toString();
            line.append(' ').append(level);
            for (int i = level.length(); i < 5; i++) {
                line.append(' ');
            }
            line.append(" [").append(event.getThreadName()).append("] ")
                    .append(abbreviator.abbreviate(event.getLoggerName())).append(" - ")
                    .append(event.getFormattedMessage()).append('\n');
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append('\n');
            }
            return line.toString();
        }
    }
}
