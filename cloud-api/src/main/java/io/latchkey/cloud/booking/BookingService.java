package io.latchkey.cloud.booking;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.ownership.CarOwners;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.protocol.Ids;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Books cars and moves bookings through their life cycle ({@link Booking.State}). Every transition is one conditional
 * write of the car's bookings document ({@link CarBookings}) that re-checks the state it starts from, so that of two
 * concurrent attempts (two requests, two replicas sweeping) exactly one makes it, and only that one audits and mails.
 */
@Singleton
public class BookingService {
    /** The message a non-operator gets for a booking that is not theirs, whether or not it exists. */
    static final String NOT_YOURS = "not a booking of yours";
    /** The most co-drivers one booking names. */
    public static final int MAX_CO_DRIVERS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(BookingService.class);
    private static final Comparator<Booking> ORDER = Comparator.comparing(Booking::start).thenComparing(Booking::id);

    private final Stores stores;
    private final CarRegistry cars;
    private final CarOwners owners;
    private final BookingsConfig limits;
    private final SecureRandom random;
    private final Clock clock;
    private final Auditor auditor;
    private final BookingMessages messages;
    private final ApplicationEventPublisher<RentalTransition> transitions;
    private final ApplicationEventPublisher<BookingAccessEnded> accessEnded;
    private final UserDirectory users;
    private final Set<String> indexedTenants = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public BookingService(Stores stores, CarRegistry cars, CarOwners owners, BookingsConfig limits, SecureRandom random,
                          Clock clock, Auditor auditor, BookingMessages messages,
                          ApplicationEventPublisher<RentalTransition> transitions,
                          ApplicationEventPublisher<BookingAccessEnded> accessEnded, UserDirectory users) {
        this.stores = stores;
        this.cars = cars;
        this.owners = owners;
        this.limits = limits;
        this.random = random;
        this.clock = clock;
        this.auditor = auditor;
        this.messages = messages;
        this.transitions = transitions;
        this.accessEnded = accessEnded;
        this.users = users;
    }

    /**
     * Books a car for {@code [start, end)} ({@code SCHEDULED}) and mails the borrower a confirmation.
     *
     * @throws NotFoundException       for an unknown car
     * @throws InvalidRequestException if end is not after start, lies in the past, the booking is too
     *                                 long, starts too far ahead or too far back ({@link BookingsConfig})
     * @throws ConflictException       if another booking of the car overlaps, or the borrower already
     *                                 holds as many open bookings as allowed
     */
    public Booking book(String tenant, String userId, String carId, Instant start, Instant end) {
        if (carId == null) {
            throw new InvalidRequestException("carId is required");
        }
        if (start == null || end == null) {
            throw new InvalidRequestException("start and end are required (ISO-8601 instants)");
        }
        cars.require(tenant, carId);
        Instant now = clock.instant();
        checkWindow(start, end, now, "start", "end");
        return insert(tenant, Booking.confirmed(newId(), carId, userId, start, end, now, Booking.Kind.SCHEDULED, null), now);
    }

    /**
     * Reserves a car from now ({@code IMMEDIATE}) until {@code end}, or for {@code latchkey.bookings.immediate-length}
     * when none is given. The reservation lapses ({@code NO_SHOW}) unless the rental starts at the car within
     * {@code latchkey.bookings.reservation-hold}.
     *
     * @throws NotFoundException       for an unknown car
     * @throws InvalidRequestException for an end that is not in the future or makes the booking too long
     * @throws ConflictException       if the car is not free until the end, or the borrower's limit is reached
     */
    public Booking reserveNow(String tenant, String userId, String carId, Instant end) {
        if (carId == null) {
            throw new InvalidRequestException("carId is required");
        }
        cars.require(tenant, carId);
        Instant now = clock.instant();
        Instant until = end == null ? now.plus(limits.immediateLength()) : end;
        checkWindow(now, until, now, "start", "end");
        Instant hold = now.plus(limits.reservationHold());
        Booking booking = Booking.confirmed(newId(), carId, userId, now, until, now, Booking.Kind.IMMEDIATE,
                hold.isBefore(until) ? hold : until);
        return insert(tenant, booking, now);
    }

