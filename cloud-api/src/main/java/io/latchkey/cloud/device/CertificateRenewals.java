package io.latchkey.cloud.device;

import io.latchkey.cloud.mqtt.BackendMqttClient;
import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.cloud.pki.IssuedDeviceCertificate;
import io.latchkey.cloud.pki.RevokedCertificate;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.ProtocolException;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.identity.RenewalAnswer;
import io.latchkey.protocol.identity.RenewalRequest;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device CA's side of renewal over MQTT (docs/device-identity.md, "Renewal"): a request on a device's own
 * {@code csr} topic (the broker lets only that device publish there) goes to {@link DeviceIdentities}, and the answer
 * (the new certificate, the word that the old one is revoked, or the reason for a refusal) goes back on its
 * {@code cert} topic. A message that does not parse is dropped and counted, unanswered.
 */
@Singleton
public class CertificateRenewals implements DeviceMessageListener {
    /** How long the broker keeps an answer for a device that went offline meanwhile. */
    static final Duration ANSWER_EXPIRY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(CertificateRenewals.class);

    private final DeviceIdentities identities;
    private final BackendMqttClient mqtt;

    public CertificateRenewals(DeviceIdentities identities, BackendMqttClient mqtt) {
        this.identities = identities;
        this.mqtt = mqtt;
    }

    @Override
    public Set<Channel> channels() {
        return Set.of(Channel.CSR);
    }

    @Override
    public void onMessage(Topic topic, byte[] payload) {
        RenewalRequest request;
        try {
            request = RenewalRequest.parse(payload);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("renewal request on " + topic + " does not parse: " + e.getMessage(), e);
        }
        RenewalAnswer answer = answer(topic.tenant(), topic.deviceId(), request);
        mqtt.publish(Topic.of(topic.tenant(), topic.deviceId(), Channel.CERT), answer.toJson(), ANSWER_EXPIRY)
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.warn("renewal answer to {}/{} not sent: {}", topic.tenant(), topic.deviceId(), e.toString());
                    }
                });
    }

    /** What the device is told. */
    RenewalAnswer answer(String tenant, String deviceId, RenewalRequest request) {
        try {
            if (request.type() == RenewalRequest.Type.RENEW) {
                IssuedDeviceCertificate issued = identities.renew(tenant, deviceId, request);
                return new RenewalAnswer(request.requestId(), RenewalAnswer.ISSUED, issued.certificatePem(), issued.caChainPem(),
                        RevokedCertificate.serialText(issued.certificate().getSerialNumber()), null);
            }
            String revoked = identities.renewalInUse(tenant, deviceId, request);
            return new RenewalAnswer(request.requestId(), RenewalAnswer.IN_USE, null, null, revoked, null);
        } catch (RenewalRefusedException e) {
            return new RenewalAnswer(request.requestId(), RenewalAnswer.REFUSED, null, null, request.serial(), e.getMessage());
        }
    }
}
