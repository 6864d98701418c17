package io.latchkey.cloud.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeqSetTest {
    @Test
    void remembersContiguousAndOutOfOrderSequences() {
        SeqSet seqs = new SeqSet();
        seqs.add(1);
        seqs.add(2);
        seqs.add(5);
        assertThat(seqs.contains(2)).isTrue();
        assertThat(seqs.contains(3)).isFalse();
        assertThat(seqs.contains(5)).isTrue();
        seqs.add(3);
        seqs.add(4);
        assertThat(seqs.contains(4)).isTrue();
        assertThat(seqs.contains(6)).isFalse();
    }
}
