package io.latchkey.cloud.mqtt.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicPolicyTest {
    private final TopicPolicy policy = new TopicPolicy();
    private final MqttIdentity device = new MqttIdentity.Device("acme", "dev-001", "car-7");
    private final MqttIdentity service = new MqttIdentity.Service("latchkey-cloud");

    @ParameterizedTest
    @ValueSource(strings = {"lk/acme/dev-001/ack", "lk/acme/dev-001/telemetry", "lk/acme/dev-001/state", "lk/acme/dev-001/event"})
    void device_publishesOnItsOwnUpstreamChannels(String topic) {
        assertThat(policy.mayPublish(device, topic, false).allowed()).isTrue();
    }

    @Test
    void device_retainsOnlyItsState() {
        assertThat(policy.mayPublish(device, "lk/acme/dev-001/state", true).allowed()).isTrue();
        assertThat(policy.mayPublish(device, "lk/acme/dev-001/telemetry", true).allowed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lk/acme/dev-002/telemetry", "lk/globex/dev-001/telemetry", "lk/acme/dev-001/cmd",
        "lk/acme/dev-001/receipt", "lk/acme/dev-001/revocations", "lk/acme/dev-001/telemetry/x", "lk/acme/+/telemetry", "other/acme/dev-001/telemetry", "lk/acme/dev-001", ""})
    void device_isRefusedEverywhereElse(String topic) {
        assertThat(policy.mayPublish(device, topic, false).allowed()).isFalse();
    }

    @Test
    void onlyTheBackend_publishesRevocations_retained() {
        assertThat(policy.mayPublish(device, "lk/acme/dev-001/revocations", true).allowed()).isFalse();
        assertThat(policy.mayPublish(device, "lk/acme/dev-001/revocations", false).allowed()).isFalse();
        assertThat(policy.mayPublish(service, "lk/acme/dev-001/revocations", true).allowed()).isTrue();
    }

    @Test
    void device_asksForRenewalOnItsOwnCsr_andReadsOnlyItsOwnCertAndKeys() {
        assertThat(policy.mayPublish(device, "lk/acme/dev-001/csr", false).allowed()).isTrue();
        assertThat(policy.mayPublish(device, "lk/acme/dev-001/csr", true).allowed()).isFalse();
        assertThat(policy.mayPublish(device, "lk/acme/dev-002/csr", false).allowed()).isFalse();
        assertThat(policy.mayPublish(device, "lk/globex/dev-001/csr", false).allowed()).isFalse();
        // only the backend answers and publishes key sets
        assertThat(policy.mayPublish(device, "lk/acme/dev-001/cert", false).allowed()).isFalse();
        assertThat(policy.mayPublish(device, "lk/acme/dev-001/keys", true).allowed()).isFalse();
        assertThat(policy.mayPublish(service, "lk/acme/dev-001/keys", true).allowed()).isTrue();
        assertThat(policy.maySubscribe(device, "lk/acme/dev-001/cert").allowed()).isTrue();
        assertThat(policy.maySubscribe(device, "lk/acme/dev-001/keys").allowed()).isTrue();
        for (String other : new String[] {"lk/acme/dev-002/cert", "lk/acme/dev-002/keys", "lk/globex/dev-001/keys", "lk/acme/+/keys",
            "lk/acme/dev-001/csr", "lk/+/+/cert"}) {
            assertThat(policy.maySubscribe(device, other).allowed()).as(other).isFalse();
        }
    }

    @Test
    void device_subscribesToItsOwnRevocations_only() {
        assertThat(policy.maySubscribe(device, "lk/acme/dev-001/revocations").allowed()).isTrue();
        for (String other : new String[] {"lk/acme/dev-002/revocations", "lk/globex/dev-001/revocations", "lk/acme/+/revocations",
            "lk/+/+/revocations"}) {
            assertThat(policy.maySubscribe(device, other).allowed()).as(other).isFalse();
        }
    }

    @Test
    void device_takesItsOwnUpdateOffers_andReportsItsOwnUpdateStatus_only() {
        assertThat(policy.maySubscribe(device, "lk/acme/dev-001/ota").allowed()).isTrue();
        assertThat(policy.mayPublish(device, "lk/acme/dev-001/ota-status", false).allowed()).isTrue();
        assertThat(policy.mayPublish(device, "lk/acme/dev-001/ota-status", true).allowed()).as("not retained").isFalse();
        assertThat(policy.mayPublish(device, "lk/acme/dev-001/ota", false).allowed()).as("offers come from the backend").isFalse();
        assertThat(policy.mayPublish(service, "lk/acme/dev-001/ota", false).allowed()).isTrue();
        for (String other : new String[] {"lk/acme/dev-002/ota", "lk/globex/dev-001/ota", "lk/acme/+/ota", "lk/acme/dev-001/ota-status"}) {
            assertThat(policy.maySubscribe(device, other).allowed()).as(other).isFalse();
        }
        assertThat(policy.mayPublish(device, "lk/acme/dev-002/ota-status", false).allowed()).isFalse();
    }

    @Test
    void device_publishingOnAnotherDevicesTopic_isToldWhy() {
        assertThat(policy.mayPublish(device, "lk/acme/dev-002/ack", false).reason()).contains("another device");
    }

    @Test
    void device_subscribesOnlyToItsOwnCommandsAndReceipts() {
        assertThat(policy.maySubscribe(device, "lk/acme/dev-001/cmd").allowed()).isTrue();
        assertThat(policy.maySubscribe(device, "lk/acme/dev-001/receipt").allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lk/acme/dev-002/cmd", "lk/globex/dev-001/cmd", "lk/acme/dev-001/#", "lk/acme/+/cmd", "lk/#", "#",
        "lk/acme/dev-001/telemetry", "$share/g/lk/acme/dev-001/cmd", "lk/acme/dev-002/receipt", "lk/globex/dev-001/receipt",
        "lk/acme/+/receipt"})
    void device_cannotSubscribeToAnythingElse(String filter) {
        assertThat(policy.maySubscribe(device, filter).allowed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lk/+/+/ack", "lk/#", "$share/latchkey-cloud/lk/+/+/telemetry", "lk/acme/dev-001/state"})
    void service_subscribesUnderTheRootDirectlyOrShared(String filter) {
        assertThat(policy.maySubscribe(service, filter).allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "$SYS/#", "$share/g/#", "other/x", "$share/lk/"})
    void service_staysUnderTheRoot(String filter) {
        assertThat(policy.maySubscribe(service, filter).allowed()).isFalse();
    }

    @Test
    void service_publishesCommandsToAnyDevice() {
        assertThat(policy.mayPublish(service, "lk/globex/dev-9/cmd", false).allowed()).isTrue();
        assertThat(policy.mayPublish(service, "elsewhere/cmd", false).allowed()).isFalse();
    }

    /**
     * The topics between replicas (car-sticky ingestion's forwards and heartbeats, the live relay): a forward is
     * processed as the device topic it names, so a device that could publish there could speak for any car.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lk/_ingest/latchkey-cloud-a", "lk/_ingest/latchkey-cloud-a/x", "lk/_replicas/latchkey-cloud-a",
        "lk/_live/0011223344556677"})
    void device_cannotPublishOrSubscribe_betweenReplicas(String topic) {
        assertThat(policy.mayPublish(device, topic, false).allowed()).as("publish " + topic).isFalse();
        assertThat(policy.maySubscribe(device, topic).allowed()).as("subscribe " + topic).isFalse();
        assertThat(policy.mayPublish(service, topic, false).allowed()).as("the backend publishes " + topic).isTrue();
        assertThat(policy.maySubscribe(service, topic).allowed()).as("the backend subscribes " + topic).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lk/_ingest/+", "lk/_ingest/#", "lk/_replicas/+", "lk/+/+", "lk/+/latchkey-cloud-a",
        "$share/g/lk/_ingest/latchkey-cloud-a"})
    void device_cannotSubscribeToReplicaTopics_byWildcard(String filter) {
        assertThat(policy.maySubscribe(device, filter).allowed()).isFalse();
    }

    @Test
    void identity_roundTripsThroughTheConnectionAttribute() {
        assertThat(MqttIdentity.decode(device.encode())).contains(device);
        assertThat(MqttIdentity.decode(service.encode())).contains(service);
        assertThat(MqttIdentity.decode("device:acme")).isEmpty();
    }

    @Test
    void deviceClientId_isUniqueAcrossTenants() {
        assertThat(MqttIdentity.deviceClientId("acme", "dev-001")).isEqualTo("acme:dev-001")
                .isNotEqualTo(MqttIdentity.deviceClientId("globex", "dev-001"));
    }
}
