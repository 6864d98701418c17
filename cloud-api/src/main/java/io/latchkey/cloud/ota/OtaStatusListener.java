package io.latchkey.cloud.ota;

import io.latchkey.cloud.metrics.SecurityMetrics;
import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.cloud.mqtt.security.DeviceKeys;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.ota.OtaStatus;
import io.latchkey.protocol.ota.SignedOtaStatus;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Update statuses from cars ({@code ota-status}), kept only when the device itself signed them: by the key of its active
 * certificate, naming the tenant and device of the topic ({@link SignedOtaStatus#verify}). Anything else is refused,
 * counted and logged, and changes nothing, as for command acknowledgements.
 */
@Singleton
public class OtaStatusListener implements DeviceMessageListener {
    private static final Logger LOG = LoggerFactory.getLogger(OtaStatusListener.class);

    private final Rollouts rollouts;
    private final DeviceKeys keys;
    private final SecurityMetrics metrics;
    private final AtomicLong refused = new AtomicLong();

    public OtaStatusListener(Rollouts rollouts, DeviceKeys keys, SecurityMetrics metrics) {
        this.rollouts = rollouts;
        this.keys = keys;
        this.metrics = metrics;
    }

    @Override
    public Set<Channel> channels() {
        return Set.of(Channel.OTA_STATUS);
    }

    @Override
    public void onMessage(Topic topic, byte[] payload) {
        Optional<ECPublicKeyParameters> key = keys.activeKey(topic.tenant(), topic.deviceId());
        OtaStatus status;
        try {
            if (key.isEmpty()) {
                throw new MalformedMessageException("no active device certificate");
            }
            status = SignedOtaStatus.verify(payload, key.get(), topic.tenant(), topic.deviceId());
        } catch (MalformedMessageException e) {
            refused.incrementAndGet();
            metrics.otaStatusRefused(topic.tenant());
            LOG.warn("update status on {} refused: {}", topic, e.getMessage());
            throw e;
        }
        rollouts.onStatus(topic.tenant(), topic.deviceId(), status);
    }

    /** Statuses refused since start (for tests and the metrics' cross-check). */
    public long refused() {
        return refused.get();
    }
}