    /**
     * The booking rules for a window: {@code end} after {@code start} and in the future, at most {@code max-length}
     * long, starting at most {@code max-advance} ahead and at most {@code max-backdate} ago.
     *
     * @throws InvalidRequestException naming the rule and the limit
     */
    void checkWindow(Instant start, Instant end, Instant now, String startName, String endName) {
        if (!end.isAfter(start)) {
            throw new InvalidRequestException(endName + " must be after " + startName);
        }
        if (!end.isAfter(now)) {
            throw new InvalidRequestException(endName + " must be in the future");
        }
        if (Duration.between(start, end).compareTo(limits.maxLength()) > 0) {
            throw new InvalidRequestException("a booking may last at most " + BookingsConfig.describe(limits.maxLength()));
        }
        if (start.isBefore(now.minus(limits.maxBackdate()))) {
            throw new InvalidRequestException(startName + " may lie at most " + BookingsConfig.describe(limits.maxBackdate())
                    + " in the past");
        }
        if (start.isAfter(now.plus(limits.maxAdvance()))) {
            throw new InvalidRequestException(startName + " may lie at most " + BookingsConfig.describe(limits.maxAdvance())
                    + " ahead");
        }
    }

    private Booking insert(String tenant, Booking booking, Instant now) {
        String userId = booking.userId();
        reserve(tenant, userId, booking, now);
        try {
            index(tenant).upsert(booking.id(), new BookingCar(booking.carId()), c -> c);
            bookingsOf(tenant).upsert(booking.carId(), CarBookings.EMPTY, current -> {
                if (current.blocked(booking.start(), booking.end(), now, booking.id())) {
                    throw new ConflictException("car " + booking.carId() + " is already booked for part of that time");
                }
                return current.find(booking.id()).isPresent() ? current : current.with(booking);
            });
        } catch (RuntimeException e) {
            borrowers(tenant).upsert(userId, BorrowerBookings.EMPTY, current -> current.without(booking.id()));
            index(tenant).delete(booking.id());
            throw e;
        }
        messages.confirmed(tenant, booking);
        return booking;
    }

    /** Counts the booking against the borrower's limit, in one conditional write with the count it checks. */
    private void reserve(String tenant, String userId, Booking booking, Instant now) {
        JsonCollection<BorrowerBookings> borrowers = borrowers(tenant);
        // bookings made before this document existed are counted from the cars' documents, once
        BorrowerBookings initial = borrowers.find(userId).isPresent() ? BorrowerBookings.EMPTY
                : BorrowerBookings.of(ofUser(tenant, userId), now);
        borrowers.upsert(userId, initial, current -> {
            BorrowerBookings open = current.openAt(now);
            if (open.open().size() >= limits.maxOpenPerBorrower()) {
                throw new ConflictException("a borrower may hold at most " + limits.maxOpenPerBorrower()
                        + " bookings that have not ended");
            }
            return open.with(booking);
        });
    }

    // --- reading ------------------------------------------------------------------------------------------------

    /** The booking with that id, wherever it is stored. */
    public Optional<Booking> find(String tenant, String bookingId) {
        if (!Ids.isValid(bookingId)) {
            return Optional.empty();
        }
        indexed(tenant);
        return index(tenant).get(bookingId)
                .flatMap(entry -> bookingsOf(tenant).get(entry.carId()))
                .flatMap(c -> c.find(bookingId));
    }

    /**
     * Makes sure every booking of the tenant is in the index, once: bookings made before the index existed are added
     * by the first lookup after the upgrade (new bookings are indexed as they are made), so that no lookup of an
     * unknown id has to read every car's bookings.
     */
    private void indexed(String tenant) {
        if (indexedTenants.contains(tenant)) {
            return;
        }
        JsonCollection<IndexState> state = new JsonCollection<>(stores.tenant(tenant), "booking-index", IndexState.class);
        if (state.get(IndexState.ID).isEmpty()) {
            JsonCollection<BookingCar> index = index(tenant);
            for (CarBookings doc : bookingsOf(tenant).all()) {
                for (Booking b : doc.bookings()) {
                    index.upsert(b.id(), new BookingCar(b.carId()), c -> c);
                }
            }
            state.upsert(IndexState.ID, new IndexState(clock.instant()), s -> s);
        }
        indexedTenants.add(tenant);
    }

