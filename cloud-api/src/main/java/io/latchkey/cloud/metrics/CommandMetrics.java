package io.latchkey.cloud.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Outcomes and latency of car commands: {@code latchkey_commands_seconds_count{type,outcome,tenant}} counts
 * them, {@code _sum} and {@code _max} give the time from sending to the car's answer (or to giving up).
 */
@Singleton
public class CommandMetrics {
    static final String COMMANDS = "latchkey.commands";

    private final MeterRegistry registry;
    private final TenantTag tenantTag;

    public CommandMetrics(MeterRegistry registry, TenantTag tenantTag) {
        this.registry = registry;
        this.tenantTag = tenantTag;
    }

    /**
     * @param type    {@code UNLOCK} or {@code LOCK}
     * @param outcome {@code EXECUTED}, {@code FAILED}, {@code REJECTED}, {@code TIMED_OUT} or {@code NOT_SENT}
     * @param elapsed from publishing the command to its conclusion
     */
    public void concluded(String tenant, String type, String outcome, Duration elapsed) {
        Timer.builder(COMMANDS)
                .description("Car commands by outcome, from sending to the car's answer")
                .tag("tenant", tenantTag.of(tenant))
                .tag("type", type)
                .tag("outcome", outcome)
                .register(registry)
                .record(elapsed);
    }
}
