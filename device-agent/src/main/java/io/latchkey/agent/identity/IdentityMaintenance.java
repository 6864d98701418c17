package io.latchkey.agent.identity;

import io.latchkey.protocol.Channel;
import io.latchkey.protocol.ProtocolException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one seam for identities that renew themselves (docs/device-identity.md): certificate renewal (when the
 * device has a certificate) and signed key sets. Messages on {@code cert} and {@code keys} and every connection come
 * here; work runs on the agent's scheduler, never on the MQTT I/O thread. A new key set, like a renewed certificate,
 * restarts the agent ({@code restart}), which reads both at start.
 */
public final class IdentityMaintenance {
    static final Duration CHECK_EVERY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(IdentityMaintenance.class);

    private final String deviceId;
    private final CertificateRenewal renewal;
    private final KeySets keySets;
    private final Runnable restart;

    public IdentityMaintenance(String deviceId, CertificateRenewal renewal, KeySets keySets, Runnable restart) {
        this.deviceId = deviceId;
        this.renewal = renewal;
        this.keySets = keySets;
        this.restart = restart;
    }

    public KeySets keySets() {
        return keySets;
    }

    /** Checks the certificate's age now (a few seconds after start) and every hour. */
    public ScheduledFuture<?> start(ScheduledExecutorService scheduler) {
        return scheduler.scheduleWithFixedDelay(this::check, 5, CHECK_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    public void check() {
        if (renewal != null) {
            try {
                renewal.check();
            } catch (RuntimeException e) {
                LOG.warn("{}: certificate renewal check failed: {}", deviceId, e.toString());
            }
        }
    }

    public void connected() {
        if (renewal != null) {
            renewal.connected();
        }
        check();
    }

    public void message(Channel channel, byte[] payload) {
        try {
            if (channel == Channel.CERT && renewal != null) {
                renewal.answer(payload);
            } else if (channel == Channel.KEYS) {
                java.util.Map<String, java.security.PublicKey> before = keySets.current().commandAndIssuingKeys();
                if (keySets.offer(payload)) {
                    if (before.equals(keySets.current().commandAndIssuingKeys())) {
                        // e.g. the first set after provisioning, or new update keys only (read from keySets when used)
                        LOG.info("{}: key set {} taken; the command keys are unchanged", deviceId, keySets.current().serial());
                    } else {
                        LOG.info("{}: key set {} taken; restarting to verify with its keys", deviceId, keySets.current().serial());
                        restart.run();
                    }
                }
            }
        } catch (ProtocolException | java.io.UncheckedIOException e) {
            LOG.warn("{}: {} message refused: {}", deviceId, channel.segment(), e.getMessage());
        }
    }
}
