package io.latchkey.provisioning;

/** Exit codes of {@code latchkey provision}, stable for scripts. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A self-test check failed. */
    public static final int CHECK_FAILED = 1;
    /** Bad command line (picocli's own code). */
    public static final int USAGE = 2;
    /** Not signed in, signed in to another tenant, or the sign-in expired. */
    public static final int NOT_SIGNED_IN = 3;
    /** The backend answered and refused. */
    public static final int REFUSED = 4;
    /** The backend could not be reached or answered nonsense. */
    public static final int UNREACHABLE = 5;
    /** The bundle directory or a local file cannot be used. */
    public static final int LOCAL_FILES = 6;

    private ExitCodes() {
    }
}
