package io.latchkey.cloud.mqtt.security;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import io.latchkey.cloud.pki.RevokedCertificateException;
import io.latchkey.cloud.pki.UntrustedCertificateException;
import io.latchkey.protocol.Topic;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates MQTT connections. With a TLS client certificate, the certificate decides who the client is
 * ({@link ClientCertificateVerifier}); a device must also use its own client id, {@code {tenant}:{deviceId}},
 * so that no device can take over another's session. Connections without a client certificate (the plain
 * listener) are refused, unless {@code allowWithoutCertificate} is set for the loopback development listener;
 * there a client id of the device form must be proven with a signed connect token ({@link ConnectTokens}),
 * and any other client is admitted as {@link MqttIdentity.Anonymous}, which may use no topic under {@code lk/}.
 * On both listeners a client id that has a live connection on the other listener is refused
 * ({@link ListenerSessions}): no session is taken over across listeners.
 */
public final class CertificateAuthenticator implements SimpleAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthenticator.class);

    private final ClientCertificateVerifier verifier;
    private final boolean allowWithoutCertificate;
    private final ConnectTokens tokens;
    private final ListenerSessions sessions;

    public CertificateAuthenticator(ClientCertificateVerifier verifier, boolean allowWithoutCertificate, ConnectTokens tokens,
                                    ListenerSessions sessions) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.allowWithoutCertificate = allowWithoutCertificate;
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        String clientId = input.getClientInformation().getClientId();
        Optional<X509Certificate[]> chain = input.getConnectionInformation().getClientTlsInformation()
                .flatMap(ClientTlsInformation::getClientCertificateChain);
        String listener = ListenerSessions.listenerOf(input.getConnectionInformation());
        Optional<String> elsewhere = sessions.liveElsewhere(clientId, listener);
        if (elsewhere.isPresent()) {
            refuse(output, clientId, ConnackReasonCode.NOT_AUTHORIZED, "client id is connected on another listener");
            return;
        }
        if (chain.isEmpty()) {
            if (allowWithoutCertificate) {
                Optional<MqttIdentity> claimed = claimedDevice(clientId);
                if (claimed.isPresent()) {
                    var connect = input.getConnectPacket();
                    byte[] password = connect.getPassword().map(CertificateAuthenticator::bytes).orElse(null);
                    Optional<String> refused = tokens.refusal((MqttIdentity.Device) claimed.get(),
                            connect.getUserName().orElse(null), password);
                    if (refused.isPresent()) {
                        refuse(output, clientId, ConnackReasonCode.NOT_AUTHORIZED, refused.get());
                        return;
                    }
                }
                ConnectionIdentities.put(input.getConnectionInformation().getConnectionAttributeStore(),
                        claimed.orElse(new MqttIdentity.Anonymous()));
                output.authenticateSuccessfully();
            } else {
                refuse(output, clientId, ConnackReasonCode.NOT_AUTHORIZED, "a TLS client certificate is required");
            }
            return;
        }
        MqttIdentity identity;
        try {
            identity = verifier.verify(chain.get());
        } catch (RevokedCertificateException e) {
            refuse(output, clientId, ConnackReasonCode.NOT_AUTHORIZED, "certificate revoked");
            return;
        } catch (UntrustedCertificateException e) {
            LOG.info("MQTT client '{}' refused: {}", clientId, e.getMessage());
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "certificate not trusted");
            return;
        }
        if (identity instanceof MqttIdentity.Device device && !device.clientId().equals(clientId)) {
            refuse(output, clientId, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client id must be " + device.clientId());
            return;
        }
        if (identity instanceof MqttIdentity.Service && clientId.contains(":")) {
            refuse(output, clientId, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "service client ids must not contain ':'");
            return;
        }
        ConnectionIdentities.put(input.getConnectionInformation().getConnectionAttributeStore(), identity);
        output.authenticateSuccessfully();
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** {@code acme:dev-001} on the plain listener: once proven, confined to device dev-001 of acme, car unknown. */
    static Optional<MqttIdentity> claimedDevice(String clientId) {
        int colon = clientId.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String tenant = clientId.substring(0, colon);
        String deviceId = clientId.substring(colon + 1);
        if (!Topic.isValidTenantId(tenant) || !Topic.isValidDeviceId(deviceId)) {
            return Optional.empty();
        }
        return Optional.of(new MqttIdentity.Device(tenant, deviceId, ""));
    }

    private static void refuse(SimpleAuthOutput output, String clientId, ConnackReasonCode code, String reason) {
        LOG.info("MQTT client '{}' refused: {}", clientId, reason);
        output.failAuthentication(code, reason);
    }
}
