package io.latchkey.cloud;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;

/**
 * Starts the backend: HTTP on 127.0.0.1:8080, an embedded MQTT broker on 127.0.0.1:1883 and a file
 * store under {@code ./data}, unless configuration says otherwise.
 */
@OpenAPIDefinition(info = @Info(title = "Latchkey API", version = "0.1",
        description = "Multi-tenant keyless car sharing: tenants, users, OAuth2, cars, bookings, commands, telemetry",
        license = @License(name = "Apache-2.0")))
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