    /** Written once all bookings of a tenant are in the index ({@code booking-index/complete}). */
    record IndexState(Instant completedAt) {
        static final String ID = "complete";
    }

    /**
     * The booking as {@code caller} may see it: operators and tenant-admins every booking of the tenant (404 for an
     * unknown id); anybody else their own and, as owners, those of their cars. To them, a booking that is not theirs
     * and one that does not exist are refused alike (403, same detail), so the answer says nothing about other
     * people's bookings.
     *
     * @throws NotFoundException  an operator asking for an unknown id; anybody asking for an id that cannot exist
     * @throws ForbiddenException a non-operator asking for a booking that is not theirs (or does not exist)
     */
    public Booking visible(String tenant, String bookingId, Caller caller) {
        if (!Ids.isValid(bookingId)) {
            throw new NotFoundException("unknown booking " + bookingId);
        }
        Optional<Booking> found = find(tenant, bookingId);
        if (caller.actsForTenant()) {
            return found.orElseThrow(() -> new NotFoundException("unknown booking " + bookingId));
        }
        if (found.isPresent() && (caller.is(found.get().userId())
                || caller.isOwner() && owners.carsOf(tenant, caller.userId()).contains(found.get().carId()))) {
            return found.get();
        }
        throw new ForbiddenException(NOT_YOURS);
    }

    /**
     * The booking as {@code caller} may read it: as {@link #visible}, and also to a co-driver named on it (who asks for
     * an offline key of their own, docs/offline-keys.md §5). Only for reading: what changes a booking stays
     * {@link #visible}'s.
     */
    public Booking readable(String tenant, String bookingId, Caller caller) {
        try {
            return visible(tenant, bookingId, caller);
        } catch (ForbiddenException refused) {
            return find(tenant, bookingId).filter(b -> b.hasCoDriver(caller.userId())).orElseThrow(() -> refused);
        }
    }

    /** Whether a booking of the user lets them use the car now ({@link Booking#givesAccessAt}). */
    public boolean coversNow(String tenant, String carId, String userId) {
        Instant now = clock.instant();
        return bookingsOf(tenant).get(carId).orElse(CarBookings.EMPTY).bookings().stream()
                .anyMatch(b -> b.userId().equals(userId) && b.givesAccessAt(now));
    }

    /**
     * Why the car must not be disturbed by maintenance now (an over-the-air install, docs/ota.md §8): an {@code ACTIVE}
     * rental, or an open booking that holds the car at some moment from now until {@code lead} from now (the same
     * {@link Booking#blocks} rule as for booking the car); empty when the car is free.
     */
    public Optional<String> busyWithin(String tenant, String carId, java.time.Duration lead) {
        Instant now = clock.instant();
        List<Booking> held = bookingsOf(tenant).get(carId).orElse(CarBookings.EMPTY).bookings();
        if (held.stream().anyMatch(b -> b.state() == Booking.State.ACTIVE && b.blocks(now, now.plusNanos(1), now))) {
            return Optional.of("ACTIVE_RENTAL");
        }
        return held.stream().filter(b -> b.blocks(now, now.plus(lead), now)).map(Booking::start).min(Instant::compareTo)
                .map(start -> "BOOKED: a booking holds the car from " + start);
    }

    /** Whether an open booking holds the car for part of {@code [from, to)}. */
    boolean blocked(String tenant, String carId, Instant from, Instant to) {
        return bookingsOf(tenant).get(carId).orElse(CarBookings.EMPTY).blocked(from, to, clock.instant(), null);
    }

    public List<Booking> ofUser(String tenant, String userId) {
        return matching(tenant, b -> b.userId().equals(userId));
    }

    public List<Booking> all(String tenant) {
        return matching(tenant, b -> true);
    }

