package io.latchkey.cloud.identity;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** A user as the API shows them to themselves (never the password hash). */
@Serdeable
public record UserView(String id, String email, String name, List<String> roles) {
    public static UserView of(UserAccount user) {
        return new UserView(user.id(), user.email(), user.name(), user.roles());
    }
}
