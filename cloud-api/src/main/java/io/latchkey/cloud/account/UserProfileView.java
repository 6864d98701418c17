package io.latchkey.cloud.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A user as one caller may see them; fields the caller may not see are absent. Which ones are shown is
 * decided by {@link ProfileVisibility}.
 *
 * @param displayName first name and the initial of the last ({@code "Bob S."}); what anyone may see
 * @param status      {@code ACTIVE}, {@code LOCKED} (temporarily), {@code LOCKED_PERMANENTLY}, {@code TERMINATED}
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserProfileView(String id, String displayName, String name, String email, String phone,
                              String driverLicence, String dateOfBirth, List<String> roles, String status) {
}
