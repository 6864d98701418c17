package io.latchkey.cloud.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * A borrower's booking of a car for {@code [start, end)}, and where it stands in the rental life cycle.
 *
 * <p>Only a {@link State#CONFIRMED CONFIRMED} or {@link State#ACTIVE ACTIVE} booking holds the car: blocks it for
 * others, counts against the borrower's limit, and lets the borrower use the car ({@link CarAccess}). Bookings stored
 * before states existed have none and read as {@code CONFIRMED}, {@code SCHEDULED}.
 *
 * @param end         the booked end (an extension moves it; ending or cancelling early does not, see {@code endedAt})
 * @param state       where the booking stands
 * @param kind        {@code SCHEDULED} (booked for a window) or {@code IMMEDIATE} (a car reserved now)
 * @param holdUntil   an immediate reservation lapses ({@code NO_SHOW}) unless the rental starts at the car before this
 * @param startedAt   the first successful unlock of the borrower in the window ({@code ACTIVE} from then on)
 * @param endedAt     when the rental ended ({@code ENDED}, or an {@code ACTIVE} booking cancelled by an operator)
 * @param cancelledAt when it was cancelled
 * @param cancelledBy who cancelled it: a user id, or {@code system}
 * @param lapsedAt    when the sweep found it not started in time ({@code NO_SHOW})
 * @param overdue     {@code ACTIVE} past its end with the car still out (set by {@link BookingService#markOverdue});
 *                    false when absent
 * @param coDrivers   user ids the borrower named as co-drivers (each may ask for an offline key of their own,
 *                    docs/offline-keys.md §5); empty when absent
 */
@Serdeable
public record Booking(String id, String carId, String userId, Instant start, Instant end, Instant createdAt,
                      @Nullable State state, @Nullable Kind kind, @Nullable Instant holdUntil, @Nullable Instant startedAt,
                      @Nullable Instant endedAt, @Nullable Instant cancelledAt, @Nullable String cancelledBy,
                      @Nullable Instant lapsedAt, @Nullable Boolean overdue, @Nullable List<String> coDrivers) {

    /** The life cycle: CONFIRMED -> ACTIVE -> ENDED; CONFIRMED -> CANCELLED or NO_SHOW; ACTIVE -> CANCELLED (operator). */
    public enum State {
        CONFIRMED, ACTIVE, ENDED, CANCELLED, NO_SHOW;

        /** Whether a booking in this state holds its car. */
        public boolean open() {
            return this == CONFIRMED || this == ACTIVE;
        }
    }

    public enum Kind {
        SCHEDULED, IMMEDIATE
    }

    public Booking {
        state = state == null ? State.CONFIRMED : state;
        kind = kind == null ? Kind.SCHEDULED : kind;
        overdue = Boolean.TRUE.equals(overdue);
        coDrivers = coDrivers == null ? List.of() : List.copyOf(coDrivers);
    }

    /** Whether {@code userId} is named on the booking as a co-driver (who may ask for an offline key of their own). */
    public boolean hasCoDriver(String userId) {
        return coDrivers.contains(userId);
    }

    Booking withCoDrivers(List<String> userIds) {
        return new Booking(id, carId, userId, start, end, createdAt, state, kind, holdUntil, startedAt, endedAt, cancelledAt,
                cancelledBy, lapsedAt, overdue, userIds);
    }

    static Booking confirmed(String id, String carId, String userId, Instant start, Instant end, Instant createdAt, Kind kind,
                             Instant holdUntil) {
        return new Booking(id, carId, userId, start, end, createdAt, State.CONFIRMED, kind, holdUntil, null, null, null, null,
                null, false, List.of());
    }

    public boolean covers(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    public boolean overlaps(Instant otherStart, Instant otherEnd) {
        return otherStart.isBefore(end) && start.isBefore(otherEnd);
    }

    /**
     * Whether it holds the car for part of {@code [from, to)} as seen at {@code now}: an open booking over its window
     * (not one that can no longer start, which the next sweep marks {@code NO_SHOW}); an
     * {@code ACTIVE} one marked {@link #overdue} also from its end until now, since the borrower still has the car.
     */
    boolean blocks(Instant from, Instant to, Instant now) {
        if (!state.open() || lapsedAt(now)) {
            return false;
        }
        Instant until = stillHeldAfterEnd(now) ? now.plusNanos(1) : end;
        return from.isBefore(until) && start.isBefore(to);
    }

    /**
     * Whether it lets its borrower use the car at {@code now}: open and covering now (a {@code CONFIRMED} immediate
     * reservation only until its hold ends), or {@code ACTIVE} and marked {@link #overdue} (the borrower must still be
     * able to lock the car they have).
     */
    public boolean givesAccessAt(Instant now) {
        return state.open() && covers(now) && !(state == State.CONFIRMED && holdLapsedAt(now)) || stillHeldAfterEnd(now);
    }

    /**
     * An active rental past its end that was marked overdue (the car was still driving). One that was not marked holds
     * nothing after its end, as before states existed, so that a rental nobody ended does not hold the car for ever.
     */
    private boolean stillHeldAfterEnd(Instant now) {
        return state == State.ACTIVE && overdue && !now.isBefore(end);
    }

    /** A {@code CONFIRMED} booking that can no longer start: its hold (immediate) or its window (scheduled) is over. */
    boolean lapsedAt(Instant now) {
        return state == State.CONFIRMED && (holdLapsedAt(now) || !now.isBefore(end));
    }

    private boolean holdLapsedAt(Instant now) {
        return kind == Kind.IMMEDIATE && holdUntil != null && !now.isBefore(holdUntil);
    }

    Booking activated(Instant at) {
        return new Booking(id, carId, userId, start, end, createdAt, State.ACTIVE, kind, holdUntil, at, null, null, null, null,
                false, coDrivers);
    }

    Booking ended(Instant at) {
        return new Booking(id, carId, userId, start, end, createdAt, State.ENDED, kind, holdUntil, startedAt, at, null, null,
                null, overdue, coDrivers);
    }

    Booking cancelled(Instant at, String by) {
        return new Booking(id, carId, userId, start, end, createdAt, State.CANCELLED, kind, holdUntil, startedAt,
                state == State.ACTIVE ? at : null, at, by, null, overdue, coDrivers);
    }

    Booking lapsed(Instant at) {
        return new Booking(id, carId, userId, start, end, createdAt, State.NO_SHOW, kind, holdUntil, null, null, null, null, at,
                false, coDrivers);
    }

    Booking extendedTo(Instant newEnd, Instant now) {
        return new Booking(id, carId, userId, start, newEnd, createdAt, state, kind, holdUntil, startedAt, endedAt, cancelledAt,
                cancelledBy, lapsedAt, overdue && !newEnd.isAfter(now), coDrivers);
    }

    Booking markedOverdue() {
        return new Booking(id, carId, userId, start, end, createdAt, state, kind, holdUntil, startedAt, endedAt, cancelledAt,
                cancelledBy, lapsedAt, true, coDrivers);
    }
}
