package io.latchkey.cloud.mqtt.security;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
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
 * Authenticates MQTT connections by their TLS client certificate alone: the certificate decides who
 * the client is ({@link ClientCertificateVerifier}); a device must also use its own client id,
 * {@code {tenant}:{deviceId}}, so that no device can take over another's session. Connections
 * without a client certificate (a plain listener) are refused, unless {@code allowWithoutCertificate} is
 * set for the loopback development listener: then they are admitted unauthenticated, and one whose client
 * id has the device form {@code {tenant}:{deviceId}} is held to that device's topics as if its certificate
 * said so (this catches mistakes in development; it proves nothing, since anyone may claim any id there).
 * Other plain clients (test harnesses, {@code mosquitto_sub}) get the broker's default: everything.
 */
public final class CertificateAuthenticator implements SimpleAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthenticator.class);

    private final ClientCertificateVerifier verifier;
    private final boolean allowWithoutCertificate;

    public CertificateAuthenticator(ClientCertificateVerifier verifier, boolean allowWithoutCertificate) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.allowWithoutCertificate = allowWithoutCertificate;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        String clientId = input.getClientInformation().getClientId();
        Optional<X509Certificate[]> chain = input.getConnectionInformation().getClientTlsInformation()
                .flatMap(ClientTlsInformation::getClientCertificateChain);
        if (chain.isEmpty()) {
            if (allowWithoutCertificate) {
                claimedDevice(clientId).ifPresent(device ->
                        ConnectionIdentities.put(input.getConnectionInformation().getConnectionAttributeStore(), device));
                output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.ALLOW);
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

    /** {@code acme:dev-001} on the plain listener: confined to device dev-001 of acme, car unknown. */
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
