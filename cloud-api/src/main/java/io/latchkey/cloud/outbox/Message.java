package io.latchkey.cloud.outbox;

import java.util.regex.Pattern;

/**
 * What a feature hands to the {@link Outbox}: one message to one user. Booking confirmations, rental
 * receipts, operator alerts and password-reset links are all this; the outbox gives it an id and a time,
 * keeps it and delivers it.
 *
 * @param userId  whose it is, so that termination can erase it
 * @param to      the user's e-mail address (PII: never logged)
 * @param kind    what it is for, lower-case words with hyphens, e.g. {@code password-reset}
 * @param subject one line of plain text
 * @param body    plain text (PII, may hold secrets such as a reset link: never logged)
 */
public record Message(String userId, String to, String kind, String subject, String body) {
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public Message {
        require(userId, "userId");
        require(to, "to");
        require(subject, "subject");
        require(body, "body");
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("a message kind is lower-case words with hyphens, got '" + kind + "'");
        }
        if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0 || to.indexOf('\r') >= 0 || to.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a message's subject and address are one line each");
        }
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a message needs a " + name);
        }
    }

    @Override
    public String toString() {
        return "Message[kind=" + kind + ", user=" + userId + "]";
    }
}
