package io.latchkey.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryJournalTest {
    private static final long SEGMENT = JournalSettings.MIN_SEGMENT_BYTES;
    private static final JournalSettings SMALL = new JournalSettings(4 * SEGMENT, SEGMENT, Duration.ofSeconds(1), 50);

    @TempDir
    Path dir;

    private TelemetryJournal journal;

    @AfterEach
    void close() {
        if (journal != null) {
            journal.close();
        }
    }

    private TelemetryJournal open(JournalSettings settings) {
        if (journal != null) {
            journal.close();
        }
        journal = TelemetryJournal.open(dir, settings, 0);
        return journal;
    }

    private void append(long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            journal.append(Records.typical(seq));
        }
    }

    private List<Long> replayAll() {
        List<Long> seqs = new ArrayList<>();
        JournalBatch b;
        while (!(b = journal.readBatch(50)).isEmpty()) {
            b.records().forEach(r -> seqs.add(r.seq()));
            journal.acknowledge(b);
        }
        return seqs;
    }

    private static List<Long> range(long from, long to) {
        return Stream.iterate(from, s -> s <= to, s -> s + 1).toList();
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> segs = files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
            assertThat(segs).hasSize(1);
            return segs.get(0);
        }
    }

    @Test
    void afterARestart_unacknowledgedRecordsAreReplayedInOrder_andExactlyAsTaken() {
        open(JournalSettings.DEFAULTS);
        append(1, 120);
        JournalBatch first = journal.readBatch(30);
        journal.acknowledge(first);
        journal.close();
        journal = null;

        open(JournalSettings.DEFAULTS);
        JournalBatch next = journal.readBatch(1);

        assertThat(next.records().get(0)).isEqualTo(Records.typical(31));
        assertThat(replayAll()).isEqualTo(range(31, 120));
        assertThat(journal.stats().pendingRecords()).isZero();
    }

    @Test
    void aRecordThatWasReadButNotAcknowledged_isReadAgain() {
        open(JournalSettings.DEFAULTS);
        append(1, 10);

        journal.readBatch(5);

        assertThat(journal.readBatch(5).records()).extracting(TelemetryRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void numberingContinuesAfterTheLastRecord_evenWhenEverythingWasSentAndTrimmed() {
        open(SMALL);
        append(1, 2_000);
        replayAll();
        journal.close();
        journal = null;

        open(SMALL);

        assertThat(journal.lastSeq()).isEqualTo(2_000);
        assertThat(journal.stats().segments()).isEqualTo(1);
        assertThat(journal.readBatch(10).isEmpty()).isTrue();
    }

    @Test
    void aSequenceFloorFromTheOldCounterFile_isRespected() {
        journal = TelemetryJournal.open(dir, JournalSettings.DEFAULTS, 41);

        assertThat(journal.lastSeq()).isEqualTo(41);
        assertThatThrownBy(() -> journal.append(Records.typical(41))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTornLastRecord_isCutOff_theValidPrefixKept_andAppendingContinues() throws IOException {
        open(JournalSettings.DEFAULTS);
        append(1, 10);
        journal.close();
        journal = null;
        Path seg = onlySegment();
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(size - 5);
        }

        open(JournalSettings.DEFAULTS);

        assertThat(journal.lastSeq()).isEqualTo(9);
        assertThat(journal.stats().damagedSegments()).isEqualTo(1);
        assertThat(journal.stats().truncatedBytes()).isPositive();
        append(10, 12);
        assertThat(replayAll()).isEqualTo(range(1, 12));
    }

    @Test
    void aFlippedByteMidFile_failsTheChecksum_andOnlyThePrefixBeforeItIsKept() throws IOException {
        open(JournalSettings.DEFAULTS);
        append(1, 100);
        journal.close();
        journal = null;
        Path seg = onlySegment();
        long size = Files.size(seg);
        long frame = (size - 4) / 100;
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            long at = 4 + 50 * frame + 20; // inside record 51
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }

        open(JournalSettings.DEFAULTS);

        assertThat(replayAll()).isEqualTo(range(1, 50));
        assertThat(journal.stats().truncatedBytes()).isEqualTo(50 * frame);
        assertThat(journal.stats().damagedSegments()).isEqualTo(1);
    }

    @Test
    void aZeroFilledTail_asExt4LeavesAfterAPowerLoss_isTreatedAsTorn() throws IOException {
        open(JournalSettings.DEFAULTS);
        append(1, 5);
        journal.close();
        journal = null;
        Files.write(onlySegment(), new byte[4096], java.nio.file.StandardOpenOption.APPEND);

        open(JournalSettings.DEFAULTS);

        assertThat(replayAll()).isEqualTo(range(1, 5));
        assertThat(journal.stats().truncatedBytes()).isEqualTo(4096);
    }

    @Test
    void aDamagedOlderSegment_losesOnlyItsTail_laterSegmentsAreKept() throws IOException {
        open(SMALL);
        append(1, 10_000);
        journal.close();
        journal = null;
        List<Path> segs;
        try (Stream<Path> files = Files.list(dir)) {
            segs = files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
        assertThat(segs.size()).isGreaterThan(2);
        try (RandomAccessFile f = new RandomAccessFile(segs.get(0).toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }

        open(SMALL);
        List<Long> replayed = replayAll();

        assertThat(replayed).isSorted().doesNotHaveDuplicates();
        assertThat(replayed.get(replayed.size() - 1)).isEqualTo(10_000L);
        assertThat(replayed).contains(1L).doesNotContain(Segment.baseSeqOf(segs.get(1)).orElseThrow() - 1);
        assertThat(journal.stats().damagedSegments()).isEqualTo(1);
    }

    @Test
    void aSegmentWithoutItsHeader_isCountedAndReset_notACrash() throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(Segment.fileName(1)), "garbage, not a journal".getBytes());

        open(JournalSettings.DEFAULTS);
        append(1, 3);

        assertThat(replayAll()).isEqualTo(range(1, 3));
        assertThat(journal.stats().damagedSegments()).isEqualTo(1);
    }

    @Test
    void atTheSizeBound_theOldestWholeSegmentsAreEvicted_andTheUnsentRecordsCounted() {
        open(SMALL);
        long records = 20_000;
        append(1, records);

        JournalStats stats = journal.stats();
        assertThat(stats.bytes()).isLessThanOrEqualTo(SMALL.maxBytes());
        assertThat(stats.evictedRecords()).isPositive();
        assertThat(stats.evictedRecords() + stats.pendingRecords()).isEqualTo(records);
        assertThat(journal.unreportedEvictions()).isEqualTo(stats.evictedRecords());
        List<Long> replayed = replayAll();
        assertThat(replayed.get(0)).isEqualTo(stats.evictedRecords() + 1);
        assertThat(replayed).isEqualTo(range(stats.evictedRecords() + 1, records));
    }

    @Test
    void evictionCounts_surviveARestart_untilReported() {
        open(SMALL);
        append(1, 20_000);
        long evicted = journal.stats().evictedRecords();
        journal.close();
        journal = null;

        open(SMALL);
        assertThat(journal.unreportedEvictions()).isEqualTo(evicted);
        journal.evictionsReported(evicted);
        journal.close();
        journal = null;

        open(SMALL);
        assertThat(journal.unreportedEvictions()).isZero();
        assertThat(journal.stats().evictedRecords()).isEqualTo(evicted);
    }

    @Test
    void aBatchAcknowledgedAfterItsSegmentWasEvicted_doesNotMoveReplayBackwards() {
        open(SMALL);
        append(1, 100);
        JournalBatch inFlight = journal.readBatch(50);
        append(101, 20_000);

        journal.acknowledge(inFlight);

        List<Long> replayed = replayAll();
        assertThat(replayed.get(0)).isGreaterThan(100L);
        assertThat(replayed).isSorted().endsWith(20_000L);
    }

    @Test
    void sevenDaysAtOneRecordEveryTenSeconds_fitIn32MB() {
        open(JournalSettings.DEFAULTS);
        long records = 7 * 24 * 360;

        append(1, records);

        JournalStats stats = journal.stats();
        assertThat(records).isEqualTo(60_480);
        assertThat(stats.evictedRecords()).isZero();
        assertThat(stats.pendingRecords()).isEqualTo(records);
        assertThat(stats.bytes()).isLessThanOrEqualTo(32L * 1024 * 1024);
        System.out.printf("journal: %d typical records in %d bytes (%.1f bytes/record, framing included)%n",
                records, stats.bytes(), (double) stats.bytes() / records);
    }

    @Test
    void appendingAfterClose_isRefused() {
        open(JournalSettings.DEFAULTS);
        journal.close();

        assertThatThrownBy(() -> journal.append(Records.typical(1))).isInstanceOf(JournalException.class);
    }
}