    /** One page of the bookings {@code caller} may see that match {@code query}, by start then id. */
    public BookingPage list(String tenant, Caller caller, BookingQuery query) {
        Predicate<Booking> visible;
        if (query.coDriving()) {
            visible = b -> b.hasCoDriver(caller.userId());
        } else if (caller.actsForTenant()) {
            visible = b -> true;
        } else {
            Set<String> ownCars = caller.isOwner() ? Set.copyOf(owners.carsOf(tenant, caller.userId())) : Set.of();
            visible = b -> caller.is(b.userId()) || ownCars.contains(b.carId());
        }
        List<CarBookings> docs = query.carId() == null ? bookingsOf(tenant).all()
                : bookingsOf(tenant).get(query.carId()).map(List::of).orElse(List.of());
        List<Booking> matching = docs.stream().flatMap(c -> c.bookings().stream())
                .filter(visible).filter(query::matches).sorted(ORDER).toList();
        int from = (int) Math.min((long) query.page() * query.size(), matching.size());
        int to = Math.min(from + query.size(), matching.size());
        return new BookingPage(matching.subList(from, to), query.page(), query.size(), matching.size(), null);
    }

    private List<Booking> matching(String tenant, Predicate<Booking> filter) {
        return bookingsOf(tenant).all().stream()
                .flatMap(c -> c.bookings().stream())
                .filter(filter)
                .sorted(ORDER)
                .toList();
    }

    // --- transitions ----------------------------------------------------------------------------------------------

    /**
     * Cancels a booking: its borrower while it is {@code CONFIRMED} (the rental has not started at the car); an
     * operator or tenant-admin while it is {@code CONFIRMED} or {@code ACTIVE} (an active rental then ends now).
     * Audited {@code booking.cancel}; the borrower is told by e-mail.
     *
     * @throws NotFoundException  see {@link #visible}
     * @throws ForbiddenException see {@link #visible}; an owner who is not the borrower
     * @throws ConflictException  the booking's state does not allow it
     */
    public Booking cancel(String tenant, String bookingId, Caller caller) {
        Booking b = visible(tenant, bookingId, caller);
        boolean operator = caller.actsForTenant();
        if (!operator && !caller.is(b.userId())) {
            throw new ForbiddenException("only the borrower or an operator may cancel a booking");
        }
        Instant now = clock.instant();
        Booking cancelled = change(tenant, b.carId(), bookingId, (doc, cur) -> {
            if (operator ? !cur.state().open() : cur.state() != Booking.State.CONFIRMED) {
                throw new ConflictException("booking " + bookingId + " is " + cur.state() + ": "
                        + (operator ? "only a confirmed or active booking can be cancelled"
                        : cur.state() == Booking.State.ACTIVE ? "the rental has started; end it at the car, or ask an operator"
                        : "only a confirmed booking can be cancelled"));
            }
            return cur.cancelled(now, caller.userId());
        }).orElseThrow();
        released(tenant, cancelled);
        audit(tenant, caller.userId(), "booking.cancel", cancelled, AuditEntry.OK);
        closed(tenant, cancelled);
        messages.cancelled(tenant, cancelled);
        if (cancelled.endedAt() != null) {
            publish(tenant, cancelled, false);
        }
        return cancelled;
    }

    /**
     * Names the booking's co-drivers (replacing those named before): borrowers of the tenant, not the borrower, at most
     * {@link #MAX_CO_DRIVERS}, each of whom may then ask for an offline key of their own (docs/offline-keys.md §5). Only
     * the borrower, while the booking is {@code CONFIRMED} or {@code ACTIVE}. Audited {@code booking.co-drivers}; the
     * keys of a co-driver who is no longer named are revoked ({@link BookingAccessEnded}).
     *
     * @throws InvalidRequestException no list, a malformed or repeated id, the borrower, more than allowed
     * @throws NotFoundException       see {@link #visible}; a user id that names nobody of the tenant
     * @throws ForbiddenException      see {@link #visible}; a caller who is not the borrower
     * @throws ConflictException       the booking is no longer open
     */
    public Booking setCoDrivers(String tenant, String bookingId, Caller caller, @Nullable List<String> userIds) {
        Booking b = visible(tenant, bookingId, caller);
        if (!caller.is(b.userId())) {
            throw new ForbiddenException("only the borrower names the co-drivers of a booking");
        }
        if (userIds == null) {
            throw new InvalidRequestException("coDrivers is required: a list of user ids (empty for none)");
        }
        if (userIds.size() > MAX_CO_DRIVERS) {
            throw new InvalidRequestException("a booking names at most " + MAX_CO_DRIVERS + " co-drivers");
        }
        Set<String> distinct = new java.util.LinkedHashSet<>();
        for (String id : userIds) {
            if (!Ids.isValid(id)) {
                throw new InvalidRequestException("each co-driver is a user id: " + Ids.isRequiredAndMustMatch("coDrivers[]"));
            }
            if (!distinct.add(id)) {
                throw new InvalidRequestException("co-driver " + id + " is named twice");
            }
            if (id.equals(b.userId())) {
                throw new InvalidRequestException("the borrower is not their own co-driver");
            }
            var user = users.find(tenant, id).filter(u -> u.terminatedAt() == null)
                    .orElseThrow(() -> new NotFoundException("unknown user " + id));
            if (user.roles() == null || !user.roles().contains(io.latchkey.cloud.identity.Roles.BORROWER)) {
                throw new InvalidRequestException("co-driver " + id + " is not a borrower of the tenant");
            }
        }
        List<String> named = List.copyOf(distinct);
        Booking[] before = new Booking[1];
        Booking changed = change(tenant, b.carId(), bookingId, (doc, cur) -> {
            if (!cur.state().open()) {
                throw new ConflictException("booking " + bookingId + " is " + cur.state() + ": co-drivers are named on a confirmed or active booking");
            }
            before[0] = cur;
            return cur.withCoDrivers(named);
        }).orElse(null);
        if (changed == null) {
            return find(tenant, bookingId).orElseThrow();
        }
        audit(tenant, caller.userId(), "booking.co-drivers", changed, AuditEntry.OK);
        Set<String> removed = new java.util.HashSet<>(before[0].coDrivers());
        removed.removeAll(named);
        if (!removed.isEmpty()) {
            accessEnded(tenant, changed, removed);
        }
        return changed;
    }

