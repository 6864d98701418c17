package io.latchkey.cloud.key;

import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** The offline keys issued for one booking, in the order they were issued ({@code offline-keys/{bookingId}}). */
@Serdeable
public record BookingKeys(List<IssuedKey> keys) {
    static final BookingKeys EMPTY = new BookingKeys(List.of());

    public BookingKeys {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    BookingKeys with(IssuedKey key) {
        List<IssuedKey> next = new ArrayList<>(keys);
        next.add(key);
        return new BookingKeys(next);
    }

    Optional<IssuedKey> find(String keyId) {
        return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
    }

    /** Applies {@code change} to the keys {@code which} selects; the same document if it changed none. */
    BookingKeys changing(Predicate<IssuedKey> which, UnaryOperator<IssuedKey> change) {
        boolean changed = false;
        List<IssuedKey> next = new ArrayList<>(keys.size());
        for (IssuedKey k : keys) {
            IssuedKey n = which.test(k) ? change.apply(k) : k;
            changed |= !n.equals(k);
            next.add(n);
        }
        return changed ? new BookingKeys(next) : this;
    }
}
