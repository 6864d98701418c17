package io.latchkey.agent.ota;

/** A download that stopped: {@link #deferred()} when today's budget is spent (it resumes later), else failed. */
public final class DownloadException extends Exception {
    private final boolean deferred;

    DownloadException(boolean deferred, String message, Throwable cause) {
        super(message, cause);
        this.deferred = deferred;
    }

    /** Today's byte budget is spent: try again tomorrow, from where it stopped. */
    public boolean deferred() {
        return deferred;
    }
}
