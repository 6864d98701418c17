package io.latchkey.simulator.api;

/** The backend answered with an error status; carries the status and the problem's detail. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String body;

    public ApiException(String request, int status, String body) {
        super(request + " -> " + status + (body == null || body.isBlank() ? "" : ": " + body));
        this.status = status;
        this.body = body;
    }

    public ApiException(String request, Throwable cause) {
        super(request + " failed: " + cause.getMessage(), cause);
        this.status = -1;
        this.body = null;
    }

    /** The HTTP status, or -1 when there was no answer at all. */
    public int status() {
        return status;
    }

    public String body() {
        return body;
    }
}
