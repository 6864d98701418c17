package io.latchkey.cloud.mqtt.security;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link TopicPolicy} to every PUBLISH (and will) and SUBSCRIBE of a client that
 * {@link CertificateAuthenticator} admitted. Clients admitted by another extension carry no Latchkey
 * identity and are left to that extension.
 */
public final class TopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAuthorizer.class);

    private final TopicPolicy policy;

    public TopicAuthorizer(TopicPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        Optional<MqttIdentity> identity = ConnectionIdentities.get(input.getConnectionInformation().getConnectionAttributeStore());
        if (identity.isEmpty()) {
            output.nextExtensionOrDefault();
            return;
        }
        TopicPolicy.Decision decision = policy.mayPublish(identity.get(), input.getPublishPacket().getTopic(), input.getPublishPacket().getRetain());
        if (decision.allowed()) {
            output.authorizeSuccessfully();
        } else {
            LOG.info("publish of '{}' refused: {}", input.getClientInformation().getClientId(), decision.reason());
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, decision.reason());
        }
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        Optional<MqttIdentity> identity = ConnectionIdentities.get(input.getConnectionInformation().getConnectionAttributeStore());
        if (identity.isEmpty()) {
            output.nextExtensionOrDefault();
            return;
        }
        TopicPolicy.Decision decision = policy.maySubscribe(identity.get(), input.getSubscription().getTopicFilter());
        if (decision.allowed()) {
            output.authorizeSuccessfully();
        } else {
            LOG.info("subscribe of '{}' refused: {}", input.getClientInformation().getClientId(), decision.reason());
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, decision.reason());
        }
    }
}
