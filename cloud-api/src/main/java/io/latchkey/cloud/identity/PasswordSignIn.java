package io.latchkey.cloud.identity;

import java.util.Optional;

/**
 * A tenant user's sign-in with e-mail and password, as the token endpoint asks for it. Implemented by
 * the account layer, which counts failures, locks accounts and audits refusals.
 */
public interface PasswordSignIn {
    /** The user, if the password is right and the account may sign in now; empty otherwise (never why). */
    Optional<UserAccount> withPassword(String tenant, String email, String password);
}
