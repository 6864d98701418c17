package io.latchkey.cloud.account.reset;

import io.latchkey.cloud.identity.OpaqueTokens;
import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.account.AccountAudit;
import io.latchkey.cloud.account.AccountLocks;
import io.latchkey.cloud.account.AccountSecurity;
import io.latchkey.cloud.account.AccountsConfig;
import io.latchkey.cloud.http.PublicUrl;
import io.latchkey.cloud.identity.SecurityCounters;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.outbox.Outbox;
import io.latchkey.cloud.outbox.Message;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.Versioned;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;

/**
 * Password reset, harder than sign-in and adapted to how much PII the account holds (POLICY):
 * <ol>
 * <li>the link: {@link #start} mails a one-time random token (32 bytes; stored only as its SHA-256) to the
 *     account's e-mail; holding it proves the e-mail;</li>
 * <li>the questions: an account that holds more than e-mail and name must confirm every optional PII field
 *     it holds (phone, driver licence, date of birth) before a new password is taken; each wrong answer
 *     counts against the account (not the reset, so starting over does not help), and the
 *     {@value AccountLocks#MAX_FAILED_RESET_ANSWERS}th locks it for good;</li>
 * <li>the new password, checked like at registration; all sessions end.</li>
 * </ol>
 * The whole reset must finish within {@code latchkey.accounts.reset-window} of its start.
 */
@Singleton
public class PasswordResets {
    public static final String MESSAGE_KIND = "password-reset";

    private final Stores stores;
    private final UserDirectory users;
    private final AccountLocks locks;
    private final Outbox outbox;
    private final AccountAudit audit;
    private final SecurityCounters counters;
    private final PublicUrl publicUrl;
    private final AccountsConfig config;
    private final SecureRandom random;
    private final Clock clock;

    public PasswordResets(Stores stores, UserDirectory users, AccountLocks locks, Outbox outbox, AccountAudit audit,
                          SecurityCounters counters, PublicUrl publicUrl, AccountsConfig config, SecureRandom random,
                          Clock clock) {
        this.stores = stores;
        this.users = users;
        this.locks = locks;
        this.outbox = outbox;
        this.audit = audit;
        this.counters = counters;
        this.publicUrl = publicUrl;
        this.config = config;
        this.random = random;
        this.clock = clock;
    }

    /** Sends a reset link if the e-mail belongs to an account that may reset; says nothing either way. */
    public void start(String tenant, String email) {
        UserAccount user = users.findByEmail(tenant, email).orElse(null);
        if (user == null || locks.of(tenant, user.id()).permanentlyLocked()) {
            return;
        }
        Instant now = clock.instant();
        String token = OpaqueTokens.newToken(random);
        Instant expiresAt = now.plus(config.resetWindow());
        resets(tenant).create(OpaqueTokens.digest(token), new StoredReset(user.id(), now, expiresAt, List.of(), null));
        // the page of the browser reset (web.ResetPageController); API clients take the token from its last segment
        String link = publicUrl.tenantIssuer(tenant) + "/reset-password/" + token;
        outbox.send(tenant, new Message(user.id(), user.email(), MESSAGE_KIND, "Reset your Latchkey password",
                "Someone asked to reset the password of your account. If it was you, open " + link
                        + " before " + expiresAt + ". If it was not, ignore this message."));
        audit.record(tenant, AccountAudit.ANONYMOUS, "user.password-reset.start", AccountAudit.user(user.id()), "OK");
    }

    /** @throws ResetNotFoundException for an unknown, expired or used token */
    public ResetState state(String tenant, String token) {
        Versioned<StoredReset> reset = live(tenant, token);
        return stateOf(tenant, reset.value(), users.require(tenant, reset.value().userId()));
    }

