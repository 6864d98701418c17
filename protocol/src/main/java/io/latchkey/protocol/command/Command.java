package io.latchkey.protocol.command;

import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import java.time.Instant;

/**
 * A command as the cloud issues it. It names its tenant and device so that a command signed for one
 * car can never be replayed to another, and carries its own validity window: a device never executes
 * it after {@code expiresAt}.
 *
 * @param id        unique id; a device answers a repeated id from its first result
 * @param tenant    the tenant that owns the device
 * @param deviceId  the one device that may execute it
 * @param type      what to do
 * @param issuedAt  when the cloud signed it; the device refuses it before this instant (minus skew)
 * @param expiresAt after this instant the device refuses it
 * @param actor     opaque id of who asked (for the car's own audit trail); never PII
 * @param zone      only with {@link CommandType#END_RENTAL}: where the car must be parked, or null for
 *                  anywhere. Part of the signed payload; absent from the JSON when null, so a command
 *                  without a zone has the same bytes (and signature) as before zones existed
 */
public record Command(String id, String tenant, String deviceId, CommandType type,
                      Instant issuedAt, Instant expiresAt, String actor, HomeZone zone) {

    public Command(String id, String tenant, String deviceId, CommandType type, Instant issuedAt, Instant expiresAt,
                   String actor) {
        this(id, tenant, deviceId, type, issuedAt, expiresAt, actor, null);
    }

    public Command {
        if (id == null || id.isBlank() || id.length() > 64) {
            throw new MalformedMessageException("command id must be 1 to 64 characters");
        }
        Topic.requireTenantId(tenant);
        Topic.requireDeviceId(deviceId);
        if (type == null) {
            throw new MalformedMessageException("command type is required");
        }
        if (issuedAt == null || expiresAt == null) {
            throw new MalformedMessageException("issuedAt and expiresAt are required");
        }
        if (!expiresAt.isAfter(issuedAt)) {
            throw new MalformedMessageException("expiresAt must be after issuedAt");
        }
        if (zone != null && type != CommandType.END_RENTAL) {
            throw new MalformedMessageException("a zone only comes with END_RENTAL");
        }
    }
}
