package io.latchkey.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** {@link AgentLogProvider} writes what logback configured by {@link AgentLogging} wrote, line for line. */
class AgentLogProviderTest {

    private static String logback(String logger, ch.qos.logback.classic.Level level, String pattern, Object[] args,
            Throwable thrown, Instant at, String thread) {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("x", context.getLogger(logger), level, pattern, thrown, args);
        event.setInstant(at);
        event.setThreadName(thread);
        AgentLogging.Line line = new AgentLogging.Line();
        line.setContext(context);
        return line.doLayout(event);
    }

    private static String ours(String logger, Level level, String pattern, Object[] args, Throwable thrown, Instant at,
            String thread) {
        String message = args == null ? pattern : org.slf4j.helpers.MessageFormatter.basicArrayFormat(pattern, args);
        return AgentLogProvider.line(at, level, thread, new TargetLengthBasedClassNameAbbreviator(24).abbreviate(logger),
                message, thrown);
    }

    @Test
    void theSameLineAsLogback_withArguments_levels_andStackTraces() {
        Instant at = Instant.parse("2026-12-06T03:59:41.256Z");
        IllegalStateException boom = new IllegalStateException("boom", new java.io.IOException("below"));
        assertThat(ours("io.latchkey.agent.journal.TelemetryJournal", Level.INFO, "journal {}: {} pending", new Object[] {"j", 3}, null, at, "main"))
                .isEqualTo(logback("io.latchkey.agent.journal.TelemetryJournal", ch.qos.logback.classic.Level.INFO,
                        "journal {}: {} pending", new Object[] {"j", 3}, null, at, "main"))
                .isEqualTo("2026-12-06T03:59:41.256Z INFO  [main] i.l.a.j.TelemetryJournal - journal j: 3 pending\n");
        assertThat(ours("org.eclipse.paho.mqttv5.client.MqttAsyncClient", Level.WARN, "failed", null, boom, at, "t-1"))
                .isEqualTo(logback("org.eclipse.paho.mqttv5.client.MqttAsyncClient", ch.qos.logback.classic.Level.WARN,
                        "failed", null, boom, at, "t-1"))
                .contains("java.lang.IllegalStateException: boom\n\tat ", "Caused by: java.io.IOException: below");
        assertThat(ours("io.latchkey.agent.Agent", Level.ERROR, "x {} y", new Object[] {null}, null, at, "a"))
                .isEqualTo(logback("io.latchkey.agent.Agent", ch.qos.logback.classic.Level.ERROR, "x {} y", new Object[] {null}, null, at, "a"));
    }

    @Test
    void latchkeyAtInfo_everythingElseAtWarn() {
        assertThat(AgentLogProvider.infoEnabled("io.latchkey")).isTrue();
        assertThat(AgentLogProvider.infoEnabled("io.latchkey.agent.Agent")).isTrue();
        assertThat(AgentLogProvider.infoEnabled("io.latchkeyx.Other")).isFalse();
        assertThat(AgentLogProvider.infoEnabled("org.eclipse.paho.mqttv5.client.MqttAsyncClient")).isFalse();

        AgentLogProvider provider = new AgentLogProvider();
        provider.initialize();
        Logger agent = provider.getLoggerFactory().getLogger("io.latchkey.agent.Agent");
        Logger paho = provider.getLoggerFactory().getLogger("org.eclipse.paho.Client");
        assertThat(agent.isDebugEnabled()).isFalse();
        assertThat(agent.isInfoEnabled()).isTrue();
        assertThat(paho.isInfoEnabled()).isFalse();
        assertThat(paho.isWarnEnabled()).isTrue();
        assertThat(provider.getLoggerFactory().getLogger("a.B")).isSameAs(provider.getLoggerFactory().getLogger("a.B"));
    }
}
