package io.latchkey.cloud.datadir;

import io.latchkey.cloud.LatchkeyCloudException;
import io.latchkey.cloud.LatchkeyConfig;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the data directory from the moment its path is known: every part that writes there (file
 * store, secret store, outbox, revocations, the embedded broker's configuration and key stores) gets the
 * path from {@link LatchkeyConfig}, so locking when that bean is created comes before any of them. Then
 * it tightens what a wider umask or an older version left readable by others to 0700/0600. The lock is
 * held until the application context closes (or the process ends).
 */
@Singleton
public class DataDirectoryGuard implements BeanCreatedEventListener<LatchkeyConfig> {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryGuard.class);

    private DataDirectoryLock lock;

    @Override
    public synchronized LatchkeyConfig onCreated(BeanCreatedEvent<LatchkeyConfig> event) {
        LatchkeyConfig config = event.getBean();
        Path dir = config.dataDirPath();
        if (lock != null && lock.directory().equals(dir)) {
            return config;
        }
        DataDirectoryLock acquired = DataDirectoryLock.acquire(dir);
        try {
            int tightened = PrivateFiles.tighten(dir);
            if (tightened > 0) {
                LOG.warn("{} file(s) or directories under the data directory {} were readable by others: now 0600/0700",
                        tightened, dir);
            }
        } catch (IOException e) {
            acquired.close();
            throw new LatchkeyCloudException("cannot make the data directory " + dir + " private to the service user: "
                    + e.getMessage(), e);
        }
        if (lock != null) {
            lock.close();
        }
        lock = acquired;
        LOG.info("Data directory {} locked by this process", dir);
        return config;
    }

    /**
     * Releases the lock: when the context closes, or by whoever started a context whose start failed
     * (Micronaut destroys no bean of a context that never ran; a process that fails to start exits, which
     * releases it too).
     */
    @PreDestroy
    public synchronized void release() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }
}
