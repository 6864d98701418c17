package io.latchkey.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.time.Instant;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentLoggingTest {
    private final String before = System.getProperty(AgentLogging.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(AgentLogging.PROPERTY);
        } else {
            System.setProperty(AgentLogging.PROPERTY, before);
        }
    }

    @Test
    void logbackFindsIt_throughTheServiceFile() {
        assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream().map(p -> p.type().getName()))
                .contains(AgentLogging.class.getName());
    }

    @Test
    void withoutTheProperty_leavesTheContextToLogbacksOwnConfiguration() {
        System.clearProperty(AgentLogging.PROPERTY);
        LoggerContext context = new LoggerContext();
        AgentLogging logging = new AgentLogging();
        logging.setContext(context);

        assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }

    @Test
    void builtin_isWhatTheXmlFileSaid_standardOutput_latchkeyAtInfo_restAtWarn() {
        System.setProperty(AgentLogging.PROPERTY, AgentLogging.BUILTIN);
        LoggerContext context = new LoggerContext();
        AgentLogging logging = new AgentLogging();
        logging.setContext(context);

        assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("OUT")).isInstanceOf(ConsoleAppender.class);
        assertThat(root.getAppender("OUT").isStarted()).isTrue();
        assertThat(context.getLogger("io.latchkey.agent.Agent").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.eclipse.paho.mqttv5.client.MqttAsyncClient").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void oneLine_asThePatternOfTheXmlFile_plusTheStackTrace() {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("io.latchkey.agent.journal.TelemetryJournal");
        LoggingEvent event = new LoggingEvent("x", logger, Level.INFO, "journal {}: {} pending", null, new Object[] {"j", 3});
        event.setInstant(Instant.parse("2026-12-06T03:59:41.256Z"));
        event.setThreadName("main");
        LoggingEvent failed = new LoggingEvent("x", logger, Level.WARN, "failed", new IllegalStateException("boom"), null);
        failed.setInstant(Instant.parse("2026-12-06T03:59:41.300Z"));
        failed.setThreadName("t-1");
        AgentLogging.Line line = new AgentLogging.Line();
        line.setContext(context);

        // %d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{24} - %msg%n
        assertThat(line.doLayout(event)).isEqualTo("2026-12-06T03:59:41.256Z INFO  [main] i.l.a.j.TelemetryJournal - journal j: 3 pending\n");
        assertThat(line.doLayout(failed)).startsWith("2026-12-06T03:59:41.300Z WARN  [t-1] i.l.a.j.TelemetryJournal - failed\n"
                + "java.lang.IllegalStateException: boom\n\tat ");
    }
}
