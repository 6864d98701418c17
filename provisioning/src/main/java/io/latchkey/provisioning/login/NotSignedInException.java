package io.latchkey.provisioning.login;

import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;

/** No usable installer sign-in: none stored, expired, or for another tenant. */
public class NotSignedInException extends ProvisioningException {
    public NotSignedInException(String message, String nextStep) {
        super(message, nextStep, ExitCodes.NOT_SIGNED_IN);
    }
}
