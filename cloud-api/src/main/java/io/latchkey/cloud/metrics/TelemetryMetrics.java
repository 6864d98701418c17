package io.latchkey.cloud.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Telemetry records stored, repeats of an already stored (device, seq) that were ignored, and records
 * refused as implausible (by the rule they broke).
 */
@Singleton
public class TelemetryMetrics {
    static final String STORED = "latchkey.telemetry.stored";
    static final String DUPLICATES = "latchkey.telemetry.duplicates";
    static final String REFUSED = "latchkey.telemetry.refused";

    private final MeterRegistry registry;
    private final TenantTag tenantTag;

    public TelemetryMetrics(MeterRegistry registry, TenantTag tenantTag) {
        this.registry = registry;
        this.tenantTag = tenantTag;
    }

    public void stored(String tenant) {
        Counter.builder(STORED).description("Telemetry records stored").tag("tenant", tenantTag.of(tenant))
                .register(registry).increment();
    }

    public void duplicate(String tenant) {
        Counter.builder(DUPLICATES).description("Telemetry records ignored as repeats of a stored (device, seq)")
                .tag("tenant", tenantTag.of(tenant)).register(registry).increment();
    }

    /** @param rule the plausibility rule the record broke ({@code latitude}, {@code seq}, ...): a bounded set */
    public void refused(String tenant, String rule) {
        Counter.builder(REFUSED).description("Telemetry records refused as implausible, by the rule they broke")
                .tag("tenant", tenantTag.of(tenant)).tag("rule", rule).register(registry).increment();
    }
}
