package io.latchkey.protocol.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TelemetryReceiptTest {

    private static TelemetryRecord record(long seq) {
        return new TelemetryRecord(seq, Instant.parse("2026-11-23T10:00:00Z"), null, null, null, null, null, null,
                null, null, null, null);
    }

    @Test
    void ofBatch_spansItsLowestToHighestSeq_andRoundTripsOnTheWire() {
        TelemetryReceipt receipt = TelemetryReceipt.of("acme", new TelemetryBatch("dev-1", List.of(record(7), record(5), record(9))));
        assertThat(receipt).isEqualTo(new TelemetryReceipt("acme", "dev-1", 5, 9));
        assertThat(Json.read(Json.write(receipt), TelemetryReceipt.class)).isEqualTo(receipt);
        assertThat(new String(Json.write(receipt), StandardCharsets.UTF_8))
                .isEqualTo("{\"tenant\":\"acme\",\"deviceId\":\"dev-1\",\"firstSeq\":5,\"lastSeq\":9,\"refused\":[]}");
    }

    @Test
    void refusedSeqs_roundTrip_andAreCountedInsideARange() {
        TelemetryReceipt receipt = new TelemetryReceipt("acme", "dev-1", 5, 9, List.of(6L, 9L));
        assertThat(Json.read(Json.write(receipt), TelemetryReceipt.class)).isEqualTo(receipt);
        assertThat(receipt.refusedWithin(5, 9)).isEqualTo(2);
        assertThat(receipt.refusedWithin(7, 8)).isZero();
    }

    @Test
    void covers_onlyRangesInsideIt() {
        TelemetryReceipt receipt = new TelemetryReceipt("acme", "dev-1", 5, 9);
        assertThat(receipt.covers(5, 9)).isTrue();
        assertThat(receipt.covers(6, 8)).isTrue();
        assertThat(receipt.covers(4, 9)).isFalse();
        assertThat(receipt.covers(5, 10)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"tenant\":\"acme\",\"deviceId\":\"dev-1\",\"firstSeq\":0,\"lastSeq\":3}",
            "{\"deviceId\":\"dev-1\",\"firstSeq\":1,\"lastSeq\":3}",
            "{\"tenant\":\"acme\",\"deviceId\":\"dev-1\",\"firstSeq\":1,\"lastSeq\":3,\"refused\":[4]}",
            "{\"tenant\":\"acme\",\"deviceId\":\"dev-1\",\"firstSeq\":1,\"lastSeq\":3,\"refused\":[2,2]}",
            "{\"deviceId\":\"dev-1\",\"firstSeq\":4,\"lastSeq\":3}",
            "{\"firstSeq\":1,\"lastSeq\":3}",
            "{\"deviceId\":\"dev-1\",\"lastSeq\":3}",
            "{\"deviceId\":\"dev-1\",\"firstSeq\":\"x\",\"lastSeq\":3}",
            "[]", "not json"})
    void malformedReceipts_areRefused(String json) {
        assertThatThrownBy(() -> Json.read(json.getBytes(StandardCharsets.UTF_8), TelemetryReceipt.class))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void receiptTopic_isADeviceChannel() {
        Topic topic = Topic.of("acme", "dev-1", Channel.RECEIPT);
        assertThat(topic.name()).isEqualTo("lk/acme/dev-1/receipt");
        assertThat(Topic.parse(topic.name()).channel()).isEqualTo(Channel.RECEIPT);
    }
}
