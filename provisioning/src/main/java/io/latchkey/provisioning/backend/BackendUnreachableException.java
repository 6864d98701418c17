package io.latchkey.provisioning.backend;

import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;

/** The backend could not be reached, or answered something that is not the API. */
public class BackendUnreachableException extends ProvisioningException {
    public BackendUnreachableException(String message, String nextStep, Throwable cause) {
        super(message, nextStep, ExitCodes.UNREACHABLE, cause);
    }
}
