package io.latchkey.protocol;

import java.util.regex.Pattern;

/**
 * A device topic, {@code lk/{tenant}/{deviceId}/{channel}}. Tenant and device ids are restricted
 * so that no id can contain MQTT wildcards or separators and escape its own subtree.
 */
public record Topic(String tenant, String deviceId, Channel channel) {
    public static final String ROOT = "lk";
    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    public Topic {
        requireTenantId(tenant);
        requireDeviceId(deviceId);
        if (channel == null) {
            throw new MalformedMessageException("channel is required");
        }
    }

    public static Topic of(String tenant, String deviceId, Channel channel) {
        return new Topic(tenant, deviceId, channel);
    }

    /** Parses a concrete topic name; throws {@link MalformedMessageException} for anything else. */
    public static Topic parse(String topic) {
        if (topic == null) {
            throw new MalformedMessageException("topic is null");
        }
        String[] parts = topic.split("/", -1);
        if (parts.length != 4 || !ROOT.equals(parts[0])) {
            throw new MalformedMessageException("not a device topic: '" + topic + "'");
        }
        return new Topic(parts[1], parts[2], Channel.fromSegment(parts[3]));
    }

    /** The filter matching one channel of every device of every tenant, for the backend's subscriptions. */
    public static String allDevices(Channel channel) {
        return ROOT + "/+/+/" + channel.segment();
    }

    /** The filter matching every channel of one device. */
    public static String deviceFilter(String tenant, String deviceId) {
        requireTenantId(tenant);
        requireDeviceId(deviceId);
        return ROOT + "/" + tenant + "/" + deviceId + "/#";
    }

    public static boolean isValidTenantId(String id) {
        return id != null && TENANT_ID.matcher(id).matches();
    }

    /** A device id is an {@link Ids id}. */
    public static boolean isValidDeviceId(String id) {
        return Ids.isValid(id);
    }

    public static void requireTenantId(String id) {
        if (!isValidTenantId(id)) {
            throw new MalformedMessageException("tenant id must match " + TENANT_ID.pattern() + ", got '" + id + "'");
        }
    }

    public static void requireDeviceId(String id) {
        Ids.require("device id", id);
    }

    public String name() {
        return ROOT + "/" + tenant + "/" + deviceId + "/" + channel.segment();
    }

    @Override
    public String toString() {
        return name();
    }
}
