package io.latchkey.agent.status;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each change of state; the indicator when the device has no LED. */
public final class LogStatusIndicator implements StatusIndicator {
    private static final Logger LOG = LoggerFactory.getLogger(LogStatusIndicator.class);
    private AgentState current;

    @Override
    public synchronized void show(AgentState state) {
        if (state != current) {
            LOG.info("status: {}{}", state, current == null ? "" : " (was " + current + ")");
            current = state;
        }
    }

    public synchronized AgentState current() {
        return current;
    }
}