    /**
     * Moves the end of a {@code CONFIRMED} or {@code ACTIVE} booking later (its borrower, or an operator), if nothing
     * else holds the car until then and the booking stays within {@code max-length}. Audited {@code booking.extend};
     * the borrower is told by e-mail. An overdue booking extended into the future is no longer overdue.
     *
     * @throws InvalidRequestException no end, one not later than the current end or not in the future, or too long
     * @throws ConflictException       the state does not allow it, or another booking overlaps the extension
     */
    public Booking extend(String tenant, String bookingId, Caller caller, Instant newEnd) {
        Booking b = visible(tenant, bookingId, caller);
        if (!caller.actsForTenant() && !caller.is(b.userId())) {
            throw new ForbiddenException("only the borrower or an operator may extend a booking");
        }
        if (newEnd == null) {
            throw new InvalidRequestException("end is required (an ISO-8601 instant)");
        }
        Instant now = clock.instant();
        Booking extended = change(tenant, b.carId(), bookingId, (doc, cur) -> {
            if (!cur.state().open()) {
                throw new ConflictException("booking " + bookingId + " is " + cur.state()
                        + ": only a confirmed or active booking can be extended");
            }
            if (!newEnd.isAfter(cur.end())) {
                throw new InvalidRequestException("end must be later than the current end " + cur.end());
            }
            if (!newEnd.isAfter(now)) {
                throw new InvalidRequestException("end must be in the future");
            }
            if (Duration.between(cur.start(), newEnd).compareTo(limits.maxLength()) > 0) {
                throw new InvalidRequestException("a booking may last at most " + BookingsConfig.describe(limits.maxLength()));
            }
            if (doc.blocked(cur.end(), newEnd, now, bookingId)) {
                throw new ConflictException("car " + cur.carId() + " is already booked for part of that time");
            }
            return cur.extendedTo(newEnd, now);
        }).orElseThrow();
        try {
            borrowers(tenant).upsert(extended.userId(), BorrowerBookings.EMPTY, c -> c.extended(bookingId, newEnd));
        } catch (RuntimeException e) {
            LOG.warn("could not update the borrower count of booking {} of tenant {}", bookingId, tenant, e);
        }
        audit(tenant, caller.userId(), "booking.extend", extended, AuditEntry.OK);
        messages.extended(tenant, extended);
        return extended;
    }

