package io.latchkey.simulator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Counts telemetry records in one tenant's container in its own storage account (on an Azurite process the bench
 * started, or an account from outside, {@link StorageAccount}) — JSON lines in the append blobs
 * {@code streams/telemetry-{deviceId}/{segment}.jsonl} — through the Blob REST API (Shared Key), reading only
 * what each blob grew by since the last look, like {@link StoreCounter} does with files.
 *
 * <p>During a measured phase the bench takes {@link #mark() marks} instead: one listing request each, which records
 * every blob's length at that moment (an append blob's length is its committed blocks, and each block holds whole
 * lines, so a length is always at a line boundary). After the phase {@link #countsAt} reads each blob once, up to its
 * last marked length, and counts the line breaks below each marked length: the count at every mark is exact, as if
 * the blobs had been read then, at 1 request per sample on the Azurite it measures instead of 1 + one per grown blob
 * (some 400 requests/s at 200 devices and 2 samples/s: about half of what Azurite served in the runs before).
 */
final class AzuriteCounter implements RecordCounter {
    static final String CONTAINER = "latchkey";
    private static final String VERSION = "2021-08-06";
    private static final Pattern BLOB = Pattern.compile(
            "<Blob>.*?<Name>([^<]+)</Name>.*?<Content-Length>(\\d+)</Content-Length>.*?</Blob>", Pattern.DOTALL);
    private static final Pattern NEXT = Pattern.compile("<NextMarker>([^<]+)</NextMarker>");
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

    private final StorageAccount account;
    private final byte[] key;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(java.time.Duration.ofSeconds(60)).build();
    /** Per blob: how far it was read, and the line breaks up to there. */
    private final Map<String, Long> offsets = new HashMap<>();
    private final Map<String, Long> counted = new HashMap<>();
    /** Blob lengths at each mark; null where the listing failed. */
    private final List<Map<String, Long>> marks = new ArrayList<>();
    private long lines;

    /** The telemetry of the tenant whose storage account this is. */
    AzuriteCounter(StorageAccount account) {
        this.account = account;
        this.key = Base64.getDecoder().decode(account.key());
    }

    /** The account's blob endpoint (on Azurite: the process's, then the account's name). */
    String where() {
        return account.blobEndpoint();
    }

    /**
     * Whether {@code container} of the account holds no blob (or does not exist): an account from outside must not hold
     * an earlier run's data, which the audit would count and the bench's tenants would collide with.
     */
    boolean isEmpty(String container) throws IOException {
        Map<String, String> query = new TreeMap<>();
        query.put("comp", "list");
        query.put("restype", "container");
        query.put("maxresults", "1");
        byte[] xml = call("/" + container, query, null, true);
        return xml == null || !BLOB.matcher(new String(xml, StandardCharsets.UTF_8)).find();
    }

    @Override
    public synchronized long count() {
        try {
            for (Map.Entry<String, Long> blob : list("streams/telemetry-").entrySet()) {
                long from = offsets.getOrDefault(blob.getKey(), 0L);
                if (blob.getValue() > from) {
                    byte[] bytes = get(blob.getKey(), from, -1);
                    long n = newlines(bytes, 0, bytes.length);
                    lines += n;
                    counted.merge(blob.getKey(), n, Long::sum);
                    offsets.put(blob.getKey(), from + bytes.length);
                }
            }
        } catch (IOException e) {
            // Azurite busy: counted at the next look
        }
        return lines;
    }

    /** One listing: every telemetry blob's length now. */
    @Override
    public synchronized long mark() {
        Map<String, Long> lengths;
        try {
            lengths = list("streams/telemetry-");
        } catch (IOException e) {
            lengths = null;
        }
        marks.add(lengths);
        return marks.size() - 1;
    }

    @Override
    public synchronized long[] countsAt(long[] at) {
        // per blob, every length a mark asks about, read once from where count() (or a call before) left it
        Map<String, java.util.TreeSet<Long>> wanted = new TreeMap<>();
        for (long m : at) {
            Map<String, Long> lengths = marks.get((int) m);
            if (lengths != null) {
                lengths.forEach((blob, length) -> wanted.computeIfAbsent(blob, b -> new java.util.TreeSet<>()).add(length));
            }
        }
        Map<String, Map<Long, Long>> linesAt = new HashMap<>();
        try {
            for (Map.Entry<String, java.util.TreeSet<Long>> w : wanted.entrySet()) {
                String blob = w.getKey();
                long from = offsets.getOrDefault(blob, 0L);
                long base = counted.getOrDefault(blob, 0L);
                if (w.getValue().first() < from) {
                    from = 0; // a mark older than what count() read: count this blob from its start
                    base = 0;
                }
                long to = w.getValue().last();
                byte[] bytes = to > from ? get(blob, from, to) : new byte[0];
                if (bytes.length != to - from) {
                    throw new IOException("blob " + blob + " gave " + bytes.length + " bytes for " + from + "-" + to);
                }
                Map<Long, Long> byLength = new HashMap<>();
                long n = base;
                long pos = from;
                for (long length : w.getValue()) {
                    if (length >= from) {
                        n += newlines(bytes, (int) (pos - from), (int) (length - from));
                        pos = length;
                        byLength.put(length, n);
                    }
                }
                linesAt.put(blob, byLength);
                // what count() continues from
                lines += n - counted.getOrDefault(blob, 0L);
                counted.put(blob, n);
                offsets.put(blob, to);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Azurite's blobs to count the marks", e);
        }
        long[] counts = new long[at.length];
        for (int i = 0; i < at.length; i++) {
            Map<String, Long> lengths = marks.get((int) at[i]);
            if (lengths == null) {
                counts[i] = -1;
                continue;
            }
            long sum = 0;
            for (Map.Entry<String, Long> blob : lengths.entrySet()) {
                sum += linesAt.get(blob.getKey()).get(blob.getValue());
            }
            counts[i] = sum;
        }
        return counts;
    }

    private static long newlines(byte[] bytes, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    @Override
    public List<Long> seqs(String deviceId) throws IOException {
        List<Long> seqs = new ArrayList<>();
        for (String blob : list("streams/telemetry-" + deviceId + "/").keySet()) {
            for (String line : new String(get(blob, 0, -1), StandardCharsets.UTF_8).split("\n")) {
                Matcher m = SEQ.matcher(line);
                if (m.find()) {
                    seqs.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return seqs;
    }

    /** Blob name to length, in name order (segments of a stream in order). */
    private Map<String, Long> list(String prefix) throws IOException {
        Map<String, Long> blobs = new TreeMap<>();
        String marker = null;
        do {
            Map<String, String> query = new TreeMap<>();
            query.put("comp", "list");
            query.put("restype", "container");
            query.put("prefix", prefix);
            query.put("maxresults", "5000");
            if (marker != null) {
                query.put("marker", marker);
            }
            String xml = new String(call("/" + CONTAINER, query, null, false), StandardCharsets.UTF_8);
            Matcher m = BLOB.matcher(xml);
            while (m.find()) {
                blobs.put(m.group(1), Long.parseLong(m.group(2)));
            }
            Matcher next = NEXT.matcher(xml);
            marker = next.find() ? next.group(1) : null;
        } while (marker != null);
        return blobs;
    }

    /** Bytes {@code from} up to {@code to} (exclusive), or to the end if {@code to} is -1. */
    private byte[] get(String blob, long from, long to) throws IOException {
        String range = to >= 0 ? "bytes=" + from + "-" + (to - 1) : from > 0 ? "bytes=" + from + "-" : null;
        return call("/" + CONTAINER + "/" + blob, Map.of(), range, false);
    }

    /** A signed GET; with {@code absentIsNull} a 404 gives null. */
    private byte[] call(String path, Map<String, String> query, String range, boolean absentIsNull) throws IOException {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        TreeMap<String, String> headers = new TreeMap<>();
        headers.put("x-ms-date", date);
        headers.put("x-ms-version", VERSION);
        if (range != null) {
            headers.put("x-ms-range", range);
        }
        StringBuilder sign = new StringBuilder("GET\n\n\n\n\n\n\n\n\n\n\n\n");
        headers.forEach((k, v) -> sign.append(k).append(':').append(v).append('\n'));
        // Path-style (Azurite): the account is the URL's first segment and is named again in front of it.
        sign.append(account.canonicalResource(path));
        new TreeMap<>(query).forEach((k, v) -> sign.append('\n').append(k).append(':').append(v));
        StringBuilder url = new StringBuilder(account.blobEndpoint()).append(encodePath(path));
        String sep = "?";
        for (Map.Entry<String, String> q : query.entrySet()) {
            url.append(sep).append(q.getKey()).append('=').append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
            sep = "&";
        }
        Request.Builder request = new Request.Builder().url(url.toString())
                .header("Authorization", "SharedKey " + account.name() + ":" + hmac(sign.toString()));
        headers.forEach(request::header);
        try (Response r = http.newCall(request.build()).execute()) {
            if (r.code() == 416) {
                return new byte[0];
            }
            if (r.code() == 404 && absentIsNull) {
                return null;
            }
            if (!r.isSuccessful()) {
                throw new IOException("the store (" + account + ") answered " + r.code() + " for " + path + ": "
                        + (r.body() == null ? "" : r.body().string()));
            }
            return r.body() == null ? new byte[0] : r.body().bytes();
        }
    }

    private static String encodePath(String path) {
        StringBuilder b = new StringBuilder();
        for (String part : path.split("/", -1)) {
            if (b.length() > 0 || path.startsWith("/")) {
                b.append('/');
            }
            b.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString().replaceFirst("^//", "/");
    }

    private String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
