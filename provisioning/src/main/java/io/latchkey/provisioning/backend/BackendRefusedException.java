package io.latchkey.provisioning.backend;

import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;

/** The backend answered, and said no. {@link #status()} is the HTTP status. */
public class BackendRefusedException extends ProvisioningException {
    private final int status;

    public BackendRefusedException(int status, String message, String nextStep) {
        super(message, nextStep, ExitCodes.REFUSED);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
