package io.latchkey.cloud.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** Telemetry records stored, and repeats of an already stored (device, seq) that were ignored. */
@Singleton
public class TelemetryMetrics {
    static final String STORED = "latchkey.telemetry.stored";
    static final String DUPLICATES = "latchkey.telemetry.duplicates";

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
}
