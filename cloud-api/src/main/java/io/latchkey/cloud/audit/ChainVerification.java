package io.latchkey.cloud.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The result of {@link AuditLog#verify}: {@code OK} with the number of records checked, or
 * {@code BROKEN} with the zero-based index of the first record that does not fit the chain and why.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainVerification(String status, long records, @Nullable Long firstBrokenIndex, @Nullable String reason) {
    public static final String OK = "OK";
    public static final String BROKEN = "BROKEN";

    public static ChainVerification intact(long records) {
        return new ChainVerification(OK, records, null, null);
    }

    public static ChainVerification brokenAt(long records, long index, String reason) {
        return new ChainVerification(BROKEN, records, index, reason);
    }

    public boolean isIntact() {
        return OK.equals(status);
    }
}
