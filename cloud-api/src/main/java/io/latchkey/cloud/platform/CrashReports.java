package io.latchkey.cloud.platform;

import io.latchkey.cloud.store.StoreJson;
import io.latchkey.cloud.store.Stores;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults and crashes, recorded permanently in the platform store (stream {@code crash-reports}), as
 * the policy asks for platform-wide data. A report holds the route template (never the concrete path,
 * which can carry a reset token), the exception types and stack frames, and a fingerprint that groups
 * repeats; never exception messages, which may quote user input or PII.
 */
@Singleton
public class CrashReports {
    public static final String STREAM = "crash-reports";
    private static final int MAX_FRAMES = 20;
    private static final Logger LOG = LoggerFactory.getLogger(CrashReports.class);

    private final Stores stores;
    private final Clock clock;

    public CrashReports(Stores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    /** Records the fault and returns its fingerprint (to quote in the answer); never throws. */
    public String record(String method, String routeTemplate, Throwable fault) {
        List<String> frames = frames(fault);
        String fingerprint = fingerprint(fault, frames);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("time", clock.instant().toString());
        report.put("method", method);
        report.put("route", routeTemplate);
        report.put("exception", fault.getClass().getName());
        report.put("causes", causes(fault));
        report.put("frames", frames);
        report.put("fingerprint", fingerprint);
        try {
            stores.platform().append(STREAM, StoreJson.write(report));
        } catch (RuntimeException e) {
            LOG.error("could not record crash report {} in the platform store", fingerprint, e);
        }
        return fingerprint;
    }

    private static List<String> causes(Throwable fault) {
        List<String> causes = new ArrayList<>();
        for (Throwable c = fault.getCause(); c != null && causes.size() < 5; c = c.getCause()) {
            causes.add(c.getClass().getName());
        }
        return causes;
    }

    private static List<String> frames(Throwable fault) {
        List<String> frames = new ArrayList<>();
        for (StackTraceElement e : fault.getStackTrace()) {
            if (frames.size() == MAX_FRAMES) {
                break;
            }
            frames.add(e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber());
        }
        return frames;
    }

    private static String fingerprint(Throwable fault, List<String> frames) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(fault.getClass().getName().getBytes(StandardCharsets.UTF_8));
            frames.stream().limit(5).forEach(f -> sha.update(f.getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