    /**
     * Checks the answers to every open challenge at once, e.g. {@code {"phone": "+49 30 1234567",
     * "dateOfBirth": "1988-08-08"}}. The set is judged as a whole: all right, or one wrong answer counted,
     * with nothing in the answer, the stored reset or the work done that tells which field was wrong (every
     * field is compared, also after a mismatch).
     *
     * @throws InvalidRequestException for a field that is not asked, or when not every open challenge is answered
     * @throws WrongAnswerException    if any answer does not match (one failure, whatever the number of wrong fields)
     * @throws ResetLockedException    if this wrong set was one too many, or the account is locked for good
     * @throws ConflictException       while other sets for the account take the last attempts (parallel answers)
     */
    public ResetState answer(String tenant, String token, Map<String, String> answers) {
        Versioned<StoredReset> reset = live(tenant, token);
        UserAccount user = users.require(tenant, reset.value().userId());
        List<String> open = open(reset.value(), user);
        if (answers == null || !open.containsAll(answers.keySet())) {
            throw new InvalidRequestException("answer exactly these questions, together: " + open);
        }
        if (!answers.keySet().containsAll(open)) {
            throw new InvalidRequestException("answer all open questions together: " + open);
        }
        if (!locks.admitResetAnswer(tenant, user.id())) {
            if (locks.of(tenant, user.id()).permanentlyLocked()) {
                throw new ResetLockedException();
            }
            throw new ConflictException("other answers for this account are being checked; try again");
        }
        boolean allRight = true;
        for (String field : open) {
            allRight &= Challenges.matches(user, field, answers.get(field), clock);
        }
        if (!allRight) {
            failedAnswers(tenant, user);
        }
        locks.refundResetAnswer(tenant, user.id());
        StoredReset updated = reset.value().withAnswered(open);
        resets(tenant).replace(OpaqueTokens.digest(token), updated, reset.version());
        audit.record(tenant, AccountAudit.ANONYMOUS, "user.password-reset.answer", AccountAudit.user(user.id()), "CONFIRMED");
        return stateOf(tenant, updated, user);
    }

    /**
     * Sets the new password once every challenge is answered.
     *
     * @throws io.latchkey.cloud.ForbiddenException if challenges are still open
     * @throws InvalidRequestException              if the password breaks the policy
     */
    public void complete(String tenant, String token, String newPassword) {
        Versioned<StoredReset> reset = live(tenant, token);
        UserAccount user = users.require(tenant, reset.value().userId());
        if (!open(reset.value(), user).isEmpty()) {
            throw new io.latchkey.cloud.ForbiddenException("answer the open questions first: " + open(reset.value(), user));
        }
        users.changePassword(tenant, user.id(), newPassword);
        resets(tenant).replace(OpaqueTokens.digest(token), reset.value().completed(clock.instant()), reset.version());
        locks.passwordReset(tenant, user.id());
        audit.record(tenant, user.id(), "user.password-reset.complete", AccountAudit.user(user.id()), "OK");
    }

    private void failedAnswers(String tenant, UserAccount user) {
        int left = locks.confirmWrongResetAnswer(tenant, user.id());
        audit.record(tenant, AccountAudit.ANONYMOUS, "user.password-reset.answer", AccountAudit.user(user.id()),
                "REFUSED_WRONG_ANSWER");
        if (left == 0) {
            counters.lockout(tenant);
            audit.record(tenant, AccountAudit.SYSTEM_ACTOR, "user.lock", AccountAudit.user(user.id()),
                    "LOCKED_PERMANENTLY_FAILED_RESET");
            throw new ResetLockedException();
        }
        throw new WrongAnswerException(left);
    }

    /** The reset, if it is known, unexpired, unused, and its account still live and not locked for good. */
    private Versioned<StoredReset> live(String tenant, String token) {
        if (token == null || token.length() < 20 || token.length() > 100) {
            throw new ResetNotFoundException();
        }
        Versioned<StoredReset> reset = resets(tenant).find(OpaqueTokens.digest(token)).orElseThrow(ResetNotFoundException::new);
        StoredReset value = reset.value();
        if (value.completedAt() != null || !clock.instant().isBefore(value.expiresAt())) {
            throw new ResetNotFoundException();
        }
        UserAccount user = users.find(tenant, value.userId()).orElseThrow(ResetNotFoundException::new);
        AccountSecurity security = locks.of(tenant, user.id());
        if (user.terminated()) {
            throw new ResetNotFoundException();
        }
        if (security.permanentlyLocked()) {
            throw new ResetLockedException();
        }
        if (security.sessionsRevokedAt() != null && value.startedAt().isBefore(security.sessionsRevokedAt())) {
            throw new ResetNotFoundException();
        }
        return reset;
    }

    private ResetState stateOf(String tenant, StoredReset reset, UserAccount user) {
        List<String> open = open(reset, user);
        int left = Math.max(0, AccountLocks.MAX_FAILED_RESET_ANSWERS - locks.of(tenant, user.id()).failedResetAnswers());
        return new ResetState(reset.expiresAt(), open, open.isEmpty(), left);
    }

    /** Every held field until all were confirmed together (a reset stored with a partial set asks them all again). */
    private static List<String> open(StoredReset reset, UserAccount user) {
        List<String> held = user.heldExtraPii();
        return reset.answered().containsAll(held) ? List.of() : held;
    }

    private JsonCollection<StoredReset> resets(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "password-resets", StoredReset.class);
    }
}
