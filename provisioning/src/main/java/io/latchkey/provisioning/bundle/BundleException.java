package io.latchkey.provisioning.bundle;

import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;

/** The bundle directory cannot take a bundle, or writing it failed (and nothing was left behind). */
public class BundleException extends ProvisioningException {
    public BundleException(String message, String nextStep) {
        super(message, nextStep, ExitCodes.LOCAL_FILES);
    }

    public BundleException(String message, String nextStep, Throwable cause) {
        super(message, nextStep, ExitCodes.LOCAL_FILES, cause);
    }
}