    /**
     * The rental starts: the user's {@code CONFIRMED} booking of the car that gives them access at {@code at} becomes
     * {@code ACTIVE}. Called when an unlock by that user concluded {@code EXECUTED}; a later unlock finds it active and
     * changes nothing. Audited {@code booking.start}.
     *
     * @return the booking that started, or empty if none did
     */
    public Optional<Booking> started(String tenant, String carId, String userId, Instant at) {
        Optional<Booking> candidate = bookingsOf(tenant).get(carId).orElse(CarBookings.EMPTY).bookings().stream()
                .filter(b -> b.userId().equals(userId) && b.state() == Booking.State.CONFIRMED && b.givesAccessAt(at))
                .min(ORDER);
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        String id = candidate.get().id();
        Optional<Booking> started = change(tenant, carId, id, (doc, cur) ->
                cur.state() == Booking.State.CONFIRMED && cur.givesAccessAt(at) ? cur.activated(at) : cur);
        started.ifPresent(b -> {
            audit(tenant, userId, "booking.start", b, AuditEntry.OK);
            publish(tenant, b, true);
        });
        return started;
    }

    /**
     * Ends an {@code ACTIVE} booking ({@code ENDED}, {@code endedAt = at}), freeing the car. Audited {@code booking.end}
     * with {@code actor}. For the end-of-rental route and the automatic end; whether the car may be returned is theirs
     * to check before calling this.
     *
     * @throws NotFoundException an unknown booking
     * @throws ConflictException the booking is not {@code ACTIVE}
     */
    public Booking end(String tenant, String bookingId, String actor, Instant at) {
        Booking b = find(tenant, bookingId).orElseThrow(() -> new NotFoundException("unknown booking " + bookingId));
        Booking ended = change(tenant, b.carId(), bookingId, (doc, cur) -> {
            if (cur.state() != Booking.State.ACTIVE) {
                throw new ConflictException("booking " + bookingId + " is " + cur.state() + ": only an active rental can end");
            }
            return cur.ended(at);
        }).orElseThrow();
        released(tenant, ended);
        audit(tenant, actor, "booking.end", ended, AuditEntry.OK);
        closed(tenant, ended);
        publish(tenant, ended, false);
        return ended;
    }

    /**
     * Marks an {@code ACTIVE} booking whose end has passed at {@code at} as overdue (it stays {@code ACTIVE} and keeps
     * holding the car). Audited {@code booking.overdue} with actor {@code system}.
     *
     * @return the booking, if this call marked it (empty if it was not active, not past its end, or already marked)
     */
    public Optional<Booking> markOverdue(String tenant, String bookingId, Instant at) {
        Optional<Booking> b = find(tenant, bookingId);
        if (b.isEmpty()) {
            return Optional.empty();
        }
        Optional<Booking> marked = change(tenant, b.get().carId(), bookingId, (doc, cur) ->
                cur.state() == Booking.State.ACTIVE && !cur.overdue() && !at.isBefore(cur.end()) ? cur.markedOverdue() : cur);
        marked.ifPresent(m -> audit(tenant, AuditEntry.SYSTEM, "booking.overdue", m, AuditEntry.OK));
        return marked;
    }

    /**
     * Marks every {@code CONFIRMED} booking of the tenant that can no longer start as {@code NO_SHOW}: an immediate
     * reservation past its hold, a scheduled booking past its end. Each is audited {@code booking.no-show} (actor
     * {@code system}) and mailed once, by whichever sweep wrote it.
     *
     * @return the bookings this call marked
     */
    public List<Booking> sweep(String tenant, Instant now) {
        List<Booking> lapsed = new ArrayList<>();
        JsonCollection<CarBookings> docs = bookingsOf(tenant);
        for (String carId : docs.ids()) {
            List<Booking> ofCar = new ArrayList<>();
            try {
                docs.upsert(carId, CarBookings.EMPTY, current -> {
                    ofCar.clear();
                    List<Booking> next = new ArrayList<>();
                    for (Booking b : current.bookings()) {
                        if (b.lapsedAt(now)) {
                            Booking l = b.lapsed(now);
                            ofCar.add(l);
                            next.add(l);
                        } else {
                            next.add(b);
                        }
                    }
                    return ofCar.isEmpty() ? current : new CarBookings(next);
                });
            } catch (RuntimeException e) {
                LOG.warn("could not sweep the bookings of car {} of tenant {}", carId, tenant, e);
                continue;
            }
            for (Booking l : ofCar) {
                released(tenant, l);
                audit(tenant, AuditEntry.SYSTEM, "booking.no-show", l, AuditEntry.OK);
                closed(tenant, l);
                messages.noShow(tenant, l);
            }
            lapsed.addAll(ofCar);
        }
        return lapsed;
    }

