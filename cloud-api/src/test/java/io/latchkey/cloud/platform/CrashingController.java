package io.latchkey.cloud.platform;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/** A route with a bug, present only in {@link PlatformRecordsIT}'s backend. */
@Requires(property = "test.crash-route", value = "true")
@Controller("/test-crash")
@Secured(SecurityRule.IS_ANONYMOUS)
class CrashingController {
    @Get("/{token}")
    String crash(@PathVariable String token) {
        throw new IllegalStateException("bug while handling token " + token);
    }
}
