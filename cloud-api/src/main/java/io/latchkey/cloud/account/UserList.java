package io.latchkey.cloud.account;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The tenant's users as an operator's list: one page of {@link Entry}, filtered by role, state and a search.
 *
 * <p>What a row shows: id, display name ({@code "Bea B."}), roles and state, and nothing else. POLICY.md: "a request
 * for another user's profile returns no unnecessary PII". Finding and picking an account needs no e-mail and no full
 * name; the one account's page ({@code GET /users/{userId}}) shows an operator what {@link ProfileVisibility} lets
 * them see (name, e-mail, state). A list of every e-mail of the tenant would be a bulk copy of PII that no task of
 * the console needs.
 *
 * <p>The search {@code q} matches an id prefix, a part of the name (case-insensitive) or the whole e-mail address
 * (the way a person at the help desk gives it); it never shows the e-mail, so it reveals no more than the profile
 * page would. Each listed account's state costs one store read; fine at the sizes one tenant has.
 */
@Singleton
public class UserList {
    public static final int MAX_SIZE = 200;
    public static final Set<String> STATES = Set.of("ACTIVE", "LOCKED", "LOCKED_PERMANENTLY", "TERMINATED");

    /** One row of the list. */
    @Serdeable
    public record Entry(String id, String displayName, List<String> roles, String status) {
    }

    /** A page of rows; {@code total} counts the matches over all pages. */
    @Serdeable
    public record Page(List<Entry> items, int page, int size, int total) {
    }

    private final UserDirectory users;
    private final ProfileVisibility visibility;

    public UserList(UserDirectory users, ProfileVisibility visibility) {
        this.users = users;
        this.visibility = visibility;
    }

    /**
     * @throws InvalidRequestException for a role that is not a tenant role, an unknown state, a page below 0 or a
     *                                 size outside 1..{@value #MAX_SIZE}
     */
    public Page page(String tenant, @Nullable String role, @Nullable String state, @Nullable String q, int page, int size) {
        if (role != null && !Roles.TENANT_ROLES.contains(role)) {
            throw new InvalidRequestException("role must be one of " + new java.util.TreeSet<>(Roles.TENANT_ROLES));
        }
        if (state != null && !STATES.contains(state)) {
            throw new InvalidRequestException("state must be one of " + new java.util.TreeSet<>(STATES));
        }
        if (page < 0 || size < 1 || size > MAX_SIZE) {
            throw new InvalidRequestException("page must be 0 or more and size 1.." + MAX_SIZE);
        }
        String search = q == null || q.isBlank() ? null : q.strip().toLowerCase(Locale.ROOT);
        Optional<String> byEmail = search == null ? Optional.empty()
                : users.findByEmail(tenant, search).map(UserAccount::id);
        List<Entry> matches = new ArrayList<>();
        for (UserAccount user : users.all(tenant)) {
            if (role != null && !user.roles().contains(role)) {
                continue;
            }
            if (search != null && !user.id().startsWith(search) && !byEmail.filter(user.id()::equals).isPresent()
                    && !user.name().toLowerCase(Locale.ROOT).contains(search)) {
                continue;
            }
            String status = visibility.status(tenant, user);
            if (state != null && !state.equals(status)) {
                continue;
            }
            matches.add(new Entry(user.id(), ProfileVisibility.displayName(user.name()), user.roles(), status));
        }
        matches.sort(Comparator.comparing((Entry e) -> e.displayName().toLowerCase(Locale.ROOT)).thenComparing(Entry::id));
        int from = (int) Math.min((long) page * size, matches.size());
        int to = Math.min(from + size, matches.size());
        return new Page(List.copyOf(matches.subList(from, to)), page, size, matches.size());
    }
}
