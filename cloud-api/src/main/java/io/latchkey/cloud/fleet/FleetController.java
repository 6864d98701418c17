package io.latchkey.cloud.fleet;

import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.booking.BookingService;
import io.latchkey.cloud.booking.CarAccess;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.http.QueryParams;
import io.latchkey.cloud.identity.AccessTokenAuthentication;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.netty.channel.Channel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.time.Instant;
import org.reactivestreams.Publisher;

/** The fleet at a glance ({@code GET /t/{tenant}/fleet}) and live ({@code GET /t/{tenant}/fleet/stream}). */
@Controller("/t/{tenant}/fleet")
@ExecuteOn(TaskExecutors.BLOCKING)
public class FleetController {
    private final FleetView view;
    private final FleetStreams streams;
    private final CarRegistry cars;
    private final CarAccess access;
    private final BookingService bookingService;
    private final Clock clock;

    public FleetController(FleetView view, FleetStreams streams, CarRegistry cars, CarAccess access,
                           BookingService bookingService, Clock clock) {
        this.view = view;
        this.streams = streams;
        this.cars = cars;
        this.access = access;
        this.bookingService = bookingService;
        this.clock = clock;
    }

    @Operation(summary = "Every car with its latest state, active booking and open alerts; filtered and paginated")
    @ApiResponse(responseCode = "200", description = "one page of the fleet, sorted by car id", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "a malformed filter, page or size",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not an operator or tenant-admin of the tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public FleetView.FleetPage fleet(@PathVariable String tenant,
                                     @Nullable @QueryValue @Parameter(description = "true or false", schema = @Schema(type = "boolean")) String online,
                                     @Nullable @QueryValue String lock,
                                     @Nullable @QueryValue @Parameter(description = "true or false", schema = @Schema(type = "boolean")) String bookedNow,
                                     @Nullable @QueryValue @Parameter(description = "true or false", schema = @Schema(type = "boolean")) String alerts,
                                     @Nullable @QueryValue String carId, @Nullable @QueryValue String near,
                                     @Nullable @QueryValue Double radiusM,
                                     @Nullable @QueryValue @Parameter(description = "part of the name or plate") String q,
                                     @Nullable @QueryValue @Parameter(description = "true: fuel or charge below 20 % or the 12 V battery below 11.8 V; "
                                             + "false: none of these", schema = @Schema(type = "boolean")) String low,
                                     @QueryValue(defaultValue = "0") int page, @QueryValue(defaultValue = "100") int size) {
        return view.page(tenant, new FleetView.Filter(QueryParams.flag("online", online), lock, QueryParams.flag("bookedNow", bookedNow),
                QueryParams.flag("alerts", alerts), carId, near, radiusM, q, QueryParams.flag("low", low), page, size));
    }

    @Operation(summary = "Server-Sent Events of the cars' state changes, positions and events (operators: every car; "
            + "a borrower: the car a booking of theirs covers now)")
    @ApiResponse(responseCode = "200", description = "text/event-stream: events state, position, event and reset", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "a borrower with no booking covering now (or not for carId)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "carId names no car of the tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
    @Secured({Roles.BORROWER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public Publisher<Event<String>> stream(@PathVariable String tenant, @Nullable @QueryValue String carId,
                                           @Nullable @Header("Last-Event-ID") String lastEventId, Authentication authentication,
                                           HttpRequest<?> request) {
        Caller caller = Caller.of(authentication);
        if (carId != null) {
            cars.require(tenant, carId);
            access.require(tenant, carId, caller);
        } else if (!caller.actsForTenant() && bookingService.ofUser(tenant, caller.userId()).stream()
                .noneMatch(b -> b.givesAccessAt(clock.instant()) && access.allows(tenant, b.carId(), caller))) {
            throw new ForbiddenException("no booking of yours covers now");
        }
        Object expires = authentication.getAttributes().get(AccessTokenAuthentication.EXPIRES_ATTRIBUTE);
        return streams.open(tenant, caller, carId, lastEventId, expires instanceof Instant i ? i : null, transport(request));
    }

    private static FleetStreams.Transport transport(HttpRequest<?> request) {
        if (!(request instanceof NettyHttpRequest<?> netty)) {
            return FleetStreams.Transport.NONE;
        }
        Channel channel = netty.getChannelHandlerContext().channel();
        return new FleetStreams.Transport() {
            @Override
            public boolean writable() {
                return channel.isWritable();
            }

            @Override
            public void close() {
                channel.close();
            }
        };
    }
}
