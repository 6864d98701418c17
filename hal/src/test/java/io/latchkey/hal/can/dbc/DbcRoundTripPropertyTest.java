package io.latchkey.hal.can.dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.can.CanFrame;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** decode(encode(x)) == x over every message of the three real DBC files. */
class DbcRoundTripPropertyTest {
    private static final List<DbcDatabase> REAL = List.of(DbcFiles.load(DbcFiles.HYUNDAI), DbcFiles.load(DbcFiles.FORD),
            DbcFiles.load(DbcFiles.TESLA));

    /**
     * A message of a real DBC with the physical values of a random payload. Drawing payloads rather than
     * values keeps x consistent where real DBCs overlap signals without declaring multiplexing (the
     * Hyundai EMS2 has four signals at 0|6).
     */
    record Sample(DbcDatabase db, DbcMessage message, Map<String, Double> values) {
        @Override
        public String toString() {
            return db.source() + " " + message.name() + " " + values;
        }
    }

    @Property(tries = 3000)
    void decode_ofEncode_givesTheValuesBack_onTheRealDbcs(@ForAll("samples") Sample sample) {
        CanFrame frame = new DbcEncoder(sample.db()).encode(sample.message().name(), sample.values());
        DecodedMessage decoded = (DecodedMessage) new DbcDecoder(sample.db()).decode(frame);
        assertThat(decoded.values()).isEqualTo(sample.values());
    }

    @Provide
    Arbitrary<Sample> samples() {
        return Arbitraries.of(REAL).flatMap(db -> Arbitraries.of(db.messages()).flatMap(message ->
                Arbitraries.longs().map(seed -> sample(db, message, new Random(seed)))));
    }

    private static Sample sample(DbcDatabase db, DbcMessage message, Random random) {
        byte[] payload = new byte[message.size()];
        switch (random.nextInt(4)) {
            case 0 -> Arrays.fill(payload, (byte) 0);
            case 1 -> Arrays.fill(payload, (byte) 0xFF);
            default -> random.nextBytes(payload);
        }
        CanFrame frame = CanFrame.data(message.id(), message.extended(), payload, null);
        DecodedMessage decoded = (DecodedMessage) new DbcDecoder(db).decode(frame);
        return new Sample(db, message, decoded.values());
    }
}
