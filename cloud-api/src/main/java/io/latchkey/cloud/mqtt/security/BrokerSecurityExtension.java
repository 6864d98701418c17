package io.latchkey.cloud.mqtt.security;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;

/**
 * The broker side of device trust as one HiveMQ extension: certificate authentication and topic
 * authorization for every client. Add it to an embedded broker with
 * {@code EmbeddedHiveMQ.builder().withEmbeddedExtension(BrokerSecurityExtension.embedded(trust, keys, platformCa, clock, false))}.
 */
public final class BrokerSecurityExtension implements ExtensionMain {
    public static final String ID = "latchkey-broker-security";
    /** Runs before any other extension's authenticator, so nothing can admit a client this one would refuse. */
    static final int PRIORITY = 10_000;

    private final CertificateAuthenticator authenticator;
    private final TopicAuthorizer authorizer;
    private final ListenerSessions sessions;

    public BrokerSecurityExtension(CertificateAuthenticator authenticator, TopicAuthorizer authorizer, ListenerSessions sessions) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /**
     * @param keys                    the devices' active keys: a device on the plain listener proves itself with them
     * @param allowWithoutCertificate admit clients without a certificate (the plain loopback development
     *                                listener) instead of refusing them; see {@link CertificateAuthenticator}
     */
    public static EmbeddedExtension embedded(DeviceTrust trust, DeviceKeys keys, X509Certificate platformCa, Clock clock,
                                             boolean allowWithoutCertificate) {
        ClientCertificateVerifier verifier = new ClientCertificateVerifier(trust, platformCa, clock);
        ListenerSessions sessions = new ListenerSessions();
        BrokerSecurityExtension main = new BrokerSecurityExtension(
                new CertificateAuthenticator(verifier, allowWithoutCertificate, new ConnectTokens(keys, clock), sessions),
                new TopicAuthorizer(new TopicPolicy()), sessions);
        return EmbeddedExtension.builder()
                .withId(ID)
                .withName("Latchkey broker security")
                .withVersion("0.1.0")
                .withAuthor("Latchkey")
                .withPriority(PRIORITY)
                .withStartPriority(PRIORITY)
                .withExtensionMain(main)
                .build();
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
        Services.eventRegistry().setClientLifecycleEventListener(providerInput -> sessions);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // The broker removes the providers with the extension; nothing else to release.
    }
}
