package io.latchkey.cloud.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Looks at the bytes a running backend left in its data directory. */
public final class DataDir {
    private DataDir() {
    }

    /** Every regular file under {@code root}, relative path → hash of its bytes. */
    public static Map<String, Integer> snapshot(Path root) {
        Map<String, Integer> files = new TreeMap<>();
        for (Path p : files(root)) {
            files.put(root.relativize(p).toString(), Arrays.hashCode(read(p)));
        }
        return files;
    }

    /** The files under {@code root} whose bytes contain {@code text} (UTF-8), as relative paths. */
    public static List<String> filesContaining(Path root, String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<String> hits = new ArrayList<>();
        for (Path p : files(root)) {
            if (indexOf(read(p), needle) >= 0) {
                hits.add(root.relativize(p).toString());
            }
        }
        return hits;
    }

    private static List<Path> files(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
