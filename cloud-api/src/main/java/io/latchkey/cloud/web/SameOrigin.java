package io.latchkey.cloud.web;

import io.latchkey.cloud.http.PublicUrl;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.net.URI;

/**
 * Whether a state-changing browser request comes from the backend's own pages: its {@code Origin} header, when the
 * browser sends one (every current browser does on POST), must be the origin of {@code latchkey.public-url} (or the
 * server's own URL). A missing Origin passes; the CSRF token is checked as well.
 */
@Singleton
public class SameOrigin {
    private final PublicUrl publicUrl;

    public SameOrigin(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    public boolean admits(HttpRequest<?> request) {
        String origin = request.getHeaders().get("Origin");
        return origin == null || origin.equals(origin());
    }

    public String origin() {
        URI base = URI.create(publicUrl.base());
        return base.getScheme() + "://" + base.getAuthority();
    }
}
