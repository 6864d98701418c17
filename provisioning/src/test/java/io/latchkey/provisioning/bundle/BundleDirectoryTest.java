package io.latchkey.provisioning.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleDirectoryTest {
    @TempDir
    Path card;

    @Test
    void aWriteThatFailsHalfway_leavesNoBundleAndNoTemporaryFiles() throws Exception {
        BundleDirectory target = new BundleDirectory(card, false);
        target.checkUsable();
        List<BundleFile> files = List.of(
                BundleFile.text("device.key", "secret", true),
                BundleFile.text("device.crt", "cert", false),
                BundleFile.text("no-such-dir/agent.properties", "x", false));

        assertThatThrownBy(() -> target.write(files))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("nothing was written");

        try (Stream<Path> left = Files.list(card)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aPathThatIsAFile_isNotABundleDirectory() throws Exception {
        Path file = Files.writeString(card.resolve("boot.img"), "x");

        assertThatThrownBy(() -> new BundleDirectory(file, false).checkUsable()).isInstanceOf(BundleException.class)
                .hasMessageContaining("not a directory");
    }
}
