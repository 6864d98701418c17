package io.latchkey.provisioning;

/**
 * Root of everything the installer tool refuses or fails at. Every instance says what went wrong
 * ({@link #getMessage()}) and what the installer should do next ({@link #nextStep()}); the exit code
 * tells scripts which kind of failure it was.
 */
public class ProvisioningException extends RuntimeException {
    private final String nextStep;
    private final int exitCode;

    public ProvisioningException(String message, String nextStep, int exitCode) {
        super(message);
        this.nextStep = nextStep;
        this.exitCode = exitCode;
    }

    public ProvisioningException(String message, String nextStep, int exitCode, Throwable cause) {
        super(message, cause);
        this.nextStep = nextStep;
        this.exitCode = exitCode;
    }

    public String nextStep() {
        return nextStep;
    }

    public int exitCode() {
        return exitCode;
    }
}