    /**
     * Cancels the user's open bookings, freeing their cars (an active one ends now), keeping them as history.
     *
     * @return what was cancelled, as it is now
     */
    public List<Booking> cancelOpenOf(String tenant, String userId, String actor) {
        Instant now = clock.instant();
        List<Booking> cancelled = new ArrayList<>();
        JsonCollection<CarBookings> docs = bookingsOf(tenant);
        for (String carId : docs.ids()) {
            List<Booking> ofCar = new ArrayList<>();
            docs.upsert(carId, CarBookings.EMPTY, current -> {
                ofCar.clear();
                return current.cancelOpenOf(userId, now, actor, ofCar);
            });
            cancelled.addAll(ofCar);
        }
        borrowers(tenant).delete(userId);
        cancelled.forEach(c -> closed(tenant, c));
        cancelled.stream().filter(c -> c.endedAt() != null).forEach(c -> publish(tenant, c, false));
        return cancelled;
    }

    /**
     * Applies {@code change} to the booking in one conditional write of its car's document, re-applied if another
     * writer got in between; {@code change} sees the document and the booking as they are, and returns the booking
     * unchanged to do nothing, or throws to refuse.
     *
     * @return the changed booking, if this call changed it
     */
    private Optional<Booking> change(String tenant, String carId, String bookingId,
                                     BiFunction<CarBookings, Booking, Booking> change) {
        Booking[] changed = new Booking[1];
        bookingsOf(tenant).upsert(carId, CarBookings.EMPTY, current -> {
            changed[0] = null;
            Booking cur = current.find(bookingId).orElseThrow(() -> new NotFoundException("unknown booking " + bookingId));
            Booking next = change.apply(current, cur);
            if (next.equals(cur)) {
                return current;
            }
            changed[0] = next;
            return current.replacing(bookingId, b -> next);
        });
        return Optional.ofNullable(changed[0]);
    }

    /** A booking that no longer holds its car no longer counts against its borrower's limit. */
    private void released(String tenant, Booking b) {
        try {
            borrowers(tenant).upsert(b.userId(), BorrowerBookings.EMPTY, c -> c.without(b.id()));
        } catch (RuntimeException e) {
            // it drops out of the count at its end anyway
            LOG.warn("could not update the borrower count of booking {} of tenant {}", b.id(), tenant, e);
        }
    }

    /** Tells listeners ({@link BookingAccessEnded}) that nobody may use the car through this booking any more. */
    private void closed(String tenant, Booking b) {
        accessEnded(tenant, b, null);
    }

    private void accessEnded(String tenant, Booking b, @Nullable Set<String> userIds) {
        try {
            accessEnded.publishEvent(new BookingAccessEnded(tenant, b, userIds));
        } catch (RuntimeException e) {
            LOG.warn("a listener of the end of access through booking {} of tenant {} failed: {}", b.id(), tenant, e.toString());
        }
    }

    /** Tells listeners ({@link RentalTransition}) that a rental started or stopped; never failing the transition. */
    private void publish(String tenant, Booking b, boolean started) {
        try {
            transitions.publishEvent(new RentalTransition(tenant, b, started));
        } catch (RuntimeException e) {
            LOG.warn("a listener of the rental transition of booking {} of tenant {} failed: {}", b.id(), tenant, e.toString());
        }
    }

    private void audit(String tenant, String actor, String action, Booking b, String outcome) {
        auditor.record(tenant, actor, action, subject(b), outcome);
    }

    static String subject(Booking b) {
        return "booking/" + b.id() + " car/" + b.carId();
    }

    private String newId() {
        return "b-" + HexFormat.of().toHexDigits(random.nextLong());
    }

    /** Which car a booking belongs to ({@code booking-cars/{bookingId}}), so that one booking is found by its id. */
    record BookingCar(String carId) {
    }

    private JsonCollection<BookingCar> index(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "booking-cars", BookingCar.class);
    }

    private JsonCollection<BorrowerBookings> borrowers(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "borrower-bookings", BorrowerBookings.class);
    }

    private JsonCollection<CarBookings> bookingsOf(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "car-bookings", CarBookings.class);
    }
}
