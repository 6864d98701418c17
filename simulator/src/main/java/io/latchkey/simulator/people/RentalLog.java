package io.latchkey.simulator.people;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the people of a scenario saw happen in the rental life cycle, counted per {@link Outcome}, with the first
 * few surprises written down; and the board where operators pin the cars they saw reported overdue. Thread-safe.
 */
public final class RentalLog {
    /** Each thing that can happen to a rental; the scenario report counts each one. */
    public enum Outcome {
        /** availability offered the renter's car */
        CAR_OFFERED,
        /** availability did not offer a car nobody else holds */
        CAR_NOT_OFFERED,
        BOOKED,
        RESERVED_NOW,
        /** the first unlock made the booking ACTIVE */
        RENTAL_STARTED,
        /** the end was refused by the car and named the open door */
        RETURN_REFUSED_DOOR_OPEN,
        /** a return with a door open was accepted (must never happen) */
        RETURN_ACCEPTED_WITH_DOOR_OPEN,
        /** the end was accepted: the car locked, the booking ENDED */
        RETURN_ACCEPTED,
        /** the backend had ended the rental on its own before the renter asked (409 on end, booking ENDED) */
        ENDED_BY_BACKEND,
        /** an immediate reservation never started became NO_SHOW */
        RESERVATION_LAPSED,
        /** one did not, in time (must never happen) */
        RESERVATION_NOT_LAPSED,
        /** the booking of a car still driving past its end read overdue */
        BOOKING_MARKED_OVERDUE,
        /** an operator saw the BOOKING_OVERDUE event of an overdue driver's car */
        OVERDUE_EVENT_SEEN,
        /** an overdue rental was ended at the car afterwards, with a receipt that says overdue */
        OVERDUE_RETURNED,
        /** IMMOBILISE refused while the car moved (409, MOVING) */
        IMMOBILISE_REFUSED_MOVING,
        /** IMMOBILISE carried out while the car moved (must never happen) */
        IMMOBILISED_WHILE_MOVING,
        /** IMMOBILISE carried out once parked, the relay energised */
        IMMOBILISE_ACCEPTED_PARKED,
        MOBILISED,
        /** anything unexpected: an error answer, a timeout, a state that should not be */
        ERROR
    }

    private final Map<Outcome, AtomicLong> counts = new ConcurrentHashMap<>();
    private final List<String> surprises = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> overdueCarsSeen = ConcurrentHashMap.newKeySet();

    public void count(Outcome outcome) {
        counts.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
    }

    /** Counts an {@link Outcome#ERROR} (or another bad outcome) and keeps the first 20 descriptions. */
    public void surprise(Outcome outcome, String what) {
        count(outcome);
        synchronized (surprises) {
            if (surprises.size() < 20) {
                surprises.add(outcome + ": " + what);
            }
        }
    }

    public long seen(Outcome... outcomes) {
        long n = 0;
        for (Outcome o : outcomes) {
            AtomicLong c = counts.get(o);
            n += c == null ? 0 : c.get();
        }
        return n;
    }

    /** Every outcome with its count (zeros included), in the enum's order. */
    public Map<String, Long> counts() {
        Map<String, Long> all = new java.util.LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            all.put(o.name(), seen(o));
        }
        return all;
    }

    public List<String> surprises() {
        synchronized (surprises) {
            return List.copyOf(surprises);
        }
    }

    /** An operator saw a BOOKING_OVERDUE event of this car (the overdue driver counts it when they learn it). */
    public void overdueSeen(String carId) {
        overdueCarsSeen.add(carId);
    }

    /** Every car an operator saw reported overdue. */
    public Set<String> overdueCarsSeen() {
        return Set.copyOf(overdueCarsSeen);
    }

    public boolean overdueSeenFor(String carId) {
        return overdueCarsSeen.contains(carId);
    }
}
