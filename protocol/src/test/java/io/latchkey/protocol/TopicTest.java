package io.latchkey.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicTest {

    @Test
    void name_and_parse_roundTrip() {
        Topic topic = Topic.of("acme", "dev-001", Channel.TELEMETRY);
        assertThat(topic.name()).isEqualTo("lk/acme/dev-001/telemetry");
        assertThat(Topic.parse(topic.name())).isEqualTo(topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lk/acme/dev-001", "lk/acme/dev-001/cmd/extra", "xx/acme/dev-001/cmd",
            "lk/acme/dev-001/nosuch", "lk/ACME/dev-001/cmd", "lk/acme/+/cmd", "lk/acme/#/cmd", "lk//dev/cmd", ""})
    void parse_rejectsAnythingButAConcreteDeviceTopic(String topic) {
        assertThatThrownBy(() -> Topic.parse(topic)).isInstanceOf(MalformedMessageException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a+b", "a#", "", "-x"})
    void deviceIds_cannotContainSeparatorsOrWildcards(String id) {
        assertThat(Topic.isValidDeviceId(id)).isFalse();
    }

    @Test
    void sharedFilters_matchOneChannelOfAllDevices() {
        assertThat(Topic.allDevices(Channel.ACK)).isEqualTo("lk/+/+/ack");
        assertThat(Topic.deviceFilter("acme", "dev-1")).isEqualTo("lk/acme/dev-1/#");
    }
}
