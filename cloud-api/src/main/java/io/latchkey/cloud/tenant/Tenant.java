package io.latchkey.cloud.tenant;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A car-sharing operator on the platform. Its id is part of every path, topic and store name. */
@Serdeable
public record Tenant(String id, String name, Instant createdAt) {
}
