package io.latchkey.cloud.identity;

import java.util.Set;

/** The roles a token can carry. Every route names the ones it admits with {@code @Secured}. */
public final class Roles {
    public static final String BORROWER = "borrower";
    public static final String OWNER = "owner";
    public static final String OPERATOR = "operator";
    public static final String INSTALLER = "installer";
    public static final String TENANT_ADMIN = "tenant-admin";
    public static final String PLATFORM_ADMIN = "platform-admin";

    /** Roles a user of a tenant can hold (a tenant-admin may grant any of them). */
    public static final Set<String> TENANT_ROLES = Set.of(BORROWER, OWNER, OPERATOR, INSTALLER, TENANT_ADMIN);

    private Roles() {
    }
}
