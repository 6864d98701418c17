package io.latchkey.cloud.mqtt.security;

import io.latchkey.protocol.Channel;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which topics an identity may use. A device publishes only on the channels of its own topic that are
 * {@link Channel#fromCar()} ({@code ack}, {@code telemetry}, {@code state} — the only retained one, also its last
 * will —, {@code event}, {@code ota-status}, {@code csr}), and subscribes only to the others of its own topic
 * ({@link Channel#toCar()}: {@code cmd}, {@code receipt}, {@code revocations}, {@code ota}, {@code cert}, {@code keys}, {@code booking};
 * only a service publishes there), literally, without wildcards. A service may use everything under {@code lk/},
 * directly or through a shared subscription {@code $share/{group}/lk/...}.
 */
public final class TopicPolicy {
    private static final Set<Channel> DEVICE_PUBLISHES = EnumSet.copyOf(Arrays.stream(Channel.values()).filter(Channel::fromCar).toList());
    private static final String SHARE = "$share/";

    public Decision mayPublish(MqttIdentity identity, String topic, boolean retain) {
        if (identity instanceof MqttIdentity.Anonymous) {
            return outsideRoot(topic) ? Decision.ALLOW : Decision.deny("an unauthenticated client may not use " + Topic.ROOT + "/");
        }
        if (identity instanceof MqttIdentity.Service) {
            return underRoot(topic) ? Decision.ALLOW : Decision.deny("services publish only under " + Topic.ROOT + "/");
        }
        MqttIdentity.Device device = (MqttIdentity.Device) identity;
        Topic parsed;
        try {
            parsed = Topic.parse(topic);
        } catch (MalformedMessageException e) {
            return Decision.deny("not a device topic: " + topic);
        }
        if (!parsed.tenant().equals(device.tenant()) || !parsed.deviceId().equals(device.deviceId())) {
            return Decision.deny(device.tenant() + "/" + device.deviceId() + " may not publish on another device's topic " + topic);
        }
        if (!DEVICE_PUBLISHES.contains(parsed.channel())) {
            return Decision.deny("devices do not publish on " + parsed.channel().segment());
        }
        if (retain && parsed.channel() != Channel.STATE) {
            return Decision.deny("only state is retained");
        }
        return Decision.ALLOW;
    }

    public Decision maySubscribe(MqttIdentity identity, String filter) {
        if (identity instanceof MqttIdentity.Anonymous) {
            return outsideRoot(filter) ? Decision.ALLOW : Decision.deny("an unauthenticated client may not use " + Topic.ROOT + "/");
        }
        if (identity instanceof MqttIdentity.Service) {
            return underRoot(withoutShare(filter)) ? Decision.ALLOW : Decision.deny("services subscribe only under " + Topic.ROOT + "/");
        }
        MqttIdentity.Device device = (MqttIdentity.Device) identity;
        List<String> own = Channel.toCar().stream().map(c -> Topic.of(device.tenant(), device.deviceId(), c).name()).toList();
        return own.contains(filter) ? Decision.ALLOW
                : Decision.deny("a device subscribes only to " + String.join(", ", own) + ", not " + filter);
    }

    /**
     * A topic or filter that can match nothing under {@code lk/}: its first level is literal and not
     * {@code lk} (so no {@code #}, {@code +/...}, {@code $share/...} or {@code $SYS}).
     */
    private static boolean outsideRoot(String topic) {
        if (topic == null || topic.isEmpty() || topic.startsWith("$") || topic.startsWith("#") || topic.startsWith("+")) {
            return false;
        }
        int slash = topic.indexOf('/');
        String first = slash < 0 ? topic : topic.substring(0, slash);
        return !first.equals(Topic.ROOT);
    }

    private static boolean underRoot(String topic) {
        return topic != null && topic.startsWith(Topic.ROOT + "/");
    }

    /** {@code $share/{group}/{filter}} to {@code {filter}}; anything else unchanged. */
    private static String withoutShare(String filter) {
        if (filter == null || !filter.startsWith(SHARE)) {
            return filter;
        }
        int slash = filter.indexOf('/', SHARE.length());
        return slash < 0 ? "" : filter.substring(slash + 1);
    }

    /** Allowed, or refused with a reason the broker passes back to MQTT 5 clients. */
    public record Decision(boolean allowed, String reason) {
        public static final Decision ALLOW = new Decision(true, "");

        static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }
}
